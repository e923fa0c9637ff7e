package dev.failover.workflows.run;

import dev.failover.workflows.steps.ChangeCounts;

/**
 * The outcome of a step's body: optional counts and a one-line message; {@code skipped} when the
 * run itself left the step out (with the reason as its message).
 */
record StepResult(ChangeCounts counts, String message, boolean skipped) {
  StepResult(ChangeCounts counts, String message) {
    this(counts, message, false);
  }

  static StepResult message(String message) {
    return new StepResult(null, message);
  }

  /** The step did not run, for this reason. */
  static StepResult skipped(String reason) {
    return new StepResult(null, reason, true);
  }

  static StepResult counts(ChangeCounts counts) {
    return new StepResult(
        counts,
        counts.created()
            + " created, "
            + counts.updated()
            + " updated, "
            + counts.unchanged()
            + " unchanged, "
            + counts.deleted()
            + " removed"
            + (counts.retries() == 0 ? "" : ", " + counts.retries() + " retries"));
  }
}
