package dev.failover.activities.components.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.DelegatingComponent;
import dev.failover.simulator.Faults;
import dev.failover.simulator.databricks.ClusterPoliciesState;
import dev.failover.workflows.steps.ChangeCounts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster policies converged into DR by name, with storage paths in definitions rewritten, policies
 * of a family as the family and its overrides, and customized default policies edited in place.
 */
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

  /** DR's own policies, the default policies every workspace has left out. */
  private List<String> drOwnPolicies() {
    return dr.list(null, null).stream()
        .filter(p -> !p.path("is_default").asBoolean())
        .map(p -> p.path("name").asText())
        .toList();
  }

  @Test
  void convergeCreatesEachPolicyOnceWithRewrittenPathsThenFindsNothingToDo() throws Exception {
    ComponentConverger.Result first = harness.converge(harness.capturePrimary(), null, false);

    // etl-jobs and analyst-personal created; the default Job Compute policy edited.
    assertThat(first.counts()).isEqualTo(new ChangeCounts(2, 1, 0, 0));
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
    assertThat(second.counts()).isEqualTo(new ChangeCounts(0, 0, 3, 0));
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void aPolicyFromAFamilyIsConvergedAsItsFamilyAndOverridesNotTheComputedDefinition() {
    List<ClusterPolicyItem> captured = harness.capturePrimary();
    ClusterPolicyItem analysts =
        captured.stream()
            .filter(p -> p.name().equals("analyst-personal"))
            .findFirst()
            .orElseThrow();
    assertThat(analysts.definition()).isNull();
    assertThat(analysts.policyFamilyId()).isEqualTo("personal-vm");
    assertThat(analysts.policyFamilyDefinitionOverrides())
        .isEqualTo("{\"autotermination_minutes\":{\"type\":\"fixed\",\"value\":30}}");

    harness.converge(captured, null, false);

    ObjectNode copy = drPolicy("analyst-personal");
    assertThat(copy.get("policy_family_id").asText()).isEqualTo("personal-vm");
    assertThat(copy.get("policy_family_definition_overrides").asText())
        .isEqualTo(analysts.policyFamilyDefinitionOverrides());
    // DR's service computed the definition from the family and the overrides.
    assertThat(copy.get("definition").asText())
        .contains("\"autotermination_minutes\":{\"type\":\"fixed\",\"value\":30}")
        .contains("SINGLE_USER");

    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result second = harness.converge(harness.capturePrimary(), null, false);
    assertThat(second.counts().unchanged()).isEqualTo(3);
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void aDefaultPolicyEditedInThePrimaryIsEditedInDrNeverCreated() {
    String drJobCompute = drPolicy("Job Compute").get("policy_id").asText();
    List<ClusterPolicyItem> captured = harness.capturePrimary();
    assertThat(captured)
        .extracting(ClusterPolicyItem::name)
        .contains("Job Compute")
        .doesNotContain("Personal Compute", "Shared Compute", "Power User Compute");

    ComponentConverger.Result result = harness.converge(captured, null, false);

    assertThat(result.differences())
        .contains("Job Compute differs in policy_family_definition_overrides");
    // Two creates (etl-jobs, analyst-personal), all succeeded: none tried the default's name.
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary"))
        .filteredOn(r -> r.path().equals("/api/2.0/policies/clusters/create"))
        .hasSize(2)
        .allMatch(r -> r.status() == 200);
    ObjectNode jobCompute = drPolicy("Job Compute");
    assertThat(jobCompute.get("policy_id").asText()).isEqualTo(drJobCompute);
    assertThat(jobCompute.get("is_default").asBoolean()).isTrue();
    assertThat(jobCompute.get("policy_family_definition_overrides").asText())
        .isEqualTo("{\"spark_version\":{\"type\":\"fixed\",\"value\":\"15.4.x-scala2.12\"}}");
    assertThat(jobCompute.get("definition").asText()).contains("15.4.x-scala2.12");
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

    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 1, 2, 0));
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

    // 2 seeded, 30 extra and the customized default Job Compute policy.
    assertThat(harness.capturePrimary()).hasSize(33);
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
    assertThat(drOwnPolicies()).containsExactlyInAnyOrder("etl-jobs", "analyst-personal");
    // The name clash did not pass for done: the policy found under the name was made what is
    // wanted.
    assertThat(drPolicy("etl-jobs").get("max_clusters_per_user").asLong()).isEqualTo(5);
    assertThat(drPolicy("etl-jobs").get("definition").asText()).contains("acme-lakehouse-usw2");
  }

  @Test
  void createsAndEditsWhoseAnswerIsLostLeaveOnePolicyEachAsWanted() {
    harness
        .cloud
        .simulator
        .faults()
        .failNext(
            "databricks", "POST", "/api/2.0/policies/clusters/create", 2, Faults.Kind.ANSWER_LOST);
    harness
        .cloud
        .simulator
        .faults()
        .failNext(
            "databricks", "POST", "/api/2.0/policies/clusters/edit", 1, Faults.Kind.ANSWER_LOST);

    ComponentConverger.Result result = harness.converge(harness.capturePrimary(), null, false);

    assertThat(harness.cloud.simulator.faults().injected()).isEqualTo(3);
    assertThat(result.counts()).isEqualTo(new ChangeCounts(2, 1, 0, 0));
    assertThat(drOwnPolicies()).containsExactlyInAnyOrder("etl-jobs", "analyst-personal");
    assertThat(dr.list(null, null)).hasSize(6);
    assertThat(drPolicy("analyst-personal").get("policy_family_id").asText())
        .isEqualTo("personal-vm");
    assertThat(drPolicy("etl-jobs").get("max_clusters_per_user").asLong()).isEqualTo(5);
    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(harness.capturePrimary(), null, false).counts().unchanged())
        .isEqualTo(3);
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
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
    assertThat(drill.counts()).isEqualTo(new ChangeCounts(1, 1, 1, 0));

    assertThat(harness.removeCreated("run-1").deleted()).isEqualTo(1);
    assertThat(drOwnPolicies()).containsExactly("analyst-personal");
    assertThat(dr.list(null, null)).filteredOn(p -> p.path("is_default").asBoolean()).hasSize(4);
  }

  @Test
  void aDrillCleanUpNeverDeletesADefaultPolicy() {
    harness.converge(harness.capturePrimary(), null, false);

    new ComponentConverger<>(
            new ClusterPoliciesComponent(),
            harness.context(SimulatedCloud.secondary(), null),
            d -> {})
        .removeCreated(java.util.Set.of("Job Compute", "etl-jobs"));

    assertThat(drOwnPolicies()).containsExactly("analyst-personal");
    assertThat(drPolicy("Job Compute").get("is_default").asBoolean()).isTrue();
  }

  @Test
  void dryRunMakesNoMutatingRequest() {
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result preview = harness.converge(harness.capturePrimary(), null, true);

    assertThat(preview.counts()).isEqualTo(new ChangeCounts(2, 1, 0, 0));
    assertThat(harness.cloud.simulator.requests().all()).noneMatch(r -> r.mutating());
    assertThat(drOwnPolicies()).isEmpty();
  }
}
