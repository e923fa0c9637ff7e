package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunbookWorkflow;
import io.temporal.client.WorkflowNotFoundException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code failover status RUN}: where a run stands now, step by step. */
@Command(name = "status", description = "Show where a run stands, step by step.")
final class StatusCommand implements Callable<Integer> {
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
        report = run.progress();
      } catch (WorkflowNotFoundException e) {
        throw new CliException(
            ExitCodes.FAILED, "no run " + workflowId + " on " + temporal.target());
      }
      RunOutput.print(report, spec, output);
      return ExitCodes.OK;
    }
  }
}
