package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunbookWorkflow;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code failover report RUN}: the report of a finished run (of a failed one too); for a run still
 * going, the report so far. Exit code 0 when the run succeeded.
 */
@Command(name = "report", description = "Print the report of a run.")
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id (failover-<runbook>)")
  String workflowId;

  @Option(names = "--run-id", description = "A specific run of that workflow id (default: latest)")
  String runId;

  @Override
  public Integer call() {
    try (TemporalConnection temporal = connection.connect()) {
      RunbookWorkflow run = RunWatcher.stubFor(temporal.client(), workflowId, runId);
      RunReport report;
      try {
        report = RunWatcher.result(run, Duration.ofMillis(200));
      } catch (TimeoutException e) {
        report = run.progress();
      } catch (WorkflowNotFoundException e) {
        throw new CliException(
            ExitCodes.FAILED, "no run " + workflowId + " on " + temporal.target());
      }
      return RunOutput.print(report, spec, output);
    }
  }
}
