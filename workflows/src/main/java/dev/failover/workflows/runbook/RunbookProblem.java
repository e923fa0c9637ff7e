package dev.failover.workflows.runbook;

/**
 * One thing wrong with a runbook: the field's path (for example {@code primary.region}) and why.
 */
public record RunbookProblem(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
