package dev.failover.activities.storage;

import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Tells, for a version written in DR whose replication to the primary FAILED, whether the primary
 * holds its content anyway, so that the failback's drain does not count it: S3 never retries a
 * failed object, so without this a version the catch-up copy put back would block the failback for
 * ever.
 *
 * <p>The primary holds it when its current version of the key is the catch-up copy's copy of that
 * very version (the copy's own record, which holds whatever the copy did to encryption or parts, or
 * the DR version id each copy carries in its metadata, which a copy by an earlier attempt whose
 * record was lost with its worker still has), or has the same ETag: for objects uploaded whole
 * without SSE-KMS the ETag is the MD5 of the content, so this also recognises a copy made by an
 * earlier attempt whose record was lost with its worker. A key the primary has changed since, or an
 * SSE-KMS object no copy of this attempt made, still counts: failing back could lose it.
 *
 * <p>The runbook's reverse-path canaries are never data written in DR and never count.
 */
final class PutBackVersions implements Predicate<Backlog.FailedVersion> {
  private final Buckets buckets;
  private final BucketTarget primary;
  private final String canaryPrefix;
  private final List<ReplicaPromotion.PutBack> copied;
  // Sets: the drain measures the backlog, and asks again, until it is empty or the bound is
  // reached.
  private final Set<String> putBack = new LinkedHashSet<>();
  private final Set<String> canaries = new LinkedHashSet<>();

  PutBackVersions(
      Buckets buckets,
      BucketTarget primary,
      String runbook,
      List<ReplicaPromotion.PutBack> copied) {
    this.buckets = buckets;
    this.primary = primary;
    this.canaryPrefix = ReversePathCanary.prefix(runbook);
    this.copied = List.copyOf(copied);
  }

  @Override
  public boolean test(Backlog.FailedVersion version) {
    if (version.key().startsWith(canaryPrefix)) {
      canaries.add(version.key());
      return true;
    }
    HeadObjectResponse current = currentInPrimary(version.key());
    if (current == null) {
      return false;
    }
    boolean held =
        copied.stream()
                .anyMatch(
                    c ->
                        c.key().equals(version.key())
                            && c.drVersionId().equals(version.versionId())
                            && c.primaryVersionId().equals(current.versionId()))
            || version.versionId().equals(current.metadata().get(WriteConflicts.COPIED_FROM))
            || (version.eTag() != null && version.eTag().equals(current.eTag()));
    if (held) {
      putBack.add(version.key() + " (version " + version.versionId() + ")");
    }
    return held;
  }

  /** The versions found put back, for the report. */
  List<String> putBack() {
    return List.copyOf(putBack);
  }

  /** Canaries found FAILED (a promotion whose removal of one was refused). */
  List<String> canaries() {
    return List.copyOf(canaries);
  }

  private HeadObjectResponse currentInPrimary(String key) {
    try {
      return buckets
          .retry()
          .aws(
              "read s3://" + primary.bucket() + "/" + key,
              () -> buckets.s3(primary).headObject(h -> h.bucket(primary.bucket()).key(key)));
    } catch (ApplicationFailure e) {
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        return null;
      }
      throw e;
    }
  }
}
