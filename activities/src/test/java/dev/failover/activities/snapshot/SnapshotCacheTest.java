package dev.failover.activities.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.errors.CallRetry;
import dev.failover.simulator.RecordedRequest;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.SnapshotRef;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's snapshot cache, through the real S3 client against the simulator: a second read
 * sends no request, a reference with another digest still fails and leaves nothing behind, the
 * least recently used snapshots are dropped past either bound, concurrent reads share one load, and
 * a snapshot read back cannot be changed by the activity that reads it.
 */
class SnapshotCacheTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "failover/acme-lakehouse/snapshots/";

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private SnapshotStore uncached;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    uncached = new SnapshotStore(cloud.clients);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private static CallRetry retry() {
    return new CallRetry(3, Duration.ofMillis(10), Duration.ofMillis(50), d -> Thread.sleep(1));
  }

  /**
   * A snapshot with catalogs, schemas, tables, grants and {@code jobs} jobs, named by {@code id}.
   */
  private static ControlPlaneSnapshot snapshot(String id, int jobs) {
    List<JsonNode> captured = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      ObjectNode job = JSON.createObjectNode();
      job.put("job_id", i).putObject("settings").put("name", id + "-job-" + i);
      captured.add(job);
    }
    return new ControlPlaneSnapshot(
        ControlPlaneSnapshot.FORMAT_VERSION,
        PREFIX + id + ".json.gz",
        SimulatedCloud.PRIMARY_HOST,
        "2025-01-01T00:00:00Z",
        List.of(
            new ControlPlaneSnapshot.Catalog(
                "sales", "Sales " + id, "data-engineers", Map.of("domain", "sales"), null)),
        List.of(
            new ControlPlaneSnapshot.Schema(
                "sales", "bronze", null, "data-engineers", Map.of("layer", "bronze"), null)),
        List.of(
            new ControlPlaneSnapshot.Tables(
                "sales.bronze",
                List.of(
                    new ControlPlaneSnapshot.Table(
                        "sales",
                        "bronze",
                        "orders",
                        "EXTERNAL",
                        "DELTA",
                        "s3://acme-lakehouse-use1/uc/sales/bronze/orders/",
                        null,
                        null,
                        "data-engineers")))),
        List.of(
            new ControlPlaneSnapshot.Grants(
                "catalog",
                "sales",
                List.of(
                    new ControlPlaneSnapshot.Assignment(
                        "analysts", List.of("BROWSE", "USE_CATALOG"))))),
        Map.of("jobs", captured));
  }

  private SnapshotRef write(BucketTarget bucket, String id, int jobs) {
    return uncached.write(bucket, PREFIX + id + ".json.gz", snapshot(id, jobs), retry());
  }

  private SnapshotRef write(String id) {
    return write(SimulatedCloud.replicaBucket(), id, 20);
  }

  /** The GET requests for the object {@code ref} names that reached the simulator. */
  private List<RecordedRequest> gets(SnapshotRef ref) {
    String path = "/" + ref.location().bucket() + "/" + ref.key();
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.service().equals("s3") && r.method().equals("GET") && r.path().equals(path))
        .toList();
  }

  private static SnapshotRef withDigest(SnapshotRef ref, String sha256) {
    return new SnapshotRef(
        ref.location(),
        ref.key(),
        ref.versionId(),
        sha256,
        ref.sizeBytes(),
        ref.capturedAt(),
        ref.catalogs(),
        ref.schemas(),
        ref.grants(),
        ref.tables(),
        ref.components());
  }

  /** The size of the snapshot's JSON: its stored bytes, decompressed. */
  private long jsonBytes(SnapshotRef ref) throws IOException {
    byte[] stored =
        cloud
            .clients
            .s3(ref.location())
            .getObjectAsBytes(
                get ->
                    get.bucket(ref.location().bucket()).key(ref.key()).versionId(ref.versionId()))
            .asByteArray();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
      return in.readAllBytes().length;
    }
  }

  @Test
  void aSecondReadOfTheSameReferenceSendsNoRequestToS3AndReturnsWhatALoadWould() {
    SnapshotRef ref = write("a");
    SnapshotCache cache = new SnapshotCache();
    SnapshotStore store = new SnapshotStore(cloud.clients, cache);
    cloud.simulator.requests().clear();

    ControlPlaneSnapshot first = store.read(ref, retry());
    ControlPlaneSnapshot second = store.read(ref, retry());

    assertThat(gets(ref)).hasSize(1);
    assertThat(second).isSameAs(first);
    assertThat(second).isEqualTo(uncached.read(ref, retry()));
    assertThat(second.items("jobs", JsonNode.class)).hasSize(20);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void theSizeKeptIsTheSnapshotsJson() throws IOException {
    SnapshotRef ref = write("a");
    SnapshotCache cache = new SnapshotCache();

    new SnapshotStore(cloud.clients, cache).read(ref, retry());

    assertThat(cache.jsonBytes()).isEqualTo(jsonBytes(ref)).isGreaterThan(ref.sizeBytes());
  }

  @Test
  void aReferenceWithAnotherDigestStillFailsEveryTimeAndIsNotKept() {
    SnapshotRef real = write("a");
    SnapshotRef tampered = withDigest(real, "0".repeat(64));
    SnapshotCache cache = new SnapshotCache();
    SnapshotStore store = new SnapshotStore(cloud.clients, cache);
    store.read(real, retry());
    cloud.simulator.requests().clear();

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> store.read(tampered, retry()))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              failure -> {
                assertThat(failure.getType()).isEqualTo(FailureTypes.SNAPSHOT_CORRUPT);
                assertThat(failure.getOriginalMessage())
                    .contains("has digest " + real.sha256())
                    .contains("expected " + "0".repeat(64));
              });
    }

    assertThat(gets(real)).hasSize(2);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void anObjectChangedBeforeItsFirstReadFailsAndIsNotKept() {
    BucketTarget scratch = unversionedBucket();
    SnapshotRef ref = write(scratch, "a", 20);
    // Overwritten in place: the bucket keeps no versions, so the reference now names other bytes.
    write(scratch, "a", 21);
    SnapshotCache cache = new SnapshotCache();
    SnapshotStore store = new SnapshotStore(cloud.clients, cache);

    assertThatThrownBy(() -> store.read(ref, retry()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(FailureTypes.SNAPSHOT_CORRUPT));
    assertThat(cache.size()).isZero();
    assertThat(cache.jsonBytes()).isZero();
  }

  @Test
  void aReferenceWithoutAVersionIsKeptBecauseItsDigestPinsTheBytes() {
    BucketTarget scratch = unversionedBucket();
    SnapshotRef ref = write(scratch, "a", 20);
    assertThat(ref.versionId()).isNull();
    SnapshotStore store = new SnapshotStore(cloud.clients, new SnapshotCache());
    ControlPlaneSnapshot loaded = store.read(ref, retry());

    write(scratch, "a", 21);
    cloud.simulator.requests().clear();

    // The worker that loaded it goes on with the bytes the reference names; a load fails.
    assertThat(store.read(ref, retry())).isSameAs(loaded);
    assertThat(loaded.items("jobs", JsonNode.class)).hasSize(20);
    assertThat(gets(ref)).isEmpty();
    assertThatThrownBy(() -> uncached.read(ref, retry()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo(FailureTypes.SNAPSHOT_CORRUPT));
  }

  private BucketTarget unversionedBucket() {
    cloud.simulator.s3().createBucket("acme-scratch-usw2", "us-west-2", "secondary");
    return new BucketTarget("secondary", "acme-scratch-usw2", "us-west-2", "acme-dr");
  }

  @Test
  void pastTheEntryBoundTheLeastRecentlyUsedSnapshotIsDropped() {
    SnapshotRef a = write("a");
    SnapshotRef b = write("b");
    SnapshotRef c = write("c");
    SnapshotCache cache = new SnapshotCache(2, SnapshotCache.DEFAULT_MAX_JSON_BYTES);
    SnapshotStore store = new SnapshotStore(cloud.clients, cache);
    store.read(a, retry());
    store.read(b, retry());
    store.read(a, retry());
    store.read(c, retry());
    cloud.simulator.requests().clear();

    store.read(a, retry());
    store.read(c, retry());
    assertThat(gets(a)).isEmpty();
    assertThat(gets(c)).isEmpty();

    ControlPlaneSnapshot reloaded = store.read(b, retry());
    assertThat(gets(b)).hasSize(1);
    assertThat(reloaded).isEqualTo(uncached.read(b, retry()));
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void pastTheSizeBoundTheOldestSnapshotIsDropped() throws IOException {
    SnapshotRef a = write("a");
    SnapshotRef b = write("b");
    long sizeA = jsonBytes(a);
    long sizeB = jsonBytes(b);
    SnapshotCache cache = new SnapshotCache(10, sizeA + sizeB - 1);
    SnapshotStore store = new SnapshotStore(cloud.clients, cache);

    store.read(a, retry());
    assertThat(cache.jsonBytes()).isEqualTo(sizeA);
    store.read(b, retry());

    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.jsonBytes()).isEqualTo(sizeB);
    cloud.simulator.requests().clear();
    store.read(b, retry());
    store.read(a, retry());
    assertThat(gets(b)).isEmpty();
    assertThat(gets(a)).hasSize(1);
  }

  @Test
  void aSnapshotLargerThanTheWholeBoundIsReadButNotKept() {
    SnapshotRef big = write(SimulatedCloud.replicaBucket(), "big", 200);
    SnapshotCache cache = new SnapshotCache(4, 1_000);
    SnapshotStore store = new SnapshotStore(cloud.clients, cache);
    cloud.simulator.requests().clear();

    ControlPlaneSnapshot first = store.read(big, retry());
    ControlPlaneSnapshot second = store.read(big, retry());

    assertThat(gets(big)).hasSize(2);
    assertThat(first).isEqualTo(second).isEqualTo(uncached.read(big, retry()));
    assertThat(first.items("jobs", JsonNode.class)).hasSize(200);
    assertThat(cache.size()).isZero();
    assertThat(cache.jsonBytes()).isZero();
  }

  @Test
  void concurrentReadsOfOneSnapshotShareOneLoad() throws Exception {
    SnapshotRef ref = write("a");
    SnapshotStore store = new SnapshotStore(cloud.clients, new SnapshotCache());
    cloud.simulator.requests().clear();

    List<ControlPlaneSnapshot> read = concurrently(16, i -> store.read(ref, retry()));

    assertThat(read).hasSize(16);
    assertThat(read).allSatisfy(snapshot -> assertThat(snapshot).isSameAs(read.get(0)));
    assertThat(gets(ref)).hasSize(1);
    assertThat(read.get(0)).isEqualTo(uncached.read(ref, retry()));
  }

  @Test
  void concurrentReadsOfMoreSnapshotsThanTheCacheHoldsEachGetTheirOwn() throws Exception {
    List<SnapshotRef> refs = List.of(write("a"), write("b"), write("c"));
    Map<String, ControlPlaneSnapshot> expected = new HashMap<>();
    long largest = 0;
    for (SnapshotRef ref : refs) {
      expected.put(ref.key(), uncached.read(ref, retry()));
      largest = Math.max(largest, jsonBytes(ref));
    }
    SnapshotCache cache = new SnapshotCache(2, SnapshotCache.DEFAULT_MAX_JSON_BYTES);
    SnapshotStore store = new SnapshotStore(cloud.clients, cache);

    List<ControlPlaneSnapshot> read =
        concurrently(
                8,
                i -> {
                  List<ControlPlaneSnapshot> mine = new ArrayList<>();
                  for (int n = 0; n < 12; n++) {
                    SnapshotRef ref = refs.get((i + n) % refs.size());
                    ControlPlaneSnapshot snapshot = store.read(ref, retry());
                    assertThat(snapshot).isEqualTo(expected.get(ref.key()));
                    mine.add(snapshot);
                  }
                  return mine;
                })
            .stream()
            .flatMap(List::stream)
            .toList();

    assertThat(read).hasSize(8 * 12);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.jsonBytes()).isPositive().isLessThanOrEqualTo(2 * largest);
  }

  /** What {@code task} returns in each of {@code threads} threads started together. */
  private static <T> List<T> concurrently(int threads, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        Callable<T> call =
            () -> {
              ready.countDown();
              go.await();
              return task.run(index);
            };
        futures.add(pool.submit(call));
      }
      ready.await();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(2, TimeUnit.MINUTES));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  private interface Task<T> {
    T run(int index) throws Exception;
  }

  @Test
  void aSnapshotReadBackCannotBeChangedByTheActivityThatReadsIt() {
    SnapshotRef ref = write("a");
    SnapshotStore store = new SnapshotStore(cloud.clients, new SnapshotCache());
    ControlPlaneSnapshot snapshot = store.read(ref, retry());
    ControlPlaneSnapshot.Catalog sales = snapshot.catalogs().get(0);

    assertThatThrownBy(() -> snapshot.catalogs().add(sales))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> sales.properties().put("domain", "changed"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> snapshot.schemas().get(0).properties().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> snapshot.tables().get(0).tables().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> snapshot.grants().subList(0, 1).clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(
            () -> snapshot.grants().get(0).assignments().get(0).privileges().add("MODIFY"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> snapshot.components().remove("jobs"))
        .isInstanceOf(UnsupportedOperationException.class);
    ((ObjectNode) snapshot.components().get("jobs").get(0)).put("job_id", -1);
    ((ObjectNode) snapshot.items("jobs", JsonNode.class).get(0)).put("job_id", -1);

    ControlPlaneSnapshot again = store.read(ref, retry());
    assertThat(again).isSameAs(snapshot).isEqualTo(uncached.read(ref, retry()));
    assertThat(again.components().get("jobs").get(0).get("job_id").asInt()).isZero();
    assertThat(again.items("jobs", JsonNode.class).get(0).get("job_id").asInt()).isZero();
  }
}
