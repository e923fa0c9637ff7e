package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.Runbook;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan as one graph: which steps a mode has and what each waits for. */
class PlanGraphTest {
  private static Runbook.CustomStep hook(String name, List<String> modes, String... dependsOn) {
    return new Runbook.CustomStep(
        name,
        modes,
        List.of(dependsOn),
        new Runbook.Webhook("https://hooks.example.com/" + name, "POST", null, 200, 30));
  }

  private static Runbook withSteps(List<String> disable, Runbook.CustomStep... custom) {
    return TestRunbooks.example().withSteps(new Runbook.Steps(disable, List.of(custom), 3));
  }

  @Test
  void theReportListsTheStepsInDeclarationOrderAndEachModeHasItsOwn() {
    PlanGraph failover = PlanGraph.of(TestRunbooks.example(), Mode.FAILOVER);
    assertThat(failover.steps())
        .startsWith(Step.READINESS, Step.APPROVAL, Step.FENCE_SOURCE, Step.PROMOTE_STORAGE)
        .endsWith(Step.SMOKE_TEST, Step.RESTORE_SCHEDULES, Step.REPORT)
        .doesNotContain(Step.RESTORE_REPLICATION, Step.CLEAN_UP, Step.UNFENCE_TARGET);
    assertThat(failover.steps()).isSortedAccordingTo(Enum::compareTo);
    assertThat(PlanGraph.of(TestRunbooks.example(), Mode.DRILL).steps())
        .doesNotContain(Step.APPROVAL, Step.FENCE_SOURCE, Step.PROMOTE_STORAGE)
        .endsWith(Step.SMOKE_TEST, Step.CLEAN_UP, Step.REPORT);
    assertThat(PlanGraph.of(TestRunbooks.example(), Mode.FAILBACK).steps())
        .contains(Step.RESTORE_REPLICATION, Step.UNFENCE_TARGET)
        .doesNotContain(Step.CHECK_DELTA_TABLES);
  }

  @Test
  void aNeedTheModeDoesNotHaveStandsForItsOwnNeeds() {
    PlanGraph drill = PlanGraph.of(TestRunbooks.example(), Mode.DRILL);
    // A drill has no fence: the Delta check waits for what the storage step's fence needs,
    // readiness, and capture (which only reads) needs the fence alone, so it runs beside readiness.
    assertThat(drill.node("check-delta-tables").needs()).containsExactly("capture", "readiness");
    assertThat(drill.node("capture").needs()).isEmpty();
    // What writes to the target still waits for readiness.
    assertThat(drill.node("converge-groups").needs()).containsExactly("readiness", "capture");
    assertThat(drill.node("converge-notebooks").needs()).containsExactly("readiness", "capture");
    PlanGraph failoverPlan = PlanGraph.of(TestRunbooks.example(), Mode.FAILOVER);
    assertThat(failoverPlan.directNeeds(failoverPlan.node("capture")))
        .containsExactly("fence-source");
    assertThat(failoverPlan.directNeeds(failoverPlan.node("converge-groups")))
        .containsExactly("capture");
    PlanGraph failover =
        PlanGraph.of(withSteps(List.of("smoke-test", "fence-source")), Mode.FAILOVER);
    assertThat(failover.has(Step.SMOKE_TEST)).isFalse();
    assertThat(failover.directNeeds(failover.node("restore-schedules")))
        .containsExactly("converge-permissions", "converge-grants", "check-delta-tables");
    assertThat(failover.directNeeds(failover.node("promote-storage"))).containsExactly("approval");
  }

  @Test
  void everyStepButTheWayToTheApprovalWaitsForIt() {
    Runbook runbook =
        TestRunbooks.example()
            .withApproval(new Runbook.Approval(true, false, List.of(), 60, "converge-jobs"));
    PlanGraph graph = PlanGraph.of(runbook, Mode.FAILOVER);
    assertThat(graph.directNeeds(graph.node("approval")))
        .containsExactly("converge-groups", "converge-warehouses", "converge-clusters");
    for (String step :
        List.of("promote-storage", "converge-catalogs", "converge-tables", "converge-notebooks")) {
      assertThat(graph.ancestors(step)).as(step).contains("approval");
    }
    assertThat(graph.ancestors("approval")).doesNotContain("converge-tables", "promote-storage");
    // The report lists the approval where it runs: after its needs, before what waits for it.
    List<String> names = graph.names();
    assertThat(names.indexOf("approval")).isGreaterThan(names.indexOf("converge-clusters"));
    assertThat(names.indexOf("approval")).isLessThan(names.indexOf("converge-tables"));
    assertThat(names.indexOf("approval")).isLessThan(names.indexOf("promote-storage"));
  }

