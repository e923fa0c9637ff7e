package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.clients.CloudClientsConfig;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.steps.ReadinessActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness checks the worker's rights read-only: a principal that is no workspace admin and lacks
 * metastore privileges fails readiness naming each missing right, without one mutating request.
 */
class WorkerRightsReadinessTest {
  private static final String WORKER = "dr-worker@acme.example";

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private WorkspaceState dr;
  private CloudClients workerClients;
  private TestActivityEnvironment env;
  private ReadinessActivities readiness;

  @BeforeEach
  void start() throws Exception {
    cloud = new SimulatedCloud(dir);
    dr = cloud.simulator.workspace("secondary");
    dr.metastores().assign(dr.metastores().workspaceId(), dr.metastoreId(), "main");
    dr.principals().addUser(WORKER, "DR worker");
    dr.changeGrants("metastore", dr.metastoreId(), WORKER, List.of("CREATE_CATALOG"), List.of());
    Path config = dir.resolve("worker-databrickscfg");
    Files.writeString(config, "[acme-dr]\ntoken = " + dr.principals().tokenFor(WORKER) + "\n");
    workerClients =
        new CloudClients(
            CloudClientsConfig.builder()
                .databricksConfigFile(config)
                .awsCredentialsFile(dir.resolve("aws-credentials"))
                .workspaceEndpoints(
                    Map.of(
                        SimulatedCloud.SECONDARY_HOST, cloud.simulator.workspaceUrl("secondary")))
                .s3Endpoint(cloud.simulator.s3Url())
                .accountEndpoint(cloud.simulator.accountUrl())
                .iamEndpoint(cloud.simulator.iamUrl())
                .stsEndpoint(cloud.simulator.stsUrl())
                .kmsEndpoint(cloud.simulator.kmsUrl())
                .httpTimeoutSeconds(10)
                .build());
    env = ActivityEnvironments.withHeartbeats();
    env.registerActivitiesImplementations(new ReadinessActivitiesImpl(workerClients));
    readiness =
        env.newActivityStub(
            ReadinessActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
  }

  @AfterEach
  void stop() {
    env.close();
    workerClients.close();
    cloud.close();
  }

  @Test
  void aWorkerLackingRightsFailsReadinessNamingEachWithoutWriting() {
    cloud.simulator.requests().clear();

    assertThatThrownBy(() -> readiness.checkWorkspace(SimulatedCloud.secondary()))
        .isInstanceOf(ActivityFailure.class)
        .rootCause()
        .hasMessageContaining(WORKER + " lacks in the secondary workspace")
        .hasMessageContaining("workspace admin (a member of the workspace's admins group)")
        .hasMessageContaining("CREATE_EXTERNAL_LOCATION on metastore acme-usw2")
        .hasMessageContaining("CREATE_STORAGE_CREDENTIAL on metastore acme-usw2")
        .message()
        .doesNotContain("CREATE_CATALOG");
    assertThat(cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void rightsHeldThroughAGroupCount() {
    dr.principals().makeAdmin(WORKER);
    // Unity Catalog grants to account groups only (not to the workspace's own admins group): an
    // account group assigned to DR, with the worker as member.
    String workerId = dr.principals().named(WORKER).orElseThrow().id();
    var account = cloud.simulator.account();
    var operators =
        account
            .groups()
            .create(
                "dr-operators",
                null,
                List.of(
                    new dev.failover.simulator.databricks.GroupsState.Member(
                        workerId, WORKER, "Users/" + workerId)),
                List.of(),
                List.of());
    account.assign(
        Long.parseLong(dr.workspaceId()), Long.parseLong(operators.id()), List.of("USER"));
    dr.changeGrants(
        "metastore",
        dr.metastoreId(),
        operators.displayName(),
        List.of("CREATE_EXTERNAL_LOCATION", "CREATE_STORAGE_CREDENTIAL"),
        List.of());

    assertThat(readiness.checkWorkspace(SimulatedCloud.secondary()))
        .isEqualTo(
            "secondary workspace " + SimulatedCloud.SECONDARY_HOST + " answers as " + WORKER);
  }
}
