package dev.failover.activities.storage;

import dev.failover.activities.errors.CallRetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;

/**
 * The replication backlog of a source bucket: object versions that S3 has not replicated yet
 * ({@code x-amz-replication-status: PENDING}) or gave up on ({@code FAILED}).
 *
 * <p>S3 has no API that lists pending objects, so the scan lists the versions written within the
 * lookback window (ListObjectVersions) and asks each for its status (HeadObject). Older versions
 * are assumed settled: S3 Replication Time Control replicates 99.99% of objects within 15 minutes,
 * so a lookback of hours covers the backlog. For buckets where one window holds millions of
 * versions, S3 Inventory's replication status field is the better source; this scan is bounded by
 * the lookback instead.
 *
 * @param scanned versions inspected
 * @param pending versions still pending
 * @param failed versions that failed to replicate
 * @param oldestPending when the oldest pending version was written, or null
 * @param pendingKeys up to ten pending keys, as examples
 * @param failedKeys up to ten failed keys, as examples
 * @param failedVersions every failed version
 */
public record Backlog(
    int scanned,
    int pending,
    int failed,
    Instant oldestPending,
    List<String> pendingKeys,
    List<String> failedKeys,
    List<FailedVersion> failedVersions) {

  private static final int EXAMPLES = 10;

  /** A version S3 gave up replicating, with its ETag, to compare with what the other side holds. */
  public record FailedVersion(String key, String versionId, String eTag) {}

  /** The backlog without the failed versions that do not count (the other side holds them). */
  public Backlog without(Predicate<FailedVersion> settled) {
    List<FailedVersion> still = failedVersions.stream().filter(settled.negate()).toList();
    List<String> keys = still.stream().map(FailedVersion::key).distinct().limit(EXAMPLES).toList();
    return new Backlog(scanned, pending, still.size(), oldestPending, pendingKeys, keys, still);
  }

  /**
   * Scans the versions under {@code prefix} written since {@code since}.
   *
   * @param progress told how many versions were inspected so far
   */
  public static Backlog scan(
      S3Client s3,
      String bucket,
      String prefix,
      Instant since,
      CallRetry retry,
      IntConsumer progress) {
    List<ObjectVersion> recent =
        retry.aws(
            "list object versions of " + bucket,
            () -> {
              List<ObjectVersion> versions = new ArrayList<>();
              s3.listObjectVersionsPaginator(list -> list.bucket(bucket).prefix(prefix))
                  .versions()
                  .forEach(
                      v -> {
                        if (!v.lastModified().isBefore(since)) {
                          versions.add(v);
                        }
                      });
              return versions;
            });
    int pending = 0;
    int failed = 0;
    Instant oldest = null;
    List<String> pendingKeys = new ArrayList<>();
    List<String> failedKeys = new ArrayList<>();
    List<FailedVersion> failedVersions = new ArrayList<>();
    int done = 0;
    for (ObjectVersion version : recent) {
      HeadObjectResponse head =
          retry.aws(
              "read the replication status of s3://" + bucket + "/" + version.key(),
              () ->
                  s3.headObject(
                      h -> h.bucket(bucket).key(version.key()).versionId(version.versionId())));
      ReplicationStatus status = head.replicationStatus();
      if (status == ReplicationStatus.PENDING) {
        pending++;
        if (oldest == null || version.lastModified().isBefore(oldest)) {
          oldest = version.lastModified();
        }
        if (pendingKeys.size() < EXAMPLES) {
          pendingKeys.add(version.key());
        }
      } else if (status == ReplicationStatus.FAILED) {
        failed++;
        failedVersions.add(new FailedVersion(version.key(), version.versionId(), version.eTag()));
        if (failedKeys.size() < EXAMPLES) {
          failedKeys.add(version.key());
        }
      }
      progress.accept(++done);
    }
    return new Backlog(
        recent.size(), pending, failed, oldest, pendingKeys, failedKeys, failedVersions);
  }
}
