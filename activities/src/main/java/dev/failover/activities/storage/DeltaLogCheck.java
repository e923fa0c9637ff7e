package dev.failover.activities.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.activities.clients.Concurrently;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.DeltaTableCheck;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Checks a Delta table's replica by reading its transaction log directly: the JSON commit files
 * under {@code _delta_log/}, replayed in order ({@code add} and {@code remove} actions), give the
 * data files each version needs; the replica is consistent at a version when all of them are
 * present. S3 replicates objects independently and in no particular order, so a replica can hold a
 * commit whose data files have not arrived: the table is then torn at that version, and the newest
 * consistent version is the one to restore to.
 *
 * <p>Not covered, and said so in the result: Parquet checkpoints are not read (so when the log no
 * longer starts at version 0, files added before the oldest JSON commit are not checked), and
 * deletion vector files are not checked. A Delta library would cover checkpoints, but the ones on
 * Maven Central bring a Hadoop or Spark runtime with them, too much for a worker.
 */
public final class DeltaLogCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");

  private final Buckets buckets;

  public DeltaLogCheck(Buckets buckets) {
    this.buckets = buckets;
  }

  /** The latest commit version in a table's log, or null when it has none (or is unreachable). */
  public Long latestVersion(BucketTarget bucket, String tablePrefix) {
    Long latest = null;
    for (S3Object object : list(bucket, tablePrefix + "_delta_log/")) {
      Matcher m = COMMIT.matcher(object.key().substring(object.key().lastIndexOf('/') + 1));
      if (m.matches()) {
        long version = Long.parseLong(m.group(1));
        latest = latest == null ? version : Math.max(latest, version);
      }
    }
    return latest;
  }

  /**
   * Checks the table at {@code location} ({@code s3://bucket/prefix/}) in the replica bucket.
   *
   * @param primaryVersion the latest version in the primary's log, or null when not read
   */
  public DeltaTableCheck check(
      String table, String location, BucketTarget replica, Long primaryVersion) {
    String prefix = prefixOf(location);
    Set<String> present = new HashSet<>();
    TreeMap<Long, String> commits = new TreeMap<>();
    for (S3Object object : list(replica, prefix)) {
      present.add(object.key());
      String rest = object.key().substring(prefix.length());
      if (rest.startsWith("_delta_log/")) {
        Matcher m = COMMIT.matcher(rest.substring("_delta_log/".length()));
        if (m.matches()) {
          commits.put(Long.parseLong(m.group(1)), object.key());
        }
      }
    }
    if (commits.isEmpty()) {
      return new DeltaTableCheck(
          table,
          location,
          DeltaTableCheck.Status.MISSING,
          null,
          primaryVersion,
          null,
          0,
          "no Delta commits under " + location + "_delta_log/ in the replica");
    }
    List<String> notes = new ArrayList<>();
    if (commits.firstKey() != 0) {
      notes.add(
          "the log starts at version "
              + commits.firstKey()
              + " (earlier ones are in a checkpoint, not read): files added before it are not"
              + " checked");
    }
    Replay replay = new Replay(prefix, present);
    List<Map.Entry<Long, String>> inOrder = List.copyOf(commits.entrySet());
    for (int from = 0; from < inOrder.size(); from += COMMITS_IN_FLIGHT) {
      List<Map.Entry<Long, String>> window =
          inOrder.subList(from, Math.min(inOrder.size(), from + COMMITS_IN_FLIGHT));
      List<String> texts =
          Concurrently.map(
              window, COMMITS_IN_FLIGHT, commit -> read(replica, commit.getValue()), n -> {});
      for (int i = 0; i < window.size(); i++) {
        replay.commit(window.get(i).getKey(), window.get(i).getValue(), texts.get(i));
      }
    }
    Long newestConsistent = replay.newestConsistent;
    Set<String> missingAtLatest = replay.missingAtLatest;
    if (replay.deletionVectors) {
      notes.add("deletion vector files are not checked");
    }
    long latest = commits.lastKey();
    DeltaTableCheck.Status status;
    String detail;
    if (!missingAtLatest.isEmpty()) {
      status = DeltaTableCheck.Status.TORN;
      detail =
          "version "
              + latest
              + " names "
              + missingAtLatest.size()
              + " data file(s) missing in the replica, e.g. "
              + missingAtLatest.iterator().next().substring(prefix.length())
              + (newestConsistent == null
                  ? "; no version is complete"
                  : "; restore to version " + newestConsistent);
    } else if (primaryVersion != null && primaryVersion > latest) {
      status = DeltaTableCheck.Status.BEHIND;
      detail =
          "complete at version "
              + latest
              + ", but the primary is at "
              + primaryVersion
              + ": "
              + (primaryVersion - latest)
              + " commit(s) have not arrived";
    } else {
      status = DeltaTableCheck.Status.CONSISTENT;
      detail =
          "complete at version "
              + latest
              + (primaryVersion == null ? " (primary not compared)" : ", as the primary");
    }
    if (!notes.isEmpty()) {
      detail += "; " + String.join("; ", notes);
    }
    return new DeltaTableCheck(
        table,
        location,
        status,
        latest,
        primaryVersion,
        newestConsistent,
        missingAtLatest.size(),
        detail);
  }

  /**
   * Commit files read side by side, a window at a time, and replayed in order: a log's commits are
   * read without waiting on one round trip after another, and no more than a window of them is held
   * at once (a busy table's log can hold thousands).
   */
  public static final int COMMITS_IN_FLIGHT = 8;

  /** The data files the commits replayed so far need, and what the replica holds of them. */
  private static final class Replay {
    private final String prefix;
    private final Set<String> present;
    private final Set<String> live = new LinkedHashSet<>();
    Long newestConsistent;
    Set<String> missingAtLatest = Set.of();
    boolean deletionVectors;

    Replay(String prefix, Set<String> present) {
      this.prefix = prefix;
      this.present = present;
    }

    void commit(long version, String key, String text) {
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode action = parse(line, key);
        if (action.has("add")) {
          live.add(key(prefix, action.get("add").path("path").asText()));
          deletionVectors |= action.get("add").hasNonNull("deletionVector");
        } else if (action.has("remove")) {
          live.remove(key(prefix, action.get("remove").path("path").asText()));
        }
      }
      Set<String> missing = new LinkedHashSet<>(live);
      missing.removeAll(present);
      if (missing.isEmpty()) {
        newestConsistent = version;
      }
      missingAtLatest = missing;
    }
  }

  /** The key prefix of an {@code s3://bucket/path} location, ending in '/'. */
  public static String prefixOf(String location) {
    URI uri = URI.create(location);
    String path = uri.getPath() == null ? "" : uri.getPath();
    path = path.startsWith("/") ? path.substring(1) : path;
    return path.isEmpty() || path.endsWith("/") ? path : path + "/";
  }

  /** The bucket of an {@code s3://bucket/path} location. */
  public static String bucketOf(String location) {
    return URI.create(location).getHost();
  }

  /** A data file's key: Delta paths are URL-encoded, relative to the table or absolute. */
  private static String key(String prefix, String path) {
    if (path.contains("://")) {
      return prefixOf(path).replaceAll("/$", "");
    }
    return prefix + URLDecoder.decode(path, StandardCharsets.UTF_8);
  }

  private List<S3Object> list(BucketTarget bucket, String prefix) {
    return buckets
        .retry()
        .aws(
            "list s3://" + bucket.bucket() + "/" + prefix,
            () -> {
              List<S3Object> all = new ArrayList<>();
              buckets
                  .s3(bucket)
                  .listObjectsV2Paginator(list -> list.bucket(bucket.bucket()).prefix(prefix))
                  .contents()
                  .forEach(all::add);
              return all;
            });
  }

  private String read(BucketTarget bucket, String key) {
    return buckets
        .retry()
        .aws(
            "read s3://" + bucket.bucket() + "/" + key,
            () ->
                buckets
                    .s3(bucket)
                    .getObjectAsBytes(get -> get.bucket(bucket.bucket()).key(key))
                    .asString(StandardCharsets.UTF_8));
  }

  private static JsonNode parse(String line, String key) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw io.temporal.failure.ApplicationFailure.newFailure(
          "Delta commit " + key + " is not valid JSON: " + e.getMessage(),
          dev.failover.workflows.steps.FailureTypes.INVALID_REQUEST);
    }
  }
}
