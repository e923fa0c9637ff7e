package dev.failover.activities.storage;

import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Before a failback changes direction, copies to the primary what was written in DR and that no
 * replication rule will carry: objects written while the reverse rule did not exist (the primary
 * was unreachable at failover), which S3 replication never picks up afterwards, and objects whose
 * replication failed. It compares current versions by ETag and leaves alone what is pending (the
 * drain waits for it) and what came from the primary in the first place.
 */
public final class CatchUpCopy implements ReplicaPromotion.CatchUp {
  private final Buckets buckets;
  private final IntConsumer progress;

  public CatchUpCopy(Buckets buckets, IntConsumer progress) {
    this.buckets = buckets;
    this.progress = progress;
  }

  @Override
  public List<ReplicaPromotion.PutBack> copyMissing(BucketPairTarget pair, List<String> done) {
    BucketTarget primary = pair.primary();
    BucketTarget replica = pair.replica();
    Map<String, String> primaryEtags = new HashMap<>();
    for (S3Object object : list(primary)) {
      primaryEtags.put(object.key(), object.eTag());
    }
    List<String> copied = new ArrayList<>();
    List<ReplicaPromotion.PutBack> putBack = new ArrayList<>();
    List<String> diverged = new ArrayList<>();
    int inspected = 0;
    // The runbook's own state (snapshots, reports, fence and replication records) lives in the
    // replica on purpose; it is not data written in DR.
    String ownState = "failover/" + pair.runbook() + "/";
    for (S3Object object : list(replica)) {
      progress.accept(++inspected);
      if (object.key().startsWith(ownState)
          || object.eTag().equals(primaryEtags.get(object.key()))) {
        continue;
      }
      HeadObjectResponse head =
          buckets
              .retry()
              .aws(
                  "read s3://" + replica.bucket() + "/" + object.key(),
                  () ->
                      buckets
                          .s3(replica)
                          .headObject(h -> h.bucket(replica.bucket()).key(object.key())));
      ReplicationStatus status = head.replicationStatus();
      if (status == ReplicationStatus.PENDING || status == ReplicationStatus.COMPLETED) {
        continue;
      }
      if (status == ReplicationStatus.REPLICA) {
        // It came from the primary, which has changed it since without the change arriving.
        diverged.add(object.key());
        continue;
      }
      putBack.add(copy(replica, primary, object.key()));
      copied.add(object.key());
    }
    if (!copied.isEmpty()) {
      done.add(
          "copied "
              + copied.size()
              + " object(s) written in DR that no rule replicates to "
              + primary.bucket()
              + " "
              + examples(copied));
    }
    if (!diverged.isEmpty()) {
      done.add(
          "left "
              + diverged.size()
              + " object(s) that the primary changed after they were replicated "
              + examples(diverged));
    }
    return putBack;
  }

  private List<S3Object> list(BucketTarget bucket) {
    return buckets
        .retry()
        .aws(
            "list objects of " + bucket.bucket(),
            () -> {
              List<S3Object> all = new ArrayList<>();
              buckets
                  .s3(bucket)
                  .listObjectsV2Paginator(list -> list.bucket(bucket.bucket()))
                  .contents()
                  .forEach(all::add);
              return all;
            });
  }

  /** Copies the current version; returns which version it copied, and the copy's version. */
  private ReplicaPromotion.PutBack copy(BucketTarget from, BucketTarget to, String key) {
    return buckets
        .retry()
        .aws(
            "copy s3://" + from.bucket() + "/" + key + " to " + to.bucket(),
            () -> {
              try (ResponseInputStream<GetObjectResponse> in =
                  buckets.s3(from).getObject(get -> get.bucket(from.bucket()).key(key))) {
                GetObjectResponse response = in.response();
                String copyVersionId =
                    buckets
                        .s3(to)
                        .putObject(
                            put ->
                                put.bucket(to.bucket())
                                    .key(key)
                                    .contentType(response.contentType())
                                    .metadata(response.metadata()),
                            RequestBody.fromInputStream(in, response.contentLength()))
                        .versionId();
                return new ReplicaPromotion.PutBack(key, response.versionId(), copyVersionId);
              } catch (java.io.IOException e) {
                throw software.amazon.awssdk.core.exception.SdkClientException.create(
                    "reading s3://" + from.bucket() + "/" + key + " failed", e);
              }
            });
  }

  private static String examples(List<String> keys) {
    return keys.subList(0, Math.min(5, keys.size())).toString();
  }
}
