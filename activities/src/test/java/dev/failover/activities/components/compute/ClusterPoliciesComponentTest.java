package dev.failover.activities.components.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.DelegatingComponent;
import dev.failover.simulator.databricks.ClusterPoliciesState;
import dev.failover.workflows.steps.ChangeCounts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster policies converged into DR by name, with storage paths in definitions rewritten. */
class ClusterPoliciesComponentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ComponentHarness<ClusterPolicyItem> harness;
  private ClusterPoliciesState dr;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new ClusterPoliciesComponent());
    dr = harness.cloud.simulator.workspace("secondary").clusterPolicies();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private ObjectNode drPolicy(String name) {
    return dr.list(null, null).stream()
        .filter(p -> p.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void convergeCreatesEachPolicyOnceWithRewrittenPathsThenFindsNothingToDo() throws Exception {
    ComponentConverger.Result first = harness.converge(harness.capturePrimary(), null, false);

    assertThat(first.counts()).isEqualTo(new ChangeCounts(2, 0, 0, 0));
    ObjectNode etl = drPolicy("etl-jobs");
    assertThat(
            JSON.readTree(etl.get("definition").asText())
                .at("/cluster_log_conf.path/value")
                .asText())
        .isEqualTo("s3://acme-lakehouse-usw2/logs/clusters");
    assertThat(etl.get("max_clusters_per_user").asLong()).isEqualTo(5);
    assertThat(drPolicy("analyst-personal").get("policy_family_id").asText())
        .isEqualTo("personal-vm");

    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result second = harness.converge(harness.capturePrimary(), null, false);
    assertThat(second.counts()).isEqualTo(new ChangeCounts(0, 0, 2, 0));
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void aChangedPolicyIsEdited() {
    List<ClusterPolicyItem> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    ObjectNode edit = drPolicy("etl-jobs").deepCopy();
    edit.put("description", "changed by hand");
    edit.put("max_clusters_per_user", 50);
    dr.edit(edit);

    ComponentConverger.Result result = harness.converge(captured, null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 1, 1, 0));
    assertThat(result.differences())
        .containsExactly("etl-jobs differs in description, max_clusters_per_user");
    assertThat(drPolicy("etl-jobs").get("description").asText())
        .isEqualTo("Job clusters for the nightly ETL");
    assertThat(drPolicy("etl-jobs").get("max_clusters_per_user").asLong()).isEqualTo(5);
  }

  @Test
  void everyPolicyComesInOneListResponse() {
    for (int i = 0; i < 30; i++) {
      harness
          .cloud
          .simulator
          .workspace("primary")
          .clusterPolicies()
          .create(JSON.createObjectNode().put("name", "extra-" + i).put("definition", "{}"));
    }
    harness.cloud.simulator.requests().clear();

    assertThat(harness.capturePrimary()).hasSize(32);
    assertThat(harness.cloud.simulator.requests().all())
        .filteredOn(r -> r.path().equals("/api/2.0/policies/clusters/list"))
        .hasSize(1);
  }

  @Test
  void aPolicyCreatedBetweenReadAndCreateIsNotDuplicated() {
    ClusterPoliciesComponent real = new ClusterPoliciesComponent();
    DelegatingComponent<ClusterPolicyItem> racing =
        new DelegatingComponent<>(real) {
          @Override
          public Map<String, ClusterPolicyItem> current(
              ComponentContext target, List<ClusterPolicyItem> wanted) {
            Map<String, ClusterPolicyItem> current = real.current(target, wanted);
            dr.create(JSON.createObjectNode().put("name", "etl-jobs").put("definition", "{}"));
            return current;
          }
        };

    ComponentConverger.Result result =
        new ComponentConverger<>(racing, harness.context(SimulatedCloud.secondary(), null), d -> {})
            .converge(harness.capturePrimary(), null, false);

    assertThat(result.counts().created()).isEqualTo(2);
    assertThat(dr.list(null, null))
        .extracting(p -> p.path("name").asText())
        .containsExactlyInAnyOrder("etl-jobs", "analyst-personal");
  }

  @Test
  void drillCleanUpDeletesWhatTheDrillCreatedAndNothingElse() {
    dr.create(
        JSON.createObjectNode()
            .put("name", "analyst-personal")
            .put("policy_family_id", "personal-vm")
            .put(
                "policy_family_definition_overrides",
                "{\"autotermination_minutes\":{\"type\":\"fixed\",\"value\":30}}")
            .put("max_clusters_per_user", 1));

    ComponentConverger.Result drill = harness.converge(harness.capturePrimary(), "run-1", false);
    assertThat(drill.counts()).isEqualTo(new ChangeCounts(1, 0, 1, 0));

    assertThat(harness.removeCreated("run-1").deleted()).isEqualTo(1);
    assertThat(dr.list(null, null))
        .extracting(p -> p.path("name").asText())
        .containsExactly("analyst-personal");
  }

  @Test
  void dryRunMakesNoMutatingRequest() {
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result preview = harness.converge(harness.capturePrimary(), null, true);

    assertThat(preview.counts()).isEqualTo(new ChangeCounts(2, 0, 0, 0));
    assertThat(harness.cloud.simulator.requests().all()).noneMatch(r -> r.mutating());
    assertThat(dr.list(null, null)).isEmpty();
  }
}
