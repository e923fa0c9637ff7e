package dev.failover.activities.components.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.compute.ClusterPoliciesComponent;
import dev.failover.activities.components.compute.ClustersComponent;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.activities.components.warehouses.WarehousesComponent;
import dev.failover.activities.components.workspace.NotebooksComponent;
import dev.failover.activities.components.workspace.ReposComponent;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.Faults;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.databricks.KnownPrincipals;
import dev.failover.simulator.databricks.PermissionsState;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.steps.ChangeCounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workspace object permissions of the demo, captured from the primary and converged into DR through
 * the real SDK: every object type, exact lists with one PUT per differing object, nothing sent when
 * equal, refusals named, a PUT whose answer is lost, and the way back.
 */
class PermissionsComponentTest {
  private static final String PERMISSIONS = "/api/2.0/permissions/";

  @TempDir Path dir;
  private ComponentHarness<ObjectAcl> harness;
  private WorkspaceState primary;
  private WorkspaceState dr;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new PermissionsComponent());
    primary = harness.cloud.simulator.workspace("primary");
    dr = harness.cloud.simulator.workspace("secondary");
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  /** Converges the objects the permissions are on, as the earlier steps of a run do. */
  private void convergeObjects() {
    List<Component<?>> objects =
        List.of(
            new WarehousesComponent(),
            new ClusterPoliciesComponent(),
            new ClustersComponent(),
            new ReposComponent(),
            new NotebooksComponent(),
            new JobsComponent());
    objects.forEach(this::convergeAll);
  }

  private <T> void convergeAll(Component<T> component) {
    List<T> items = component.read(harness.context(SimulatedCloud.primary(), null));
    new ComponentConverger<>(component, harness.context(SimulatedCloud.secondary(), null), d -> {})
        .converge(items, null, false);
  }

  private static ObjectAcl item(List<ObjectAcl> items, String type, String name) {
    return items.stream()
        .filter(i -> i.type().equals(type) && i.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** A DR object's direct entries as {@code principal level}, from the simulator's state. */
  private static List<String> direct(WorkspaceState workspace, String type, String id) {
    List<String> lines = new ArrayList<>();
    for (PermissionsState.Held held : workspace.permissions().get(type, id)) {
      if (!held.inherited()) {
        lines.add(held.entry().principal() + " " + held.entry().level());
      }
    }
    return lines;
  }

  private static String jobId(WorkspaceState workspace, String name) {
    return workspace.jobs().jobs().stream()
        .filter(job -> job.settings().path("name").asText().equals(name))
        .map(job -> Long.toString(job.jobId()))
        .findFirst()
        .orElseThrow();
  }

  private long permissionPuts(String side) {
    return harness.cloud.simulator.requests().mutating("databricks", side).stream()
        .filter(r -> r.path().startsWith(PERMISSIONS))
        .count();
  }

  private long secondaryRequests(String pathEnd) {
    return harness.cloud.simulator.requests().all().stream()
        .filter(r -> r.side().equals("secondary") && r.path().endsWith(pathEnd))
        .count();
  }

  @Test
  void captureHoldsTheDirectEntriesOfEveryObjectType() {
    List<ObjectAcl> captured = harness.capturePrimary();

    assertThat(captured)
        .extracting(ObjectAcl::type)
        .contains(
            "jobs",
            "clusters",
            "cluster-policies",
            "warehouses",
            "notebooks",
            "directories",
            "repos");
    assertThat(item(captured, "jobs", "nightly-orders-etl").acl())
        .containsExactly(
            new AccessEntry("group", "analysts", "CAN_VIEW"),
            new AccessEntry("group", "data-engineers", "CAN_MANAGE"),
            new AccessEntry(
                "service_principal", DemoWorkspace.ETL_SERVICE_PRINCIPAL, "CAN_MANAGE_RUN"),
            new AccessEntry("user", "maria.garcia@acme.example", "IS_OWNER"));
    // Inherited entries (the folder's, the admins') are not captured.
    assertThat(item(captured, "notebooks", "/Shared/finance/quarterly_close").acl())
        .containsExactly(new AccessEntry("group", "auditors", "CAN_READ"));
    assertThat(item(captured, "directories", "/Shared/finance").acl())
        .containsExactly(new AccessEntry("group", "finance-team", "CAN_EDIT"));
    assertThat(item(captured, "warehouses", "finance-adhoc").acl())
        .contains(new AccessEntry("user", "sofia.rossi@acme.example", "IS_OWNER"));
    assertThat(item(captured, "cluster-policies", "etl-jobs").acl()).hasSize(2);
    assertThat(item(captured, "repos", "/Repos/etl/lakehouse-pipelines").acl())
        .containsExactly(new AccessEntry("group", "data-engineers", "CAN_EDIT"));
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "primary")).isEmpty();
  }

  @Test
  void convergeMakesEachListExactWithOnePutPerDifferingObjectThenSendsNothing() {
    List<ObjectAcl> captured = harness.capturePrimary();
    ComponentConverger.Result preview = harness.converge(captured, null, true);
    // Before the objects exist, their lists are counted as to create; DR's default policies and
    // its own folders are compared already. A dry run sends nothing.
    assertThat(preview.counts().created()).isPositive();
    assertThat(
            preview.counts().created() + preview.counts().updated() + preview.counts().unchanged())
        .isEqualTo(captured.size());
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    convergeObjects();
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result first = harness.converge(captured, null, false);

    assertThat(first.refused()).isEmpty();
    assertThat(first.counts().created()).isZero();
    assertThat(first.counts().updated()).isPositive();
    assertThat(permissionPuts("secondary")).isEqualTo(first.counts().updated());
    assertThat(direct(dr, "jobs", jobId(dr, "nightly-orders-etl")))
        .containsExactlyInAnyOrder(
            "maria.garcia@acme.example IS_OWNER",
            "data-engineers CAN_MANAGE",
            "analysts CAN_VIEW",
            DemoWorkspace.ETL_SERVICE_PRINCIPAL + " CAN_MANAGE_RUN");
    // The worker created the copy and owned it; the owner moved to the original's.
    assertThat(direct(dr, "jobs", jobId(dr, "hourly-ledger-refresh")))
        .containsExactlyInAnyOrder(
            DemoWorkspace.ETL_SERVICE_PRINCIPAL + " IS_OWNER", "finance-team CAN_VIEW");
    assertThat(first.differences())
        .anySatisfy(d -> assertThat(d).contains("-user " + dr.userName() + " IS_OWNER"));

    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result second = harness.converge(captured, null, false);
    assertThat(second.counts()).isEqualTo(new ChangeCounts(0, 0, captured.size(), 0));
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    // Notebooks, folders and Git folders are found in their folders' listings, one list per
    // folder, not one status per object.
    assertThat(secondaryRequests("/workspace/get-status")).isZero();
    long folders =
        captured.stream()
            .filter(acl -> List.of("notebooks", "directories", "repos").contains(acl.type()))
            .map(acl -> acl.objectKey().substring(0, Math.max(1, acl.objectKey().lastIndexOf('/'))))
            .distinct()
            .count();
    assertThat(secondaryRequests("/workspace/list")).isEqualTo(folders);

    // An entry added in DR by hand is removed, with one PUT.
    String folder = Long.toString(dr.workspaceTree().status("/Shared/etl").objectId());
    dr.permissions()
        .update(
            "directories",
            folder,
            List.of(
                new PermissionsState.Entry(
                    PermissionsState.PrincipalKind.GROUP, "analysts", "CAN_READ")));
    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result third = harness.converge(captured, null, false);
    assertThat(third.counts().updated()).isEqualTo(1);
    assertThat(permissionPuts("secondary")).isEqualTo(1);
    assertThat(direct(dr, "directories", folder)).containsExactly("data-engineers CAN_MANAGE");
  }

  @Test
  void aListDrRefusesIsReportedByNameWhileTheOthersConverge() {
    List<ObjectAcl> captured = new ArrayList<>(harness.capturePrimary());
    convergeObjects();
    // DR does not know Maria, and one list asks for a level clusters do not have.
    dr.permissions()
        .usePrincipals(
            new KnownPrincipals.Names(dr.userName())
                .addUsers(
                    "olivia.smith@acme.example",
                    "sofia.rossi@acme.example",
                    DemoWorkspace.ARCHIVE_OWNER)
                .addServicePrincipals(DemoWorkspace.ETL_SERVICE_PRINCIPAL));
    ObjectAcl ml = item(captured, "clusters", "ml-gpu");
    List<AccessEntry> wrong = new ArrayList<>(ml.acl());
    wrong.add(new AccessEntry("group", "ml-engineers", "CAN_USE"));
    captured.set(
        captured.indexOf(ml),
        new ObjectAcl(ml.type(), ml.objectKey(), ml.name(), ml.objectId(), wrong));

    ComponentConverger.Result result = harness.converge(captured, null, false);

    assertThat(result.refused())
        .hasSize(2)
        .anySatisfy(
            r ->
                assertThat(r)
                    .contains("jobs nightly-orders-etl")
                    .contains("Principal: UserName(maria.garcia@acme.example) does not exist"))
        .anySatisfy(r -> assertThat(r).contains("clusters ml-gpu").contains("CAN_USE"));
    assertThat(direct(dr, "jobs", jobId(dr, "hourly-ledger-refresh")))
        .contains(DemoWorkspace.ETL_SERVICE_PRINCIPAL + " IS_OWNER");
  }

  @Test
  void aPutWhoseAnswerIsLostIsSentAgainAndLeavesTheSameList() {
    List<ObjectAcl> captured = harness.capturePrimary();
    convergeObjects();
    String job = jobId(dr, "nightly-orders-etl");
    harness
        .cloud
        .simulator
        .faults()
        .failNext("databricks", "PUT", PERMISSIONS + "jobs/" + job, 1, Faults.Kind.ANSWER_LOST);
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result result = harness.converge(captured, null, false);

    assertThat(result.refused()).isEmpty();
    // The PUT landed, its answer was lost, and the retry sent the same whole list again.
    assertThat(
            harness.cloud.simulator.requests().mutating("databricks", "secondary").stream()
                .map(RecordedRequest::path)
                .filter(path -> path.equals(PERMISSIONS + "jobs/" + job)))
        .hasSize(2);
    assertThat(direct(dr, "jobs", job)).hasSize(4).contains("maria.garcia@acme.example IS_OWNER");
    assertThat(harness.converge(captured, null, false).counts().updated()).isZero();
  }

  @Test
  void aFailbackConvergesThePrimaryFromDrByTheSameKeys() {
    convergeObjects();
    harness.converge(harness.capturePrimary(), null, false);
    String drJob = jobId(dr, "revenue-dashboard-refresh");
    dr.permissions()
        .update(
            "jobs",
            drJob,
            List.of(
                new PermissionsState.Entry(
                    PermissionsState.PrincipalKind.GROUP, "finance-team", "CAN_VIEW")));

    List<ObjectAcl> fromDr =
        new PermissionsComponent().read(harness.context(SimulatedCloud.secondary(), null));
    ComponentConverger.Result back =
        new ComponentConverger<>(new PermissionsComponent(), harness.failbackContext(), d -> {})
            .converge(fromDr, null, false);

    assertThat(back.refused()).isEmpty();
    assertThat(back.counts().created()).isZero();
    assertThat(back.counts().updated()).isEqualTo(1);
    assertThat(direct(primary, "jobs", jobId(primary, "revenue-dashboard-refresh")))
        .containsExactlyInAnyOrder(
            "olivia.smith@acme.example IS_OWNER",
            "analysts CAN_MANAGE_RUN",
            "finance-team CAN_VIEW");
  }
}
