package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code drill}, {@code failover} and {@code failback} share: validate the runbook, start the
 * run on a Temporal server that a worker polls, follow it and print its report.
 */
abstract class StartRunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "The runbook YAML file")
  Path file;

  @Option(names = "--incident", description = "Incident or change id to record with the run")
  String incident;

  @Option(names = "--detach", description = "Start the run and print its id without following it")
  boolean detach;

  abstract Mode mode();

  /** Whether a drill keeps what it created in DR; only the drill command asks. */
  boolean keep() {
    return false;
  }

  /** Whether a failover compares every object of DR; only the failover command asks. */
  boolean compareAll() {
    return false;
  }

  /** Whether a failover converges from the newest snapshot; only the failover command asks. */
  boolean fromNewestSnapshot() {
    return false;
  }

  @Override
  public Integer call() throws InvalidRunbookException {
    Runbook runbook = RunbookFiles.load(file);
    RunLauncher.validateIncident(incident);
    try (TemporalConnection temporal = connection.connect()) {
      RunLauncher launcher =
          new RunLauncher(temporal.client(), temporal.target())
              .keeping(keep())
              .comparingAll(compareAll())
              .fromNewestSnapshot(fromNewestSnapshot());
      if (detach) {
        var execution = launcher.start(runbook, mode(), incident);
        spec.commandLine()
            .getOut()
            .printf("%s %s%n", execution.getWorkflowId(), execution.getRunId());
        return ExitCodes.OK;
      }
      RunReport report =
          launcher.run(runbook, mode(), incident, RunOutput.progressStream(spec, output));
      return RunOutput.print(report, spec, output);
    }
  }
}
