package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.InvalidState;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.service.compute.AutoScale;
import com.databricks.sdk.service.compute.ClusterDetails;
import com.databricks.sdk.service.compute.ClusterSource;
import com.databricks.sdk.service.compute.CreateCluster;
import com.databricks.sdk.service.compute.CreatePolicy;
import com.databricks.sdk.service.compute.EditCluster;
import com.databricks.sdk.service.compute.EditPolicy;
import com.databricks.sdk.service.compute.InitScriptInfo;
import com.databricks.sdk.service.compute.ListClusterPoliciesRequest;
import com.databricks.sdk.service.compute.ListClustersRequest;
import com.databricks.sdk.service.compute.ListClustersResponse;
import com.databricks.sdk.service.compute.ListPolicyFamiliesRequest;
import com.databricks.sdk.service.compute.ListSortColumn;
import com.databricks.sdk.service.compute.ListSortOrder;
import com.databricks.sdk.service.compute.Policy;
import com.databricks.sdk.service.compute.PolicyFamily;
import com.databricks.sdk.service.compute.S3StorageInfo;
import com.databricks.sdk.service.compute.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated Cluster Policies and Clusters APIs, driven only through the real SDK. */
class ComputeApiTest {
  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private String policy(String name) {
    return workspace
        .clusterPolicies()
        .create(
            new CreatePolicy()
                .setName(name)
                .setDefinition(
                    "{\"spark_version\":{\"type\":\"fixed\",\"value\":\"15.4.x-scala2.12\"}}")
                .setMaxClustersPerUser(3L))
        .getPolicyId();
  }

  private static CreateCluster cluster(String name) {
    return new CreateCluster()
        .setClusterName(name)
        .setSparkVersion("15.4.x-scala2.12")
        .setNodeTypeId("i3.xlarge")
        .setNumWorkers(1L);
  }

  @Test
  void policiesAreCreatedReadEditedListedAndDeleted() {
    String etl = policy("etl");
    String adhoc = policy("adhoc");
    Policy read = workspace.clusterPolicies().get(etl);
    assertThat(read.getName()).isEqualTo("etl");
    assertThat(read.getMaxClustersPerUser()).isEqualTo(3L);
    assertThat(read.getCreatorUserName()).isEqualTo("sre-automation@acme.example");
    assertThat(read.getIsDefault()).isFalse();

    workspace
        .clusterPolicies()
        .edit(new EditPolicy().setPolicyId(etl).setName("etl").setDescription("nightly"));
    Policy edited = workspace.clusterPolicies().get(etl);
    assertThat(edited.getDescription()).isEqualTo("nightly");
    assertThat(edited.getDefinition()).isNull();
    assertThat(edited.getCreatedAtTimestamp()).isEqualTo(read.getCreatedAtTimestamp());

    List<Policy> byName = new ArrayList<>();
    workspace
        .clusterPolicies()
        .list(
            new ListClusterPoliciesRequest()
                .setSortColumn(ListSortColumn.POLICY_NAME)
                .setSortOrder(ListSortOrder.ASC))
        .forEach(byName::add);
    assertThat(byName)
        .filteredOn(p -> !p.getIsDefault())
        .extracting(Policy::getPolicyId)
        .containsExactly(adhoc, etl);

    workspace.clusterPolicies().delete(adhoc);
    assertThatThrownBy(() -> workspace.clusterPolicies().get(adhoc))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessageContaining("Can't find a cluster policy with id");
  }

