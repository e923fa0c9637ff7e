package dev.failover.workflows.run;

/** Where a step of the plan stands. */
public enum StepStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Not run because an earlier step failed. */
  NOT_RUN
}
