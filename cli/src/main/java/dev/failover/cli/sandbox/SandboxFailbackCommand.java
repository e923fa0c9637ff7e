package dev.failover.cli.sandbox;

import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code failover sandbox failback}: a sandbox starts in the normal direction, so this first fails
 * over, lets DR write new data as it would while active, then fails back.
 */
@Command(
    name = "failback",
    description =
        "In the embedded sandbox, fail over, write new data in DR, then fail back: replication's"
            + " original direction is restored.")
final class SandboxFailbackCommand extends SandboxRunCommand {
  @Override
  Mode mode() {
    return Mode.FAILBACK;
  }

  @Override
  void prepare(Sandbox sandbox, Runbook runbook, PrintWriter progress) {
    progress.println("First, a failover (a fresh sandbox starts in the normal direction):");
    progress.flush();
    RunReport failover = run(sandbox, runbook, Mode.FAILOVER, progress);
    if (failover.outcome() != Outcome.SUCCEEDED) {
      throw new IllegalStateException(
          "the failover before the failback failed: " + failover.failure());
    }
    String key = sandbox.writeInDr();
    progress.printf(
        "DR is active: wrote s3://%s/%s there, as a job running in DR would%n%nNow the failback:%n",
        runbook.stateBucket().bucket(), key);
    progress.flush();
  }
}
