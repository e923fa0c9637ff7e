package dev.failover.activities.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Small JSON documents a step keeps in the state bucket so that a later step (or a retry after a
 * crash) knows exactly what an earlier one changed: which replication rules a promotion disabled,
 * which job schedules a fence paused. The state bucket is the first pair's replica, which survives
 * an outage of the primary region.
 */
public final class StateObjects {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CloudClients clients;
  private final CallRetry retry;

  public StateObjects(CloudClients clients, CallRetry retry) {
    this.clients = clients;
    this.retry = retry;
  }

  /** The document at {@code key}, or empty when there is none. */
  public <T> Optional<T> load(BucketTarget store, String key, Class<T> type) {
    try {
      byte[] bytes =
          retry.aws(
              "read s3://" + store.bucket() + "/" + key,
              () ->
                  clients
                      .s3(store)
                      .getObjectAsBytes(get -> get.bucket(store.bucket()).key(key))
                      .asByteArray());
      return Optional.of(JSON.readValue(bytes, type));
    } catch (ApplicationFailure e) {
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        return Optional.empty();
      }
      throw e;
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "s3://" + store.bucket() + "/" + key + " cannot be read: " + e.getMessage(),
          FailureTypes.SNAPSHOT_CORRUPT,
          e);
    }
  }

  public void save(BucketTarget store, String key, Object document) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    retry.aws(
        "write s3://" + store.bucket() + "/" + key,
        () ->
            clients
                .s3(store)
                .putObject(
                    put -> put.bucket(store.bucket()).key(key).contentType("application/json"),
                    RequestBody.fromBytes(bytes)));
  }

  public void delete(BucketTarget store, String key) {
    retry.aws(
        "delete s3://" + store.bucket() + "/" + key,
        () -> clients.s3(store).deleteObject(delete -> delete.bucket(store.bucket()).key(key)));
  }
}
