package dev.failover.workflows.run;

import dev.failover.workflows.steps.FenceResult;

/**
 * {@code fence-source}: stops every writer of the side being left that it can (schedules, triggers,
 * continuous jobs, SQL warehouses, pipelines, runs in progress), so it stops writing. When the
 * primary does not answer (a failover's outage path) the step is skipped with what to do once the
 * region is back.
 */
final class FenceSourceStep implements StepBody {
  private final RunContext run;

  FenceSourceStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    if (run.mode == Mode.FAILOVER && !run.primaryReachable()) {
      return StepResult.skipped(
          "the primary does not answer: its job schedules and warehouses could not be"
              + " paused; pause them when the region is back, before it writes again");
    }
    FenceResult fenced = run.activities.fencing.fence(run.fenceRequest(run.source));
    run.ledger.fenceResult(fenced);
    return StepResult.message(fenced.summary("paused", "stopped"));
  }
}
