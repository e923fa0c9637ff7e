package dev.failover.activities.steps;

import static dev.failover.activities.steps.ReadinessActivitiesTest.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.RecordedRequest;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.GroupOwnedComponents;
import io.temporal.common.RetryOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workspace assets a managed DR failover group replicates (its workspace set has {@code
 * replicate_workspace_assets}) are the group's: converge verifies them against the target
 * read-only, through the real workspace client, and sends no mutating request for them.
 */
class GroupOwnedWorkspaceAssetsConvergeTest {
  private static final String KEY = "failover/acme-lakehouse/snapshots/workspace-assets.json.gz";

  @TempDir Path dir;
  private ControlPlaneActivities activities;
  private SimulatedCloud cloud;
  private CaptureActivities capture;
  private ConvergeActivities converge;

  @BeforeEach
  void start() {
    activities =
        new ControlPlaneActivities(dir, RetryOptions.newBuilder().setMaximumAttempts(1).build());
    cloud = activities.cloud;
    capture = activities.capture;
    converge = activities.converge;
  }

  @AfterEach
  void stop() {
    activities.close();
  }

  private ConvergeRequest request() {
    return ControlPlaneActivities.request(
        capture.captureControlPlane(
            SimulatedCloud.primary(), List.of(), SimulatedCloud.replicaBucket(), KEY));
  }

  private void convergeAll(ConvergeRequest request) {
    ControlPlaneActivities.convergeAll(converge, request);
  }

  private ComponentResult batch(ConvergeRequest request, String component) {
    return converge.convergeBatch(
        new ComponentBatch(request, component, 0, request.snapshot().count(component)));
  }

  @Test
  void aConvergeOfTheGroupsWorkspaceAssetsVerifiesThemAndSendsNoMutatingRequest() {
    ConvergeRequest engine = request();
    // As the group's replication leaves it: the workspace assets are in DR before the run.
    convergeAll(engine);
    ConvergeRequest grouped =
        engine.withGroupOwnedComponents(GroupOwnedComponents.WORKSPACE_ASSETS);
    cloud.simulator.requests().clear();

    int verified = 0;
    for (String component : GroupOwnedComponents.WORKSPACE_ASSETS) {
      ComponentResult result = batch(grouped, component);
      assertThat(result.counts().created() + result.counts().updated())
          .as(component + " written")
          .isZero();
      verified += result.counts().unchanged();
    }
    converge.restoreJobSchedules(grouped, null);

    assertThat(verified).as("objects verified in DR").isPositive();
    assertThat(cloud.simulator.requests().all()).as("requests sent").isNotEmpty();
    assertThat(cloud.simulator.requests().mutating("databricks", "secondary"))
        .extracting(RecordedRequest::path)
        .isEmpty();
  }

  @Test
  void aGroupOwnedJobMissingInTheTargetFailsTheStepAndNothingIsCreated() {
    ConvergeRequest grouped =
        request().withGroupOwnedComponents(GroupOwnedComponents.WORKSPACE_ASSETS);
    assertThat(grouped.snapshot().count("jobs")).isPositive();
    cloud.simulator.requests().clear();

    assertThatThrownBy(() -> batch(grouped, "jobs"))
        .satisfies(
            t -> {
              assertThat(failureOf(t).getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(failureOf(t).getOriginalMessage())
                  .contains("jobs of the snapshot missing in")
                  .contains("this tool never writes them");
            });
    assertThat(cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void theEngineStillConvergesWhatTheGroupDoesNotOwn() {
    ConvergeRequest grouped =
        request().withGroupOwnedComponents(GroupOwnedComponents.WORKSPACE_ASSETS);
    cloud.simulator.requests().clear();

    ComponentResult locations = batch(grouped, "external-locations");

    assertThat(locations.counts().created()).isPositive();
    assertThat(cloud.simulator.requests().mutating("databricks", "secondary")).isNotEmpty();
  }
}
