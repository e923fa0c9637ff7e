package dev.failover.workflows.run;

/**
 * {@code failover-group}: Databricks managed disaster recovery moves what its failover group
 * replicates with one call; this step makes that call a durable, retried, audited step of the run.
 * A failover and a failback fail the group over to the target region and wait for it; a drill only
 * reads the group (it cannot be failed over and back without moving production) and says what a
 * failover would do.
 */
final class FailoverGroupStep implements StepBody {
  private final RunContext run;

  FailoverGroupStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    return StepResult.message(run.activities.managedDr.failoverGroup(run.managedDrRequest()));
  }
}
