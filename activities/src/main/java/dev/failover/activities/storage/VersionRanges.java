package dev.failover.activities.storage;

import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.errors.CallRetry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Lists every object version under a prefix in up to {@value #RANGES} key ranges side by side, so a
 * large prefix waits on about a {@value #RANGES}th of its pages' round trips instead of all of them
 * one after another.
 *
 * <p>S3 has no way to ask where a prefix's keys split evenly, so the boundaries are its "folders":
 * a few ListObjectVersions requests with {@code delimiter=/} name the CommonPrefixes one level down
 * (one per Delta table in a lakehouse bucket), breadth first while there are too few and the
 * {@value #DISCOVERY_REQUESTS}-request budget lasts; up to {@value #RANGES} - 1 of them, spread
 * evenly, cut the key space. A prefix without folders is listed as one range, as before.
 *
 * <p>Range i covers the keys in (m<sub>i</sub>, m<sub>i+1</sub>] in S3's order, UTF-8 bytes (S3 API
 * reference, ListObjectsV2: "results are always returned in UTF-8 binary order"); it starts at
 * {@code key-marker} m<sub>i</sub> and stops at the first page that reaches past m<sub>i+1</sub>.
 */
final class VersionRanges {
  /**
   * Key ranges listed side by side. With 8, the benchmark's drain of 1,000,000 versions paged at
   * about 45 pages a second where the profile's round trips (S3 reads, 119 ms on average) allow 67;
   * 16 did not make it faster (36.1 s against 33.3 s, one run each at 1.0, the worker in its own
   * JVM) and cost the worker more CPU (51.9 s against 43.7 s in the failover) and collections (4.5
   * s of pauses against 1.8 s): past 8, the listing is bound by parsing the pages. 32 (with 64
   * HEADs and 128 connections a host), tried when the simulator shared the worker's JVM, raised the
   * heap after a collection from 286-617 MiB to 812-1,021 MiB at scale 0.2 under {@code -Xmx1g}.
   */
  static final int RANGES = 8;

  /** Delimiter requests spent finding the boundaries. */
  static final int DISCOVERY_REQUESTS = 8;

  /** Folder levels below the prefix the discovery descends, at most. */
  static final int DISCOVERY_DEPTH = 3;

  private VersionRanges() {}

  /**
   * One key range: keys after {@code after} (null: from the start) up to {@code upTo} (null: on).
   */
  record Range(String after, String upTo) {}

  /**
   * Hands every version under {@code prefix} to {@code each} exactly once, from up to {@value
   * #RANGES} threads at once: {@code each} must be thread-safe.
   */
  static void forEach(
      S3Client s3, String bucket, String prefix, CallRetry retry, Consumer<ObjectVersion> each) {
    forEach(s3, bucket, prefix, boundaries(s3, bucket, prefix, retry), retry, each);
  }

  /** Hands every version under {@code prefix} to {@code each}, in ranges cut at these keys. */
  static void forEach(
      S3Client s3,
      String bucket,
      String prefix,
      List<String> boundaries,
      CallRetry retry,
      Consumer<ObjectVersion> each) {
    List<Range> ranges = ranges(boundaries);
    Concurrently.map(
        ranges,
        RANGES,
        range -> {
          list(s3, bucket, prefix, range, retry, each);
          return null;
        },
        n -> {});
  }

  /** The ranges the boundaries cut the key space into, in key order. */
  static List<Range> ranges(List<String> boundaries) {
    List<Range> ranges = new ArrayList<>();
    String after = null;
    for (String boundary : boundaries) {
      ranges.add(new Range(after, boundary));
      after = boundary;
    }
    ranges.add(new Range(after, null));
    return ranges;
  }

  /**
   * Up to {@value #RANGES} - 1 folders under {@code prefix}, in key order, spread evenly over those
   * found with at most {@value #DISCOVERY_REQUESTS} delimiter requests, breadth first.
   */
  static List<String> boundaries(S3Client s3, String bucket, String prefix, CallRetry retry) {
    TreeSet<String> found = new TreeSet<>(VersionRanges::compare);
    Deque<Folder> toOpen = new ArrayDeque<>(List.of(new Folder(prefix, 0)));
    int requests = 0;
    while (!toOpen.isEmpty() && requests < DISCOVERY_REQUESTS && found.size() < RANGES) {
      Folder folder = toOpen.poll();
      requests++;
      for (String child : folders(s3, bucket, folder.prefix(), retry)) {
        found.add(child);
        if (folder.depth() + 1 < DISCOVERY_DEPTH) {
          toOpen.add(new Folder(child, folder.depth() + 1));
        }
      }
    }
    return spread(new ArrayList<>(found), RANGES - 1);
  }

  private record Folder(String prefix, int depth) {}

  /**
   * The CommonPrefixes of one delimiter page. Its versions are dropped: the ranges list them again,
   * and keeping them would hold a flat prefix's first thousand versions for nothing.
   */
  private static List<String> folders(S3Client s3, String bucket, String prefix, CallRetry retry) {
    ListObjectVersionsResponse page =
        retry.aws(
            "list the folders under s3://" + bucket + "/" + prefix,
            () -> s3.listObjectVersions(list -> list.bucket(bucket).prefix(prefix).delimiter("/")));
    return page.commonPrefixes().stream().map(CommonPrefix::prefix).toList();
  }

  /** {@code count} of the sorted candidates, evenly spaced; all of them when there are no more. */
  static List<String> spread(List<String> candidates, int count) {
    if (candidates.size() <= count) {
      return candidates;
    }
    List<String> picked = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      picked.add(candidates.get((int) ((long) k * candidates.size() / (count + 1))));
    }
    return picked;
  }

  /**
   * Lists one range page by page. A page can end within one key's versions, so the next starts at
   * {@code NextKeyMarker} and {@code NextVersionIdMarker} together. Whether {@code key-marker}
   * alone is exclusive the API reference leaves open ("the key to start with"), so keys up to the
   * range's start are dropped here, which is right either way.
   */
  static void list(
      S3Client s3,
      String bucket,
      String prefix,
      Range range,
      CallRetry retry,
      Consumer<ObjectVersion> each) {
    String keyMarker = range.after();
    String versionIdMarker = null;
    while (true) {
      ListObjectVersionsResponse page = page(s3, bucket, prefix, keyMarker, versionIdMarker, retry);
      for (ObjectVersion version : page.versions()) {
        if (within(version.key(), range)) {
          each.accept(version);
        }
      }
      if (!page.isTruncated() || pastEnd(page, range)) {
        return;
      }
      keyMarker = page.nextKeyMarker();
      versionIdMarker = page.nextVersionIdMarker();
    }
  }

  private static ListObjectVersionsResponse page(
      S3Client s3,
      String bucket,
      String prefix,
      String keyMarker,
      String versionIdMarker,
      CallRetry retry) {
    return retry.aws(
        "list object versions of " + bucket,
        () ->
            s3.listObjectVersions(
                list ->
                    list.bucket(bucket)
                        .prefix(prefix)
                        .keyMarker(keyMarker)
                        .versionIdMarker(versionIdMarker)));
  }

  static boolean within(String key, Range range) {
    return (range.after() == null || compare(key, range.after()) > 0)
        && (range.upTo() == null || compare(key, range.upTo()) <= 0);
  }

  /**
   * Whether the page reached a key beyond the range (a version or a delete marker): the keys come
   * in order, so every later page lies beyond it too.
   */
  private static boolean pastEnd(ListObjectVersionsResponse page, Range range) {
    if (range.upTo() == null) {
      return false;
    }
    return page.versions().stream().map(ObjectVersion::key).anyMatch(k -> beyond(k, range))
        || page.deleteMarkers().stream()
            .map(DeleteMarkerEntry::key)
            .anyMatch(k -> beyond(k, range));
  }

  private static boolean beyond(String key, Range range) {
    return compare(key, range.upTo()) > 0;
  }

  /**
   * S3's key order: by UTF-8 bytes, which is the order of code points. Java's {@code compareTo}
   * compares UTF-16 units, which puts supplementary characters (surrogate pairs) before U+E000 to
   * U+FFFF, where UTF-8 puts them after.
   */
  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
