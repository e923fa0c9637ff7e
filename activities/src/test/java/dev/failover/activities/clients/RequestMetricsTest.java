package dev.failover.activities.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.service.catalog.CreateCatalog;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.errors.CallRetry;
import dev.failover.activities.metrics.EngineMetrics;
import dev.failover.simulator.Faults;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/**
 * The worker counts every attempt its real SDK clients send to the simulator, the throttled ones,
 * and the SDKs' own retries, per target and API family.
 */
class RequestMetricsTest {
  @TempDir Path dir;
  private SimulatedCloud cloud;
  private SimpleMeterRegistry registry;
  private CloudClients clients;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    registry = new SimpleMeterRegistry();
    clients =
        new CloudClients(
            CloudClientsConfig.builder()
                .databricksConfigFile(dir.resolve("databrickscfg"))
                .awsCredentialsFile(dir.resolve("aws-credentials"))
                .workspaceEndpoints(
                    Map.of(SimulatedCloud.PRIMARY_HOST, cloud.simulator.workspaceUrl("primary")))
                .s3Endpoint(cloud.simulator.s3Url())
                .cloudWatchEndpoint(cloud.simulator.cloudWatchUrl())
                .httpTimeoutSeconds(10)
                .build(),
            new EngineMetrics(registry, Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    clients.close();
    cloud.close();
  }

  @Test
  void aDatabricksCallThrottledOnceCountsTwoAttemptsOne429AndOneRetry() {
    cloud
        .simulator
        .faults()
        .failNext("databricks", "GET", "/api/2.1/unity-catalog/catalogs", 1, Faults.Kind.THROTTLE);

    clients
        .workspace(SimulatedCloud.primary())
        .catalogs()
        .list(new ListCatalogsRequest())
        .iterator()
        .hasNext();

    String[] catalogs = {"databricks", SimulatedCloud.PRIMARY_HOST, "unity-catalog"};
    assertThat(count(EngineMetrics.REQUESTS, catalogs)).isEqualTo(2);
    assertThat(count(EngineMetrics.THROTTLED, catalogs)).isEqualTo(1);
    assertThat(count(EngineMetrics.RETRIES, catalogs)).isEqualTo(1);
  }

  @Test
  void anS3CallAnsweredSlowDownOnceCountsTwoAttemptsOneThrottledAndOneRetry() {
    cloud.simulator.faults().failNext("s3", "GET", "/acme-lakehouse-usw2", 1, Faults.Kind.THROTTLE);

    clients
        .s3(SimulatedCloud.replicaBucket())
        .listObjectsV2(list -> list.bucket("acme-lakehouse-usw2").maxKeys(1));

    String[] reads = {"s3", "acme-lakehouse-usw2", "s3-read"};
    assertThat(count(EngineMetrics.REQUESTS, reads)).isEqualTo(2);
    assertThat(count(EngineMetrics.THROTTLED, reads)).isEqualTo(1);
    assertThat(count(EngineMetrics.RETRIES, reads)).isEqualTo(1);
  }

  @Test
  void aCloudWatchCallThrottledOnceCountsTwoAttemptsOneThrottledAndOneRetry() {
    cloud.simulator.faults().failNext("cloudwatch", "POST", "/service/", 1, Faults.Kind.THROTTLE);

    clients
        .cloudWatch(SimulatedCloud.replicaBucket())
        .getMetricData(
            get ->
                get.startTime(java.time.Instant.now().minus(Duration.ofMinutes(15)))
                    .endTime(java.time.Instant.now())
                    .metricDataQueries(
                        MetricDataQuery.builder()
                            .id("pending")
                            .metricStat(
                                s ->
                                    s.metric(
                                            m ->
                                                m.namespace("AWS/S3")
                                                    .metricName("OperationsPendingReplication"))
                                        .period(60)
                                        .stat("Maximum"))
                            .build()));

    String[] cloudWatch = {"cloudwatch", "127.0.0.1", "cloudwatch"};
    assertThat(count(EngineMetrics.REQUESTS, cloudWatch)).isEqualTo(2);
    assertThat(count(EngineMetrics.THROTTLED, cloudWatch)).isEqualTo(1);
    assertThat(count(EngineMetrics.RETRIES, cloudWatch)).isEqualTo(1);
  }

  @Test
  void aCallTheEnginesCallRetryRepeatsCountsItsSecondAttemptAsARetry() {
    // The SDK does not retry a POST answered 500 (its outcome is unknown); the engine's CallRetry
    // does, for a create that is safe to repeat.
    cloud
        .simulator
        .faults()
        .failNext(
            "databricks", "POST", "/api/2.1/unity-catalog/catalogs", 1, Faults.Kind.SERVER_ERROR);
    CallRetry retry =
        new CallRetry(3, Duration.ofMillis(10), Duration.ofMillis(50), d -> Thread.sleep(10));

    retry.databricksCreate(
        "create catalog metrics_probe",
        () ->
            clients
                .workspace(SimulatedCloud.primary())
                .catalogs()
                .create(new CreateCatalog().setName("metrics_probe")));

    String[] catalogs = {"databricks", SimulatedCloud.PRIMARY_HOST, "unity-catalog"};
    assertThat(retry.retries()).isEqualTo(1);
    assertThat(count(EngineMetrics.REQUESTS, catalogs)).isEqualTo(2);
    assertThat(count(EngineMetrics.RETRIES, catalogs)).isEqualTo(1);
    assertThat(count(EngineMetrics.THROTTLED, catalogs)).isZero();
  }

  @Test
  void aRetriedAttemptThatSentNothingLeavesNoMarkOnTheNextRequest() {
    CallRetry retry = new CallRetry(2, Duration.ofMillis(1), Duration.ofMillis(1), d -> {});
    // Both attempts fail before sending anything; the second was marked as a retry.
    assertThatThrownBy(
            () ->
                retry.aws(
                    "fail before sending",
                    () -> {
                      throw software.amazon.awssdk.core.exception.SdkClientException.create(
                          "nothing sent");
                    }))
        .isInstanceOf(io.temporal.failure.ApplicationFailure.class);

    clients
        .s3(SimulatedCloud.replicaBucket())
        .listObjectsV2(list -> list.bucket("acme-lakehouse-usw2").maxKeys(1));

    String[] reads = {"s3", "acme-lakehouse-usw2", "s3-read"};
    assertThat(count(EngineMetrics.REQUESTS, reads)).isEqualTo(1);
    assertThat(count(EngineMetrics.RETRIES, reads)).isZero();
  }

  @Test
  void requestsWithoutFaultsCountNoRetryAndNoThrottling() {
    for (int i = 0; i < 2; i++) {
      clients
          .workspace(SimulatedCloud.primary())
          .catalogs()
          .list(new ListCatalogsRequest())
          .iterator()
          .hasNext();
    }

    String[] catalogs = {"databricks", SimulatedCloud.PRIMARY_HOST, "unity-catalog"};
    assertThat(count(EngineMetrics.REQUESTS, catalogs)).isEqualTo(2);
    assertThat(count(EngineMetrics.RETRIES, catalogs)).isZero();
    assertThat(count(EngineMetrics.THROTTLED, catalogs)).isZero();
  }

  /** A counter's count for service, target and family; 0 when it was never registered. */
  private double count(String name, String[] serviceTargetFamily) {
    Counter counter =
        registry
            .find(name)
            .tag("service", serviceTargetFamily[0])
            .tag("target", serviceTargetFamily[1])
            .tag("family", serviceTargetFamily[2])
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
