package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.simulator.cloudwatch.CloudWatchApi;
import dev.failover.simulator.profile.CloudProfile;
import dev.failover.simulator.s3.ReplicationConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.InternalServiceException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsRequest;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.MetricsStatus;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;

/**
 * S3 Replication metrics through CloudWatch GetMetricData, driven by the real {@code S3Client} and
 * {@code CloudWatchClient} (Smithy RPC v2 CBOR) against a simulator on a clock the test moves.
 */
class S3ReplicationMetricsTest {

  private static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");
  private static final String SOURCE = "lake-use1";
  private static final String DESTINATION = "lake-usw2";
  private static final String RULE = "lake-use1-to-lake-usw2";

  private final TestClock clock = new TestClock(T0);
  private Simulator simulator;
  private S3Client s3;
  private CloudWatchClient cloudWatch;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"), clock);
    SimulatorS3.callerMayPassAnyRole(simulator);
    s3 = SimulatorS3.client(simulator);
    cloudWatch = cloudWatch(Region.US_WEST_2, b -> {});
    simulator.s3().createBucket(SOURCE, "us-east-1", "primary");
    simulator.s3().createBucket(DESTINATION, "us-west-2", "secondary");
    for (String bucket : List.of(SOURCE, DESTINATION)) {
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    simulator.iam().createReplicationRole(role(), SOURCE, DESTINATION);
  }

  @AfterEach
  void stop() {
    cloudWatch.close();
    s3.close();
    simulator.close();
  }

  private CloudWatchClient cloudWatch(
      Region region,
      Consumer<software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.Builder>
          override) {
    return CloudWatchClient.builder()
        .endpointOverride(simulator.cloudWatchUrl())
        .region(region)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .overrideConfiguration(override)
        .build();
  }

  private static String role() {
    return "arn:aws:iam::123456789012:role/replication-" + SOURCE + "-to-" + DESTINATION;
  }

  /** One rule from the source to the destination, with replication metrics on or off. */
  private void replicate(boolean metrics) {
    s3.putBucketReplication(
        b ->
            b.bucket(SOURCE)
                .replicationConfiguration(
                    c ->
                        c.role(role())
                            .rules(
                                ReplicationRule.builder()
                                    .id(RULE)
                                    .priority(1)
                                    .status(ReplicationRuleStatus.ENABLED)
                                    .filter(f -> f.prefix(""))
                                    .destination(
                                        d -> {
                                          d.bucket("arn:aws:s3:::" + DESTINATION);
                                          if (metrics) {
                                            d.metrics(m -> m.status(MetricsStatus.ENABLED));
                                          }
                                        })
                                    .deleteMarkerReplication(
                                        m -> m.status(DeleteMarkerReplicationStatus.ENABLED))
                                    .build())));
  }

  private void put(Instant at, String key, int bytes) {
    clock.advanceTo(at);
    s3.putObject(b -> b.bucket(SOURCE).key(key), RequestBody.fromBytes(new byte[bytes]));
  }

  private static Dimension dimension(String name, String value) {
    return Dimension.builder().name(name).value(value).build();
  }

  private static MetricDataQuery query(String id, String metric, String stat, int period) {
    return MetricDataQuery.builder()
        .id(id)
        .metricStat(
            s ->
                s.metric(
                        m ->
                            m.namespace("AWS/S3")
                                .metricName(metric)
                                .dimensions(
                                    dimension("SourceBucket", SOURCE),
                                    dimension("DestinationBucket", DESTINATION),
                                    dimension("RuleId", RULE)))
                    .period(period)
                    .stat(stat))
        .build();
  }

  private MetricDataResult one(
      CloudWatchClient client, String metric, String stat, int period, Instant from, Instant to) {
    GetMetricDataResponse response =
        client.getMetricData(
            r ->
                r.metricDataQueries(query("m", metric, stat, period))
                    .startTime(from)
                    .endTime(to)
                    .scanBy(ScanBy.TIMESTAMP_ASCENDING));
    assertThat(response.metricDataResults()).hasSize(1);
    return response.metricDataResults().get(0);
  }

  /** The datapoints of one metric, by timestamp, oldest first. */
  private Map<Instant, Double> points(
      String metric, String stat, int period, Instant from, Instant to) {
    return points(one(cloudWatch, metric, stat, period, from, to));
  }

  private static Map<Instant, Double> points(MetricDataResult result) {
    assertThat(result.statusCode()).isEqualTo(StatusCode.COMPLETE);
    assertThat(result.timestamps()).hasSameSizeAs(result.values());
    Map<Instant, Double> points = new LinkedHashMap<>();
    for (int i = 0; i < result.timestamps().size(); i++) {
      points.put(result.timestamps().get(i), result.values().get(i));
    }
    return points;
  }

  private static Instant at(String hhmmss) {
    return Instant.parse("2026-11-25T" + hhmmss + "Z");
  }

