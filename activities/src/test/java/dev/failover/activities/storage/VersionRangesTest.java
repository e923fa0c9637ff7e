package dev.failover.activities.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.errors.CallRetry;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.s3.S3State;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The backlog scan's listing in key ranges side by side, through the real {@code S3Client} against
 * the simulated S3 (whose {@code key-marker} alone lists its own key again, the harsher reading of
 * the API reference): every version exactly once, the same figures as one range, within the request
 * bound, and the ranges really in flight together.
 */
class VersionRangesTest {
  private static final String BUCKET = DemoWorkspace.PRIMARY_BUCKET;
  private static final String PREFIX = "lake/";

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private S3State state;
  private S3Client s3;
  private CallRetry retry;
  private final Instant now = Instant.now();

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    state = cloud.simulator.s3();
    s3 = cloud.clients.s3(SimulatedCloud.primaryBucket());
    retry = new CallRetry(3, Duration.ofMillis(10), Duration.ofMillis(50), d -> {});
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  /** {@code count} objects spread over {@code folders} table folders, each folder every period. */
  private void seedFolders(
      int folders, int from, int count, Duration age, String status, int every) {
    state.seedHistory(
        BUCKET,
        i ->
            String.format("%stable_%02d/part-%06d.parquet", PREFIX, (from + i) % folders, from + i),
        count,
        now.minus(age),
        now.minus(age).plus(age.dividedBy(2)),
        status,
        every);
  }

  private List<String> listedSplit(List<String> boundaries) {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    VersionRanges.forEach(s3, BUCKET, PREFIX, boundaries, retry, v -> seen.add(id(v)));
    return sorted(seen);
  }

