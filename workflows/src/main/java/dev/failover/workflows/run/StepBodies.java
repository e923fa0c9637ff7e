package dev.failover.workflows.run;

/** The body of each step of the plan, by its built-in step; custom steps call their webhook. */
final class StepBodies {
  private StepBodies() {}

  static StepBody of(RunContext run, PlanGraph.Node node) {
    if (node.custom() != null) {
      return new WebhookStep(run, node.custom());
    }
    Step step = node.step();
    if (step.converges()) {
      return new ConvergeStep(run, step);
    }
    return switch (step) {
      case READINESS -> new ReadinessStep(run);
      case APPROVAL -> new ApprovalStep(run);
      case FENCE_SOURCE -> new FenceSourceStep(run);
      case PROMOTE_STORAGE, RESTORE_REPLICATION -> new StorageStep(run);
      case FAILOVER_GROUP -> new FailoverGroupStep(run);
      case CAPTURE -> new CaptureStep(run);
      case CHECK_DELTA_TABLES -> new CheckDeltaTablesStep(run);
      case SMOKE_TEST -> new SmokeTestStep(run);
      case RESTORE_SCHEDULES -> new RestoreSchedulesStep(run);
      case CLEAN_UP -> new CleanUpStep(run);
      case UNFENCE_TARGET -> new UnfenceTargetStep(run);
      default -> throw new IllegalArgumentException("step " + step.stepName() + " has no body");
    };
  }
}
