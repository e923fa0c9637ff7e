package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.Runbook;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a run walks its plan, as the run decides it and {@code failover plan} shows it. */
class PlanLayoutTest {
  private static final String WAVES =
      "capture -> [converge-groups, converge-metastore, converge-storage-credentials,"
          + " converge-warehouses, converge-cluster-policies, converge-repos, converge-notebooks]"
          + " -> [converge-external-locations, converge-clusters] -> converge-catalogs ->"
          + " converge-schemas -> [converge-tables, converge-jobs, converge-models] ->"
          + " [converge-permissions, converge-grants]";

  private static Runbook withSteps(int maxParallel, List<Runbook.CustomStep> custom) {
    return TestRunbooks.example().withSteps(new Runbook.Steps(List.of(), custom, maxParallel));
  }

  @Test
  void aFailoverPromotesStorageBesideCaptureAndConverge() {
    assertThat(PlanLayout.describe(TestRunbooks.example(), Mode.FAILOVER))
        .containsExactly(
            "in order: readiness -> approval -> fence-source",
            "then side by side, at most 2 steps at once:",
            "  storage:       promote-storage -> check-delta-tables (once capture has run)",
            "  control plane: " + WAVES,
            "then in order: smoke-test -> restore-schedules -> report");
  }

  @Test
  void aDrillChecksDeltaTablesBesideConvergeAndAFailbackRestoresReplicationBesideIt() {
    assertThat(PlanLayout.describe(TestRunbooks.example(), Mode.DRILL))
        .containsExactly(
            "in order: readiness",
            "then side by side, at most 2 steps at once:",
            "  storage:       check-delta-tables (once capture has run)",
            "  control plane: " + WAVES,
            "then in order: smoke-test -> clean-up -> report");
    assertThat(PlanLayout.describe(TestRunbooks.example(), Mode.FAILBACK))
        .contains(
            "  storage:       restore-replication",
            "then in order: smoke-test -> restore-schedules -> unfence-target -> report");
  }

  @Test
  void oneStepAtATimeRunsThePlanInOrder() {
    Runbook runbook = withSteps(1, List.of());
    List<Step> plan = Step.plan(runbook, Mode.FAILOVER, true, true);
    assertThat(PlanLayout.runsBeside(plan, CustomPlan.of(plan, runbook.steps(), Mode.FAILOVER), 1))
        .isFalse();
    assertThat(PlanLayout.describe(runbook, Mode.FAILOVER))
        .containsExactly(
            "in order: " + String.join(" -> ", plan.stream().map(Step::stepName).toList()));
  }

  @Test
  void anApprovalAmongTheConvergeStepsKeepsThePlanInOrderAndComesBeforeItsWave() {
    Runbook runbook =
        TestRunbooks.example()
            .withApproval(
                new Runbook.Approval(true, false, List.of("oncall-sre"), 60, "converge-jobs"));
    assertThat(PlanLayout.describe(runbook, Mode.FAILOVER))
        .singleElement()
        .asString()
        .contains("fence-source -> promote-storage -> capture -> [converge-groups,")
        .contains(
            "converge-schemas -> approval -> [converge-tables, converge-jobs, converge-models]"
                + " -> [converge-permissions, converge-grants] -> check-delta-tables -> smoke-test");
  }

  @Test
  void aCustomStepWaitingForCaptureKeepsThePlanInOrder() {
    Runbook.CustomStep notify =
        new Runbook.CustomStep(
            "notify-captured",
            List.of("failover"),
            List.of("capture"),
            new Runbook.Webhook("https://hooks.example.com/x", "POST", "{}", 200, 10));
    Runbook runbook = withSteps(2, List.of(notify));
    assertThat(PlanLayout.describe(runbook, Mode.FAILOVER))
        .singleElement()
        .asString()
        .contains("promote-storage -> capture -> notify-captured (custom) -> [converge-groups,");
  }
}