  private List<String> listedSplit() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    VersionRanges.forEach(s3, BUCKET, PREFIX, retry, v -> seen.add(id(v)));
    return sorted(seen);
  }

  private void listedAsOneRange(Consumer<ObjectVersion> each) {
    VersionRanges.list(s3, BUCKET, PREFIX, new VersionRanges.Range(null, null), retry, each);
  }

  private List<String> expected() {
    return sorted(state.versionsOf(BUCKET, PREFIX));
  }

  private static String id(ObjectVersion v) {
    return v.key() + "@" + v.versionId();
  }

  private static List<String> sorted(List<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    copy.sort(null);
    return copy;
  }

  private List<RecordedRequest> listings() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.service().equals("s3") && r.method().equals("GET"))
        .filter(r -> r.query().contains("versions"))
        .toList();
  }

  @Test
  void splitListingGivesTheFiguresOfOneRangeOnTablesInFolders() {
    seedFolders(16, 0, 3_000, Duration.ofDays(20), S3State.COMPLETED, 0);
    seedFolders(16, 3_000, 600, Duration.ofHours(4), S3State.COMPLETED, 7);
    state.seedHistory(
        BUCKET,
        i -> String.format("%stable_03/lost-%03d.parquet", PREFIX, i),
        40,
        now.minus(Duration.ofHours(3)),
        now.minus(Duration.ofHours(1)),
        S3State.FAILED,
        0);
    Instant since = now.minus(Duration.ofHours(6));

    assertThat(VersionRanges.boundaries(s3, BUCKET, PREFIX, retry))
        .hasSize(Math.min(16, VersionRanges.RANGES - 1));
    Backlog split = Backlog.scan(s3, BUCKET, PREFIX, since, retry, n -> {}, sample());
    Backlog single =
        Backlog.scan(s3, BUCKET, since, retry, n -> {}, sample(), this::listedAsOneRange);

    assertThat(split.exact()).isTrue();
    assertThat(split.scanned()).isEqualTo(640).isEqualTo(single.scanned());
    assertThat(split.pending()).isEqualTo(86).isEqualTo(single.pending());
    assertThat(split.failed()).isEqualTo(40).isEqualTo(single.failed());
    assertThat(split.inspected()).isEqualTo(single.inspected());
  }

  private static BacklogSample sample() {
    return new BacklogSample(BacklogSample.DEFAULT_BUDGET, new SplittableRandom(7));
  }

  @Test
  void aKeyOnABoundaryIsListedOnceWithAllItsVersionsAcrossPageEnds() {
    // "lake/b" has 1,500 versions: its range's pages end within them, and the next range, started
    // at key-marker "lake/b", is handed them all again by the simulator and must drop them.
    for (String key : List.of("lake/a", "lake/c", "lake/d", "lake/e")) {
      state.putObject(BUCKET, key, key.getBytes());
    }
    state.seedHistory(
        BUCKET, i -> "lake/b", 1_500, now.minusSeconds(3_600), now, S3State.COMPLETED, 0);
    state.seedHistory(
        BUCKET, i -> "lake/c", 2_500, now.minusSeconds(3_600), now, S3State.COMPLETED, 0);

    List<String> seen = listedSplit(List.of("lake/b", "lake/d"));

    assertThat(seen).hasSize(4 + 1_500 + 2_500).doesNotHaveDuplicates().isEqualTo(expected());
  }

  @Test
  void folderMarkersOnDiscoveredBoundariesAreListedOnce() {
    seedFolders(12, 0, 1_200, Duration.ofDays(2), S3State.COMPLETED, 0);
    for (int t = 0; t < 12; t++) {
      String marker = String.format("%stable_%02d/", PREFIX, t);
      state.putObject(BUCKET, marker, new byte[0]);
      state.putObject(BUCKET, marker, new byte[0]);
    }

    assertThat(VersionRanges.boundaries(s3, BUCKET, PREFIX, retry))
        .hasSize(Math.min(12, VersionRanges.RANGES - 1))
        .allMatch(b -> b.matches("lake/table_\\d\\d/"));
    assertThat(listedSplit()).hasSize(1_200 + 24).doesNotHaveDuplicates().isEqualTo(expected());
  }

  @Test
  void rangesFollowS3sUtf8OrderNotJavasUtf16Order() {
    String emoji = PREFIX + "k\uD83D\uDE00";
    String fullwidth = PREFIX + "k\uFF21";
    assertThat(emoji.compareTo(fullwidth)).isNegative();
    assertThat(VersionRanges.compare(emoji, fullwidth)).isPositive();
    for (String key : List.of(PREFIX + "a", fullwidth, emoji, PREFIX + "z")) {
      state.putObject(BUCKET, key, new byte[0]);
    }

    // In UTF-16 order the fullwidth key would lie beyond the first range and before the second.
    assertThat(listedSplit(List.of(emoji))).hasSize(4).isEqualTo(expected());
  }

  @Test
  void aFlatPrefixIsListedAsOneRange() {
    state.seedHistory(
        BUCKET, PREFIX, 2_500, now.minus(Duration.ofDays(1)), now, S3State.COMPLETED, 0);
    cloud.simulator.requests().clear();

    assertThat(listedSplit()).hasSize(2_500).isEqualTo(expected());

    List<RecordedRequest> listings = listings();
    assertThat(listings).hasSize(1 + 3);
    assertThat(listings.stream().filter(r -> r.query().contains("delimiter"))).hasSize(1);
    assertThat(listings.stream().filter(r -> r.query().contains("key-marker"))).hasSize(2);
  }

  @Test
  void aScanStaysWithinTheRequestBound() {
    seedFolders(64, 0, 20_000, Duration.ofDays(20), S3State.COMPLETED, 0);
    seedFolders(64, 20_000, 5_000, Duration.ofHours(4), S3State.COMPLETED, 50);
    int versions = state.versionsOf(BUCKET, PREFIX).size();
    cloud.simulator.requests().clear();

    Backlog backlog =
        Backlog.scan(s3, BUCKET, PREFIX, now.minus(Duration.ofHours(6)), retry, n -> {}, sample());

    long requests =
        cloud.simulator.requests().all().stream().filter(r -> r.service().equals("s3")).count();
    assertThat(requests)
        .isLessThanOrEqualTo(Backlog.requestBound(versions, BacklogSample.DEFAULT_BUDGET));
    assertThat(backlog.scanned()).isEqualTo(5_000);
    assertThat(listings().size()).isGreaterThan(25).isLessThanOrEqualTo(25 + 8 + 8);
  }

  @Test
  void theRangesAreInFlightTogether() {
    seedFolders(64, 0, 16_000, Duration.ofDays(2), S3State.COMPLETED, 0);
    cloud.simulator.setLatency("s3", "primary", 40);
    // The tests' logging configuration logs every SDK request at DEBUG, which on two cores costs
    // more than the 40 ms round trips being compared.
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Level level = root.getLevel();
    root.setLevel(ch.qos.logback.classic.Level.INFO);
    try {
      compareOneRangeWithSplit();
    } finally {
      root.setLevel(level);
    }
  }

  private void compareOneRangeWithSplit() {

    long started = System.nanoTime();
    List<String> single = new ArrayList<>();
    listedAsOneRange(v -> single.add(id(v)));
    long singleMillis = (System.nanoTime() - started) / 1_000_000;
    cloud.simulator.inFlight().reset();
    started = System.nanoTime();
    List<String> split = listedSplit();
    long splitMillis = (System.nanoTime() - started) / 1_000_000;

    System.out.printf(
        "16,000 versions in 64 folders, 40 ms a request: one range %d ms, split %d ms,"
            + " %d listings in flight at most%n",
        singleMillis, splitMillis, cloud.simulator.inFlight().peak());
    assertThat(split).isEqualTo(sorted(single));
    // The times are printed, not asserted: on a shared two-core machine they vary too much.
    assertThat(cloud.simulator.inFlight().peak()).isGreaterThanOrEqualTo(4);
  }
}
