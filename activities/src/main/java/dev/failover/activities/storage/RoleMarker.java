package dev.failover.activities.storage;

import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which side of a bucket pair serves: each bucket's role, {@code active} or {@code standby}, as
 * failover and failback set it. Drills and captures read it to stay away from a DR side that
 * serves.
 *
 * <p>The role is kept in a marker object in the bucket itself, {@link #key}, and that object is the
 * source of truth: writing it needs only PutObject, which the run needs anyway, and a retried write
 * with a lost answer writes the same document again. The {@code failover:role} tag is mirrored from
 * it, best effort, for people and tools that look at tags: S3 refuses to tag a bucket with ABAC
 * enabled through PutBucketTagging, a principal may lack {@code s3:PutBucketTagging}, and a
 * CloudFormation stack update rewrites a stack bucket's tag set, so the tag can be missing or stale
 * where the object is not.
 *
 * <p>Readers therefore take the object first and fall back to the tag only when the bucket has no
 * marker object (a bucket promoted before markers existed, or tagged by hand).
 *
 * <p>The key carries the bucket's name so that one bucket's marker, replicated to the other side,
 * never overwrites the other bucket's; and it sits under the runbook's own prefix, which the
 * failback's catch-up copy leaves alone.
 */
public final class RoleMarker {
  /** The marker object's content. */
  public record Marker(String bucket, String role, String runbook, String runId) {}

  private final Buckets buckets;

  public RoleMarker(Buckets buckets) {
    this.buckets = buckets;
  }

  /** Where a bucket's marker object is, in that bucket. */
  public static String key(String runbook, String bucket) {
    return "failover/" + runbook + "/role/" + bucket + ".json";
  }

  /**
   * The bucket's role: its marker object's, else its {@code failover:role} tag; null if neither.
   */
  public String role(BucketTarget bucket, String runbook) {
    return marker(bucket, runbook)
        .map(Marker::role)
        .orElseGet(() -> buckets.tags(bucket).get(Buckets.ROLE_TAG));
  }

  /**
   * Marks the bucket with a role: the marker object first (skipped when it already says so), then
   * the tags, best effort. A tag write that S3 refuses (invalid request, permission) is reported in
   * {@code done} and does not fail the step; a tag write that could not reach S3 fails it, so that
   * the retry, which finds the marker already written, tries the tag again.
   */
  public void mark(
      BucketTarget bucket, String role, String runbook, String runId, List<String> done) {
    Marker wanted = new Marker(bucket.bucket(), role, runbook, runId);
    String key = key(runbook, bucket.bucket());
    if (marker(bucket, runbook).filter(wanted::equals).isPresent()) {
      done.add(bucket.bucket() + " already marked " + role);
    } else {
      buckets.state().save(bucket, key, wanted);
      done.add(
          "marked " + bucket.bucket() + " " + role + " (s3://" + bucket.bucket() + "/" + key + ")");
    }
    tag(bucket, role, runbook, runId, key, done);
  }

  private Optional<Marker> marker(BucketTarget bucket, String runbook) {
    return buckets.state().load(bucket, key(runbook, bucket.bucket()), Marker.class);
  }

  private void tag(
      BucketTarget bucket,
      String role,
      String runbook,
      String runId,
      String key,
      List<String> done) {
    try {
      boolean changed =
          buckets.mergeTags(
              bucket,
              Map.of(Buckets.ROLE_TAG, role, Buckets.RUNBOOK_TAG, runbook, Buckets.RUN_TAG, runId));
      done.add(
          changed
              ? "tagged " + bucket.bucket() + " " + Buckets.ROLE_TAG + "=" + role
              : bucket.bucket() + " already tagged " + role);
    } catch (ApplicationFailure e) {
      if (!refused(e)) {
        throw e;
      }
      done.add(
          "could not tag "
              + bucket.bucket()
              + " "
              + Buckets.ROLE_TAG
              + "="
              + role
              + " ("
              + e.getOriginalMessage()
              + "); its role is in s3://"
              + bucket.bucket()
              + "/"
              + key);
    }
  }

  /** S3 answered and said no: asking again cannot help. */
  private static boolean refused(ApplicationFailure e) {
    return FailureTypes.INVALID_REQUEST.equals(e.getType())
        || FailureTypes.PERMISSION_DENIED.equals(e.getType());
  }
}
