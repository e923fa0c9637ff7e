package dev.failover.activities.storage;

import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * Keys that both sides wrote since the failover point: the primary (a job that was not fenced, or a
 * write in the last moments of an outage) and DR. Copying DR's version over the primary's, or
 * letting the reverse rule replicate it, would make one side's write disappear behind the other's:
 * two Delta commits with the same number, for instance, are two different histories of one table.
 *
 * <p>Found from both buckets' version listings alone. S3 replication keeps a version's id (S3 user
 * guide, "What does Amazon S3 replicate?"), so a version id both buckets hold went from one side to
 * the other. A primary write since the failover point is a primary version newer than it whose id
 * the replica does not hold; a DR write is a replica version newer than it that is not a late
 * replica of a primary version from before it. Versions the catch-up copy itself wrote carry {@link
 * #COPIED_FROM} and are not primary writes. Delete markers count as writes.
 */
final class WriteConflicts {
  /** User metadata a catch-up copy puts on the version it writes: the DR version it copied. */
  static final String COPIED_FROM = "failover-copied-from-version";

  private record Version(String key, String versionId, Instant lastModified) {}

  private final Buckets buckets;

  WriteConflicts(Buckets buckets) {
    this.buckets = buckets;
  }

  /**
   * Refuses with {@code DataAtRisk}, naming the keys and their Delta tables, when both sides wrote
   * a key since {@code failoverPoint} (null when no run recorded one: then every version counts,
   * the harsher reading). Keys under {@code ignoredPrefix} (the runbook's own state) are left out.
   */
  void refuseIfAny(
      BucketPairTarget pair,
      Instant failoverPoint,
      String ignoredPrefix,
      Supplier<Map<String, String>> tableNames) {
    Instant since = failoverPoint == null ? Instant.EPOCH : failoverPoint;
    List<Version> primary = versions(pair.primary(), ignoredPrefix);
    List<Version> replica = versions(pair.replica(), ignoredPrefix);
    Map<String, List<Version>> primaryWrites = primaryWrites(primary, replica, since);
    Set<String> drWrites = drWrites(primary, replica, since);
    Set<String> both = new TreeSet<>();
    for (Map.Entry<String, List<Version>> written : primaryWrites.entrySet()) {
      if (drWrites.contains(written.getKey())
          && written.getValue().stream().anyMatch(v -> !copiedByUs(pair.primary(), v))) {
        both.add(written.getKey());
      }
    }
    if (!both.isEmpty()) {
      throw refusal(pair, failoverPoint, both, tableNames.get());
    }
  }

  private Map<String, List<Version>> primaryWrites(
      List<Version> primary, List<Version> replica, Instant since) {
    Set<String> replicaIds = ids(replica);
    Map<String, List<Version>> writes = new HashMap<>();
    for (Version v : primary) {
      if (v.lastModified().isAfter(since) && !replicaIds.contains(v.versionId())) {
        writes.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v);
      }
    }
    return writes;
  }

  private Set<String> drWrites(List<Version> primary, List<Version> replica, Instant since) {
    Set<String> forwardedBefore = new HashSet<>();
    for (Version v : primary) {
      if (!v.lastModified().isAfter(since)) {
        forwardedBefore.add(v.versionId());
      }
    }
    Set<String> keys = new HashSet<>();
    for (Version v : replica) {
      if (v.lastModified().isAfter(since) && !forwardedBefore.contains(v.versionId())) {
        keys.add(v.key());
      }
    }
    return keys;
  }

  /** Whether a primary version is one the catch-up copy wrote (delete markers never are). */
  private boolean copiedByUs(BucketTarget primary, Version version) {
    if (version.versionId() == null) {
      return false;
    }
    try {
      return buckets
          .retry()
          .aws(
              "read s3://" + primary.bucket() + "/" + version.key(),
              () ->
                  buckets
                      .s3(primary)
                      .headObject(
                          h ->
                              h.bucket(primary.bucket())
                                  .key(version.key())
                                  .versionId(version.versionId())))
          .metadata()
          .containsKey(COPIED_FROM);
    } catch (ApplicationFailure e) {
      if (FailureTypes.UNAVAILABLE.equals(e.getType())) {
        throw e;
      }
      // A delete marker answers HEAD with an error: it is a write of the primary's.
      return false;
    }
  }

  private List<Version> versions(BucketTarget bucket, String ignoredPrefix) {
    return buckets
        .retry()
        .aws(
            "list object versions of " + bucket.bucket(),
            () -> {
              List<Version> all = new ArrayList<>();
              for (ListObjectVersionsResponse page :
                  buckets
                      .s3(bucket)
                      .listObjectVersionsPaginator(list -> list.bucket(bucket.bucket()))) {
                page.versions()
                    .forEach(v -> all.add(new Version(v.key(), v.versionId(), v.lastModified())));
                page.deleteMarkers()
                    .forEach(m -> all.add(new Version(m.key(), m.versionId(), m.lastModified())));
              }
              all.removeIf(v -> v.key().startsWith(ignoredPrefix));
              return all;
            });
  }

  private static Set<String> ids(List<Version> versions) {
    Set<String> ids = new HashSet<>();
    versions.forEach(v -> ids.add(v.versionId()));
    return ids;
  }

  /**
   * @param tableNames table full names by storage location ({@code s3://bucket/path/}), from the
   *     newest snapshot; empty when there is none
   */
  private static ApplicationFailure refusal(
      BucketPairTarget pair,
      Instant failoverPoint,
      Set<String> keys,
      Map<String, String> tableNames) {
    Map<String, List<String>> byTable = new LinkedHashMap<>();
    List<String> others = new ArrayList<>();
    for (String key : keys) {
      String root = deltaTableRoot(key);
      if (root == null) {
        others.add(key);
      } else {
        byTable
            .computeIfAbsent(table(pair, root, tableNames), r -> new ArrayList<>())
            .add(key.substring(root.length()));
      }
    }
    StringBuilder message =
        new StringBuilder()
            .append(keys.size())
            .append(" key(s) were written both in ")
            .append(pair.primary().bucket())
            .append(" and in DR (")
            .append(pair.replica().bucket())
            .append(") since the failover point ")
            .append(
                failoverPoint == null ? "(none recorded: every version counted)" : failoverPoint)
            .append(": ");
    List<String> parts = new ArrayList<>();
    new TreeMap<>(byTable).forEach((table, logs) -> parts.add("Delta table " + table + " " + logs));
    if (!others.isEmpty()) {
      parts.add("objects " + others.subList(0, Math.min(20, others.size())));
    }
    message
        .append(String.join("; ", parts))
        .append(
            ". Copying DR's versions back would overwrite the primary's. Reconcile each key by"
                + " hand (keep one side's version, or re-apply DR's changes on top of the"
                + " primary's; every version is kept in both buckets), then retry this step; or"
                + " skip it to fail back without copying DR's writes.");
    return ApplicationFailure.newFailure(message.toString(), FailureTypes.DATA_AT_RISK);
  }

  /** A table as a person knows it: its name when a snapshot has one for its location, and where. */
  private static String table(BucketPairTarget pair, String root, Map<String, String> names) {
    String location = "s3://" + pair.primary().bucket() + "/" + root;
    String name = names.get(location);
    if (name == null) {
      name = names.get("s3://" + pair.replica().bucket() + "/" + root);
    }
    return name == null ? "at " + location : name + " at " + location;
  }

  /** The root of the Delta table a key of its log belongs to ({@code path/}), or null. */
  static String deltaTableRoot(String key) {
    int log = key.indexOf("_delta_log/");
    return log < 0 || (log > 0 && key.charAt(log - 1) != '/') ? null : key.substring(0, log);
  }
}
