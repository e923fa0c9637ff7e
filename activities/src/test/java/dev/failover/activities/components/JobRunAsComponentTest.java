package dev.failover.activities.components;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.jobs.JobItem;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.activities.components.warehouses.WarehousesComponent;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.databricks.GroupsState;
import dev.failover.simulator.databricks.JobsState;
import dev.failover.simulator.databricks.WorkspaceState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who DR's copies of the jobs run as, through the real SDK: the identity each original ran as (its
 * run_as, else its owner), set explicitly on the copy, never the worker's; and a worker that may
 * not set it gets the job refused, with nothing written for it.
 */
class JobRunAsComponentTest {
  private static final String ADMIN = "sre-automation@acme.example";

  @TempDir Path dir;

  private static Map<String, JobsState.Job> jobsByName(ComponentHarness<?> h, String side) {
    return h.cloud.simulator.workspace(side).jobs().jobs().stream()
        .collect(Collectors.toMap(j -> j.settings().path("name").asText(), Function.identity()));
  }

  /** What jobs refer to by id (warehouses, cluster policies), converged into DR by the admin. */
  private static void convergeCompute(ComponentHarness<?> h) {
    for (Component<?> component :
        List.<Component<?>>of(
            new WarehousesComponent(Duration.ofSeconds(30), Duration.ofMillis(50)),
            new dev.failover.activities.components.compute.ClusterPoliciesComponent())) {
      convergeAll(h, component);
    }
  }

  private static <T> void convergeAll(ComponentHarness<?> h, Component<T> component) {
    List<T> items = component.read(h.context(SimulatedCloud.primary(), null));
    new ComponentConverger<>(component, h.context(SimulatedCloud.secondary(), null), d -> {})
        .converge(items, null, false);
  }

  @Test
  void eachCopyRunsAsTheIdentityItsOriginalRanAs() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      List<JobItem> captured = h.capturePrimary();
      Map<String, JobItem> byName =
          captured.stream().collect(Collectors.toMap(JobItem::name, Function.identity()));
      assertThat(byName.get("nightly-orders-etl").runAs())
          .isEqualTo(JobItem.RunAs.servicePrincipal(DemoWorkspace.ETL_RUNNER));
      assertThat(byName.get("nightly-orders-etl").creator()).isEqualTo(DemoWorkspace.ETL_OWNER);
      assertThat(byName.get("quarterly-archive").runAs())
          .isEqualTo(JobItem.RunAs.user(DemoWorkspace.ARCHIVE_OWNER));

      h.converge(captured, null, false);

      Map<String, JobsState.Job> primary = jobsByName(h, "primary");
      Map<String, JobsState.Job> dr = jobsByName(h, "secondary");
      assertThat(dr.keySet()).isEqualTo(primary.keySet());
      for (Map.Entry<String, JobsState.Job> copy : dr.entrySet()) {
        JobsState.Job original = primary.get(copy.getKey());
        assertThat(copy.getValue().runAsUserName())
            .as(copy.getKey())
            .isEqualTo(original.runAsUserName());
        // Set explicitly, so the copy never runs as its creator, the worker.
        assertThat(copy.getValue().runAs()).as(copy.getKey()).isNotNull();
        assertThat(copy.getValue().creatorUserName()).isEqualTo(ADMIN);
      }
      assertThat(dr.get("hourly-ledger-refresh").runAs())
          .isEqualTo(new JobsState.RunAs("service_principal_name", DemoWorkspace.ETL_RUNNER));
      assertThat(dr.get("quarterly-archive").runAs())
          .isEqualTo(new JobsState.RunAs("user_name", DemoWorkspace.ARCHIVE_OWNER));

