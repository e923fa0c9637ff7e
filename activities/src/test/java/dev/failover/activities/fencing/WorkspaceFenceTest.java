package dev.failover.activities.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.errors.CallRetry;
import dev.failover.activities.storage.StateObjects;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.Faults;
import dev.failover.simulator.databricks.JobsState;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.runbook.FenceSettings;
import dev.failover.workflows.runbook.FenceSettings.RunsInProgress;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.FenceResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing the demo primary's writers (a file-arrival job, a continuous job, a run in progress, a
 * continuous pipeline) through the real Databricks SDK, with each choice for runs in progress, and
 * with answers lost on the way.
 */
class WorkspaceFenceTest {
  private static final String KEY = "failover/acme-lakehouse/fence/primary.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private SimulatedCloud cloud;

  /** The fence's clock: each reading moves it on by {@link #step}, so a wait ends in few polls. */
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

  private Duration step = Duration.ZERO;

  /** What happens in the workspace while the fence waits between two polls. */
  private Runnable meanwhile = () -> {};

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private WorkspaceFence fence() {
    CallRetry retry = new CallRetry(6, Duration.ofMillis(10), Duration.ofMillis(50), d -> {});
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now.getAndUpdate(t -> t.plus(step));
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    return new WorkspaceFence(
        cloud.clients.workspace(SimulatedCloud.primary()),
        new StateObjects(cloud.clients, retry),
        retry,
        done -> {},
        clock,
        Duration.ofMillis(20),
        d -> meanwhile.run());
  }

  private static FenceRequest request(RunsInProgress runs, int waitMinutes) {
    return new FenceRequest(
        SimulatedCloud.primary(),
        SimulatedCloud.replicaBucket(),
        KEY,
        "run-1",
        new FenceSettings(runs, waitMinutes));
  }

  private WorkspaceState primary() {
    return cloud.simulator.workspace("primary");
  }