  @Test
  void policyRulesAreChecked() {
    policy("etl");
    assertThatThrownBy(() -> policy("etl"))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("Cluster Policy with name `etl` already exists");
    assertThatThrownBy(
            () ->
                workspace
                    .clusterPolicies()
                    .create(new CreatePolicy().setName("bad").setDefinition("{not json")))
        .isInstanceOf(InvalidParameterValue.class);
    assertThatThrownBy(
            () ->
                workspace
                    .clusterPolicies()
                    .create(
                        new CreatePolicy()
                            .setName("both")
                            .setDefinition("{}")
                            .setPolicyFamilyId("personal-vm")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("Cannot specify both definition and policy_family_id");
  }

  @Test
  void aPolicyFromAFamilyIsReadWithTheDefinitionTheServiceComputed() {
    String overrides = "{\"autotermination_minutes\":{\"type\":\"fixed\",\"value\":30}}";
    String id =
        workspace
            .clusterPolicies()
            .create(
                new CreatePolicy()
                    .setName("analysts")
                    .setPolicyFamilyId("personal-vm")
                    .setPolicyFamilyDefinitionOverrides(overrides))
            .getPolicyId();

    Policy read = workspace.clusterPolicies().get(id);
    assertThat(read.getPolicyFamilyId()).isEqualTo("personal-vm");
    assertThat(read.getPolicyFamilyDefinitionOverrides()).isEqualTo(overrides);
    PolicyFamily family = workspace.policyFamilies().get("personal-vm");
    assertThat(read.getDefinition())
        .contains("\"autotermination_minutes\":{\"type\":\"fixed\",\"value\":30}")
        .contains("\"num_workers\"")
        .isNotEqualTo(family.getDefinition());
    assertThat(family.getName()).isEqualTo("Personal Compute");
  }

  @Test
  void everyWorkspaceHasTheDefaultPolicyOfEachFamilyWhichCanBeEditedButNotDeleted() {
    List<PolicyFamily> families = new ArrayList<>();
    workspace
        .policyFamilies()
        .list(new ListPolicyFamiliesRequest().setMaxResults(1L))
        .forEach(families::add);
    List<Policy> defaults = new ArrayList<>();
    workspace.clusterPolicies().list(new ListClusterPoliciesRequest()).forEach(defaults::add);
    assertThat(defaults)
        .allMatch(Policy::getIsDefault)
        .extracting(Policy::getName)
        .containsExactlyInAnyOrderElementsOf(families.stream().map(PolicyFamily::getName).toList())
        .contains("Personal Compute", "Job Compute");
    Policy jobCompute =
        defaults.stream().filter(p -> p.getName().equals("Job Compute")).findFirst().orElseThrow();

    assertThatThrownBy(
            () ->
                workspace
                    .clusterPolicies()
                    .create(new CreatePolicy().setName("Job Compute").setDefinition("{}")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("Cluster Policy with name `Job Compute` already exists");
    assertThatThrownBy(
            () ->
                workspace
                    .clusterPolicies()
                    .edit(
                        new EditPolicy()
                            .setPolicyId(jobCompute.getPolicyId())
                            .setName("Job Compute")
                            .setDefinition("{}")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining(
            "Changing policy_family_id is forbidden for default cluster policies");
    assertThatThrownBy(() -> workspace.clusterPolicies().delete(jobCompute.getPolicyId()))
        .isInstanceOf(InvalidParameterValue.class);

    workspace
        .clusterPolicies()
        .edit(
            new EditPolicy()
                .setPolicyId(jobCompute.getPolicyId())
                .setName("Job Compute")
                .setPolicyFamilyId(jobCompute.getPolicyFamilyId())
                .setPolicyFamilyDefinitionOverrides(
                    "{\"cluster_type\":{\"type\":\"fixed\",\"value\":\"all-purpose\"}}"));
    Policy edited = workspace.clusterPolicies().get(jobCompute.getPolicyId());
    assertThat(edited.getIsDefault()).isTrue();
    assertThat(edited.getDefinition()).contains("all-purpose").doesNotContain("\"job\"");
  }

  @Test
  void aCreatedClusterStartsAndTerminatesKeepingItsConfiguration() {
    simulator.workspace("primary").clusters().setTransitionDelay(Duration.ZERO);
    String policyId = policy("etl");
    String id =
        workspace
            .clusters()
            .create(
                cluster("etl")
                    .setNumWorkers(null)
                    .setAutoscale(new AutoScale().setMinWorkers(1L).setMaxWorkers(4L))
                    .setPolicyId(policyId)
                    .setCustomTags(Map.of("team", "data"))
                    .setSparkConf(Map.of("spark.sql.warehouse.dir", "s3://bucket/w"))
                    .setInitScripts(
                        List.of(
                            new InitScriptInfo()
                                .setS3(new S3StorageInfo().setDestination("s3://bucket/i.sh")))))
            .getResponse()
            .getClusterId();
    assertThat(id).matches("\\d{4}-\\d{6}-[a-z0-9]{8}");
    ClusterDetails running = workspace.clusters().get(id);
    assertThat(running.getState()).isEqualTo(State.RUNNING);
    assertThat(running.getClusterSource()).isEqualTo(ClusterSource.API);
    assertThat(running.getAutoterminationMinutes()).isEqualTo(120L);
    assertThat(running.getDefaultTags()).containsEntry("ClusterId", id);

    workspace.clusters().delete(id);
    ClusterDetails terminated = workspace.clusters().get(id);
    assertThat(terminated.getState()).isEqualTo(State.TERMINATED);
    assertThat(terminated.getPolicyId()).isEqualTo(policyId);
    assertThat(terminated.getAutoscale().getMaxWorkers()).isEqualTo(4L);
    assertThat(terminated.getSparkConf()).containsEntry("spark.sql.warehouse.dir", "s3://bucket/w");
    assertThat(terminated.getInitScripts().iterator().next().getS3().getDestination())
        .isEqualTo("s3://bucket/i.sh");

    workspace
        .clusters()
        .edit(
            new EditCluster()
                .setClusterId(id)
                .setClusterName("etl")
                .setSparkVersion("16.0.x-scala2.12")
                .setNodeTypeId("i3.xlarge")
                .setNumWorkers(2L));
    ClusterDetails edited = workspace.clusters().get(id);
    assertThat(edited.getSparkVersion()).isEqualTo("16.0.x-scala2.12");
    assertThat(edited.getState()).isEqualTo(State.TERMINATED);
    assertThat(edited.getPolicyId()).isNull();

    workspace.clusters().pin(id);
    workspace.clusters().permanentDelete(id);
    assertThatThrownBy(() -> workspace.clusters().get(id))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> workspace.clusters().permanentDelete(id))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void aClusterIsEditedOnlyWhenRunningOrTerminated() {
    simulator.workspace("primary").clusters().setTransitionDelay(Duration.ofHours(1));
    String id = workspace.clusters().create(cluster("slow")).getResponse().getClusterId();
    assertThat(workspace.clusters().get(id).getState()).isEqualTo(State.PENDING);
    assertThatThrownBy(
            () ->
                workspace
                    .clusters()
                    .edit(
                        new EditCluster()
                            .setClusterId(id)
                            .setSparkVersion("15.4.x-scala2.12")
                            .setNodeTypeId("i3.xlarge")))
        .isInstanceOf(InvalidState.class);
  }

  @Test
  void clusterRulesAreChecked() {
    assertThatThrownBy(() -> workspace.clusters().create(cluster("x").setSparkVersion(null)))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("spark_version");
    assertThatThrownBy(
            () ->
                workspace
                    .clusters()
                    .create(
                        cluster("x")
                            .setAutoscale(new AutoScale().setMinWorkers(1L).setMaxWorkers(2L))))
        .isInstanceOf(InvalidParameterValue.class);
    assertThatThrownBy(
            () -> workspace.clusters().create(cluster("x").setPolicyId("0000000000000000")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("cluster policy");
  }

  @Test
  void listFollowsPageTokens() {
    for (int i = 0; i < 25; i++) {
      workspace.clusters().create(cluster("c" + i));
    }
    ListClustersResponse first = workspace.clusters().impl().list(new ListClustersRequest());
    assertThat(first.getClusters()).hasSize(20);
    assertThat(first.getNextPageToken()).isNotNull();

    simulator.requests().clear();
    List<ClusterDetails> all = new ArrayList<>();
    workspace.clusters().list(new ListClustersRequest().setPageSize(10L)).forEach(all::add);
    assertThat(all).hasSize(25);
    assertThat(all).extracting(ClusterDetails::getClusterId).doesNotHaveDuplicates();
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.path().equals("/api/2.1/clusters/list"))
        .hasSize(3);
  }
}
