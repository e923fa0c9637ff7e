package dev.failover.activities.steps;

import static dev.failover.activities.steps.ControlPlaneActivities.request;
import static dev.failover.activities.steps.ReadinessActivitiesTest.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.catalog.CatalogInfo;
import com.databricks.sdk.service.catalog.CreateCatalog;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import com.databricks.sdk.service.catalog.PermissionsChange;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.UpdatePermissions;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.Components;
import dev.failover.activities.errors.CallRetry;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.simulator.RecordedRequest;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture, converge and smoke test against the simulator through the real Databricks and S3
 * clients: creation, idempotence, updates of what differs, removal of extra grants, and the
 * not-found and corrupt-snapshot paths.
 */
class ControlPlaneActivitiesTest {
  private static final String KEY = "failover/acme-lakehouse/snapshots/test.json.gz";

  @TempDir Path dir;
  private ControlPlaneActivities activities;
  private SimulatedCloud cloud;
  private CaptureActivities capture;
  private ConvergeActivities converge;
  private SmokeTestActivities smokeTest;

  @BeforeEach
  void start() {
    activities = new ControlPlaneActivities(dir);
    cloud = activities.cloud;
    capture = activities.capture;
    converge = activities.converge;
    smokeTest = activities.smokeTest;
  }

  @AfterEach
  void stop() {
    activities.close();
  }

  private SnapshotRef captureAll() {
    return capture.captureControlPlane(
        SimulatedCloud.primary(), List.of(), SimulatedCloud.replicaBucket(), KEY);
  }

  private ChangeCounts convergeAll(ConvergeRequest request) {
    return ControlPlaneActivities.convergeAll(converge, request);
  }

  private WorkspaceClient dr() {
    return cloud.clients.workspace(SimulatedCloud.secondary());
  }

  private List<CatalogInfo> drCatalogs() {
    List<CatalogInfo> all = new ArrayList<>();
    dr().catalogs().list(new ListCatalogsRequest()).forEach(all::add);
    return all;
  }

  @Test
  void captureReadsThePrimaryOnlyAndStoresAVerifiableSnapshotInTheReplica() {
    SnapshotRef snapshot = captureAll();

    assertThat(snapshot.catalogs()).isGreaterThanOrEqualTo(3);
    assertThat(snapshot.schemas()).isGreaterThanOrEqualTo(snapshot.catalogs());
    assertThat(snapshot.grants()).isPositive();
    assertThat(snapshot.location().bucket()).isEqualTo("acme-lakehouse-usw2");
    assertThat(snapshot.sha256()).hasSize(64);
    assertThat(cloud.simulator.requests().mutating("databricks", "primary")).isEmpty();
    assertThat(cloud.simulator.requests().mutating("s3", "secondary"))
        .extracting(RecordedRequest::path)
        .containsExactly("/acme-lakehouse-usw2/" + KEY);
  }

  @Test
  void captureReadsUnityCatalogAndTheOtherComponentsSideBySide() {
    // With a round trip of 100 ms, Unity Catalog's chain (each catalog's grants, its schemas, then
    // each schema's grants and tables, catalog after catalog) takes several round trips; read side
    // by side, the other components' first API answers come before the last catalog's schemas'
    // grants. (The SDK's configuration reads, outside /api/, come before either.)
    cloud.simulator.setLatency("databricks", "primary", 100);
    cloud.simulator.requests().clear();

    captureAll();

    List<RecordedRequest> primary =
        cloud.simulator.requests().all().stream()
            .filter(r -> r.service().equals("databricks") && r.side().equals("primary"))
            .toList();
    long lastSchemaGrants =
        primary.stream()
            .filter(r -> r.path().contains("/unity-catalog/privilege-assignments/schema/"))
            .mapToLong(RecordedRequest::answeredAtMillis)
            .max()
            .orElseThrow();
    long firstOtherRead =
        primary.stream()
            .filter(r -> r.path().startsWith("/api/") && !r.path().contains("/unity-catalog/"))
            .mapToLong(RecordedRequest::answeredAtMillis)
            .min()
            .orElseThrow();
    assertThat(firstOtherRead).isLessThan(lastSchemaGrants);
  }

  @Test
  void captureStartsTheReadsOfEachObjectFirstAndStoresTheRegistrysOrder() {
    // With a round trip of 100 ms, four components read at once: Git folders, listed in a few
    // pages, wait for a slot, while the jobs (a jobs/get each) start at once.
    cloud.simulator.setLatency("databricks", "primary", 100);
    cloud.simulator.requests().clear();

    SnapshotRef snapshot = captureAll();

    assertThat(firstAnswer("/api/2.2/jobs/list")).isLessThan(firstAnswer("/api/2.0/repos"));
    ControlPlaneSnapshot stored =
        new SnapshotStore(cloud.clients)
            .read(
                snapshot,
                new CallRetry(
                    3, Duration.ofMillis(10), Duration.ofMillis(50), d -> Thread.sleep(1)));
    assertThat(List.copyOf(stored.components().keySet()))
        .isEqualTo(Components.all().stream().map(Component::name).toList());
  }

