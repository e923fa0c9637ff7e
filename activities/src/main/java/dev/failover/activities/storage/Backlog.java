package dev.failover.activities.storage;

import dev.failover.activities.errors.CallRetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
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
 * lookback window (ListObjectVersions, 1,000 versions a page) and asks some of them for their
 * status (HeadObject). Older versions are assumed settled: S3 Replication Time Control replicates
 * 99.99% of objects within 15 minutes, so a lookback of hours covers the backlog. The HEADs are
 * bounded by a budget ({@link BacklogSample}): a window no larger than the budget is counted
 * exactly; a larger one has its newest half-budget inspected in full and the rest sampled at
 * random, and the pending count is then an estimate with a 95% interval.
 *
 * <p>The listing runs in up to 8 key ranges side by side ({@link VersionRanges}), cut at the
 * prefix's folders, which up to 8 delimiter requests find; so a million versions spread over many
 * folders wait on about 125 pages' round trips rather than 1,000 (a prefix without folders is still
 * listed as one range). One measurement thus costs at most {@code ceil(versions under the prefix /
 * 1000) + 8 (ranges) + 8 (discovery) + budget} requests ({@link #requestBound}).
 *
 * @param scanned versions written within the lookback window
 * @param inspected versions whose status was read (HeadObject)
 * @param pending versions still pending (an estimate when not {@code exact})
 * @param pendingLow the low end of the 95% interval of {@code pending} ({@code pending} when exact)
 * @param pendingHigh the high end of that interval
 * @param exact whether every version of the window was inspected
 * @param failed versions seen to have failed to replicate (those of the sample when not exact)
 * @param oldestPending when the oldest pending version seen was written, or null
 * @param pendingKeys up to ten pending keys, as examples
 * @param failedKeys up to ten failed keys, as examples
 * @param failedVersions every failed version seen
 */
public record Backlog(
    int scanned,
    int inspected,
    int pending,
    int pendingLow,
    int pendingHigh,
    boolean exact,
    int failed,
    Instant oldestPending,
    List<String> pendingKeys,
    List<String> failedKeys,
    List<FailedVersion> failedVersions) {

  private static final int EXAMPLES = 10;

  /** HeadObject requests one measurement keeps in flight. */
  static final int HEADS_IN_FLIGHT = 32;

  /** ListObjectVersions' largest page (S3 API reference, ListObjectVersions, max-keys). */
  static final int LIST_PAGE = 1000;

  /** A version S3 gave up replicating, with its ETag, to compare with what the other side holds. */
  public record FailedVersion(String key, String versionId, String eTag) {}

  /**
   * The most S3 requests one scan sends for a prefix holding this many versions (retries aside):
   * the pages, one more per range (the page a range stops at holds the next range's keys too, and a
   * range's last page is partly full), the discovery requests, and the budget of HEADs. For
   * 1,000,000 versions and the default budget: 1,000 + 8 + 8 + 800 = 1,816. (A range that starts on
   * a key with versions of its own may be handed them again, should S3 take {@code key-marker} as
   * inclusive; that is a page more only where a boundary key has a thousand versions.)
   */
  public static long requestBound(long versionsUnderPrefix, int budget) {
    long pages = Math.max(1, (versionsUnderPrefix + LIST_PAGE - 1) / LIST_PAGE);
    return pages + VersionRanges.RANGES + VersionRanges.DISCOVERY_REQUESTS + budget;
  }

  /** The backlog without the failed versions that do not count (the other side holds them). */
  public Backlog without(Predicate<FailedVersion> settled) {
    List<FailedVersion> still = failedVersions.stream().filter(settled.negate()).toList();
    List<String> keys = still.stream().map(FailedVersion::key).distinct().limit(EXAMPLES).toList();
    return new Backlog(
        scanned,
        inspected,
        pending,
        pendingLow,
        pendingHigh,
        exact,
        still.size(),
        oldestPending,
        pendingKeys,
        keys,
        still);
  }

  /** How the pending figure was obtained, for the report. */
  public String method() {
    if (exact) {
      return "exact: all " + scanned + " version(s) of the window inspected";
    }
    return "sampled: "
        + inspected
        + " of "
        + scanned
        + " version(s) inspected (the newest in full, the rest at random), pending "
        + pending
        + " estimated, 95% interval "
        + pendingLow
        + "-"
        + pendingHigh;
  }

  /**
   * Scans the versions under {@code prefix} written since {@code since}, with the default budget.
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
    return scan(
        s3,
        bucket,
        prefix,
        since,
        retry,
        progress,
        new BacklogSample(BacklogSample.DEFAULT_BUDGET, new SplittableRandom()));
  }

  static Backlog scan(
      S3Client s3,
      String bucket,
      String prefix,
      Instant since,
      CallRetry retry,
      IntConsumer progress,
      BacklogSample sample) {
    return scan(
        s3,
        bucket,
        since,
        retry,
        progress,
        sample,
        each -> VersionRanges.forEach(s3, bucket, prefix, retry, each));
  }

  /**
   * Scans the versions {@code listing} hands over (from several threads at once), for tests that
   * compare one way of listing with another.
   */
  static Backlog scan(
      S3Client s3,
      String bucket,
      Instant since,
      CallRetry retry,
      IntConsumer progress,
      BacklogSample sample,
      Consumer<Consumer<ObjectVersion>> listing) {
    listing.accept(
        v -> {
          if (!v.lastModified().isBefore(since)) {
            sample.offer(v);
          }
        });
    List<ObjectVersion> newestVersions = sample.newest();
    List<ObjectVersion> inspect = new ArrayList<>(newestVersions);
    inspect.addAll(sample.older());
    List<ReplicationStatus> statuses = statuses(s3, bucket, inspect, retry, progress);
    Tally newest = new Tally();
    Tally older = new Tally();
    for (int i = 0; i < inspect.size(); i++) {
      (i < newestVersions.size() ? newest : older).add(inspect.get(i), statuses.get(i));
    }
    return combine(sample, newest, older);
  }

  /**
   * The versions' replication statuses, {@value #HEADS_IN_FLIGHT} HEADs in flight at once: S3
   * serves 5,500 GET/HEAD a second per prefix (S3 user guide, optimizing performance), so one at a
   * time would leave a measurement waiting on round trips alone.
   */
  private static List<ReplicationStatus> statuses(
      S3Client s3,
      String bucket,
      List<ObjectVersion> versions,
      CallRetry retry,
      IntConsumer progress) {
    if (versions.isEmpty()) {
      return List.of();
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(HEADS_IN_FLIGHT, versions.size()),
            r -> {
              Thread thread = new Thread(r, "backlog-head");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<ReplicationStatus>> pending = new ArrayList<>();
      for (ObjectVersion version : versions) {
        pending.add(pool.submit(() -> status(s3, bucket, version, retry)));
      }
      List<ReplicationStatus> statuses = new ArrayList<>();
      for (Future<ReplicationStatus> future : pending) {
        statuses.add(result(future));
        progress.accept(statuses.size());
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  private static ReplicationStatus result(Future<ReplicationStatus> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading replication statuses", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static ReplicationStatus status(
      S3Client s3, String bucket, ObjectVersion version, CallRetry retry) {
    HeadObjectResponse head =
        retry.aws(
            "read the replication status of s3://" + bucket + "/" + version.key(),
            () ->
                s3.headObject(
                    h -> h.bucket(bucket).key(version.key()).versionId(version.versionId())));
    return head.replicationStatus();
  }

  /** The exact count of the newest stratum plus the estimate of the older one. */
  private static Backlog combine(BacklogSample sample, Tally newest, Tally older) {
    long[] olderInterval =
        BacklogSample.interval(older.pending, older.inspected, sample.olderPopulation());
    long olderEstimate =
        older.inspected == 0
            ? 0
            : Math.round((double) older.pending * sample.olderPopulation() / older.inspected);
    Instant oldest = older.oldest != null ? older.oldest : newest.oldest;
    List<String> pendingKeys = new ArrayList<>(newest.pendingKeys);
    pendingKeys.addAll(older.pendingKeys);
    List<String> failedKeys = new ArrayList<>(newest.failedKeys);
    failedKeys.addAll(older.failedKeys);
    List<FailedVersion> failed = new ArrayList<>(newest.failedVersions);
    failed.addAll(older.failedVersions);
    return new Backlog(
        sample.window(),
        newest.inspected + older.inspected,
        (int) (newest.pending + olderEstimate),
        (int) (newest.pending + olderInterval[0]),
        (int) (newest.pending + olderInterval[1]),
        sample.exact(),
        failed.size(),
        oldest,
        pendingKeys.stream().distinct().limit(EXAMPLES).toList(),
        failedKeys.stream().distinct().limit(EXAMPLES).toList(),
        failed);
  }

  /** What the inspected versions of one stratum said. */
  private static final class Tally {
    int inspected;
    int pending;
    Instant oldest;
    final List<String> pendingKeys = new ArrayList<>();
    final List<String> failedKeys = new ArrayList<>();
    final List<FailedVersion> failedVersions = new ArrayList<>();

    void add(ObjectVersion version, ReplicationStatus status) {
      inspected++;
      if (status == ReplicationStatus.PENDING) {
        pending++;
        if (oldest == null || version.lastModified().isBefore(oldest)) {
          oldest = version.lastModified();
        }
        if (pendingKeys.size() < EXAMPLES) {
          pendingKeys.add(version.key());
        }
      } else if (status == ReplicationStatus.FAILED) {
        failedVersions.add(new FailedVersion(version.key(), version.versionId(), version.eTag()));
        if (failedKeys.size() < EXAMPLES) {
          failedKeys.add(version.key());
        }
      }
    }
  }
}
