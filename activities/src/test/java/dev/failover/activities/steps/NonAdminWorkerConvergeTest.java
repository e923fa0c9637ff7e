package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.service.catalog.CatalogInfo;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.clients.CloudClientsConfig;
import dev.failover.activities.components.Components;
import dev.failover.activities.snapshot.SnapshotCache;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.unitycatalog.ExpectedState;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.databricks.StorageAccessState;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converge and a drill's clean-up run by a worker that is no metastore admin in DR: it holds only
 * the metastore-level CREATE privileges and CREATE EXTERNAL LOCATION on the DR credentials set up
 * ahead of time, and works as the owner of what it creates until the ownership pass. It is a
 * workspace admin holding {@code servicePrincipal.user} on the service principals the demo's jobs
 * run as, the workspace rights the README's "Least privilege" asks for, so that jobs are copied
 * with their run-as identities.
 */
class NonAdminWorkerConvergeTest {
  private static final String KEY = "failover/acme-lakehouse/snapshots/nonadmin.json.gz";
  private static final String WORKER = "dr-worker@acme.example";

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private CloudClients workerClients;
  private TestActivityEnvironment env;
  private ConvergeActivities converge;
  private SmokeTestActivities smokeTest;
  private SnapshotRef snapshot;

  @BeforeEach
  void start() throws Exception {
    cloud = new SimulatedCloud(dir);
    // The demo's tables lie under no external location; a worker that is no metastore admin needs
    // one to hold CREATE EXTERNAL TABLE on, which it gets by creating it in DR.
    cloud
        .simulator
        .workspace("primary")
        .storageAccess()
        .createLocation(
            "lakehouse-uc",
            new StorageAccessState.LocationFields(
                "s3://acme-lakehouse-use1/uc", "lakehouse-rw", "tables", "data-engineers", false));
    WorkspaceState dr = cloud.simulator.workspace("secondary");
    dr.metastores().assign(dr.metastores().workspaceId(), dr.metastoreId(), "main");
    dr.principals().addUser(WORKER, "DR worker");
    dr.principals().makeAdmin(WORKER);
    for (String servicePrincipal : List.of(DemoWorkspace.ETL_RUNNER, DemoWorkspace.BI_DASHBOARDS)) {
      dr.principals().grantServicePrincipalUser(servicePrincipal, WORKER);
    }
    // Only a metastore admin changes grants on the metastore: DR's are set up ahead of time as
    // the primary's, where the worker holds the same privileges (one principal for both sides).
    WorkspaceState primary = cloud.simulator.workspace("primary");
    primary.principals().addUser(WORKER, "DR worker");
    List<String> create =
        List.of("CREATE_CATALOG", "CREATE_EXTERNAL_LOCATION", "CREATE_STORAGE_CREDENTIAL");
    primary.changeGrants("metastore", primary.metastoreId(), WORKER, create, List.of());
    var metastoreGrants = primary.grants("metastore", primary.metastoreId());
    dr.setGrants("metastore", dr.metastoreId(), metastoreGrants);
    // Both workspaces see the account's metastores; the captured grants name the primary's.
    dr.setGrants("metastore", primary.metastoreId(), metastoreGrants);
    DemoWorkspace.DR_CREDENTIALS.forEach(
        (credential, twin) -> {
          List<String> add = List.of("CREATE_EXTERNAL_LOCATION");
          primary.changeGrants("storage_credential", credential, WORKER, add, List.of());
          // A DR credential set up ahead of time belongs to whoever set it up, with the grants
          // the primary's has: the worker cannot change them.
          dr.setGrants(
              "storage_credential", twin, primary.grants("storage_credential", credential));
        });
    workerClients = clientsWithDrToken(dr.principals().tokenFor(WORKER));

    SnapshotStore adminStore = new SnapshotStore(cloud.clients, new SnapshotCache());
    SnapshotStore workerStore = new SnapshotStore(workerClients, new SnapshotCache());
    env = ActivityEnvironments.withHeartbeats();
    env.registerActivitiesImplementations(
        new CaptureActivitiesImpl(cloud.clients, adminStore),
        new ConvergeActivitiesImpl(workerClients, workerStore),
        new SmokeTestActivitiesImpl(workerClients, workerStore));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setHeartbeatTimeout(Duration.ofSeconds(30))
            .build();
    CaptureActivities capture = env.newActivityStub(CaptureActivities.class, options);
    converge = env.newActivityStub(ConvergeActivities.class, options);
    smokeTest = env.newActivityStub(SmokeTestActivities.class, options);
    snapshot =
        capture.captureControlPlane(
            SimulatedCloud.primary(), List.of(), SimulatedCloud.replicaBucket(), KEY);
  }