  private JobsState.Job job(String name) {
    return primary().jobs().jobs().stream()
        .filter(j -> j.settings().path("name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private String pause(String name, String field) {
    return job(name).settings().path(field).path("pause_status").asText();
  }

  private List<JsonNode> activeRuns() {
    return primary().jobs().runs().stream()
        .filter(r -> !r.path("state").path("life_cycle_state").asText().equals("TERMINATED"))
        .map(r -> (JsonNode) r)
        .toList();
  }

  private String pipelineState() {
    return primary().pipelines().list().stream()
        .filter(p -> p.path("name").asText().equals(DemoWorkspace.CONTINUOUS_PIPELINE))
        .findFirst()
        .orElseThrow()
        .path("state")
        .asText();
  }

  @Test
  void cancelStopsEveryWriterAndUnfenceRestoresWhatTheFenceChanged() {
    assertThat(activeRuns()).hasSize(2);
    assertThat(pipelineState()).isEqualTo("RUNNING");

    FenceResult fenced = fence().fence(request(RunsInProgress.CANCEL, 10));

    assertThat(pause(DemoWorkspace.FILE_ARRIVAL_JOB, "trigger")).isEqualTo("PAUSED");
    assertThat(pause(DemoWorkspace.CONTINUOUS_JOB, "continuous")).isEqualTo("PAUSED");
    assertThat(pause("nightly-orders-etl", "schedule")).isEqualTo("PAUSED");
    assertThat(activeRuns()).isEmpty();
    assertThat(pipelineState()).isEqualTo("IDLE");
    assertThat(fenced.pipelines()).singleElement().asString().contains("(continuous)");
    assertThat(fenced.runs())
        .hasSize(2)
        .allMatch(r -> r.endsWith(": cancelled"))
        .anyMatch(r -> r.contains(DemoWorkspace.RUNNING_JOB))
        .anyMatch(r -> r.contains(DemoWorkspace.CONTINUOUS_JOB));
    assertThat(fenced.risks()).isEmpty();
    assertThat(fenced.jobs())
        .anyMatch(j -> j.endsWith(DemoWorkspace.FILE_ARRIVAL_JOB + " [trigger]"))
        .anyMatch(j -> j.endsWith(DemoWorkspace.CONTINUOUS_JOB + " [continuous]"));

    FenceResult unfenced = fence().unfence(request(RunsInProgress.CANCEL, 10));

    assertThat(pause(DemoWorkspace.FILE_ARRIVAL_JOB, "trigger")).isEqualTo("UNPAUSED");
    assertThat(pause(DemoWorkspace.CONTINUOUS_JOB, "continuous")).isEqualTo("UNPAUSED");
    assertThat(pause("quarterly-archive", "schedule")).isEqualTo("PAUSED");
    assertThat(pipelineState()).isEqualTo("RUNNING");
    // The continuous job runs again by itself; the cancelled one-time run is not run again.
    assertThat(activeRuns())
        .singleElement()
        .satisfies(r -> assertThat(r.path("trigger").asText()).isEqualTo("CONTINUOUS"));
    assertThat(unfenced.runs()).hasSize(2).allMatch(r -> r.endsWith("not run again"));
    assertThat(unfenced.notDone()).isEmpty();
  }

  /**
   * A job with the [Beta] {@code triggers}, which SDK 0.141.0 does not have: a periodic and a
   * continuous entry unpaused, a file arrival its owners paused.
   */
  private long jobWithTriggers() {
    primary().jobs().multipleTriggers(true);
    ObjectNode settings = JSON.createObjectNode().put("name", "multi-trigger-ingest");
    ArrayNode triggers = settings.putArray("triggers");
    triggers.addObject().putObject("periodic").put("interval", 1).put("unit", "HOURS");
    triggers.addObject().putObject("continuous");
    triggers
        .addObject()
        .put("pause_status", "PAUSED")
        .putObject("file_arrival")
        .put("url", "s3://acme-lakehouse-use1/landing/");
    return primary().jobs().create(settings);
  }

  private List<String> entryPauses(String name) {
    List<String> pauses = new java.util.ArrayList<>();
    job(name).settings().path("triggers").forEach(t -> pauses.add(t.path("pause_status").asText()));
    return pauses;
  }

  @Test
  void theEntriesOfTriggersArePausedAsTheLegacyFieldsAndUnfencingResumesOnlyThoseItPaused() {
    long id = jobWithTriggers();
    step = Duration.ofSeconds(1);
    assertThat(primary().jobs().runs())
        .anyMatch(
            r ->
                r.path("job_id").asLong() == id && r.path("trigger").asText().equals("CONTINUOUS"));

    FenceResult fenced = fence().fence(request(RunsInProgress.WAIT, 1));

    assertThat(entryPauses("multi-trigger-ingest")).containsExactly("PAUSED", "PAUSED", "PAUSED");
    assertThat(fenced.jobs())
        .contains(id + " multi-trigger-ingest [triggers[0]:periodic, triggers[1]:continuous]");
    // Its continuous entry counts as continuous runs: waiting cancels its run, as for the others.
    assertThat(fenced.runs())
        .anyMatch(r -> r.contains("multi-trigger-ingest") && r.endsWith(": cancelled"));
    assertThat(activeRuns()).noneMatch(r -> r.path("job_id").asLong() == id);

    FenceResult unfenced = fence().unfence(request(RunsInProgress.WAIT, 1));

    assertThat(entryPauses("multi-trigger-ingest"))
        .containsExactly("UNPAUSED", "UNPAUSED", "PAUSED");
    assertThat(unfenced.notDone()).isEmpty();
    assertThat(activeRuns()).anyMatch(r -> r.path("job_id").asLong() == id);
  }

  @Test
  void waitLetsRunsFinishAndReportsThoseStillGoingAtTheBoundAsRisks() {
    long quick = primary().jobs().startRun(job("adhoc-backfill").jobId(), "ONE_TIME", null);
    // The quick run's work is done once the fence has turned to the runs (it cancels the
    // continuous job's run first).
    meanwhile =
        () -> {
          boolean streamRunning =
              primary().jobs().runs().stream()
                  .anyMatch(
                      r ->
                          r.path("run_name").asText().equals(DemoWorkspace.CONTINUOUS_JOB)
                              && r.path("state")
                                  .path("life_cycle_state")
                                  .asText()
                                  .equals("RUNNING"));
          if (!streamRunning) {
            primary().jobs().finishRun(quick);
          }
        };
    step = Duration.ofSeconds(1);

    FenceResult fenced = fence().fence(request(RunsInProgress.WAIT, 1));

    // The continuous job's run never ends by itself: waiting cancels it.
    assertThat(fenced.runs())
        .anyMatch(r -> r.contains(DemoWorkspace.CONTINUOUS_JOB) && r.endsWith(": cancelled"))
        .anyMatch(r -> r.startsWith("run " + quick + " ") && r.endsWith(": ended during the wait"))
        .anyMatch(r -> r.contains(DemoWorkspace.RUNNING_JOB) && r.endsWith(": still running"));
    assertThat(fenced.risks())
        .singleElement()
        .asString()
        .contains(DemoWorkspace.RUNNING_JOB)
        .endsWith("still running after 1 minute(s)");
  }

  @Test
  void leaveReportsEveryRunInProgressAsARisk() {
    FenceResult fenced = fence().fence(request(RunsInProgress.LEAVE, 10));

    assertThat(fenced.risks())
        .hasSize(2)
        .allMatch(r -> r.endsWith("left running (fence.runsInProgress: leave)"));
    assertThat(activeRuns()).hasSize(2);
    assertThat(pause(DemoWorkspace.CONTINUOUS_JOB, "continuous")).isEqualTo("PAUSED");
    assertThat(fenced.runs()).allMatch(r -> r.endsWith(": left running"));
  }

  @Test
  void aFenceAndAnUnfenceWhoseAnswersAreLostEndAsIfNoneWere() {
    var faults = cloud.simulator.faults();
    for (String path :
        List.of(
            "/api/2.2/jobs/update",
            "/api/2.2/jobs/runs/cancel",
            "/api/2.0/sql/warehouses/",
            "/api/2.0/pipelines/")) {
      faults.failNext("databricks", "POST", path, 1, Faults.Kind.ANSWER_LOST);
    }
    faults.failNext("s3", "PUT", "/acme-lakehouse-usw2/" + KEY, 1, Faults.Kind.ANSWER_LOST);

    FenceResult fenced = fence().fence(request(RunsInProgress.CANCEL, 10));

    assertThat(fenced.risks()).isEmpty();
    assertThat(activeRuns()).isEmpty();
    assertThat(pipelineState()).isEqualTo("IDLE");
    assertThat(pause(DemoWorkspace.FILE_ARRIVAL_JOB, "trigger")).isEqualTo("PAUSED");
    assertThat(cloud.simulator.faults().injected()).isGreaterThanOrEqualTo(4);

    faults.failNext("databricks", "POST", "/api/2.0/pipelines/", 1, Faults.Kind.ANSWER_LOST);
    faults.failNext("databricks", "POST", "/api/2.2/jobs/update", 1, Faults.Kind.ANSWER_LOST);
    FenceResult unfenced = fence().unfence(request(RunsInProgress.CANCEL, 10));

    assertThat(unfenced.notDone()).isEmpty();
    assertThat(unfenced.pipelines())
        .singleElement()
        .asString()
        .contains(DemoWorkspace.CONTINUOUS_PIPELINE);
    assertThat(pipelineState()).isEqualTo("RUNNING");
    assertThat(pause(DemoWorkspace.FILE_ARRIVAL_JOB, "trigger")).isEqualTo("UNPAUSED");
    assertThat(pause(DemoWorkspace.CONTINUOUS_JOB, "continuous")).isEqualTo("UNPAUSED");
    assertThat(activeRuns()).hasSize(1);
  }

  @Test
  void aRetriedFenceKeepsWhatTheFirstRecordedAndChangesNothingMore() {
    fence().fence(request(RunsInProgress.CANCEL, 10));
    cloud.simulator.requests().clear();

    FenceResult again = fence().fence(request(RunsInProgress.CANCEL, 10));

    assertThat(again.jobs()).isEmpty();
    assertThat(again.pipelines()).isEmpty();
    assertThat(again.runs()).isEmpty();
    assertThat(cloud.simulator.requests().mutating("databricks", "primary")).isEmpty();
    fence().unfence(request(RunsInProgress.CANCEL, 10));
    assertThat(pipelineState()).isEqualTo("RUNNING");
    assertThat(pause(DemoWorkspace.FILE_ARRIVAL_JOB, "trigger")).isEqualTo("UNPAUSED");
  }
}
