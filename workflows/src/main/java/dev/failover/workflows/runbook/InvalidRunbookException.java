package dev.failover.workflows.runbook;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a runbook has one or more problems; nothing has been started or changed. */
public final class InvalidRunbookException extends Exception {
  private final transient List<RunbookProblem> problems;

  public InvalidRunbookException(String source, List<RunbookProblem> problems) {
    super(
        source
            + " is not a valid runbook: "
            + problems.stream().map(RunbookProblem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<RunbookProblem> problems() {
    return problems;
  }
}
