package dev.failover.activities.components.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.jobs.JobItem;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.activities.components.warehouses.WarehousesComponent;
import dev.failover.activities.errors.CallRetry;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster and a job cluster placed in a zone of the primary's region with the primary's instance
 * profile, converged into DR through the SDK: with the runbook's compute rules they fit DR; without
 * them they are refused by object and field, and nothing of theirs is written.
 */
class RegionalFieldsTest {
  @TempDir Path dir;

  @Test
  void aClusterConvergesWithTheRunbooksZoneAndInstanceProfileRules() {
    try (ComponentHarness<ClusterItem> h = harness()) {
      ComponentConverger.Result result = h.converge(h.capturePrimary(), SimulatedCloud.COMPUTE);

      assertThat(result.refused()).isEmpty();
      JsonNode etl = drCluster(h, "etl-shared");
      assertThat(etl.at("/aws_attributes/zone_id").asText()).isEqualTo("us-west-2a");
      assertThat(etl.at("/aws_attributes/instance_profile_arn").asText())
          .isEqualTo(DemoWorkspace.DR_INSTANCE_PROFILE);
      assertThat(etl.at("/cluster_log_conf/s3/region").asText()).isEqualTo("us-west-2");
      assertThat(etl.at("/init_scripts/0/s3/region").asText()).isEqualTo("us-west-2");
      assertThat(drCluster(h, "ml-gpu").at("/aws_attributes/zone_id").asText()).isEqualTo("auto");

      ComponentConverger.Result again = h.converge(h.capturePrimary(), SimulatedCloud.COMPUTE);
      assertThat(again.counts().unchanged()).isEqualTo(3);
    }
  }

  @Test
  void withoutRulesAClusterIsRefusedNamingItAndEachField() {
    try (ComponentHarness<ClusterItem> h = harness()) {
      ComponentConverger.Result result = h.converge(h.capturePrimary(), ComputeRules.NONE);

      assertThat(result.refused()).hasSize(1);
      assertThat(result.refused().get(0))
          .startsWith(
              "etl-shared: cluster etl-shared: aws_attributes.zone_id us-east-1c is not a"
                  + " zone of us-west-2: add compute.zones")
          .contains("aws_attributes.instance_profile_arn " + DemoWorkspace.PRIMARY_INSTANCE_PROFILE)
          .contains("add compute.instanceProfiles");
      assertThat(result.counts().created()).isEqualTo(2);
      assertThat(dr(h).clusters().clusters())
          .noneMatch(c -> c.config().path("cluster_name").asText().equals("etl-shared"));
    }
  }

  @Test
  void aDefaultZoneOfAutoPlacesAZoneWithoutARule() {
    try (ComponentHarness<ClusterItem> h = harness()) {
      ComputeRules auto =
          new ComputeRules(Map.of(), "auto", SimulatedCloud.COMPUTE.instanceProfiles());

      assertThat(h.converge(h.capturePrimary(), auto).refused()).isEmpty();
      assertThat(drCluster(h, "etl-shared").at("/aws_attributes/zone_id").asText())
          .isEqualTo("auto");
    }
  }

  @Test
  void anInstanceProfileDrHasRegisteredIsKeptWithoutARule() {
    try (ComponentHarness<ClusterItem> h = harness()) {
      dr(h).computePlacement().addInstanceProfile(DemoWorkspace.PRIMARY_INSTANCE_PROFILE);
      ComputeRules zonesOnly = new ComputeRules(SimulatedCloud.COMPUTE.zones(), null, null);

      assertThat(h.converge(h.capturePrimary(), zonesOnly).refused()).isEmpty();
      assertThat(drCluster(h, "etl-shared").at("/aws_attributes/instance_profile_arn").asText())
          .isEqualTo(DemoWorkspace.PRIMARY_INSTANCE_PROFILE);
    }
  }

