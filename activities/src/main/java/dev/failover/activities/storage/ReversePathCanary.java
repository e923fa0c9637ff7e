package dev.failover.activities.storage;

import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;

/**
 * Proves that the reverse rule works before DR takes writes: a small object written in the replica
 * under the run's prefix must reach the primary through replication, and so must the delete marker
 * of a plain delete of it. S3 checks a rule's role only when it replicates an object, and an object
 * it may not replicate ends {@code FAILED} and is never retried, so a rule that was accepted proves
 * nothing; this canary does.
 *
 * <p>Deletes need their own proof: a role may replicate objects and not delete markers (the AWS S3
 * user guide, "Setting up permissions for live replication": "The current permissions model
 * requires the {@code s3:ListBucket} permission for accessing delete markers"; and {@code
 * s3:ReplicateDelete} on the destination), and a delete marker has no replication status to read
 * (HEAD of one answers 405), so the only sign that one crossed is the marker itself, with its
 * version id, in the primary's ListObjectVersions. Without the proof, every delete made in DR would
 * silently stay out of the primary, and the deleted objects would be live there again after a
 * failback.
 *
 * <p>The canary's object and marker are removed afterwards by version id, in the replica and in the
 * primary: deleting a version (or a delete marker) by id is never replicated, unlike a plain
 * delete, so no trace is left on either side and the failback's drain never sees them.
 */
public final class ReversePathCanary {
  private final Buckets buckets;
  private final Clock clock;
  private final ReplicaPromotion.Sleeper sleeper;

