package dev.failover.workflows.run;

/**
 * What to do with a step that failed after its retries and waits for an operator.
 *
 * @param action retry the step, skip it (recorded, shown in the report) or abort the run
 * @param by who decides
 * @param reason why, or null
 */
public record Decision(Action action, String by, String reason) {
  /** The choices an operator has for a failed step. */
  public enum Action {
    RETRY,
    SKIP,
    ABORT
  }
}
