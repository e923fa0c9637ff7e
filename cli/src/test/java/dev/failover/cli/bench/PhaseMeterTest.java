package dev.failover.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.profile.CloudProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's lower bound: the slowest family's requests over its rate, or SQL's run time. */
class PhaseMeterTest {
  private final CloudProfile profile = CloudProfile.load(CloudProfile.REALISTIC);
  private final PhaseMeter meter = new PhaseMeter(profile);

  @Test
  void theBoundIsTheLargestFamilysRequestsOverItsRate() {
    List<RecordedRequest> requests = new ArrayList<>();
    // 200 job creations at 20/s: 10 s; 300 permission reads at 100/s: 3 s.
    add(requests, 200, "databricks", "secondary", "POST", "/api/2.2/jobs/create", 200);
    add(requests, 300, "databricks", "secondary", "GET", "/api/2.0/permissions/jobs/1", 200);
    // Two workspaces have their own limits: 100 more job reads on the primary do not add up.
    add(requests, 100, "databricks", "primary", "GET", "/api/2.2/jobs/get", 200);
    add(requests, 5, "databricks", "secondary", "POST", "/api/2.2/jobs/create", 429);

    PhaseResult result =
        meter.measure("converge", 1, 12.0, requests, new PhaseResult.Heap(100, 60), 500);

    assertThat(result.boundFamily()).isEqualTo("secondary jobs");
    assertThat(result.boundSeconds()).isCloseTo(10.25, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(result.throttled()).isEqualTo(5);
    assertThat(result.retries()).isEqualTo(5);
    assertThat(result.requestsByFamily()).containsEntry("jobs", 305L);
    assertThat(result.ratio()).isCloseTo(12.0 / 10.25, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void cloudWatchRequestsAreBoundByTheirRegionsRate() {
    List<RecordedRequest> requests = new ArrayList<>();
    // 500 GetMetricData at 50/s in DR's region: 10 s; 100 UC reads at 25/s: 4 s.
    add(
        requests,
        500,
        "cloudwatch",
        "secondary",
        "POST",
        "/service/GraniteServiceVersion20100801/operation/GetMetricData",
        200);
    add(requests, 100, "databricks", "secondary", "GET", "/api/2.1/unity-catalog/catalogs", 200);

    PhaseResult result = meter.measure("readiness", 1, 12.0, requests, PhaseResult.Heap.NONE, -1);

    assertThat(result.boundFamily()).isEqualTo("secondary cloudwatch-get-metric-data");
    assertThat(result.boundSeconds()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(result.requestsByFamily()).containsEntry("cloudwatch-get-metric-data", 500L);
  }

  @Test
  void sqlStatementsAreBoundByRunTimeOverWarehouseConcurrency() {
    List<RecordedRequest> requests = new ArrayList<>();
    add(requests, 1_000, "databricks", "secondary", "POST", "/api/2.0/sql/statements/", 200);

    PhaseResult result = meter.measure("grants", 1, 60, requests, PhaseResult.Heap.NONE, -1);

    // Mean of a log-normal with median 400 ms and p99 3 s is about 0.58 s; 10 at once.
    assertThat(result.boundFamily()).isEqualTo("secondary sql-statements run time");
    assertThat(result.boundSeconds()).isBetween(55.0, 62.0);
  }

  @Test
  void aPhaseOfPartsOneAfterAnotherIsBoundByTheSumOfThePartsBounds() {
    List<RecordedRequest> readiness = new ArrayList<>();
    // 100 UC reads at 25/s: 4 s.
    add(readiness, 100, "databricks", "secondary", "GET", "/api/2.1/unity-catalog/catalogs", 200);
    List<RecordedRequest> writes = new ArrayList<>();
    // 40 job creations at 20/s: 2 s; 10 permission PUTs at 30/s: 0.33 s.
    add(writes, 40, "databricks", "secondary", "POST", "/api/2.2/jobs/create", 200);
    add(writes, 10, "databricks", "secondary", "PUT", "/api/2.0/permissions/jobs/1", 200);
    java.util.Map<String, List<RecordedRequest>> parts = new java.util.LinkedHashMap<>();
    parts.put("readiness", readiness);
    parts.put("writes to DR", writes);

    PhaseResult result = meter.measureParts("failover against its target", 1, 12.0, parts, 280);

    assertThat(result.boundSeconds()).isCloseTo(6.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(result.boundFamily())
        .isEqualTo(
            "sum of readiness 4.0: secondary unity-catalog + writes to DR 2.0: secondary jobs");
    assertThat(result.requests()).isEqualTo(150);
    assertThat(result.historyEvents()).isEqualTo(280);
    assertThat(result.ratio()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void theReportListsEachRunsStepsInTheOrderTheyStarted() {
    List<RecordedRequest> requests = new ArrayList<>();
    add(requests, 10, "databricks", "secondary", "GET", "/api/2.2/jobs/get", 200);
    java.util.Map<String, Double> steps = new java.util.LinkedHashMap<>();
    steps.put("readiness", 2.0);
    steps.put("converge-jobs", 7.25);
    PhaseResult run =
        meter
            .measure("drill", 1, 10, requests, new PhaseResult.Heap(100, 60), 300)
            .withSteps(steps);
    PhaseResult step = meter.measure("readiness", 1, 2, requests, PhaseResult.Heap.NONE, -1);

    BenchmarkReport report = new BenchmarkReport("realistic", List.of(run, step));

    assertThat(report.markdown()).contains("- drill: readiness 2.0, converge-jobs 7.3\n");
    assertThat(report.markdown()).doesNotContain("- readiness: readiness");
    assertThat(report.json()).contains("\"stepSeconds\" : {", "\"converge-jobs\" : 7.25");
  }

  @Test
  void aPhaseThatSawNoCollectionSaysSoInsteadOfZero() {
    List<RecordedRequest> requests = new ArrayList<>();
    add(requests, 10, "databricks", "primary", "GET", "/api/2.2/jobs/get", 200);
    PhaseResult collected =
        meter.measure("drill", 1, 10, requests, new PhaseResult.Heap(300, 120), 300);
    PhaseResult uncollected =
        meter.measure("capture", 1, 4, requests, new PhaseResult.Heap(246, 0), 29);

    String markdown = new BenchmarkReport("realistic", List.of(collected, uncollected)).markdown();

    assertThat(markdown).contains("| 300 (120) |").contains("| 246 (no collection) |");
  }

  @Test
  void aRunsCpuTimeIsShownForTheWorkerAndTheSandboxWithHowBusyTheCoresWereAndTheGcPauses() {
    List<RecordedRequest> requests = new ArrayList<>();
    add(requests, 10, "databricks", "primary", "GET", "/api/2.2/jobs/get", 200);
    PhaseResult run =
        meter
            .measure("drill", 1, 10, requests, new PhaseResult.Heap(300, 120), 300)
            .withCpu(new PhaseResult.Cpu(9, 6, 4.5, 1.25, 2));
    PhaseResult step = meter.measure("readiness", 1, 2, requests, PhaseResult.Heap.NONE, -1);

    BenchmarkReport report = new BenchmarkReport("realistic", List.of(run, step));

    // 9 + 6 s of CPU over 10 s of wall on 2 cores: 75% busy.
    assertThat(report.markdown())
        .contains("| 300 | 9.0 + 6.0 (4.5) 75%, GC 1.3 |")
        .contains("| - | - |");
    assertThat(report.json())
        .contains(
            "\"workerSeconds\" : 9.0", "\"sandboxSeconds\" : 6.0", "\"simulatorSeconds\" : 4.5");
  }

  private static void add(
      List<RecordedRequest> requests,
      int count,
      String service,
      String side,
      String method,
      String path,
      int status) {
    for (int i = 0; i < count; i++) {
      requests.add(
          new RecordedRequest(
              service, side, method, path, "", !method.equals("GET"), status, 0L, ""));
    }
  }
}
