package dev.failover.workflows.run;

import dev.failover.workflows.steps.FenceResult;

/**
 * {@code unfence-target}: at the end of a failback, resumes exactly the schedules and warehouses
 * the failover's fence stopped on the side now active again.
 */
final class UnfenceTargetStep implements StepBody {
  private final RunContext run;

  UnfenceTargetStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    FenceResult unfenced = run.activities.fencing.unfence(run.fenceRequest(run.target));
    run.ledger.fenceResult(unfenced);
    return StepResult.message(unfenced.summary("resumed", "started"));
  }
}
