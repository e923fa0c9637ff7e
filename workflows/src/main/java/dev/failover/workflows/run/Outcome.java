package dev.failover.workflows.run;

/** How a run ended, or {@link #RUNNING} while it goes on. */
public enum Outcome {
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Stopped between steps by an operator; the report says what was done. */
  ABORTED
}