  @Test
  void datapointsAppearFifteenMinutesAfterEnablingAndTwoMinutesAfterTheirMinuteEnds() {
    replicate(true);
    simulator.s3().setReplicationLag(SOURCE, Duration.ofHours(1));
    put(at("03:00:10"), "uc/t/part-0.parquet", 1000);

    clock.advanceTo(at("03:17:59"));
    Map<Instant, Double> early =
        points(
            "OperationsPendingReplication", "Maximum", 60, T0.minusSeconds(3600), at("04:00:00"));
    assertThat(early).isEmpty();

    // Minute 03:15 ends at 03:16 and can be read two minutes later; 03:14 is within the first 15.
    clock.advanceTo(at("03:18:00"));
    Instant from = T0.minusSeconds(3600);
    Instant to = at("04:00:00");
    assertThat(points("OperationsPendingReplication", "Maximum", 60, from, to))
        .containsExactly(Map.entry(at("03:15:00"), 1.0));
    assertThat(points("BytesPendingReplication", "Maximum", 60, from, to))
        .containsExactly(Map.entry(at("03:15:00"), 1000.0));
    // At the minute's end (03:16:00) the write of 03:00:10 is 950 s old.
    assertThat(points("ReplicationLatency", "Maximum", 60, from, to))
        .containsExactly(Map.entry(at("03:15:00"), 950.0));
    // Nothing was done in 03:15: failures are "not published if replication doesn't occur".
    try (CloudWatchClient east = cloudWatch(Region.US_EAST_1, b -> {})) {
      assertThat(points(one(east, "OperationsFailedReplication", "Sum", 60, from, to))).isEmpty();
    }
  }

  /**
   * Writes at 03:00:00 (100 bytes) and 03:00:30 (50 bytes) with a 90 s lag, done at 03:01:30 and
   * 03:02:00; a write at 03:03:10 (7 bytes) that fails at 03:04:40.
   */
  private void writesLagAndAFailure() {
    replicate(true);
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    simulator.s3().setReplicationLag(SOURCE, Duration.ofSeconds(90));
    put(at("03:00:00"), "a", 100);
    put(at("03:00:30"), "b", 50);
    clock.advanceTo(at("03:03:00"));
    simulator.s3().setReplicationFailureRate(SOURCE, 1.0);
    put(at("03:03:10"), "c", 7);
    clock.advanceTo(at("03:10:00"));
    assertThat(s3.headObject(b -> b.bucket(SOURCE).key("c")).replicationStatus())
        .isEqualTo(ReplicationStatus.FAILED);
    assertThat(s3.headObject(b -> b.bucket(SOURCE).key("a")).replicationStatus())
        .isEqualTo(ReplicationStatus.COMPLETED);
  }

