package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.RunLauncher;
import dev.failover.cli.RunbookFiles;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * With 10% of all API requests failing (429 with Retry-After, 500, 503, responses slower than the
 * client's timeout, dropped connections), a drill ends in exactly the DR state a drill without
 * faults reaches, and its report counts the retries it took.
 */
class DrillUnderApiFaultsTest {
  private static RunReport drill(Sandbox sandbox, Runbook runbook) {
    // Kept: the test compares the DR state the drills leave.
    return new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
        .keeping(true)
        .run(runbook, Mode.DRILL, "FAULTS-1", new PrintWriter(new StringWriter()));
  }

  @Test
  void tenPercentFaultsOnEveryRouteEndInTheSameDrStateAsNone() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    List<String> withoutFaults;
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      assertThat(drill(sandbox, runbook).outcome()).isEqualTo(Outcome.SUCCEEDED);
      withoutFaults = withoutRunMark(sandbox.simulator().workspace("secondary").contents());
    }

    try (Sandbox sandbox = Sandbox.start(runbook, 0.10)) {
      RunReport report = drill(sandbox, runbook);

      assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(withoutRunMark(sandbox.simulator().workspace("secondary").contents()))
          .isEqualTo(withoutFaults)
          .isNotEmpty();
      assertThat(sandbox.simulator().faults().injected()).isPositive();
      int retries =
          report.steps().stream()
              .map(StepReport::counts)
              .filter(Objects::nonNull)
              .mapToInt(c -> c.retries())
              .sum();
      assertThat(retries).isPositive();
      assertThat(sandbox.simulator().requests().mutating("databricks", "primary")).isEmpty();
      assertThat(sandbox.simulator().requests().mutating("s3", "primary")).isEmpty();
    }
  }

  /** DR's contents without the run id each drill marks its objects with (it differs by run). */
  private static java.util.List<String> withoutRunMark(java.util.List<String> contents) {
    return contents.stream()
        .map(
            line ->
                line.replaceAll(", failover\\.run=[0-9a-f-]+", "")
                    .replaceAll("failover\\.run=[0-9a-f-]+(, )?", ""))
        .toList();
  }
}
