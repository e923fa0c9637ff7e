package dev.failover.activities.components.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.DelegatingComponent;
import dev.failover.simulator.databricks.ClustersState;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All-purpose clusters converged into DR as terminated, pinned configurations. */
class ClustersComponentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ComponentHarness<ClusterItem> harness;
  private ClustersState dr;

  @BeforeEach
  void start() {
    harness =
        new ComponentHarness<>(
            dir, new ClustersComponent(10, Duration.ofMillis(5), Duration.ofSeconds(30)));
    dr = harness.cloud.simulator.workspace("secondary").clusters();
    dr.setTransitionDelay(Duration.ZERO);
    // The policies converge before the clusters that use them.
    new ComponentConverger<>(
            new ClusterPoliciesComponent(),
            harness.context(SimulatedCloud.secondary(), null),
            done -> {})
        .converge(
            new ClusterPoliciesComponent().read(harness.context(SimulatedCloud.primary(), null)),
            null,
            false);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private ClustersState.Cluster drCluster(String name) {
    return dr.clusters().stream()
        .filter(c -> c.config().path("cluster_name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private String drPolicyId(String name) {
    return harness
        .cloud
        .simulator
        .workspace("secondary")
        .clusterPolicies()
        .list(null, null)
        .stream()
        .filter(p -> p.path("name").asText().equals(name))
        .map(p -> p.path("policy_id").asText())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aCreateWhoseAnswerIsLostMakesOneCluster() throws Exception {
    List<ClusterItem> captured = harness.capturePrimary();
    // The first create is answered only after the client gave up on it (5 s), and takes effect
    // 3 s later, well after the worker's first retry backoff (a quarter of a second).
    try (var lost =
        dev.failover.activities.LostAnswer.once(
            harness.cloud.simulator, "databricks", "/api/2.1/clusters/create", 3_000)) {
      ComponentConverger.Result result =
          new ComponentConverger<>(
                  harness.component,
                  harness.context(
                      SimulatedCloud.secondary(),
                      null,
                      new dev.failover.activities.errors.CallRetry(
                          4,
                          Duration.ofMillis(250),
                          Duration.ofSeconds(5),
                          d -> Thread.sleep(d.toMillis()))),
                  done -> {})
              .converge(captured, null, false);
      assertThat(lost.lost()).isEqualTo(1);
      lost.awaitLanded();
      assertThat(result.counts()).isEqualTo(new ChangeCounts(3, 0, 0, 0));
    }

    assertThat(dr.clusters())
        .extracting(c -> c.config().path("cluster_name").asText())
        .containsExactlyInAnyOrder("analyst-adhoc", "etl-shared", "ml-gpu");
    assertThat(dr.clusters()).allMatch(ClustersState.Cluster::pinned);
  }

  @Test
  void clustersAreCreatedSeveralAtOnceAndASecondOfTheSameNameFindsTheFirst() {
    List<ClusterItem> captured = harness.capturePrimary();
    // Names are not unique: the primary may hold two clusters of one name. The second must not
    // race the first into a duplicate in DR.
    List<ClusterItem> batch = new java.util.ArrayList<>(captured);
    batch.add(1, captured.get(0));
    // Each DR request takes a while, so that creates sent at once overlap in the server.
    harness.cloud.simulator.setLatency("databricks", "secondary", 100);
    harness.cloud.simulator.inFlight().reset();

    ComponentConverger.Result result = harness.converge(batch, null, false);

    assertThat(result.counts().created()).isEqualTo(4);
    assertThat(harness.cloud.simulator.inFlight().peak()).isGreaterThan(1);
    assertThat(dr.clusters())
        .extracting(c -> c.config().path("cluster_name").asText())
        .containsExactlyInAnyOrder("analyst-adhoc", "etl-shared", "ml-gpu");
  }

  @Test
  void convergeCreatesTerminatedPinnedClustersWithRewrittenPathsAndTheDrPolicy() {
    List<ClusterItem> captured = harness.capturePrimary();
    assertThat(captured)
        .extracting(ClusterItem::clusterName)
        .containsExactly("analyst-adhoc", "etl-shared", "ml-gpu");
    assertThat(captured.get(1).policyName()).isEqualTo("etl-jobs");

    ComponentConverger.Result first = harness.converge(captured, null, false);

    assertThat(first.counts()).isEqualTo(new ChangeCounts(3, 0, 0, 0));
    ClustersState.Cluster etl = drCluster("etl-shared");
    assertThat(etl.state()).isEqualTo(ClustersState.State.TERMINATED);
    assertThat(etl.pinned()).isTrue();
    ObjectNode config = etl.config();
    assertThat(config.get("policy_id").asText()).isEqualTo(drPolicyId("etl-jobs"));
    assertThat(config.at("/custom_tags/" + ComponentContext.OWNERSHIP_TAG).asText())
        .isEqualTo("acme-lakehouse");
    assertThat(config.at("/custom_tags/team").asText()).isEqualTo("data-platform");
    assertThat(config.at("/init_scripts/0/s3/destination").asText())
        .isEqualTo("s3://acme-lakehouse-usw2/init/install-libs.sh");
    assertThat(config.at("/cluster_log_conf/s3/destination").asText())
        .isEqualTo("s3://acme-lakehouse-usw2/logs/clusters");
    assertThat(config.at("/spark_conf/spark.sql.warehouse.dir").asText())
        .isEqualTo("s3://acme-lakehouse-usw2/warehouse");
    assertThat(config.at("/autoscale/max_workers").asInt()).isEqualTo(8);
    assertThat(drCluster("ml-gpu").config().at("/aws_attributes/availability").asText())
        .isEqualTo("SPOT_WITH_FALLBACK");

    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result second = harness.converge(harness.capturePrimary(), null, false);
    assertThat(second.counts()).isEqualTo(new ChangeCounts(0, 0, 3, 0));
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void aChangedClusterIsEditedKeepingItsMark() {
    List<ClusterItem> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    ClustersState.Cluster ml = drCluster("ml-gpu");
    ObjectNode changed = ml.config().deepCopy();
    changed.put("cluster_id", ml.id());
    changed.put("spark_version", "13.3.x-gpu-ml-scala2.12");
    changed.put("num_workers", 7);
    dr.edit(changed);

    ComponentConverger.Result result = harness.converge(captured, null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 1, 2, 0));
    assertThat(result.differences())
        .containsExactly("ml-gpu differs in num_workers, spark_version");
    ObjectNode config = drCluster("ml-gpu").config();
    assertThat(config.get("spark_version").asText()).isEqualTo("15.4.x-gpu-ml-scala2.12");
    assertThat(config.get("num_workers").asInt()).isEqualTo(2);
    assertThat(config.at("/custom_tags/" + ComponentContext.OWNERSHIP_TAG).asText())
        .isEqualTo("acme-lakehouse");
  }

  @Test
  void aTerminatingClusterIsAwaitedBeforeItIsEdited() throws InterruptedException {
    dr.setTransitionDelay(Duration.ofHours(1));
    List<ClusterItem> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    assertThat(drCluster("analyst-adhoc").state()).isEqualTo(ClustersState.State.TERMINATING);
    List<ClusterItem> changed =
        captured.stream()
            .map(
                c -> {
                  if (!c.clusterName().equals("analyst-adhoc")) {
                    return c;
                  }
                  ObjectNode spec = c.spec().deepCopy();
                  spec.put("autotermination_minutes", 45);
                  return new ClusterItem(c.clusterName(), c.policyName(), spec);
                })
            .toList();

    // The termination completes while converge waits to edit.
    Thread finisher =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              dr.setTransitionDelay(Duration.ZERO);
            });
    finisher.start();

    ComponentConverger.Result result = harness.converge(changed, null, false);
    finisher.join();

    assertThat(result.counts().updated()).isEqualTo(1);
    ClustersState.Cluster adhoc = drCluster("analyst-adhoc");
    assertThat(adhoc.config().get("autotermination_minutes").asInt()).isEqualTo(45);
    assertThat(adhoc.state()).isEqualTo(ClustersState.State.TERMINATED);
  }

  @Test
  void jobClustersAreLeftOutAndCaptureFollowsEveryPage() {
    ClustersState primary = harness.cloud.simulator.workspace("primary").clusters();
    for (int i = 0; i < 25; i++) {
      primary.create(spec("extra-" + i));
    }
    primary.create(spec("job-run-1"), "JOB");
    harness.cloud.simulator.requests().clear();

    List<ClusterItem> captured = harness.capturePrimary();

    assertThat(captured).hasSize(28).noneMatch(c -> c.clusterName().equals("job-run-1"));
    assertThat(harness.cloud.simulator.requests().all())
        .filteredOn(r -> r.path().equals("/api/2.1/clusters/list"))
        .hasSize(3);
  }

  private static ObjectNode spec(String name) {
    return JSON.createObjectNode()
        .put("cluster_name", name)
        .put("spark_version", "15.4.x-scala2.12")
        .put("node_type_id", "i3.xlarge")
        .put("num_workers", 1);
  }

  @Test
  void aClusterCreatedBetweenReadAndCreateIsNotDuplicated() {
    ClustersComponent real =
        new ClustersComponent(10, Duration.ofMillis(5), Duration.ofSeconds(30));
    DelegatingComponent<ClusterItem> racing =
        new DelegatingComponent<>(real) {
          @Override
          public Map<String, ClusterItem> current(
              ComponentContext target, List<ClusterItem> wanted) {
            Map<String, ClusterItem> current = real.current(target, wanted);
            dr.create(spec("ml-gpu"));
            return current;
          }
        };

    ComponentConverger.Result result =
        new ComponentConverger<>(racing, harness.context(SimulatedCloud.secondary(), null), d -> {})
            .converge(harness.capturePrimary(), null, false);

    assertThat(result.counts().created()).isEqualTo(3);
    assertThat(dr.clusters())
        .extracting(c -> c.config().path("cluster_name").asText())
        .containsExactlyInAnyOrder("analyst-adhoc", "etl-shared", "ml-gpu");
  }

  @Test
  void drillCleanUpDeletesWhatTheDrillCreatedAndNothingElse() {
    String mine = dr.create(spec("ml-gpu"));

    ComponentConverger.Result drill = harness.converge(harness.capturePrimary(), "run-1", false);
    assertThat(drill.counts()).isEqualTo(new ChangeCounts(2, 1, 0, 0));

    assertThat(harness.removeCreated("run-1").deleted()).isEqualTo(2);
    assertThat(dr.clusters()).extracting(ClustersState.Cluster::id).containsExactly(mine);
  }

  @Test
  void aClusterWhosePolicyDrLacksFailsClearly() {
    List<ClusterItem> captured = harness.capturePrimary();
    var policies = harness.cloud.simulator.workspace("secondary").clusterPolicies();
    policies.delete(drPolicyId("etl-jobs"));

    assertThatThrownBy(() -> harness.converge(captured, null, false))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(f.getOriginalMessage())
                  .contains("etl-shared uses the policy etl-jobs")
                  .contains("converge the cluster policies first");
            });
  }

  @Test
  void dryRunMakesNoMutatingRequest() {
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result preview = harness.converge(harness.capturePrimary(), null, true);

    assertThat(preview.counts()).isEqualTo(new ChangeCounts(3, 0, 0, 0));
    assertThat(harness.cloud.simulator.requests().all()).noneMatch(r -> r.mutating());
    assertThat(dr.clusters()).isEmpty();
  }
}
