package dev.failover.cli.sandbox;

import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.runbook.Runbook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code failover sandbox up} tells the other terminal: the environment as {@code export}
 * lines, and hints as comment lines. The commands read only Temporal's variables and {@code
 * FAILOVER_SEARCH_ATTRIBUTES}; the simulator and the credentials stay with the sandbox's worker, so
 * no token is ever printed.
 */
final class SandboxEnvironment {
  /** Characters a shell takes literally in a word; any other value is single-quoted. */
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

  private SandboxEnvironment() {}

  /** The export lines, in the order printed and written to the env file. */
  static List<String> exports(Sandbox sandbox, Path runbookFile) {
    return List.of(
        export("TEMPORAL_ADDRESS", sandbox.temporalAddress()),
        export("TEMPORAL_NAMESPACE", sandbox.temporal().client().getOptions().getNamespace()),
        // The sandbox registered the runs' search attributes; with payload encryption they stay
        // off, since they are indexed in the clear.
        export("FAILOVER_SEARCH_ATTRIBUTES", String.valueOf(sandbox.searchAttributes())),
        export("FAILOVER_RUNBOOK", runbookFile.toString()));
  }

  /** Comment lines: commands to try, where the simulator listens, how to add a worker. */
  static List<String> hints(Sandbox sandbox, Runbook runbook, Path runbookFile) {
    String run = RunbookWorkflow.workflowId(runbook.name());
    String approver =
        runbook.approval().approvers().isEmpty() ? "NAME" : runbook.approval().approvers().get(0);
    List<String> lines = new ArrayList<>();
    lines.add("# In another terminal, after the exports above (from the repository's root):");
    lines.add("#   ./failover plan -f \"$FAILOVER_RUNBOOK\" --mode drill");
    lines.add("#   ./failover drill -f \"$FAILOVER_RUNBOOK\"");
    lines.add("#   ./failover status " + run + "   (history, report: the same; list: all runs)");
    lines.add("#   ./failover capture -f \"$FAILOVER_RUNBOOK\"");
    lines.add(
        "#   ./failover failover -f \"$FAILOVER_RUNBOOK\"   then   ./failover approve "
            + run
            + " --by "
            + approver);
    if (!sandbox.searchAttributes()) {
      lines.add(
          "# Payloads are encrypted: give the other terminal the same FAILOVER_PAYLOAD_KEY (not"
              + " printed).");
    }
    var simulator = sandbox.simulator();
    lines.add(
        "# Simulator: primary workspace "
            + simulator.workspaceUrl("primary")
            + ", secondary "
            + simulator.workspaceUrl("secondary")
            + ", S3 "
            + simulator.s3Url()
            + ", account API "
            + simulator.accountUrl()
            + ", IAM "
            + simulator.iamUrl()
            + ", STS "
            + simulator.stsUrl()
            + ", KMS "
            + simulator.kmsUrl()
            + ", CloudWatch "
            + simulator.cloudWatchUrl());
    lines.add("# Another worker (e.g. to kill one in the middle of a step), on the same server:");
    lines.add("#   " + String.join(" ", extraWorker(sandbox, runbook)));
    return lines;
  }

  /**
   * The worker jar's command line for this sandbox: the credential files the sandbox wrote and the
   * simulator's endpoints. Without sticky execution, since the test server never moves a task off a
   * dead worker's sticky queue.
   */
  private static List<String> extraWorker(Sandbox sandbox, Runbook runbook) {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("java", "-jar", "worker/target/failover-worker.jar"));
    command.add("--no-sticky-execution");
    sandbox.workerOptions(runbook).stream().map(SandboxEnvironment::quote).forEach(command::add);
    return command;
  }

  static String export(String name, String value) {
    return "export " + name + "=" + quote(value);
  }

  /** A value as one shell word: as it is when safe, else in single quotes. */
  static String quote(String value) {
    if (SHELL_SAFE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
