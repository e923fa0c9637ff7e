package dev.failover.workflows.run;

import io.temporal.failure.ActivityFailure;

/**
 * {@code report}: stores the run's report as JSON next to the snapshot. The step is marked done
 * before the report is written so that the stored copy is complete; if the write fails, the run's
 * own report says so and a run that had succeeded fails.
 */
final class ReportStep {
  private ReportStep() {}

  static void store(RunContext run) {
    String name = Step.REPORT.stepName();
    String key = run.runPrefix + "reports/" + run.runId + ".json";
    String location = "s3://" + run.store.bucket() + "/" + key;
    run.ledger.running(name);
    String at = RunLedger.now();
    run.ledger.ended(at);
    run.ledger.succeeded(name, StepResult.message("stored at " + location));
    run.ledger.reportLocation(location);
    try {
      run.activities.reports.storeReport(run.store, key, run.ledger.progress());
    } catch (ActivityFailure e) {
      run.ledger.reportLocation(null);
      run.ledger.finished(name, StepStatus.FAILED, StepExecutor.describe(e));
      if (run.ledger.outcome() == Outcome.SUCCEEDED) {
        run.ledger.outcome(Outcome.FAILED, "step report failed: " + StepExecutor.describe(e));
      }
    }
  }
}
