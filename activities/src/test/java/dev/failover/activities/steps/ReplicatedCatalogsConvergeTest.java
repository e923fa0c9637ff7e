package dev.failover.activities.steps;

import static dev.failover.activities.steps.ReadinessActivitiesTest.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalogs a managed DR failover group replicates are the group's: converge verifies them and sends
 * no mutating request for them, their schemas, tables, models or grants; it converges the rest.
 */
class ReplicatedCatalogsConvergeTest {
  private static final String KEY = "failover/acme-lakehouse/snapshots/replicated.json.gz";

  /** A securable's path in the catalog finance (not external location finance-exports). */
  private static final String IN_FINANCE =
      ".*/(catalog|catalogs|schema|schemas|table|tables|function|volume|registered_model|models)"
          + "/finance([./].*)?";

  @TempDir Path dir;
  private ControlPlaneActivities activities;
  private SimulatedCloud cloud;
  private CaptureActivities capture;
  private ConvergeActivities converge;

  @BeforeEach
  void start() {
    activities = new ControlPlaneActivities(dir);
    cloud = activities.cloud;
    capture = activities.capture;
    converge = activities.converge;
  }

  @AfterEach
  void stop() {
    activities.close();
  }

  private ConvergeRequest request(List<String> replicated) {
    return ControlPlaneActivities.request(
            capture.captureControlPlane(
                SimulatedCloud.primary(), List.of(), SimulatedCloud.replicaBucket(), KEY))
        .withReplicatedCatalogs(replicated);
  }

  private void convergeAll(ConvergeRequest request) {
    ControlPlaneActivities.convergeAll(converge, request);
  }

  @Test
  void aConvergeOverACatalogTheGroupReplicatesNeverWritesItOrWhatLiesInIt() {
    WorkspaceState dr = cloud.simulator.workspace("secondary");
    // As the group replicated it: the catalog is in DR before the run.
    dr.createCatalog(
        "finance", "Finance, restricted", Map.of(), "s3://acme-lakehouse-usw2/uc/finance");
    String owner = dr.catalog("finance").owner();
    ConvergeRequest request = request(List.of("finance"));
    cloud.simulator.requests().clear();

    convergeAll(request);

    assertThat(cloud.simulator.requests().mutating("databricks", "secondary"))
        .extracting(RecordedRequest::path)
        .isNotEmpty()
        .noneMatch(path -> path.matches(IN_FINANCE));
    // As the group made it: with the default schema Unity Catalog creates with a catalog.
    assertThat(dr.schemas("finance"))
        .extracting(WorkspaceState.Schema::name)
        .containsOnly("information_schema", "default");
    assertThat(dr.catalog("finance").owner()).isEqualTo(owner);
    assertThat(dr.grants("catalog", "finance")).isEmpty();
    // The rest converged as without managed DR.
    assertThat(dr.schemas("sales")).extracting(WorkspaceState.Schema::name).contains("bronze");
  }

  @Test
  void aReplicatedCatalogMissingInTheTargetFailsTheStepAndNothingIsCreatedForIt() {
    ConvergeRequest request = request(List.of("finance"));

    assertThatThrownBy(() -> converge.convergeCatalogs(request))
        .satisfies(
            t -> {
              assertThat(failureOf(t).getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(failureOf(t).getOriginalMessage())
                  .contains("catalog finance is replicated by the managed DR failover group");
            });
    assertThat(cloud.simulator.workspace("secondary").catalogs())
        .extracting(WorkspaceState.Catalog::name)
        .doesNotContain("finance");
  }
}
