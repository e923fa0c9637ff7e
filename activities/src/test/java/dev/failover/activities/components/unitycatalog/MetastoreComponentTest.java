package dev.failover.activities.components.unitycatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.components.Component.Securable;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.unitycatalog.MetastoreComponent.Assignment;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.databricks.MetastoresState;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.steps.ChangeCounts;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DR workspace is assigned the metastore of its region, with the primary's default catalog; a
 * drill unassigns only an assignment it made, and never deletes a metastore.
 */
class MetastoreComponentTest {
  @TempDir Path dir;
  private ComponentHarness<Assignment> harness;
  private WorkspaceState primary;
  private WorkspaceState secondary;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new MetastoreComponent());
    primary = harness.cloud.simulator.workspace("primary");
    secondary = harness.cloud.simulator.workspace("secondary");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private MetastoresState dr() {
    return secondary.metastores();
  }

  private int drMutations() {
    return harness.cloud.simulator.requests().mutating("databricks", "secondary").size();
  }

  @Test
  void convergeAssignsTheMetastoreOfTheDrRegionOnceAndThenChangesNothing() {
    List<Assignment> captured = harness.capturePrimary();
    assertThat(captured)
        .containsExactly(
            new Assignment(
                primary.metastoreId(), DemoWorkspace.PRIMARY_METASTORE, "us-east-1", "main"));
    assertThat(harness.component.securables(captured.get(0)))
        .containsExactly(new Securable("metastore", primary.metastoreId()));

    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(1, 0, 0, 0));
    assertThat(dr().assignment())
        .isEqualTo(new MetastoresState.Assignment(secondary.metastoreId(), "main"));
    assertThat(dr().assigned().name()).isEqualTo(DemoWorkspace.DR_METASTORE);

    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(0, 0, 1, 0));
    assertThat(drMutations()).isZero();
  }

  @Test
  void aChangedDefaultCatalogIsUpdated() {
    List<Assignment> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    dr().updateAssignment(dr().workspaceId(), null, "hive_metastore");

    var result = harness.converge(captured, null, false);
    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 1, 0, 0));
    assertThat(result.differences())
        .containsExactly(MetastoreComponent.KEY + " differs in default_catalog_name");
    assertThat(dr().assignment().defaultCatalogName()).isEqualTo("main");
  }

  @Test
  void theRegionsMetastoreIsFoundOnAnyPageOfTheList() {
    for (int i = 0; i < 70; i++) {
      dr().register(String.format("0000-%02d", i), "other-" + i, "eu-central-1", null);
    }
    harness.converge(harness.capturePrimary(), null, false);
    assertThat(dr().assignment().metastoreId()).isEqualTo(secondary.metastoreId());
    assertThat(
            harness.cloud.simulator.requests().all().stream()
                .filter(r -> r.side().equals("secondary"))
                .filter(r -> r.path().endsWith("/unity-catalog/metastores")))
        .as("the list was read page by page")
        .hasSizeGreaterThan(1);
  }

  @Test
  void withoutAMetastoreInItsRegionDrGetsOneNamedAfterTheRunbook() {
    dr().delete(secondary.metastoreId(), false);
    harness.converge(harness.capturePrimary(), null, false);
    MetastoresState.Metastore created = dr().assigned();
    assertThat(created.name()).isEqualTo("acme-lakehouse-us-west-2");
    assertThat(created.region()).isEqualTo("us-west-2");
    assertThat(dr().assignment().defaultCatalogName()).isEqualTo("main");
  }

  @Test
  void anAssignmentMadeMeanwhileIsNotDuplicated() {
    List<Assignment> captured = harness.capturePrimary();
    dr().assign(dr().workspaceId(), secondary.metastoreId(), "main");

    assertThat(BlindComponent.converge(harness, captured).counts().created()).isEqualTo(1);
    assertThat(dr().assignment())
        .isEqualTo(new MetastoresState.Assignment(secondary.metastoreId(), "main"));
    assertThat(dr().metastores()).hasSize(2);
  }

  @Test
  void drillCleanUpUnassignsOnlyAnAssignmentTheDrillMadeAndKeepsTheMetastore() {
    List<Assignment> captured = harness.capturePrimary();
    harness.converge(captured, "drill-1", false);
    assertThat(harness.ledger.created("metastore")).containsExactly(MetastoreComponent.KEY);
    assertThat(harness.removeCreated("drill-1")).isEqualTo(new ChangeCounts(0, 0, 0, 1));
    assertThatThrownBy(() -> dr().assignment()).hasMessageContaining("No metastore assigned");
    assertThat(dr().metastores()).hasSize(2);
  }

  @Test
  void aDrillIntoAnAlreadyAssignedWorkspaceLeavesItsAssignmentAlone() {
    dr().assign(dr().workspaceId(), secondary.metastoreId(), "hive_metastore");
    harness.converge(harness.capturePrimary(), "drill-2", false);
    assertThat(harness.ledger.created("metastore")).isEmpty();
    assertThat(harness.removeCreated("drill-2")).isEqualTo(ChangeCounts.NONE);
    assertThat(dr().assignment().metastoreId()).isEqualTo(secondary.metastoreId());
  }

  @Test
  void aWorkspaceAssignedToAnotherRegionsMetastoreIsNotMoved() {
    dr().setRegion(null);
    dr().assign(dr().workspaceId(), primary.metastoreId(), "main");
    List<Assignment> captured = harness.capturePrimary();
    assertThatThrownBy(() -> harness.converge(captured, null, false))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("of region us-east-1, not one of its region us-west-2");
    assertThat(dr().assignment().metastoreId()).isEqualTo(primary.metastoreId());
  }

  @Test
  void aDryRunCountsAndWritesNothing() {
    List<Assignment> captured = harness.capturePrimary();
    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(captured, null, true).counts())
        .isEqualTo(new ChangeCounts(1, 0, 0, 0));
    assertThat(drMutations()).isZero();
    assertThatThrownBy(() -> dr().assignment()).hasMessageContaining("No metastore assigned");
  }
}
