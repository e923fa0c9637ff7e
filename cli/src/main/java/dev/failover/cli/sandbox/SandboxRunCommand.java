package dev.failover.cli.sandbox;

import dev.failover.cli.CliException;
import dev.failover.cli.ExitCodes;
import dev.failover.cli.OutputOptions;
import dev.failover.cli.RunLauncher;
import dev.failover.cli.RunOutput;
import dev.failover.cli.RunbookFiles;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.run.Step;
import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What the sandbox's drill, failover and failback share: one embedded run of a mode. */
abstract class SandboxRunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(
      names = {"-f", "--file"},
      description = "Runbook to run (default: the bundled runbooks/sandbox.yaml)")
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

  @Option(
      names = "--fault-seed",
      defaultValue = "42",
      paramLabel = "SEED",
      description =
          "Seed of the simulator's fault decisions: another seed tries another sequence of faults,"
              + " the same one replays it as far as concurrent requests allow (default:"
              + " ${DEFAULT-VALUE})")
  long faultSeed;

  @Option(
      names = "--auto-approve",
      description =
          "Approve runs that need an approval as soon as they start. Without it, a run waits for"
              + " `failover approve` from another terminal (the command to use is printed).")
  boolean autoApprove;

  @Option(
      names = "--approve-as",
      paramLabel = "NAME",
      description =
          "With --auto-approve, who is recorded as approving (default: the runbook's first"
              + " approver, else the OS user)")
  String approver;

  @Option(
      names = "--worker-principal",
      paramLabel = "NAME",
      description =
          "Run the worker as this user or service principal of the demo workspaces (user name,"
              + " application id or display name, e.g. dr-worker, which is not a workspace admin),"
              + " with its rights (default: the workspaces' admin)")
  String workerPrincipal;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Have the sandbox's worker serve Prometheus metrics at http://127.0.0.1:PORT/metrics, as"
              + " failover-worker --metrics-port does (default: off)")
  Integer metricsPort;

  abstract Mode mode();

  /** Whether a drill keeps what it created in DR; only the drill command asks. */
  boolean keep() {
    return false;
  }

  /** Runs before the main run, in the same sandbox (a failback first needs a failover). */
  void prepare(Sandbox sandbox, Runbook runbook, PrintWriter progress) {}

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
    try (Sandbox sandbox = startSandbox(runbook)) {
      sandbox.simulator().faults().seed(faultSeed);
      progress.println(sandbox.describe());
      progress.flush();
      prepare(sandbox, runbook, progress);
      RunReport report = run(sandbox, runbook, mode(), progress);
      if (faultRate > 0) {
        progress.printf(
            "Simulator injected %d faults into %d requests%n",
            sandbox.simulator().faults().injected(), sandbox.simulator().requests().all().size());
        progress.flush();
      }
      return RunOutput.print(report, spec, output);
    }
  }

  private Sandbox startSandbox(Runbook runbook) {
    try {
      var encryption = dev.failover.worker.PayloadEncryption.fromEnvironment();
      return metricsPort == null
          ? Sandbox.start(runbook, faultRate, encryption, workerPrincipal)
          : Sandbox.start(runbook, faultRate, encryption, workerPrincipal, metricsPort);
    } catch (IllegalArgumentException e) {
      if (workerPrincipal != null && e.getMessage().startsWith("no user or service principal")) {
        throw new CliException(
            ExitCodes.USAGE, "--worker-principal: the sandbox has " + e.getMessage());
      }
      throw e;
    }
  }

  /**
   * Runs one mode to its end. With {@code --auto-approve} the sandbox approves it as soon as it
   * starts; otherwise a run that needs an approval waits for one from another terminal.
   */
  RunReport run(Sandbox sandbox, Runbook runbook, Mode mode, PrintWriter progress) {
    boolean needsApproval = Step.approvalRequired(runbook, mode);
    if (!autoApprove) {
      if (needsApproval) {
        progress.printf(
            "The %s waits for an approval. From another terminal:%n"
                + "  ./failover approve %s --by NAME --address %s%n",
            mode.label(), RunbookWorkflow.workflowId(runbook.name()), sandbox.temporalAddress());
        progress.flush();
      }
      return sandbox.run(runbook, mode, incident, progress, keep());
    }
    String by =
        approver != null && !approver.isBlank()
            ? approver
            : runbook.approval().approvers().isEmpty()
                ? System.getProperty("user.name")
                : runbook.approval().approvers().get(0);
    return sandbox.runApproved(
        runbook,
        mode,
        incident,
        new Approval(by, "approved by the sandbox on start (--auto-approve)"),
        progress);
  }
}