  private long firstAnswer(String pathPrefix) {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.side().equals("primary") && r.path().startsWith(pathPrefix))
        .mapToLong(RecordedRequest::answeredAtMillis)
        .min()
        .orElseThrow();
  }

  @Test
  void convergeCreatesEverythingOnceAndASecondConvergeSendsNoMutatingRequest() {
    SnapshotRef snapshot = captureAll();
    ConvergeRequest request = request(snapshot);

    ChangeCounts first = convergeAll(request);
    assertThat(first.created())
        .isGreaterThan(snapshot.catalogs() + snapshot.schemas() + snapshot.grants());
    assertThat(smokeTest.verifyControlPlane(request)).isPositive();

    cloud.simulator.requests().clear();
    ChangeCounts second = convergeAll(request);
    // The groups were already in DR (the IdP's and the account's job): unchanged both times. DR's
    // default Job Compute policy was there too: edited the first time, unchanged the second. The 13
    // access control lists the demo sets, and quarterly-archive's (owned by its creator, wei.chen),
    // are put on DR's copies, whose own lists name the worker as owner. main's default schema,
    // made with its catalog, gets the primary's comment; finance's, which the primary lacks, is
    // dropped.
    assertThat(first.updated()).isEqualTo(1 + 14 + 1);
    assertThat(first.deleted()).isEqualTo(1);
    assertThat(second)
        .isEqualTo(
            new ChangeCounts(0, 0, first.created() + first.updated() + first.unchanged(), 0));
    assertThat(cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void aModelOwnedByAnotherPrincipalReachesDrWithAllItsVersionsAndThenThatOwner() {
    ConvergeRequest request = request(captureAll());

    convergeAll(request);

    var dr = cloud.simulator.workspace("secondary").models();
    var primary = cloud.simulator.workspace("primary").models();
    for (String model :
        List.of("sales.gold.churn_classifier", "finance.reporting.fraud_detector")) {
      assertThat(primary.model(model).owner()).isEqualTo("ml-platform");
      assertThat(dr.model(model).owner()).as(model).isEqualTo("ml-platform");
      assertThat(dr.versions(model))
          .as(model)
          .hasSameSizeAs(primary.versions(model))
          .allMatch(v -> v.status() == dev.failover.simulator.databricks.ModelsState.Status.READY)
          .allMatch(v -> v.createdBy().equals(cloud.simulator.workspace("secondary").userName()));
    }
    ComponentResult check = converge.checkBatch(ControlPlaneActivities.batch(request, "models"));
    assertThat(check.counts()).isEqualTo(new ChangeCounts(0, 0, 2, 0));
  }

  @Test
  void aViewOverATableOwnedByAnotherPrincipalIsCreatedInDrAndTheTableEndsWithItsOwner() {
    // Two of the demo's views read orders_clean; here it belongs to another principal, so the
    // worker can read it only while it still owns DR's copy.
    cloud
        .simulator
        .workspace("primary")
        .updateTable(
            "sales.silver.orders_clean",
            t ->
                new dev.failover.simulator.databricks.WorkspaceState.Table(
                    t.catalogName(),
                    t.schemaName(),
                    t.name(),
                    t.tableType(),
                    t.dataSourceFormat(),
                    t.storageLocation(),
                    t.viewDefinition(),
                    t.comment(),
                    "data-engineers",
                    t.properties(),
                    t.columns(),
                    t.primaryKey(),
                    t.createdAt(),
                    t.createdBy(),
                    t.updatedAt(),
                    t.updatedBy()));
    ConvergeRequest request = request(captureAll());

    convergeAll(request);

    var dr = cloud.simulator.workspace("secondary");
    assertThat(dr.table("sales.gold.daily_revenue").isView()).isTrue();
    assertThat(dr.table("sales.gold.large_orders").isView()).isTrue();
    assertThat(dr.table("sales.silver.orders_clean").owner()).isEqualTo("data-engineers");
    ComponentResult check = converge.checkBatch(ControlPlaneActivities.batch(request, "tables"));
    assertThat(check.counts().created() + check.counts().updated()).isZero();
    assertThat(check.counts().unchanged()).isEqualTo(7);
    assertThat(smokeTest.verifyControlPlane(request)).isPositive();
  }

  @Test
  void aDrillLeavesTheModelsItCreatesToTheWorkerSoThatItsCleanUpDeletesThem() {
    ConvergeRequest drill = request(captureAll(), "drill-1");

    convergeAll(drill);

    var dr = cloud.simulator.workspace("secondary");
    assertThat(dr.models().model("sales.gold.churn_classifier").owner()).isEqualTo(dr.userName());
    assertThat(dr.models().versions("sales.gold.churn_classifier")).hasSize(3);
    assertThat(converge.checkBatch(ControlPlaneActivities.batch(drill, "models")).counts())
        .isEqualTo(new ChangeCounts(0, 0, 2, 0));
    assertThat(converge.removeComponentCreatedByRun(drill, "models"))
        .isEqualTo(new ChangeCounts(0, 0, 0, 2));
    assertThat(dr.models().models(null, null)).isEmpty();
  }

  @Test
  void theActivitiesOfARunFetchTheSnapshotFromS3Once() {
    SnapshotRef snapshot = captureAll();
    ConvergeRequest request = request(snapshot);
    cloud.simulator.requests().clear();

    convergeAll(request);
    ComponentResult jobs =
        converge.checkBatch(new ComponentBatch(request, "jobs", 0, snapshot.count("jobs")));
    assertThat(jobs.counts().unchanged()).isEqualTo(snapshot.count("jobs")).isPositive();
    assertThat(smokeTest.verifyControlPlane(request)).isPositive();

    assertThat(cloud.simulator.requests().all())
        .filteredOn(r -> r.service().equals("s3") && r.method().equals("GET"))
        .extracting(RecordedRequest::path)
        .containsOnlyOnce("/acme-lakehouse-usw2/" + KEY);
  }

  @Test
  void existingCatalogThatDiffersIsUpdatedNotDuplicated() {
    SnapshotRef snapshot = captureAll();
    dr().catalogs()
        .create(
            new CreateCatalog()
                .setName("sales")
                .setComment("stale comment")
                .setStorageRoot("s3://acme-lakehouse-usw2/uc/sales"));

    ChangeCounts counts = converge.convergeCatalogs(request(snapshot));

    assertThat(counts.updated()).isEqualTo(1);
    assertThat(counts.created()).isEqualTo(snapshot.catalogs() - 1);
    assertThat(drCatalogs()).filteredOn(c -> c.getName().equals("sales")).hasSize(1);
  }

  @Test
  void extraGrantsInDrAreRemovedSoPrivilegeSetsAreExact() {
    SnapshotRef snapshot = captureAll();
    ConvergeRequest request = request(snapshot);
    convergeAll(request);
    // An account group DR's Unity Catalog knows, granted by hand in DR only.
    cloud.simulator.account().addGroups("contractors");
    dr().grants()
        .update(
            new UpdatePermissions()
                .setSecurableType("catalog")
                .setFullName("sales")
                .setChanges(
                    List.of(
                        new PermissionsChange()
                            .setPrincipal("contractors")
                            .setAdd(List.of(Privilege.USE_CATALOG)))));

    ChangeCounts counts = converge.convergeGrants(request);

    assertThat(counts.deleted()).isEqualTo(1);
    assertThat(counts.created() + counts.updated()).isZero();
    assertThat(smokeTest.verifyControlPlane(request)).isPositive();
  }

  @Test
  void catalogNamedInScopeButMissingOnThePrimaryIsNotFound() {
    assertThatThrownBy(
            () ->
                capture.captureControlPlane(
                    SimulatedCloud.primary(),
                    List.of("sales", "does_not_exist"),
                    SimulatedCloud.replicaBucket(),
                    KEY))
        .satisfies(
            thrown -> {
              var failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(failure.getOriginalMessage())
                  .contains("scope.catalogs names [does_not_exist]");
            });
  }

  @Test
  void grantsOnASecurableMissingInDrFailAsNotFoundNamingIt() {
    ConvergeRequest request = request(captureAll());
    assertThatThrownBy(() -> converge.convergeGrants(request))
        .satisfies(
            thrown -> {
              var failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(failure.getOriginalMessage())
                  .contains("read grants on catalog")
                  .contains("https://dbc-acme-dr.cloud.databricks.com")
                  .contains("HTTP 404");
            });
  }

  @Test
  void smokeTestNamesEveryDifference() {
    ConvergeRequest request = request(captureAll());
    assertThatThrownBy(() -> smokeTest.verifyControlPlane(request))
        .satisfies(
            thrown -> {
              var failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.SMOKE_TEST_FAILED);
              assertThat(failure.getOriginalMessage()).contains("catalog sales is missing");
            });
  }

  @Test
  void snapshotWhoseDigestDoesNotMatchIsRejected() {
    SnapshotRef real = captureAll();
    SnapshotRef tampered =
        new SnapshotRef(
            real.location(),
            real.key(),
            real.versionId(),
            "0".repeat(64),
            real.sizeBytes(),
            real.capturedAt(),
            real.catalogs(),
            real.schemas(),
            real.grants(),
            real.tables());
    assertThatThrownBy(() -> converge.convergeCatalogs(request(tampered)))
        .satisfies(
            thrown -> {
              var failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.SNAPSHOT_CORRUPT);
              assertThat(failure.getOriginalMessage()).contains("expected " + "0".repeat(64));
            });
    assertThat(drCatalogs()).extracting(CatalogInfo::getName).doesNotContain("sales", "finance");
  }
}
