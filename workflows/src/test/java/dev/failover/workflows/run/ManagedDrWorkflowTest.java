package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.ManagedDr;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.GroupOwnedComponents;
import dev.failover.workflows.steps.ManagedDrRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.InOrder;

/** The failover group in the plan: readiness checks it, its own step fails it over. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // see MockedRun: a run that stands still fails
class ManagedDrWorkflowTest {
  private static final String GROUP =
      "accounts/7a1c3e52-9b4d-4f6a-8e21-5c0d3b9f4a17/failover-groups/acme-lakehouse";
  private MockedRun mocked;

  @BeforeEach
  void start() {
    mocked = new MockedRun();
  }

  @AfterEach
  void stop() {
    mocked.close();
  }

  private static Runbook withManagedDr() {
    return TestRunbooks.example()
        .withApproval(new Runbook.Approval(false, false, List.of(), 60))
        .withManagedDr(new ManagedDr(GROUP, List.of(), 10));
  }

  @Test
  void withoutManagedDrNoPlanHasTheStep() {
    for (Mode mode : Mode.values()) {
      assertThat(PlanGraph.of(TestRunbooks.example(), mode).has(Step.FAILOVER_GROUP)).isFalse();
      assertThat(PlanGraph.of(withManagedDr(), mode).has(Step.FAILOVER_GROUP)).isTrue();
    }
    PlanGraph failover = PlanGraph.of(withManagedDr(), Mode.FAILOVER);
    assertThat(failover.directNeeds(failover.node("failover-group")))
        .containsExactly("fence-source");
    assertThat(failover.ancestors("smoke-test")).contains("failover-group");
  }

  @Test
  void aFailbackChecksThenFailsTheGroupBackAfterTheFenceAndBeforeTheSmokeTest() {
    RunReport report =
        mocked
            .newRun()
            .run(new RunRequest(withManagedDr(), Mode.FAILBACK, "INC-9", "sre@acme.com"));

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    InOrder order = inOrder(mocked.managedDr, mocked.fencing, mocked.smokeTest);
    order
        .verify(mocked.managedDr)
        .checkGroup(
            argThat(
                (ManagedDrRequest r) ->
                    r.sourceRegion().equals("us-west-2")
                        && r.targetRegion().equals("us-east-1")
                        && r.sourceWorkspaceId() == 2076813776007L
                        && r.targetWorkspaceId() == 1185969127007L
                        && r.timeoutMinutes() == 10
                        && !r.drill()));
    order.verify(mocked.fencing).fence(any());
    order.verify(mocked.managedDr).failoverGroup(any());
    order.verify(mocked.smokeTest).verifyControlPlane(any());
    assertThat(report.steps())
        .filteredOn(s -> s.name().equals("failover-group"))
        .singleElement()
        .satisfies(s -> assertThat(s.message()).isEqualTo("failed the group over"));
    assertThat(report.steps().get(0).message()).contains("failover group is ACTIVE in the source");
    // The group's replication point age, as readiness read it, is the report's control-plane RPO.
    assertThat(report.controlPlaneRpoSeconds()).isEqualTo(42L);
    assertThat(report.controlPlaneRpoFromGroup()).isTrue();
    assertThat(report.snapshotStale()).isFalse();
    assertThat(ReportMarkdown.render(report))
        .contains("**Control-plane RPO**: 42 s: the age of the failover group's replication point");
  }

  @Test
  void withoutManagedDrALiveCaptureLeavesTheControlPlaneRpoUnset() {
    RunReport report =
        mocked
            .newRun()
            .run(
                new RunRequest(
                    TestRunbooks.example()
                        .withApproval(new Runbook.Approval(false, false, List.of(), 60)),
                    Mode.FAILOVER,
                    "INC-4",
                    "sre@acme.com"));

    assertThat(report.controlPlaneRpoSeconds()).isNull();
    assertThat(report.controlPlaneRpoFrom()).isNull();
  }

  @Test
  void theCatalogsTheGroupReplicatesReachEveryConvergeStepAndTheReadinessFindings() {
    org.mockito.Mockito.when(mocked.managedDr.replicatedCatalogs(any()))
        .thenReturn(List.of("finance"));

    RunReport report =
        mocked.newRun().run(new RunRequest(withManagedDr(), Mode.DRILL, "INC-2", "sre@acme.com"));

    verify(mocked.converge)
        .convergeCatalogs(argThat(r -> r.replicatedCatalogs().equals(List.of("finance"))));
    verify(mocked.converge)
        .convergeSchemas(argThat(r -> r.replicatedCatalogs().equals(List.of("finance"))));
    assertThat(report.steps().get(0).message())
        .contains("the failover group covers catalogs finance")
        .contains("converge verifies them, never writes them");
  }

  @Test
  void theWorkspaceAssetsTheGroupReplicatesAreVerifiedAndTheReportSaysTheGroupCoveredThem() {
    org.mockito.Mockito.when(mocked.managedDr.groupOwnedComponents(any()))
        .thenReturn(GroupOwnedComponents.WORKSPACE_ASSETS);
    org.mockito.Mockito.when(
            mocked.converge.convergeBatch(argThat(b -> b.request().groupOwns(b.component()))))
        .thenReturn(new ComponentResult(new ChangeCounts(0, 0, 5, 0), List.of(), List.of()));

    RunReport report =
        mocked
            .newRun()
            .run(new RunRequest(withManagedDr(), Mode.FAILOVER, "INC-3", "sre@acme.com"));

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    verify(mocked.converge)
        .convergeBatch(
            argThat(
                b ->
                    b.component().equals("jobs")
                        && b.request()
                            .groupOwnedComponents()
                            .equals(GroupOwnedComponents.WORKSPACE_ASSETS)));
    verify(mocked.converge, never()).restoreJobSchedules(any(), any());
    assertThat(report.steps().get(0).message())
        .contains("the failover group replicates workspace assets: it covers notebooks, repos,");
    for (String component : GroupOwnedComponents.WORKSPACE_ASSETS) {
      assertThat(report.steps())
          .filteredOn(s -> s.name().equals("converge-" + component))
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s.message())
                      .startsWith("covered by the failover group (workspace assets)"));
    }
    assertThat(report.steps())
        .filteredOn(s -> s.name().equals("converge-tables"))
        .singleElement()
        .satisfies(s -> assertThat(s.message()).doesNotContain("failover group"));
    assertThat(report.steps())
        .filteredOn(s -> s.name().equals("restore-schedules"))
        .singleElement()
        .satisfies(s -> assertThat(s.message()).contains("jobs are the failover group's"));
  }

  @Test
  void theDryRunSaysWhichComponentRowsTheGroupCovers() {
    org.mockito.Mockito.when(mocked.managedDr.groupOwnedComponents(any()))
        .thenReturn(GroupOwnedComponents.WORKSPACE_ASSETS);

    PlanReport plan =
        mocked
            .newPlan()
            .plan(new RunRequest(withManagedDr(), Mode.FAILOVER, "INC-5", "sre@acme.com"));

    assertThat(plan.readiness())
        .contains("failover group is ACTIVE in the source")
        .anySatisfy(
            f ->
                assertThat(f)
                    .startsWith("the failover group replicates workspace assets: it covers")
                    .contains("jobs")
                    .contains("the engine converges the other components"));
    verify(mocked.converge, never()).convergeBatch(any());
  }

  @Test
  void aDrillAsksTheGroupStepToReadOnly() {
    mocked.newRun().run(new RunRequest(withManagedDr(), Mode.DRILL, "INC-1", "sre@acme.com"));

    verify(mocked.managedDr).failoverGroup(argThat(ManagedDrRequest::drill));
    verify(mocked.managedDr, never()).failoverGroup(argThat(r -> !r.drill()));
  }
}
