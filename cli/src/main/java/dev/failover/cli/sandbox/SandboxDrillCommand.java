package dev.failover.cli.sandbox;

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

  @Override
  public Integer call() throws InvalidRunbookException {
    Runbook runbook = file == null ? RunbookFiles.bundledSandboxRunbook() : RunbookFiles.load(file);
    RunLauncher.validateIncident(incident);
    PrintWriter progress = RunOutput.progressStream(spec, output);
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      progress.println(sandbox.describe());
      progress.flush();
      RunReport report =
          new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
              .run(runbook, Mode.DRILL, incident, progress);
      return RunOutput.print(report, spec, output);
    }
  }
}
