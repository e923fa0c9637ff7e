package dev.failover.activities.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.errors.CallRetry;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.Faults;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.ReplicationHealth;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MetricsStatus;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;

/**
 * Readiness reads the backlog from S3 Replication metrics when the rule enables them, through the
 * real {@code CloudWatchClient} and {@code S3Client} against the simulator, and lists the versions
 * when it cannot, saying why.
 */
class ReplicationMetricsTest {
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
    Instant now = Instant.now();
    // 5,000 versions of the last day, every 5th stalled PENDING; the oldest written 20 h ago.
    s3.seedHistory(
        PRIMARY,
        "history/new/",
        5_000,
        now.minus(Duration.ofHours(20)),
        now.minus(Duration.ofMinutes(30)),
        S3State.COMPLETED,
        5);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void aRuleWithMetricsIsMeasuredFromCloudWatchWithoutListing() {
    enableMetrics();
    s3.replicationMetricsEnabledAt(PRIMARY, Instant.now().minus(Duration.ofDays(1)));
    cloud.simulator.requests().clear();

    ReplicationHealth health = measure();

    assertThat(listings()).isZero();
    assertThat(heads()).isZero();
    // The backlog from the destination's region, the failures from the source's, where S3
    // publishes each.
    assertThat(cloudWatchRequests())
        .extracting(RecordedRequest::side)
        .containsExactly("secondary", "primary");
    assertThat(cloudWatchRequests()).allMatch(r -> r.status() == 200);
    assertThat(health.pending()).isEqualTo(1_000);
    assertThat(health.versionsScanned()).isZero();
    assertThat(health.summary())
        .contains("from S3 Replication metrics in CloudWatch us-west-2")
        .contains("1000 operation(s) pending")
        .contains("writes since are not counted")
        .contains("0 failed in the last 24 h (CloudWatch us-east-1)");
    // The oldest stalled version was written 20 h ago: the latency at the minute, plus its age.
    assertThat(health.oldestPendingSeconds())
        .isBetween(
            Duration.ofHours(20).minusMinutes(5).toSeconds(),
            Duration.ofHours(20).plusMinutes(15).toSeconds());
  }

  @Test
  void aRuleWithoutMetricsIsListedAndSaysSo() {
    ReplicationHealth health = measure();

    assertThat(cloudWatchRequests()).isEmpty();
    assertThat(listings()).isPositive();
    assertThat(health.versionsScanned()).isGreaterThanOrEqualTo(5_000);
    assertThat(health.summary())
        .contains("listed: the rule does not enable S3 Replication metrics");
  }

  @Test
  void metricsNotYetReportedAreListed() {
    // Enabled just now: CloudWatch has no datapoint yet.
    enableMetrics();
    cloud.simulator.requests().clear();

    ReplicationHealth health = measure();

    assertThat(cloudWatchRequests()).hasSize(1);
    assertThat(listings()).isPositive();
    assertThat(health.summary())
        .contains("listed: CloudWatch in us-west-2 has no S3 Replication metrics of rule");
  }

  @Test
  void aCloudWatchThatRefusesIsListedNamingWhy() {
    enableMetrics();
    s3.replicationMetricsEnabledAt(PRIMARY, Instant.now().minus(Duration.ofDays(1)));
    cloud.simulator.faults().failNext("cloudwatch", "POST", "/", 1, Faults.Kind.PERMISSION_DENIED);

    ReplicationHealth health = measure();

    assertThat(listings()).isPositive();
    assertThat(health.pending()).isBetween(600, 1_400);
    assertThat(health.summary())
        .contains("listed: CloudWatch could not be read")
        .contains("HTTP 403");
  }

  @Test
  void failuresCloudWatchDidNotCompleteAreNotReadAsNoneButListed() {
    enableMetrics();
    s3.replicationMetricsEnabledAt(PRIMARY, Instant.now().minus(Duration.ofDays(1)));
    cloud.simulator.cloudWatch().failResultsOf("OperationsFailedReplication", true);

    ReplicationHealth health = measure();

    assertThat(listings()).isPositive();
    assertThat(health.versionsScanned()).isGreaterThanOrEqualTo(5_000);
    assertThat(health.summary())
        .contains("listed: CloudWatch in us-east-1 answered InternalError for failed of rule");
  }

  @Test
  void aSourceRegionThatIsDownIsReportedWithWhatItsMetricsLastSaid() {
    enableMetrics();
    s3.replicationMetricsEnabledAt(PRIMARY, Instant.now().minus(Duration.ofDays(1)));
    cloud.simulator.setRegionReachable("us-east-1", false, "primary");

    ReplicationHealth health = measure();

    // Still unmeasured: the last datapoint is an estimate of what the replica lacks.
    assertThat(health.sourceReachable()).isFalse();
    assertThat(health.summary())
        .contains("its backlog cannot be measured")
        .contains(
            "S3 Replication metrics in CloudWatch us-west-2 last reported rule lakehouse-to-dr")
        .contains("1000 operation(s) pending")
        .contains("may be missing from it");
  }

  @Test
  void aSourceRegionThatIsDownWithoutMetricsIsSimplyUnmeasured() {
    cloud.simulator.setRegionReachable("us-east-1", false, "primary");

    ReplicationHealth health = measure();

    assertThat(health.sourceReachable()).isFalse();
    assertThat(health.summary())
        .endsWith("its backlog cannot be measured")
        .doesNotContain("S3 Replication metrics");
  }

  private ReplicationHealth measure() {
    return new ReplicationMeter(buckets, Clock.systemUTC(), n -> {}).measure(PAIR, false, 24);
  }

  /** Puts the demo's rule back with replication metrics enabled, as an operator would. */
  private void enableMetrics() {
    S3Client client = cloud.clients.s3(SimulatedCloud.primaryBucket());
    ReplicationConfiguration config =
        client.getBucketReplication(g -> g.bucket(PRIMARY)).replicationConfiguration();
    List<ReplicationRule> rules =
        config.rules().stream()
            .map(
                rule ->
                    rule.toBuilder()
                        .destination(
                            rule.destination().toBuilder()
                                .metrics(m -> m.status(MetricsStatus.ENABLED))
                                .build())
                        .build())
            .toList();
    client.putBucketReplication(
        put ->
            put.bucket(PRIMARY).replicationConfiguration(config.toBuilder().rules(rules).build()));
  }

  private List<RecordedRequest> cloudWatchRequests() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.service().equals("cloudwatch"))
        .toList();
  }

  private long listings() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.service().equals("s3") && r.query().contains("versions"))
        .count();
  }

  private long heads() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.service().equals("s3") && r.method().equals("HEAD"))
        .filter(r -> r.query().contains("versionId"))
        .count();
  }
}