  @Test
  void aJobClusterConvergesWithTheRulesAndIsRefusedByFieldWithoutThem() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeAll(h, new WarehousesComponent(Duration.ofSeconds(30), Duration.ofMillis(50)));
      convergeAll(h, new ClusterPoliciesComponent());
      List<JobItem> revenue =
          h.capturePrimary().stream()
              .filter(j -> j.name().equals("revenue-dashboard-refresh"))
              .toList();

      ComponentConverger.Result refused = h.converge(revenue, ComputeRules.NONE);
      assertThat(refused.refused()).hasSize(1);
      assertThat(refused.refused().get(0))
          .contains(
              "job revenue-dashboard-refresh: job_clusters[etl].new_cluster.aws_attributes.zone_id"
                  + " us-east-1c is not a zone of us-west-2")
          .contains("job_clusters[etl].new_cluster.aws_attributes.instance_profile_arn");
      assertThat(dr(h).jobs().jobs())
          .noneMatch(j -> j.settings().path("name").asText().equals("revenue-dashboard-refresh"));

      ComponentConverger.Result converged = h.converge(revenue, SimulatedCloud.COMPUTE);
      assertThat(converged.refused()).isEmpty();
      JsonNode cluster =
          dr(h).jobs().jobs().stream()
              .filter(j -> j.settings().path("name").asText().equals("revenue-dashboard-refresh"))
              .findFirst()
              .orElseThrow()
              .settings()
              .at("/job_clusters/0/new_cluster/aws_attributes");
      assertThat(cluster.path("zone_id").asText()).isEqualTo("us-west-2a");
      assertThat(cluster.path("instance_profile_arn").asText())
          .isEqualTo(DemoWorkspace.DR_INSTANCE_PROFILE);
    }
  }

  @Test
  void aLogOrInitScriptDestinationNoRewriteCoversIsRefusedByField() {
    try (ComponentHarness<ClusterItem> h = harness()) {
      List<Runbook.PathRewrite> warehouseOnly =
          List.of(
              new Runbook.PathRewrite(
                  "s3://acme-lakehouse-use1/warehouse", "s3://acme-lakehouse-usw2/warehouse"));
      ComponentContext narrow =
          new ComponentContext(
              SimulatedCloud.secondary(),
              h.cloud.clients,
              warehouseOnly,
              List.of(),
              "acme-lakehouse",
              null,
              new CallRetry(4, Duration.ofMillis(10), Duration.ofMillis(50), d -> Thread.sleep(1)),
              null,
              SimulatedCloud.COMPUTE);

      ComponentConverger.Result result =
          new ComponentConverger<>(h.component, narrow, done -> {})
              .converge(h.capturePrimary(), null, false);

      assertThat(result.refused()).hasSize(1);
      assertThat(result.refused().get(0))
          .contains(
              "cluster etl-shared: cluster_log_conf.s3.destination"
                  + " s3://acme-lakehouse-use1/logs/clusters is on a bucket of the other region")
          .contains("init_scripts[0].s3.destination s3://acme-lakehouse-use1/init/install-libs.sh")
          .contains("add one for its prefix to the runbook");
    }
  }

  private ComponentHarness<ClusterItem> harness() {
    ComponentHarness<ClusterItem> h =
        new ComponentHarness<>(
            dir, new ClustersComponent(10, Duration.ofMillis(5), Duration.ofSeconds(30)));
    dr(h).clusters().setTransitionDelay(Duration.ZERO);
    convergeAll(h, new ClusterPoliciesComponent());
    return h;
  }

  private static WorkspaceState dr(ComponentHarness<?> h) {
    return h.cloud.simulator.workspace("secondary");
  }

  private static JsonNode drCluster(ComponentHarness<?> h, String name) {
    return dr(h).clusters().clusters().stream()
        .filter(c -> c.config().path("cluster_name").asText().equals(name))
        .findFirst()
        .orElseThrow()
        .config();
  }

  private static <T> void convergeAll(ComponentHarness<?> h, Component<T> component) {
    List<T> items = component.read(h.context(SimulatedCloud.primary(), null));
    new ComponentConverger<>(component, h.context(SimulatedCloud.secondary(), null), d -> {})
        .converge(items, null, false);
  }
}