  public ReversePathCanary(Buckets buckets, Clock clock, ReplicaPromotion.Sleeper sleeper) {
    this.buckets = buckets;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Where a run's canary for a pair lives, in the replica (and, once replicated, the primary). */
  public static String key(BucketPairTarget pair, String runId) {
    return prefix(pair.runbook()) + runId + "/" + pair.name();
  }

  /** The prefix of every canary of a runbook; they are never data written in DR. */
  public static String prefix(String runbook) {
    return "failover/" + runbook + "/canary/";
  }

  /**
   * Writes the canary and waits up to the bound for it to reach the primary. Adds what it proved to
   * {@code done}, or, when the primary stopped answering, what it could not prove to {@code
   * notRun}; fails with the role named when replication of the canary failed or did not arrive.
   */
  public void prove(
      BucketPairTarget pair,
      String runId,
      long timeoutSeconds,
      List<String> done,
      List<String> notRun) {
    BucketTarget replica = pair.replica();
    BucketTarget primary = pair.primary();
    String role = role(replica);
    String key = key(pair, runId);
    String versionId = write(replica, key, runId);
    Instant deadline = clock.instant().plusSeconds(timeoutSeconds);
    ReplicationStatus status = status(replica, key, versionId);
    while (status == ReplicationStatus.PENDING && clock.instant().isBefore(deadline)) {
      pause();
      status = status(replica, key, versionId);
    }
    if (status == ReplicationStatus.COMPLETED) {
      done.add(
          "reverse path proven: a canary written in "
              + replica.bucket()
              + " reached "
              + primary.bucket()
              + " with role "
              + role);
      proveDelete(pair, role, key, versionId, timeoutSeconds, done, notRun);
      return;
    }
    if (status == ReplicationStatus.PENDING && !reachable(primary)) {
      notRun.add(
          "prove the reverse path: "
              + primary.bucket()
              + " stopped answering; the canary s3://"
              + replica.bucket()
              + "/"
              + key
              + " replicates when it is back");
      return;
    }
    removeVersion(replica, key, versionId, done);
    throw failure(pair, role, key, status, timeoutSeconds);
  }

  /**
   * Deletes the canary in the replica without a version id, which writes a delete marker that the
   * reverse rule replicates, and waits up to the bound for that marker to appear, with the same
   * version id, among the primary's versions. Then removes the object and the marker by version id
   * on both sides; fails naming the role when the marker did not arrive.
   */
  private void proveDelete(
      BucketPairTarget pair,
      String role,
      String key,
      String versionId,
      long timeoutSeconds,
      List<String> done,
      List<String> notRun) {
    BucketTarget replica = pair.replica();
    BucketTarget primary = pair.primary();
    String markerId = deleteWithoutVersion(replica, key);
    Instant deadline = clock.instant().plusSeconds(timeoutSeconds);
    boolean crossed = hasMarker(primary, key, markerId);
    while (!crossed && clock.instant().isBefore(deadline)) {
      pause();
      crossed = hasMarker(primary, key, markerId);
    }
    if (crossed) {
      done.add(
          "reverse path proven for deletes: the canary's delete marker reached "
              + primary.bucket());
      removeVersion(primary, key, markerId, done);
      removeVersion(primary, key, versionId, done);
      removeVersion(replica, key, markerId, done);
      removeVersion(replica, key, versionId, done);
      return;
    }
    if (!reachable(primary)) {
      notRun.add(
          "prove the reverse path for deletes: "
              + primary.bucket()
              + " stopped answering; the canary's delete marker in s3://"
              + replica.bucket()
              + "/"
              + key
              + " (version "
              + markerId
              + ") replicates when it is back");
      return;
    }
    // The marker may still arrive later; removed in the replica first, it is removed in the
    // primary too if it came meanwhile. Neither removal is replicated.
    removeVersion(replica, key, markerId, done);
    removeVersion(replica, key, versionId, done);
    removeVersion(primary, key, markerId, done);
    removeVersion(primary, key, versionId, done);
    throw deleteFailure(pair, role, key, timeoutSeconds);
  }

  /** A plain delete, as a client in DR makes: the version id of the delete marker it wrote. */
  private String deleteWithoutVersion(BucketTarget replica, String key) {
    return buckets
        .retry()
        .aws(
            "delete the canary s3://" + replica.bucket() + "/" + key + " without a version id",
            () -> buckets.s3(replica).deleteObject(d -> d.bucket(replica.bucket()).key(key)))
        .versionId();
  }

  /**
   * Whether the primary holds the delete marker with this version id for the key; false while the
   * primary does not answer, so that the wait ends at its bound and says what it could not prove.
   */
  private boolean hasMarker(BucketTarget primary, String key, String markerId) {
    try {
      return buckets
          .retry()
          .aws(
              "list the versions of s3://" + primary.bucket() + "/" + key,
              () ->
                  buckets
                      .s3(primary)
                      .listObjectVersions(l -> l.bucket(primary.bucket()).prefix(key)))
          .deleteMarkers()
          .stream()
          .anyMatch(m -> m.key().equals(key) && markerId.equals(m.versionId()));
    } catch (ApplicationFailure e) {
      if (Buckets.unreachable(e)) {
        return false;
      }
      throw e;
    }
  }

  private String role(BucketTarget replica) {
    return buckets
        .replication(replica)
        .map(ReplicationConfiguration::role)
        .orElse("(no replication configuration)");
  }

  private String write(BucketTarget replica, String key, String runId) {
    byte[] body =
        ("reverse-path canary of run " + runId + "; removed once it reached the primary\n")
            .getBytes(StandardCharsets.UTF_8);
    return buckets
        .retry()
        .aws(
            "write the canary s3://" + replica.bucket() + "/" + key,
            () ->
                buckets
                    .s3(replica)
                    .putObject(
                        put -> put.bucket(replica.bucket()).key(key).contentType("text/plain"),
                        RequestBody.fromBytes(body)))
        .versionId();
  }

  private ReplicationStatus status(BucketTarget replica, String key, String versionId) {
    return buckets
        .retry()
        .aws(
            "read the replication status of s3://" + replica.bucket() + "/" + key,
            () ->
                buckets
                    .s3(replica)
                    .headObject(h -> h.bucket(replica.bucket()).key(key).versionId(versionId)))
        .replicationStatus();
  }

  private boolean reachable(BucketTarget primary) {
    try {
      buckets.versioning(primary);
      return true;
    } catch (ApplicationFailure e) {
      if (Buckets.unreachable(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Deletes one version for good; a refusal leaves it, and says so, without failing the step. */
  private void removeVersion(BucketTarget bucket, String key, String versionId, List<String> done) {
    try {
      buckets
          .retry()
          .aws(
              "delete the canary s3://" + bucket.bucket() + "/" + key,
              () ->
                  buckets
                      .s3(bucket)
                      .deleteObject(d -> d.bucket(bucket.bucket()).key(key).versionId(versionId)));
    } catch (ApplicationFailure e) {
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        return;
      }
      done.add(
          "left the canary s3://"
              + bucket.bucket()
              + "/"
              + key
              + " (version "
              + versionId
              + "): "
              + e.getOriginalMessage());
    }
  }

  private void pause() {
    try {
      sleeper.sleep(ReplicaPromotion.DRAIN_POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "interrupted while waiting for the reverse-path canary", FailureTypes.UNAVAILABLE);
    }
  }

  private static ApplicationFailure deleteFailure(
      BucketPairTarget pair, String role, String key, long timeoutSeconds) {
    String replica = pair.replica().bucket();
    String primary = pair.primary().bucket();
    return ApplicationFailure.newFailure(
        "replication of deletes from "
            + replica
            + " back to "
            + primary
            + " does not work: the canary s3://"
            + replica
            + "/"
            + key
            + " reached the primary, but the delete marker of a plain delete of it did not within "
            + timeoutSeconds
            + " s. A delete marker has no replication status to read; a role that may replicate"
            + " objects but not deletes is the usual cause: role "
            + role
            + " needs s3:ListBucket and s3:GetReplicationConfiguration on arn:aws:s3:::"
            + replica
            + " (S3 needs s3:ListBucket to read delete markers) and s3:ReplicateDelete on"
            + " arn:aws:s3:::"
            + primary
            + "/*. Without it every delete made in DR stays out of the primary, and the deleted"
            + " objects are live there again after a failback: fix the role's policy (or set"
            + " bucketPairs[].reverseReplicationRoleArn to a role that may), or, if replication is"
            + " only slow, raise replication.reversePathTimeoutMinutes, then retry the step",
        FailureTypes.PERMISSION_DENIED);
  }

  private static ApplicationFailure failure(
      BucketPairTarget pair,
      String role,
      String key,
      ReplicationStatus status,
      long timeoutSeconds) {
    String replica = pair.replica().bucket();
    String primary = pair.primary().bucket();
    String path =
        "replication from "
            + replica
            + " back to "
            + primary
            + " does not work: the canary s3://"
            + replica
            + "/"
            + key;
    if (status == ReplicationStatus.FAILED) {
      return ApplicationFailure.newFailure(
          path
              + " ended FAILED: role "
              + role
              + " may not replicate "
              + replica
              + " to "
              + primary
              + " (it needs s3:GetObjectVersionForReplication on arn:aws:s3:::"
              + replica
              + "/* and s3:GetReplicationConfiguration and s3:ListBucket on arn:aws:s3:::"
              + replica
              + ", s3:ReplicateObject and s3:ReplicateDelete on arn:aws:s3:::"
              + primary
              + "/*, and S3 must be allowed to assume it). S3 never retries a FAILED object, so"
              + " every write in DR would stay out of the primary: fix the role's policy (or set"
              + " bucketPairs[].reverseReplicationRoleArn to a role that may), then retry the step",
          FailureTypes.PERMISSION_DENIED);
    }
    return ApplicationFailure.newFailure(
        path
            + (status == null
                ? " was not selected by any rule of " + replica
                : " did not reach it within " + timeoutSeconds + " s (still " + status + ")")
            + "; role "
            + role
            + "; check the reverse rule and the role, or raise"
            + " replication.reversePathTimeoutMinutes, then retry the step",
        FailureTypes.NOT_READY);
  }
}
