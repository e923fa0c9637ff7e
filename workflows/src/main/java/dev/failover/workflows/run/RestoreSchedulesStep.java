package dev.failover.workflows.run;

import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.FenceRequest;

/**
 * {@code restore-schedules}: once the target is verified, each job copy gets the pause status its
 * original had, a schedule the fence paused counting as running (read from the fence record).
 */
final class RestoreSchedulesStep implements StepBody {
  private final RunContext run;

  RestoreSchedulesStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    if (!ComponentBatches.captured(run.ledger.snapshot(), "jobs")) {
      return StepResult.skipped(ComponentBatches.notCaptured("jobs"));
    }
    if (run.convergeRequest().groupOwns("jobs")) {
      return StepResult.skipped(
          "jobs are the failover group's (workspace assets): this tool never writes them;"
              + " check their schedules in the target");
    }
    FenceRequest fenced = run.graph.has(Step.FENCE_SOURCE) ? run.fenceRequest(run.source) : null;
    ComponentResult restored =
        run.activities.converge.restoreJobSchedules(run.convergeRequest(), fenced);
    return new StepResult(
        restored.counts(),
        restored.counts().updated()
            + " job(s) set running or paused as on the side left, "
            + restored.counts().unchanged()
            + " already so");
  }
}
