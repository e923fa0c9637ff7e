package dev.failover.workflows;

import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.runbook.RunbookYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's example runbook, which the sandbox uses too. */
public final class TestRunbooks {
  public static final Path EXAMPLE = Path.of("..", "runbooks", "sandbox.yaml");

  private TestRunbooks() {}

  public static String exampleYaml() {
    try {
      return Files.readString(EXAMPLE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The example with another setting for failed steps. */
  public static Runbook example(Runbook.OnStepFailure onStepFailure) {
    return example().withOnStepFailure(onStepFailure);
  }

  public static Runbook example() {
    try {
      return RunbookYaml.parse(exampleYaml(), EXAMPLE.toString());
    } catch (InvalidRunbookException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Snapshot counts with every component captured: 3 items each, and 2 securables of grants. */
  public static java.util.Map<String, Integer> allComponents() {
    java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
    dev.failover.workflows.run.Step.componentSteps().forEach(s -> counts.put(s.component(), 3));
    counts.put(dev.failover.workflows.run.Step.GRANTS, 2);
    return counts;
  }
}
