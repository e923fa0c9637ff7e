package dev.failover.cli;

import dev.failover.workflows.run.Mode;
import picocli.CommandLine.Command;

/**
 * {@code failover failover -f FILE}: makes the DR side active. It waits at its approval step (when
 * the runbook requires one) for {@code failover approve}.
 */
@Command(
    name = "failover",
    description =
        "Fail over to the DR region: promote the replica buckets and converge the DR workspace.")
final class FailoverCommand extends StartRunCommand {
  @Override
  Mode mode() {
    return Mode.FAILOVER;
  }
}