      h.cloud.simulator.requests().clear();
      assertThat(h.converge(captured, null, false).counts().unchanged()).isEqualTo(captured.size());
      assertThat(h.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    }
  }

  @Test
  void aCopyIsUnchangedOnTheNextConvergeWhetherItsOriginalSetRunAsOrNot() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      Map<String, JobsState.Job> primary = jobsByName(h, "primary");
      // nightly-orders-etl sets run_as; the other two run as their owners.
      assertThat(primary.get("nightly-orders-etl").runAs()).isNotNull();
      assertThat(primary.get("hourly-ledger-refresh").runAs()).isNull();
      assertThat(primary.get("quarterly-archive").runAs()).isNull();
      List<JobItem> captured =
          h.capturePrimary().stream()
              .filter(
                  j ->
                      List.of("nightly-orders-etl", "hourly-ledger-refresh", "quarterly-archive")
                          .contains(j.name()))
              .toList();
      assertThat(captured)
          .hasSize(3)
          .allSatisfy(j -> assertThat(j.settings().has("run_as")).isFalse());

      assertThat(h.converge(captured, null, false).counts().created()).isEqualTo(3);
      // Every copy has run_as set, which reads show in its settings.
      assertThat(jobsByName(h, "secondary").values())
          .allSatisfy(j -> assertThat(j.runAs()).isNotNull());

      h.cloud.simulator.requests().clear();
      ComponentConverger.Result again = h.converge(captured, null, false);
      assertThat(again.counts().unchanged()).isEqualTo(3);
      assertThat(again.counts().updated()).isZero();
      assertThat(h.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    }
  }

  @Test
  void aJobThatRunsAsAGroupKeepsRunningAsThatGroupInItsCopy() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      // maria.garcia is a member of data-engineers in both workspaces; the worker, DR's admin, is
      // made one there, as setting run_as to a group requires.
      ObjectNode settings = new ObjectMapper().createObjectNode();
      settings.put("name", "grouped-refresh");
      settings
          .putArray("tasks")
          .addObject()
          .put("task_key", "main")
          .putObject("notebook_task")
          .put("notebook_path", "/Repos/etl/grouped-refresh");
      settings.putObject("run_as").put("group_name", "data-engineers");
      var primary = h.cloud.simulator.workspace("primary");
      primary
          .jobs()
          .create(settings, primary.principals().named(DemoWorkspace.ETL_OWNER).orElseThrow());
      joinGroup(h.cloud.simulator.workspace("secondary"), ADMIN, "data-engineers");

      List<JobItem> captured =
          h.capturePrimary().stream().filter(j -> j.name().equals("grouped-refresh")).toList();
      assertThat(captured.get(0).runAs()).isEqualTo(JobItem.RunAs.group("data-engineers"));

      assertThat(h.converge(captured, null, false).counts().created()).isEqualTo(1);
      assertThat(jobsByName(h, "secondary").get("grouped-refresh").runAs())
          .isEqualTo(new JobsState.RunAs("group_name", "data-engineers"));
      assertThat(h.converge(captured, null, false).counts().unchanged()).isEqualTo(1);
    }
  }

  private static void joinGroup(WorkspaceState workspace, String userName, String groupName) {
    String id = workspace.principals().named(userName).orElseThrow().id();
    GroupsState groups = workspace.groups();
    groups.update(
        groups.named(groupName).orElseThrow().id(),
        g -> {
          List<GroupsState.Member> members = new java.util.ArrayList<>(g.members());
          members.add(new GroupsState.Member(id, userName, "Users/" + id));
          return new GroupsState.Group(
              g.id(),
              g.displayName(),
              g.externalId(),
              g.resourceType(),
              members,
              g.entitlements(),
              g.roles());
        });
  }

  @Test
  void aWorkerThatMayNotSetRunAsGetsTheJobRefusedAndNothingWrittenForIt() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      // dr-worker may run jobs as etl-runner, and as nobody else: it is not an admin.
      h.cloud
          .simulator
          .workspace("secondary")
          .principals()
          .grantServicePrincipalUser(DemoWorkspace.ETL_RUNNER, DemoWorkspace.DR_WORKER);
      List<JobItem> captured = h.capturePrimary();
      h.cloud.simulator.requests().clear();

      ComponentContext asWorker = h.context(SimulatedCloud.secondaryAsDrWorker(), "drill-1");
      ComponentConverger.Result result =
          new ComponentConverger<>(h.component, asWorker, d -> {})
              .converge(captured, h.ledger, false);

      assertThat(jobsByName(h, "secondary").keySet())
          .containsExactlyInAnyOrder("nightly-orders-etl", "hourly-ledger-refresh");
      assertThat(result.counts().created()).isEqualTo(2);
      // The service answers each such create 400 INVALID_PARAMETER_VALUE naming run_as (its real
      // code is undocumented): each refuses its own job, and the batch goes on.
      assertThat(result.refused()).hasSize(captured.size() - 2);
      assertThat(result.refused())
          .anySatisfy(
              r ->
                  assertThat(r)
                      .contains("job quarterly-archive runs as user " + DemoWorkspace.ARCHIVE_OWNER)
                      .contains("the worker (" + DemoWorkspace.DR_WORKER + ")")
                      .contains("it must be that user or a workspace admin")
                      .contains("HTTP 400 INVALID_PARAMETER_VALUE"))
          .anySatisfy(
              r ->
                  assertThat(r)
                      .contains(
                          "job revenue-dashboard-refresh runs as service principal "
                              + DemoWorkspace.BI_DASHBOARDS)
                      .contains("servicePrincipal.user role on " + DemoWorkspace.BI_DASHBOARDS));
      // The only writes that failed are the refused creates; nothing else was written for them.
      List<RecordedRequest> writes =
          h.cloud.simulator.requests().mutating("databricks", "secondary");
      assertThat(writes).allSatisfy(r -> assertThat(r.path()).isEqualTo("/api/2.2/jobs/create"));
      // A job refused before its create (orders-chain: the job it runs has no copy) sends none.
      assertThat(writes)
          .filteredOn(r -> r.status() == 400)
          .hasSize((int) result.refused().stream().filter(r -> r.contains("may not set")).count());

      // The drill's clean-up removes exactly the two copies it made.
      assertThat(
              new ComponentConverger<>(h.component, asWorker, d -> {})
                  .removeCreated(h.ledger.created("jobs"))
                  .deleted())
          .isEqualTo(2);
      assertThat(jobsByName(h, "secondary")).isEmpty();
    }
  }
}