  @Test
  void pendingBytesLatencyAndFailuresFollowTheWritesTheLagAndTheFailures() {
    writesLagAndAFailure();
    Instant from = at("03:00:00");
    Instant to = at("03:06:00");
    List<Instant> minutes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      minutes.add(from.plusSeconds(60L * i));
    }
    assertThat(points("OperationsPendingReplication", "Maximum", 60, from, to))
        .containsExactlyEntriesOf(series(minutes, 2, 0, 0, 1, 0, 0));
    assertThat(points("BytesPendingReplication", "Maximum", 60, from, to))
        .containsExactlyEntriesOf(series(minutes, 150, 0, 0, 7, 0, 0));
    // 03:01:00 - 03:00:00; 03:04:00 - 03:03:10.
    assertThat(points("ReplicationLatency", "Maximum", 60, from, to))
        .containsExactlyEntriesOf(series(minutes, 60, 0, 0, 50, 0, 0));
    // Done at 03:01:30, 03:02:00 and (failed) 03:04:40: only those minutes have a datapoint.
    try (CloudWatchClient east = cloudWatch(Region.US_EAST_1, b -> {})) {
      assertThat(points(one(east, "OperationsFailedReplication", "Sum", 60, from, to)))
          .containsExactly(
              Map.entry(at("03:01:00"), 0.0),
              Map.entry(at("03:02:00"), 0.0),
              Map.entry(at("03:04:00"), 1.0));
    }
  }

  private static Map<Instant, Double> series(List<Instant> minutes, double... values) {
    Map<Instant, Double> series = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      series.put(minutes.get(i), values[i]);
    }
    return series;
  }

  @Test
  void aLongerPeriodAggregatesItsMinutesByTheStatisticNewestFirstByDefault() {
    writesLagAndAFailure();
    // At 03:10 the minutes 03:00 to 03:07 are published: two periods of 5 minutes, 5 and 3.
    GetMetricDataResponse response =
        cloudWatch.getMetricData(
            r ->
                r.metricDataQueries(
                        query("pendingmax", "OperationsPendingReplication", "Maximum", 300),
                        query("pendingavg", "OperationsPendingReplication", "Average", 300),
                        query("minutes", "OperationsPendingReplication", "SampleCount", 300),
                        query("bytesmin", "BytesPendingReplication", "Minimum", 300))
                    .startTime(at("03:00:00"))
                    .endTime(at("03:10:00")));
    Map<String, Map<Instant, Double>> byId = new LinkedHashMap<>();
    response.metricDataResults().forEach(r -> byId.put(r.id(), points(r)));
    assertThat(byId.keySet()).containsExactly("pendingmax", "pendingavg", "minutes", "bytesmin");
    assertThat(byId.get("pendingmax"))
        .containsExactly(Map.entry(at("03:05:00"), 0.0), Map.entry(at("03:00:00"), 2.0));
    assertThat(byId.get("pendingavg").get(at("03:00:00"))).isEqualTo(0.6);
    assertThat(byId.get("minutes"))
        .containsExactly(Map.entry(at("03:05:00"), 3.0), Map.entry(at("03:00:00"), 5.0));
    assertThat(byId.get("bytesmin").get(at("03:00:00"))).isEqualTo(0.0);
    assertThat(response.metricDataResults().get(0).label())
        .isEqualTo("OperationsPendingReplication");
    assertThat(response.nextToken()).isNull();
  }

  @Test
  void failuresAreOneSamplePerOperationSoSumAverageAndSampleCountCountThem() {
    replicate(true);
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    simulator.s3().setReplicationLag(SOURCE, Duration.ofSeconds(30));
    // In 03:01, x is replicated at 03:01:30 and y fails at 03:01:50; in 03:03, z fails.
    put(at("03:01:00"), "x", 1);
    put(at("03:01:20"), "y", 1);
    clock.advanceTo(at("03:01:40"));
    simulator.s3().setReplicationFailureRate(SOURCE, 1.0);
    put(at("03:03:00"), "z", 1);
    clock.advanceTo(at("03:10:00"));
    assertThat(s3.headObject(b -> b.bucket(SOURCE).key("y")).replicationStatus())
        .isEqualTo(ReplicationStatus.FAILED);
    Instant from = at("03:00:00");
    Instant to = at("03:10:00");
    Instant minute = at("03:01:00");
    try (CloudWatchClient east = cloudWatch(Region.US_EAST_1, b -> {})) {
      String failed = "OperationsFailedReplication";
      assertThat(points(one(east, failed, "Sum", 60, from, to)))
          .containsExactly(Map.entry(minute, 1.0), Map.entry(at("03:03:00"), 1.0));
      assertThat(points(one(east, failed, "SampleCount", 60, from, to)).get(minute)).isEqualTo(2.0);
      assertThat(points(one(east, failed, "Average", 60, from, to)).get(minute)).isEqualTo(0.5);
      assertThat(points(one(east, failed, "Minimum", 60, from, to)).get(minute)).isEqualTo(0.0);
      assertThat(points(one(east, failed, "Maximum", 60, from, to)).get(minute)).isEqualTo(1.0);
      // Over 03:00-03:05: three operations, two failed.
      assertThat(points(one(east, failed, "SampleCount", 300, from, to)))
          .containsExactly(Map.entry(from, 3.0));
      assertThat(points(one(east, failed, "Sum", 300, from, to)))
          .containsExactly(Map.entry(from, 2.0));
      assertThat(points(one(east, failed, "Average", 300, from, to)))
          .containsExactly(Map.entry(from, 2.0 / 3));
    }
  }

  @Test
  void failuresArePublishedInTheSourceRegionAndGoOnAfterTheDestinationIsDeleted() {
    replicate(true);
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    simulator.s3().setReplicationLag(SOURCE, Duration.ofSeconds(30));
    simulator.s3().setReplicationFailureRate(SOURCE, 1.0);
    put(at("03:00:10"), "a", 10);
    clock.advanceTo(at("03:02:00"));
    assertThat(s3.headObject(b -> b.bucket(SOURCE).key("a")).replicationStatus())
        .isEqualTo(ReplicationStatus.FAILED);
    // The destination holds nothing (the one replication failed), so it can be deleted.
    simulator.s3().deleteBucket(DESTINATION);
    // A destination the simulator does not hold is taken to be another account's: replicated.
    put(at("03:03:10"), "b", 10);
    clock.advanceTo(at("03:10:00"));
    Instant from = at("03:00:00");
    Instant to = at("03:10:00");
    try (CloudWatchClient east = cloudWatch(Region.US_EAST_1, b -> {})) {
      String failed = "OperationsFailedReplication";
      assertThat(points(one(east, failed, "Sum", 60, from, to)))
          .containsExactly(Map.entry(at("03:00:00"), 1.0), Map.entry(at("03:03:00"), 0.0));
      assertThat(points(one(east, failed, "SampleCount", 60, from, to)))
          .containsExactly(Map.entry(at("03:00:00"), 1.0), Map.entry(at("03:03:00"), 1.0));
      assertThat(points(failed, "Sum", 60, from, to)).isEmpty();
      // The pending metrics: in the destination's region only, until it was deleted (03:02).
      for (String pending : List.of("OperationsPendingReplication", "ReplicationLatency")) {
        assertThat(points(pending, "Maximum", 60, from, to))
            .containsOnlyKeys(at("03:00:00"), at("03:01:00"));
        assertThat(points(one(east, pending, "Maximum", 60, from, to))).isEmpty();
      }
      clock.advanceTo(at("03:30:00"));
      assertThat(listed(east, r -> r.namespace("AWS/S3")))
          .extracting(Metric::metricName)
          .containsExactly(failed);
      assertThat(listed(cloudWatch, r -> r.namespace("AWS/S3")))
          .extracting(Metric::metricName)
          .containsExactly(
              "BytesPendingReplication", "OperationsPendingReplication", "ReplicationLatency");
    }
  }

  @Test
  void injectedInternalErrorResultsHaveNoDatapointsAndTheNextTokenReadsThemAgain() {
    writesLagAndAFailure();
    GetMetricDataRequest request =
        GetMetricDataRequest.builder()
            .metricDataQueries(
                query("pending", "OperationsPendingReplication", "Maximum", 60),
                query("bytes", "BytesPendingReplication", "Maximum", 60))
            .startTime(at("03:00:00"))
            .endTime(at("03:06:00"))
            .scanBy(ScanBy.TIMESTAMP_ASCENDING)
            .build();
    simulator.cloudWatch().failResults(1);
    GetMetricDataResponse first = cloudWatch.getMetricData(request);
    assertThat(first.metricDataResults().get(0).statusCode()).isEqualTo(StatusCode.INTERNAL_ERROR);
    assertThat(first.metricDataResults().get(0).values()).isEmpty();
    assertThat(first.metricDataResults().get(0).timestamps()).isEmpty();
    assertThat(points(first.metricDataResults().get(1))).hasSize(6);
    assertThat(first.nextToken()).isNotBlank();
    GetMetricDataResponse retried =
        cloudWatch.getMetricData(request.toBuilder().nextToken(first.nextToken()).build());
    assertThat(points(retried.metricDataResults().get(0)).values())
        .containsExactly(2.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    assertThat(retried.nextToken()).isNull();

    simulator.cloudWatch().failResultsOf("BytesPendingReplication", true);
    for (int i = 0; i < 2; i++) {
      GetMetricDataResponse failing = cloudWatch.getMetricData(request);
      assertThat(points(failing.metricDataResults().get(0))).hasSize(6);
      assertThat(failing.metricDataResults().get(1).statusCode())
          .isEqualTo(StatusCode.INTERNAL_ERROR);
      assertThat(failing.metricDataResults().get(1).values()).isEmpty();
      assertThat(failing.nextToken()).isNull();
    }
    simulator.cloudWatch().failResultsOf("BytesPendingReplication", false);
    assertThat(points(cloudWatch.getMetricData(request).metricDataResults().get(1))).hasSize(6);
  }

  @Test
  void aStartTimeOlderThanFifteenOrSixtyThreeDaysNeedsFiveMinuteOrHourPeriodsAndIsRounded() {
    writesLagAndAFailure();
    Instant to = at("03:10:00");
    String pending = "OperationsPendingReplication";
    // 14 days back: one-minute periods serve what is kept.
    assertThat(points(pending, "Maximum", 60, to.minus(Duration.ofDays(14)), to))
        .containsEntry(at("03:00:00"), 2.0);
    // 16 days back (and 154 s): a period of 60 gets nothing; 300 does, from StartTime rounded
    // down to a 5-minute clock interval, so that 03:00 starts a period.
    Instant sixteen = to.minus(Duration.ofDays(16)).minusSeconds(154);
    assertThat(points(pending, "Maximum", 60, sixteen, to)).isEmpty();
    assertThat(points(pending, "Maximum", 300, sixteen, to)).containsEntry(at("03:00:00"), 2.0);
    // 70 days back: 300 gets nothing; 3600 does, from StartTime rounded down to the hour.
    Instant seventy = to.minus(Duration.ofDays(70)).minusSeconds(154);
    assertThat(points(pending, "Maximum", 300, seventy, to)).isEmpty();
    assertThat(points(pending, "Maximum", 3600, seventy, to)).containsEntry(at("03:00:00"), 2.0);
  }

  @Test
  void aRuleGivenWithoutAnIdGetsOneThatItsMetricsCarry() {
    simulator
        .s3()
        .putReplication(
            SOURCE,
            new ReplicationConfiguration(
                role(),
                List.of(
                    ReplicationConfiguration.Rule.of(
                            null, 1, "Enabled", "", "arn:aws:s3:::" + DESTINATION, "Enabled")
                        .withMetricsEnabled())));
    String id = simulator.s3().replication(SOURCE).rules().get(0).id();
    assertThat(id).isNotBlank();
    assertThat(s3.getBucketReplication(b -> b.bucket(SOURCE)).replicationConfiguration().rules())
        .singleElement()
        .satisfies(rule -> assertThat(rule.id()).isEqualTo(id));
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    clock.advanceTo(at("04:00:00"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false))
        .singleElement()
        .satisfies(m -> assertThat(m.dimensions()).contains(dimension("RuleId", id)));
  }

  @Test
  void maxDatapointsPaginatesWithANextTokenTheSdkPaginatorFollows() {
    writesLagAndAFailure();
    GetMetricDataRequest request =
        GetMetricDataRequest.builder()
            .metricDataQueries(query("m", "OperationsPendingReplication", "Maximum", 60))
            .startTime(at("03:00:00"))
            .endTime(at("03:10:00"))
            .scanBy(ScanBy.TIMESTAMP_ASCENDING)
            .maxDatapoints(3)
            .build();
    GetMetricDataResponse first = cloudWatch.getMetricData(request);
    assertThat(first.metricDataResults().get(0).statusCode()).isEqualTo(StatusCode.PARTIAL_DATA);
    assertThat(first.metricDataResults().get(0).values()).containsExactly(2.0, 0.0, 0.0);
    assertThat(first.nextToken()).isNotBlank();
    List<Double> all = new ArrayList<>();
    cloudWatch
        .getMetricDataPaginator(request)
        .forEach(page -> all.addAll(page.metricDataResults().get(0).values()));
    assertThat(all).containsExactly(2.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0);

    assertThatThrownBy(() -> cloudWatch.getMetricData(request.toBuilder().nextToken("x").build()))
        .isInstanceOfSatisfying(
            CloudWatchException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidNextToken"));
  }

  @Test
  void versionsSeededPendingCountFromTheirWriteAndSettledOnesCountNothing() {
    replicate(true);
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    // Ten versions from 01:00 to 02:00 (every 400 s); the 1st and 6th stay PENDING.
    simulator.s3().seedHistory(SOURCE, "old/", 10, at("01:00:00"), at("02:00:00"), "COMPLETED", 5);
    clock.advanceTo(at("03:10:00"));
    Instant from = at("03:00:00");
    Instant to = at("03:01:00");
    assertThat(points("OperationsPendingReplication", "Maximum", 60, from, to))
        .containsExactly(Map.entry(from, 2.0));
    assertThat(points("ReplicationLatency", "Maximum", 60, from, to))
        .containsExactly(Map.entry(from, 7260.0));
  }

  @Test
  void nothingForARuleWithoutMetricsAnotherRegionOrAWithheldBucket() {
    replicate(false);
    put(at("03:00:00"), "a", 10);
    clock.advanceTo(at("04:00:00"));
    Instant from = at("03:00:00");
    Instant to = at("04:00:00");
    assertThat(points("OperationsPendingReplication", "Maximum", 60, from, to)).isEmpty();
    assertThatThrownBy(() -> simulator.s3().replicationMetricsEnabledAt(SOURCE, T0))
        .isInstanceOf(IllegalStateException.class);

    replicate(true);
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    assertThat(points("OperationsPendingReplication", "Maximum", 60, from, to)).hasSize(58);

    // The metrics live in the destination's region only.
    try (CloudWatchClient east = cloudWatch(Region.US_EAST_1, b -> {})) {
      assertThat(points(one(east, "OperationsPendingReplication", "Maximum", 60, from, to)))
          .isEmpty();
    }
    // Another rule id, dimension set or namespace is a metric CloudWatch does not hold.
    GetMetricDataResponse other =
        cloudWatch.getMetricData(
            r ->
                r.metricDataQueries(
                        MetricDataQuery.builder()
                            .id("other")
                            .metricStat(
                                s ->
                                    s.metric(
                                            m ->
                                                m.namespace("AWS/S3")
                                                    .metricName("OperationsPendingReplication")
                                                    .dimensions(dimension("SourceBucket", SOURCE)))
                                        .period(60)
                                        .stat("Maximum"))
                            .build())
                    .startTime(from)
                    .endTime(to));
    assertThat(points(other.metricDataResults().get(0))).isEmpty();

    simulator.s3().withholdReplicationMetrics(DESTINATION, true);
    assertThat(points("OperationsPendingReplication", "Maximum", 60, from, to)).isEmpty();
    simulator.s3().withholdReplicationMetrics(DESTINATION, false);
    assertThat(points("OperationsPendingReplication", "Maximum", 60, from, to)).hasSize(58);
  }

  @Test
  void minutesOfASourceRegionOutageAreNotPublishedAndTheBacklogWaitsForItsEnd() {
    replicate(true);
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    simulator.s3().setReplicationLag(SOURCE, Duration.ofSeconds(30));
    put(at("03:01:30"), "a", 10);
    clock.advanceTo(at("03:01:45"));
    simulator.setRegionReachable("us-east-1", false);
    clock.advanceTo(at("03:05:00"));
    simulator.setRegionReachable("us-east-1", true);
    clock.advanceTo(at("03:10:00"));
    Map<Instant, Double> pending =
        points("OperationsPendingReplication", "Maximum", 60, at("03:00:00"), at("03:08:00"));
    // The outage lasted from 03:01:45 to 03:05:00: minutes 03:01 to 03:04 are missing; the write
    // was replicated when the region came back, so 03:05 has nothing pending.
    assertThat(pending)
        .containsExactly(
            Map.entry(at("03:00:00"), 0.0),
            Map.entry(at("03:05:00"), 0.0),
            Map.entry(at("03:06:00"), 0.0),
            Map.entry(at("03:07:00"), 0.0));
  }

  @Test
  void datapointsPublishedStayReadableAfterTheSourceRegionFailsOrTheConfigurationGoes() {
    replicate(true);
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    clock.advanceTo(at("03:10:00"));
    simulator.setRegionReachable("us-east-1", false);
    clock.advanceTo(at("04:00:00"));
    Map<Instant, Double> during =
        points("OperationsPendingReplication", "Maximum", 60, at("02:00:00"), at("04:00:00"));
    // Minutes 02:00 to 03:09 ended before the outage began at 03:10 and stay readable.
    assertThat(during).hasSize(70).containsKey(at("03:09:00")).doesNotContainKey(at("03:10:00"));

    // The configuration removed (here, deleted while the source answers again) keeps them too;
    // minutes after the removal are not published.
    simulator.setRegionReachable("us-east-1", true);
    clock.advanceTo(at("04:30:00"));
    s3.deleteBucketReplication(b -> b.bucket(SOURCE));
    clock.advanceTo(at("05:00:00"));
    Map<Instant, Double> after =
        points("OperationsPendingReplication", "Maximum", 60, at("02:00:00"), at("05:00:00"));
    assertThat(after).containsAllEntriesOf(during).containsKey(at("04:29:00"));
    assertThat(after.keySet()).allMatch(m -> m.isBefore(at("04:30:00")));

    // Enabled again: a new period, 15 minutes before its first datapoint; the old ones remain.
    replicate(true);
    clock.advanceTo(at("05:20:00"));
    Map<Instant, Double> again =
        points("OperationsPendingReplication", "Maximum", 60, at("02:00:00"), at("06:00:00"));
    assertThat(again)
        .containsAllEntriesOf(after)
        .containsKeys(at("05:15:00"), at("05:17:00"))
        .doesNotContainKeys(at("05:00:00"), at("05:14:00"), at("05:18:00"));
  }

  @Test
  void theCloudWatchEndpointOfARegionInAnOutageDropsTheConnection() {
    replicate(true);
    simulator.setRegionReachable("us-west-2", false);
    try (CloudWatchClient once =
        cloudWatch(Region.US_WEST_2, b -> b.retryStrategy(s -> s.maxAttempts(1)))) {
      assertThatThrownBy(
              () ->
                  one(once, "OperationsPendingReplication", "Maximum", 60, T0, T0.plusSeconds(60)))
          .isInstanceOf(SdkClientException.class);
    }
    assertThat(simulator.requests().all())
        .anySatisfy(
            r -> {
              assertThat(r.service()).isEqualTo(Simulator.CLOUDWATCH_SERVICE);
              assertThat(r.status()).isZero();
            });
  }

  @Test
  void requestsAreRecordedAsCloudWatchOnTheSideOfTheRegionsBucketsAndNotMutating() {
    replicate(true);
    one(cloudWatch, "OperationsPendingReplication", "Maximum", 60, T0, T0.plusSeconds(60));
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.service().equals(Simulator.CLOUDWATCH_SERVICE))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.side()).isEqualTo("secondary");
              assertThat(r.mutating()).isFalse();
              assertThat(r.path()).isEqualTo(CloudWatchApi.GET_METRIC_DATA);
              assertThat(r.status()).isEqualTo(200);
            });
  }

  private CloudWatchException invalid(Consumer<GetMetricDataRequest.Builder> request) {
    try {
      cloudWatch.getMetricData(request);
    } catch (CloudWatchException e) {
      assertThat(e).isNotInstanceOf(InvalidParameterValueException.class);
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
      return e;
    }
    throw new AssertionError("the request was not refused");
  }

  @Test
  void badInputIsRefusedAsValidationErrorNamingTheField() {
    Instant to = T0.plusSeconds(600);
    assertThat(
            invalid(
                    r ->
                        r.metricDataQueries(query("m1", "ReplicationLatency", "Maximum", 60))
                            .startTime(T0)
                            .endTime(T0))
                .awsErrorDetails()
                .errorMessage())
        .isEqualTo("The parameter StartTime must not equal parameter EndTime.");
    assertThat(
            invalid(
                    r ->
                        r.metricDataQueries(query("M1", "ReplicationLatency", "Maximum", 60))
                            .startTime(T0)
                            .endTime(to))
                .awsErrorDetails()
                .errorMessage())
        .contains("MetricDataQueries.member.1.Id");
    assertThat(
            invalid(
                    r ->
                        r.metricDataQueries(query("m1", "ReplicationLatency", "Maximum", 90))
                            .startTime(T0)
                            .endTime(to))
                .awsErrorDetails()
                .errorMessage())
        .contains("MetricDataQueries.member.1.MetricStat.Period");
    assertThat(
            invalid(
                    r ->
                        r.metricDataQueries(query("m1", "ReplicationLatency", "p99", 60))
                            .startTime(T0)
                            .endTime(to))
                .awsErrorDetails()
                .errorMessage())
        .contains("MetricDataQueries.member.1.MetricStat.Stat");
    assertThat(
            invalid(
                    r ->
                        r.metricDataQueries(query("m1", "ReplicationLatency", "Maximum", 60))
                            .startTime(to)
                            .endTime(T0))
                .awsErrorDetails()
                .errorMessage())
        .contains("StartTime");
    assertThat(
            invalid(
                    r ->
                        r.metricDataQueries(
                                query("m1", "ReplicationLatency", "Maximum", 60),
                                MetricDataQuery.builder().id("e1").expression("m1 * 2").build())
                            .startTime(T0)
                            .endTime(to))
                .awsErrorDetails()
                .errorMessage())
        .contains("MetricDataQueries.member.2.Expression")
        .contains("not supported by this simulator");
    assertThat(
            invalid(
                    r ->
                        r.metricDataQueries(
                                query("m1", "ReplicationLatency", "Maximum", 60),
                                query("m1", "BytesPendingReplication", "Maximum", 60))
                            .startTime(T0)
                            .endTime(to))
                .awsErrorDetails()
                .errorMessage())
        .contains("MetricDataQueries.member.2.Id");
    assertThatThrownBy(() -> cloudWatch.getMetricData(r -> r.startTime(T0).endTime(to)))
        .isInstanceOfSatisfying(
            CloudWatchException.class,
            e -> {
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter");
              assertThat(e.awsErrorDetails().errorMessage()).contains("MetricDataQueries");
            });
  }

  @Test
  void anInjectedThrottleIsRetriedByTheSdkAndServerErrorsParseToTheirCodes() {
    replicate(true);
    simulator
        .faults()
        .failNext(
            Simulator.CLOUDWATCH_SERVICE,
            "POST",
            CloudWatchApi.GET_METRIC_DATA,
            1,
            Faults.Kind.THROTTLE);
    MetricDataResult result =
        one(cloudWatch, "OperationsPendingReplication", "Maximum", 60, T0, T0.plusSeconds(60));
    assertThat(result.statusCode()).isEqualTo(StatusCode.COMPLETE);
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.service().equals(Simulator.CLOUDWATCH_SERVICE))
        .extracting(RecordedRequest::status)
        .containsExactly(400, 200);

    try (CloudWatchClient once =
        cloudWatch(Region.US_WEST_2, b -> b.retryStrategy(s -> s.maxAttempts(1)))) {
      simulator
          .faults()
          .failNext(
              Simulator.CLOUDWATCH_SERVICE,
              "POST",
              CloudWatchApi.GET_METRIC_DATA,
              1,
              Faults.Kind.THROTTLE);
      assertThatThrownBy(
              () ->
                  one(once, "OperationsPendingReplication", "Maximum", 60, T0, T0.plusSeconds(60)))
          .isInstanceOfSatisfying(
              CloudWatchException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                assertThat(e.isThrottlingException()).isTrue();
              });
      simulator
          .faults()
          .failNext(
              Simulator.CLOUDWATCH_SERVICE,
              "POST",
              CloudWatchApi.GET_METRIC_DATA,
              1,
              Faults.Kind.SERVER_ERROR);
      assertThatThrownBy(
              () ->
                  one(once, "OperationsPendingReplication", "Maximum", 60, T0, T0.plusSeconds(60)))
          .isInstanceOfSatisfying(
              InternalServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServiceError");
              });
      simulator
          .faults()
          .failNext(
              Simulator.CLOUDWATCH_SERVICE,
              "POST",
              CloudWatchApi.GET_METRIC_DATA,
              1,
              Faults.Kind.PERMISSION_DENIED);
      assertThatThrownBy(
              () ->
                  one(once, "OperationsPendingReplication", "Maximum", 60, T0, T0.plusSeconds(60)))
          .isInstanceOfSatisfying(
              CloudWatchException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
              });
    }
  }

  @Test
  void theProfileLimitsGetMetricDataPerRegionAndThrottlesBeyondIt() {
    CloudProfile realistic = CloudProfile.load(CloudProfile.REALISTIC);
    assertThat(realistic.cloudwatch().requestsPerSecondPerRegion()).isEqualTo(50);
    // One request a second and no latency: a quick burst of five gets most refused.
    simulator.useProfile(
        new CloudProfile(
            "tight",
            realistic.retryAfterSeconds(),
            realistic.burstSeconds(),
            realistic.databricks(),
            realistic.sqlWarehouse(),
            realistic.s3(),
            new CloudProfile.CloudWatchFamily(
                "cloudwatch-get-metric-data", 1, new CloudProfile.Latency(0, 0))));
    List<String> codes = new ArrayList<>();
    try (CloudWatchClient once =
        cloudWatch(Region.US_WEST_2, b -> b.retryStrategy(s -> s.maxAttempts(1)))) {
      for (int i = 0; i < 5; i++) {
        try {
          one(once, "OperationsPendingReplication", "Maximum", 60, T0, T0.plusSeconds(60));
          codes.add("ok");
        } catch (CloudWatchException e) {
          codes.add(e.awsErrorDetails().errorCode());
        }
      }
    }
    assertThat(codes).contains("ok", "Throttling");
    assertThat(codes.stream().filter("Throttling"::equals).count()).isGreaterThanOrEqualTo(3);
  }

  // ListMetrics

  private static DimensionFilter filter(String name, String value) {
    return DimensionFilter.builder().name(name).value(value).build();
  }

  /** The metrics ListMetrics returns (all pages, through the SDK's paginator). */
  private static List<Metric> listed(
      CloudWatchClient client, Consumer<ListMetricsRequest.Builder> request) {
    ListMetricsRequest.Builder builder = ListMetricsRequest.builder();
    request.accept(builder);
    List<Metric> metrics = new ArrayList<>();
    client.listMetricsPaginator(builder.build()).metrics().forEach(metrics::add);
    return metrics;
  }

  /** The failover's question: which rules from the source to the destination publish metrics. */
  private List<Metric> pendingOperationsOfThePair(CloudWatchClient client, boolean recently) {
    return listed(
        client,
        r -> {
          r.namespace("AWS/S3")
              .metricName("OperationsPendingReplication")
              .dimensions(filter("SourceBucket", SOURCE), filter("DestinationBucket", DESTINATION));
          if (recently) {
            r.recentlyActive("PT3H");
          }
        });
  }

  @Test
  void listMetricsFindsThePendingMetricsInTheDestinationRegionOnlyAndTheFiltersNarrowIt() {
    replicate(true);
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    clock.advanceTo(at("04:00:00"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.namespace()).isEqualTo("AWS/S3");
              assertThat(m.metricName()).isEqualTo("OperationsPendingReplication");
              assertThat(m.dimensions())
                  .containsExactlyInAnyOrder(
                      dimension("SourceBucket", SOURCE),
                      dimension("DestinationBucket", DESTINATION),
                      dimension("RuleId", RULE));
            });
    try (CloudWatchClient east = cloudWatch(Region.US_EAST_1, b -> {})) {
      assertThat(pendingOperationsOfThePair(east, false)).isEmpty();
      assertThat(listed(east, r -> {})).isEmpty();
    }
    // Without a metric name, the rule's three metrics published here (the failures are published
    // in the source's region, and only for minutes with operations); a filter without a value
    // matches any.
    assertThat(listed(cloudWatch, r -> r.dimensions(filter("RuleId", null))))
        .extracting(Metric::metricName)
        .containsExactly(
            "BytesPendingReplication", "OperationsPendingReplication", "ReplicationLatency");
    assertThat(listed(cloudWatch, r -> r.metricName("ReplicationLatency"))).hasSize(1);
    assertThat(listed(cloudWatch, r -> r.metricName("NumberOfObjects"))).isEmpty();
    assertThat(listed(cloudWatch, r -> r.dimensions(filter("SourceBucket", "another")))).isEmpty();
    assertThat(listed(cloudWatch, r -> r.dimensions(filter("DestinationBucket", "another"))))
        .isEmpty();
    assertThat(listed(cloudWatch, r -> r.dimensions(filter("BucketName", null)))).isEmpty();
    assertThat(listed(cloudWatch, r -> r.namespace("AWS/EC2"))).isEmpty();
    assertThat(pendingOperationsOfThePair(cloudWatch, true)).hasSize(1);
    simulator.s3().withholdReplicationMetrics(DESTINATION, true);
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).isEmpty();
  }

  @Test
  void listMetricsListsARuleFifteenMinutesAfterItsFirstDatapointAndNotWithoutMetrics() {
    replicate(false);
    clock.advanceTo(at("04:00:00"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).isEmpty();
    replicate(true);
    // First minute 04:15, readable at 04:18 through GetMetricData, listed 15 minutes later.
    clock.advanceTo(at("04:18:00"));
    assertThat(points("OperationsPendingReplication", "Maximum", 60, T0, at("05:00:00")))
        .containsOnlyKeys(at("04:15:00"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).isEmpty();
    clock.advanceTo(at("04:32:59"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).isEmpty();
    clock.advanceTo(at("04:33:00"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).hasSize(1);
  }

  @Test
  void listMetricsStillListsTheRuleWhileItsSourceRegionIsDownUntilTwoWeeksHavePassed() {
    replicate(true);
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    clock.advanceTo(at("03:10:00"));
    simulator.setRegionReachable("us-east-1", false);
    clock.advanceTo(at("05:00:00"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).hasSize(1);
    assertThat(pendingOperationsOfThePair(cloudWatch, true)).hasSize(1);
    Map<Instant, Double> before =
        points("OperationsPendingReplication", "Maximum", 60, at("03:00:00"), at("05:00:00"));
    assertThat(before).hasSize(10).containsKey(at("03:09:00"));

    // The newest datapoint (03:09) is more than 3 h 50 min old: not recently active.
    clock.advanceTo(at("07:00:00"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).hasSize(1);
    assertThat(pendingOperationsOfThePair(cloudWatch, true)).isEmpty();

    // Listed while the newest datapoint is within the past two weeks.
    clock.advanceTo(Instant.parse("2026-12-09T03:09:00Z"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).hasSize(1);
    clock.advanceTo(Instant.parse("2026-12-09T03:09:01Z"));
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).isEmpty();
  }

  @Test
  void listMetricsPaginatesAtFiveHundredMetricsAndTheSdkPaginatorFollows() {
    // 167 rules, three metrics each in the destination's region: 501 metrics, two pages.
    List<ReplicationRule> rules = new ArrayList<>();
    for (int i = 0; i < 167; i++) {
      String prefix = String.format("t%03d/", i);
      rules.add(
          ReplicationRule.builder()
              .id("rule-" + i)
              .priority(i + 1)
              .status(ReplicationRuleStatus.ENABLED)
              .filter(f -> f.prefix(prefix))
              .destination(
                  d ->
                      d.bucket("arn:aws:s3:::" + DESTINATION)
                          .metrics(m -> m.status(MetricsStatus.ENABLED)))
              .deleteMarkerReplication(m -> m.status(DeleteMarkerReplicationStatus.ENABLED))
              .build());
    }
    s3.putBucketReplication(
        b -> b.bucket(SOURCE).replicationConfiguration(c -> c.role(role()).rules(rules)));
    simulator.s3().replicationMetricsEnabledAt(SOURCE, T0.minus(Duration.ofDays(1)));
    clock.advanceTo(at("04:00:00"));
    List<ListMetricsResponse> pages = new ArrayList<>();
    cloudWatch.listMetricsPaginator(r -> r.namespace("AWS/S3")).forEach(pages::add);
    assertThat(pages).extracting(p -> p.metrics().size()).containsExactly(500, 1);
    assertThat(pages.get(0).nextToken()).isNotNull();
    assertThat(pages.get(1).nextToken()).isNull();
    assertThat(pages.stream().flatMap(p -> p.metrics().stream()).distinct()).hasSize(501);
    assertThat(pendingOperationsOfThePair(cloudWatch, false)).hasSize(167);
  }

  private InvalidParameterValueException invalidListing(
      Consumer<ListMetricsRequest.Builder> request) {
    try {
      cloudWatch.listMetrics(request);
    } catch (InvalidParameterValueException e) {
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
      return e;
    }
    throw new AssertionError("the request was not refused");
  }

  @Test
  void listMetricsRefusesBadInputAsInvalidParameterValueNamingTheField() {
    assertThat(invalidListing(r -> r.recentlyActive("PT1H")).awsErrorDetails().errorMessage())
        .contains("RecentlyActive");
    List<DimensionFilter> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(filter("SourceBucket", "b" + i));
    }
    assertThat(invalidListing(r -> r.dimensions(eleven)).awsErrorDetails().errorMessage())
        .contains("Dimensions");
    assertThat(invalidListing(r -> r.nextToken("not-a-token")).awsErrorDetails().errorMessage())
        .contains("NextToken");
    assertThat(invalidListing(r -> r.includeLinkedAccounts(true)).awsErrorDetails().errorMessage())
        .contains("IncludeLinkedAccounts");
    // Ten filters are allowed.
    assertThat(listed(cloudWatch, r -> r.dimensions(eleven.subList(0, 10)))).isEmpty();
  }

  @Test
  void listMetricsIsRecordedThrottledAndRetriedLikeGetMetricData() {
    simulator
        .faults()
        .failNext(
            Simulator.CLOUDWATCH_SERVICE,
            "POST",
            CloudWatchApi.LIST_METRICS,
            1,
            Faults.Kind.THROTTLE);
    assertThat(listed(cloudWatch, r -> r.namespace("AWS/S3"))).isEmpty();
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.service().equals(Simulator.CLOUDWATCH_SERVICE))
        .allSatisfy(
            r -> {
              assertThat(r.side()).isEqualTo("secondary");
              assertThat(r.mutating()).isFalse();
              assertThat(r.path()).isEqualTo(CloudWatchApi.LIST_METRICS);
            })
        .extracting(RecordedRequest::status)
        .containsExactly(400, 200);
  }
}
