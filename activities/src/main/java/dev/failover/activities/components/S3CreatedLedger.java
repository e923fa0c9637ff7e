package dev.failover.activities.components;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.steps.BucketTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The ledger as objects in the state bucket, next to the snapshots: one small JSON object per write
 * under {@code <prefix>created/<run>/<component>/}, never overwritten, so that a retried attempt
 * adds to what an earlier attempt recorded instead of replacing it.
 */
public final class S3CreatedLedger implements CreatedLedger {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CloudClients clients;
  private final BucketTarget store;
  private final String prefix;
  private final CallRetry retry;

  /**
   * @param runPrefix the runbook's prefix in the state bucket ({@code failover/<runbook>/})
   * @param runId the drill run
   */
  public S3CreatedLedger(
      CloudClients clients, BucketTarget store, String runPrefix, String runId, CallRetry retry) {
    this.clients = clients;
    this.store = store;
    this.prefix = runPrefix + "created/" + runId + "/";
    this.retry = retry;
  }

  @Override
  public void willCreate(String component, List<String> keys) {
    String key = prefix + component + "/" + UUID.randomUUID() + ".json";
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(keys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    retry.aws(
        "record what this drill creates at s3://" + store.bucket() + "/" + key,
        () ->
            clients
                .s3(store)
                .putObject(
                    put -> put.bucket(store.bucket()).key(key).contentType("application/json"),
                    RequestBody.fromBytes(body)));
  }

  @Override
  public Set<String> created(String component) {
    String under = prefix + component + "/";
    Set<String> keys = new TreeSet<>();
    List<S3Object> objects =
        retry.aws(
            "list what this drill created under s3://" + store.bucket() + "/" + under,
            () ->
                clients
                    .s3(store)
                    .listObjectsV2Paginator(list -> list.bucket(store.bucket()).prefix(under))
                    .contents()
                    .stream()
                    .toList());
    for (S3Object object : objects) {
      byte[] bytes =
          retry.aws(
              "read s3://" + store.bucket() + "/" + object.key(),
              () ->
                  clients
                      .s3(store)
                      .getObjectAsBytes(get -> get.bucket(store.bucket()).key(object.key()))
                      .asByteArray());
      try {
        keys.addAll(JSON.readValue(bytes, new TypeReference<List<String>>() {}));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return keys;
  }
}