  @AfterEach
  void stop() {
    env.close();
    workerClients.close();
    cloud.close();
  }

  /** The same endpoints, with the DR profile holding the non-admin worker's token. */
  private CloudClients clientsWithDrToken(String token) throws Exception {
    Path config = dir.resolve("worker-databrickscfg");
    Files.writeString(
        config,
        "[acme-primary]\ntoken = "
            + cloud.simulator.workspaceToken("primary")
            + "\n\n[acme-dr]\ntoken = "
            + token
            + "\n\n[acme-account]\ntoken = "
            + cloud.simulator.accountToken()
            + "\n");
    return new CloudClients(
        CloudClientsConfig.builder()
            .databricksConfigFile(config)
            .awsCredentialsFile(dir.resolve("aws-credentials"))
            .workspaceEndpoints(
                Map.of(
                    SimulatedCloud.PRIMARY_HOST, cloud.simulator.workspaceUrl("primary"),
                    SimulatedCloud.SECONDARY_HOST, cloud.simulator.workspaceUrl("secondary")))
            .s3Endpoint(cloud.simulator.s3Url())
            .accountEndpoint(cloud.simulator.accountUrl())
            .iamEndpoint(cloud.simulator.iamUrl())
            .stsEndpoint(cloud.simulator.stsUrl())
            .kmsEndpoint(cloud.simulator.kmsUrl())
            .httpTimeoutSeconds(10)
            .build());
  }

  private ConvergeRequest request(String runId) {
    return ControlPlaneActivities.request(snapshot, runId);
  }

  private void convergeAll(ConvergeRequest request) {
    ControlPlaneActivities.convergeAll(converge, request);
  }

  @Test
  void ownersAreGivenAfterTheGrantsSoANonAdminWorkerConvergesEverything() {
    convergeAll(request(null));

    assertThat(smokeTest.verifyControlPlane(request(null))).isPositive();
    WorkspaceState primary = cloud.simulator.workspace("primary");
    for (WorkspaceState.Catalog captured : primary.catalogs()) {
      assertThat(cloud.simulator.workspace("secondary").catalog(captured.name()).owner())
          .as("owner of catalog " + captured.name())
          .isEqualTo(captured.owner());
    }
    var drStorage = cloud.simulator.workspace("secondary").storageAccess();
    for (var location : primary.storageAccess().locations()) {
      assertThat(drStorage.location(location.name()).owner())
          .as("owner of external location " + location.name())
          .isEqualTo(location.owner());
    }
    List<RecordedRequest> writes = cloud.simulator.requests().mutating("databricks", "secondary");
    int lastGrant = lastIndex(writes, "/api/2.1/unity-catalog/permissions/");
    int firstCatalogPatch = firstPatch(writes, "/api/2.1/unity-catalog/catalogs/");
    assertThat(firstCatalogPatch)
        .as("catalog owners change after the last grant")
        .isGreaterThan(lastGrant);
  }

  @Test
  void aDrillRunByANonAdminWorkerRemovesExactlyWhatItCreated() {
    List<String> before = catalogNames();
    ConvergeRequest drill = request("drill-nonadmin-1");
    convergeAll(drill);
    assertThat(smokeTest.verifyControlPlane(drill)).isPositive();
    assertThat(cloud.simulator.workspace("secondary").catalogs())
        .filteredOn(c -> "drill-nonadmin-1".equals(c.properties().get(ExpectedState.RUN_PROPERTY)))
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.owner()).isEqualTo(WORKER));

    List<dev.failover.activities.components.Component<?>> reversed =
        new ArrayList<>(Components.all());
    java.util.Collections.reverse(reversed);
    ChangeCounts removed = ChangeCounts.NONE;
    for (var component : reversed) {
      removed = removed.plus(converge.removeComponentCreatedByRun(drill, component.name()));
    }
    removed = removed.plus(converge.removeCreatedByRun(drill));

    assertThat(removed.deleted()).isPositive();
    assertThat(catalogNames()).isEqualTo(before);
  }

  private List<String> catalogNames() {
    List<String> names = new ArrayList<>();
    workerClients
        .workspace(SimulatedCloud.secondary())
        .catalogs()
        .list(new ListCatalogsRequest())
        .forEach((CatalogInfo c) -> names.add(c.getName()));
    return names;
  }

  private static int lastIndex(List<RecordedRequest> writes, String prefix) {
    int last = -1;
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i).path().startsWith(prefix)) {
        last = i;
      }
    }
    return last;
  }

  private static int firstPatch(List<RecordedRequest> writes, String prefix) {
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i).method().equals("PATCH") && writes.get(i).path().startsWith(prefix)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }
}