  @Test
  void theJobsStepsStartEarlyAndWaitInsideForTheirOtherNeeds() {
    PlanGraph drill = PlanGraph.of(TestRunbooks.example(), Mode.DRILL);
    // A drill reads DR's copies of every job beside capture.
    assertThat(drill.startNeeds(drill.node("converge-jobs"))).containsExactly("readiness");
    assertThat(drill.earlyStart(drill.node("converge-jobs")).after()).isEqualTo(Step.READINESS);
    assertThat(drill.startNeeds(drill.node("smoke-test")))
        .contains("converge-jobs", "converge-clusters", "capture", "readiness")
        .doesNotContain("converge-permissions", "converge-grants", "check-delta-tables");
    PlanGraph failover = PlanGraph.of(TestRunbooks.example(), Mode.FAILOVER);
    // Nothing reads DR before an operator approves.
    // A failover reads only after capture has claimed the record that DR matched a snapshot.
    assertThat(failover.startNeeds(failover.node("converge-jobs")))
        .containsExactlyInAnyOrder("readiness", "approval", "fence-source", "capture");
    assertThat(failover.startNeeds(failover.node("converge-notebooks")))
        .isEqualTo(failover.node("converge-notebooks").needs());
    // One slot: the plan runs in the report's order, nothing early.
    PlanGraph oneAtATime =
        PlanGraph.of(
            TestRunbooks.example().withSteps(new Runbook.Steps(List.of(), List.of(), 1)),
            Mode.DRILL);
    assertThat(oneAtATime.earlyStart(oneAtATime.node("converge-jobs"))).isNull();
    assertThat(oneAtATime.startNeeds(oneAtATime.node("smoke-test")))
        .isEqualTo(oneAtATime.node("smoke-test").needs());
  }

  @Test
  void anApprovalBeforeADrillsCaptureStillFollowsReadiness() {
    Runbook runbook =
        TestRunbooks.example()
            .withApproval(new Runbook.Approval(true, true, List.of(), 60, "capture"));
    PlanGraph drill = PlanGraph.of(runbook, Mode.DRILL);
    // Capture needs nothing in a drill, but the operator approves what readiness found.
    assertThat(drill.node("approval").needs()).containsExactly("readiness");
    assertThat(drill.node("capture").needs()).containsExactly("approval");
    assertThat(drill.ancestors("readiness")).isEmpty();
  }

  @Test
  void customStepsNeedWhatTheyNameInThePlanAndFollowItInTheReport() {
    Runbook runbook =
        withSteps(
            List.of(),
            hook("page-dba", List.of("drill", "failover"), "promote-storage"),
            hook("switch-dns", List.of("failover"), "smoke-test"),
            hook("notify", List.of("drill", "failover"), "switch-dns", "converge-jobs"));
    PlanGraph failover = PlanGraph.of(runbook, Mode.FAILOVER);
    assertThat(failover.node("page-dba").needs()).containsExactly("promote-storage");
    assertThat(failover.node("notify").needs()).containsExactly("switch-dns", "converge-jobs");
    assertThat(failover.names())
        .containsSubsequence("promote-storage", "page-dba", "capture")
        .containsSubsequence("smoke-test", "switch-dns", "notify", "restore-schedules", "report");
    assertThat(failover.node("report").needs()).contains("page-dba", "switch-dns", "notify");

    // A drill has no promotion and no switch-dns: what is left of the needs decides.
    PlanGraph drill = PlanGraph.of(runbook, Mode.DRILL);
    assertThat(drill.names()).doesNotContain("switch-dns");
    assertThat(drill.node("notify").needs()).containsExactly("converge-jobs");
    assertThat(drill.node("page-dba").needs())
        .as("no need left in the plan: last, before the report")
        .contains("smoke-test", "clean-up")
        .doesNotContain("report");
    assertThat(drill.names()).endsWith("page-dba", "report");
  }

  @Test
  void theBoundIsTheRunbooksMaxParallelAndTheApprovalTakesNoSlot() {
    PlanGraph graph = PlanGraph.of(withSteps(List.of()), Mode.FAILOVER);
    assertThat(graph.maxParallel()).isEqualTo(3);
    assertThat(graph.node("approval").takesSlot()).isFalse();
    assertThat(graph.node("capture").takesSlot()).isTrue();
    assertThat(graph.node("capture").skippable()).isFalse();
  }
}
