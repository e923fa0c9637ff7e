package dev.failover.workflows.run;

/** Where a step of the plan stands. */
public enum StepStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Failed, then skipped by an operator's decision; the run went on without it. */
  SKIPPED,
  /** Not run because an earlier step failed or the run was aborted. */
  NOT_RUN,
  /**
   * Running when an operator aborted the run: its activities were cancelled and stopped; what they
   * had done is kept, and a later run converges the rest.
   */
  ABORTED
}
