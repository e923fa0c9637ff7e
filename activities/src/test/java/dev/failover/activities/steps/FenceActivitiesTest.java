package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.databricks.JobsState;
import dev.failover.simulator.databricks.WarehousesState;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.steps.FenceActivities;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.FenceResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fencing the demo primary through the real Databricks SDK, and lifting the fence. */
class FenceActivitiesTest {
  private static final String KEY = "failover/acme-lakehouse/fence/primary.json";
  private static final FenceRequest PRIMARY =
      new FenceRequest(SimulatedCloud.primary(), SimulatedCloud.replicaBucket(), KEY, "run-1");

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private TestActivityEnvironment env;
  private FenceActivities fencing;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    env = ActivityEnvironments.withHeartbeats();
    env.registerActivitiesImplementations(new FenceActivitiesImpl(cloud.clients));
    fencing =
        env.newActivityStub(
            FenceActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void stop() {
    env.close();
    cloud.close();
  }

  private WorkspaceState primary() {
    return cloud.simulator.workspace("primary");
  }

  private Map<String, String> pauseStatusByJob() {
    return primary().jobs().jobs().stream()
        .filter(j -> j.settings().has("schedule"))
        .collect(
            Collectors.toMap(
                j -> j.settings().get("name").asText(),
                j -> j.settings().get("schedule").get("pause_status").asText()));
  }

  private WarehousesState.State state(String name) {
    return primary().warehouses().warehouses().stream()
        .filter(w -> w.config().get("name").asText().equals(name))
        .findFirst()
        .orElseThrow()
        .state();
  }

  @Test
  void fencePausesActiveSchedulesAndStopsRunningWarehousesAndUnfenceRestoresOnlyThose() {
    FenceResult fenced = fencing.fence(PRIMARY);

    // Four scheduled jobs, the file-arrival job and the continuous job.
    assertThat(fenced.jobs())
        .hasSize(6)
        .anyMatch(j -> j.endsWith(" nightly-orders-etl [schedule]"))
        .anyMatch(j -> j.endsWith(" hourly-ledger-refresh [schedule]"));
    assertThat(fenced.warehouses()).singleElement().asString().endsWith(" bi-warehouse");
    assertThat(pauseStatusByJob())
        .containsEntry("nightly-orders-etl", "PAUSED")
        .containsEntry("hourly-ledger-refresh", "PAUSED")
        .containsEntry("quarterly-archive", "PAUSED");
    assertThat(state("bi-warehouse"))
        .isIn(WarehousesState.State.STOPPING, WarehousesState.State.STOPPED);
    // The schedule itself is kept: only its pause status changed.
    JobsState.Job nightly =
        primary().jobs().jobs().stream()
            .filter(j -> j.settings().get("name").asText().equals("nightly-orders-etl"))
            .findFirst()
            .orElseThrow();
    assertThat(nightly.settings().get("schedule").get("quartz_cron_expression").asText())
        .isEqualTo("0 0 2 * * ?");
    assertThat(nightly.settings().get("tasks")).hasSize(1);
    assertThat(cloud.simulator.s3().getObject("acme-lakehouse-usw2", KEY).content()).isNotEmpty();

    // A second fence (a retry) finds nothing left to do and changes nothing.
    cloud.simulator.requests().clear();
    FenceResult again = fencing.fence(PRIMARY);
    assertThat(again.jobs()).isEmpty();
    assertThat(again.warehouses()).isEmpty();
    assertThat(again.runs()).isEmpty();
    assertThat(cloud.simulator.requests().mutating("databricks", "primary")).isEmpty();

    FenceResult unfenced = fencing.unfence(PRIMARY);

    assertThat(unfenced.jobs()).hasSize(6);
    assertThat(unfenced.notDone()).isEmpty();
    assertThat(pauseStatusByJob())
        .containsEntry("nightly-orders-etl", "UNPAUSED")
        .containsEntry("hourly-ledger-refresh", "UNPAUSED")
        // Paused by its owners before the fence: it stays paused.
        .containsEntry("quarterly-archive", "PAUSED");
    assertThat(state("bi-warehouse"))
        .isIn(WarehousesState.State.STARTING, WarehousesState.State.RUNNING);
    assertThat(state("finance-adhoc"))
        .isIn(WarehousesState.State.STOPPING, WarehousesState.State.STOPPED);
    assertThat(fencing.unfence(PRIMARY).notDone())
        .containsExactly("no fence recorded for the primary workspace");
  }

  @Test
  void unfenceReportsAJobDeletedSinceTheFence() {
    fencing.fence(PRIMARY);
    long nightly =
        primary().jobs().jobs().stream()
            .filter(j -> j.settings().get("name").asText().equals("nightly-orders-etl"))
            .findFirst()
            .orElseThrow()
            .jobId();
    primary().jobs().delete(nightly);

    FenceResult unfenced = fencing.unfence(PRIMARY);

    assertThat(unfenced.notDone())
        .containsExactly("job " + nightly + " nightly-orders-etl no longer exists");
    assertThat(pauseStatusByJob()).containsEntry("hourly-ledger-refresh", "UNPAUSED");
  }
}
