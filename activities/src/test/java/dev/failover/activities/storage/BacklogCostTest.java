package dev.failover.activities.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.errors.CallRetry;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.ReplicationHealth;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backlog measurement's cost does not grow with the lookback window: through the real {@code
 * S3Client} against the simulated S3, counted in the simulator's request log.
 */
class BacklogCostTest {
  private static final String PRIMARY = DemoWorkspace.PRIMARY_BUCKET;
  private static final BucketPairTarget PAIR =
      new BucketPairTarget(
          "lakehouse",
          SimulatedCloud.primaryBucket(),
          SimulatedCloud.replicaBucket(),
          "arn:aws:iam::123456789012:role/s3-replication-dr",
          "acme-lakehouse");

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private S3State s3;
  private Buckets buckets;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    s3 = cloud.simulator.s3();
    buckets =
        new Buckets(
            cloud.clients, new CallRetry(3, Duration.ofMillis(10), Duration.ofMillis(50), d -> {}));
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void aWindowLargerThanTheBudgetIsSampledWithinTheRequestBound() {
    Instant now = Instant.now();
    // 4,000 older settled versions and 5,000 in the last day, every 5th of those pending.
    s3.seedHistory(
        PRIMARY,
        "history/old/",
        4_000,
        now.minus(Duration.ofDays(30)),
        now.minus(Duration.ofDays(2)),
        S3State.COMPLETED,
        0);
    s3.seedHistory(
        PRIMARY,
        "history/new/",
        5_000,
        now.minus(Duration.ofHours(20)),
        now.minus(Duration.ofMinutes(1)),
        S3State.COMPLETED,
        5);
    int versions = s3.versionsOf(PRIMARY, "").size();
    cloud.simulator.requests().clear();

    ReplicationHealth health =
        new ReplicationMeter(buckets, Clock.systemUTC(), n -> {}).measure(PAIR, false, 24);

    long s3Requests = s3Requests();
    assertThat(s3Requests)
        .isLessThanOrEqualTo(Backlog.requestBound(versions, BacklogSample.DEFAULT_BUDGET) + 10);
    assertThat(heads()).isEqualTo(BacklogSample.DEFAULT_BUDGET);
    assertThat(health.versionsScanned()).isGreaterThanOrEqualTo(5_000);
    assertThat(health.summary()).contains("sampled: 800 of").contains("95% interval");
    // 1,000 of 5,000 pending. The newest 400 are inspected (80 pending); 400 of the 4,600 older
    // are sampled, about 80 +- 7.7 of them pending, each standing for 11.5. The range below is
    // 4.5 standard deviations either side, so the test fails by chance about once in 100,000 runs
    // (with 1 in 50 pending it held 40-200 around 100, which chance broke about 1.4% of the time).
    assertThat(health.pending()).isBetween(600, 1_400);
  }

  @Test
  void aWindowWithinTheBudgetIsCountedExactly() {
    Instant now = Instant.now();
    s3.seedHistory(
        PRIMARY,
        "history/new/",
        300,
        now.minus(Duration.ofHours(3)),
        now.minus(Duration.ofMinutes(1)),
        S3State.COMPLETED,
        30);

    ReplicationHealth health =
        new ReplicationMeter(buckets, Clock.systemUTC(), n -> {}).measure(PAIR, false, 24);

    assertThat(health.pending()).isEqualTo(10);
    assertThat(health.summary()).contains("exact: all");
  }

  private long s3Requests() {
    return cloud.simulator.requests().all().stream().filter(r -> r.service().equals("s3")).count();
  }

  private long heads() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.service().equals("s3") && r.method().equals("HEAD"))
        .filter(r -> r.query().contains("versionId"))
        .map(RecordedRequest::path)
        .count();
  }
}
