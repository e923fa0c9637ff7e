package dev.failover.cli.sandbox;

import dev.failover.cli.CliException;
import dev.failover.cli.ExitCodes;
import dev.failover.cli.OutputOptions;
import dev.failover.cli.RunLauncher;
import dev.failover.cli.RunOutput;
import dev.failover.cli.RunbookFiles;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code failover sandbox drill}: the main job, a drill of the demo lakehouse, embedded. */
@Command(name = "drill", description = "Run a drill in the embedded sandbox and print its report.")
final class SandboxDrillCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(
      names = {"-f", "--file"},
      description = "Runbook to drill (default: the bundled runbooks/sandbox.yaml)")
  Path file;

  @Option(names = "--incident", description = "Incident or change id to record with the run")
  String incident;

  @Option(
      names = "--faults",
      defaultValue = "0",
      paramLabel = "RATE",
      description =
          "Share of API requests (0 to 1) the simulator answers with a fault: 429, 500, 503, a"
              + " slow response or a dropped connection (default: ${DEFAULT-VALUE})")
  double faultRate;

  @Override
  public Integer call() throws InvalidRunbookException {
    Runbook runbook = file == null ? RunbookFiles.bundledSandboxRunbook() : RunbookFiles.load(file);
    RunLauncher.validateIncident(incident);
    if (faultRate < 0 || faultRate > 1) {
      throw new CliException(
          ExitCodes.USAGE,
          "--faults must be between 0 and 1 (a share of requests), got " + faultRate);
    }
    PrintWriter progress = RunOutput.progressStream(spec, output);
    try (Sandbox sandbox = Sandbox.start(runbook, faultRate)) {
      progress.println(sandbox.describe());
      progress.flush();
      RunReport report =
          new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
              .run(runbook, Mode.DRILL, incident, progress);
      if (faultRate > 0) {
        progress.printf(
            "Simulator injected %d faults into %d requests%n",
            sandbox.simulator().faults().injected(), sandbox.simulator().requests().all().size());
        progress.flush();
      }
      return RunOutput.print(report, spec, output);
    }
  }
}
