package dev.failover.workflows.run;

import dev.failover.workflows.steps.ConvergeRequest;
import java.util.Map;

/**
 * {@code check-jobs}: the smoke test's check of the jobs, read-only, by the rules converge uses,
 * run as soon as the jobs have converged: it reads every job, the longest of the smoke test's
 * checks, and nothing after converge-jobs changes what it compares. Fails with the jobs'
 * differences, as the smoke test would.
 */
final class CheckJobsStep implements StepBody {
  private static final String JOBS = Step.CONVERGE_JOBS.component();

  private final RunContext run;

  CheckJobsStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    ConvergeRequest request = run.convergeRequest();
    if (!ComponentBatches.captured(request.snapshot(), JOBS)) {
      return StepResult.message("no jobs in the snapshot");
    }
    int matching =
        SmokeTestStep.matchingOrFail(
            Map.of(
                JOBS, ComponentBatches.each(JOBS, request, run.activities.converge::checkBatch)));
    return StepResult.message(
        matching + " jobs in the " + run.target.side() + " workspace match the snapshot");
  }
}
