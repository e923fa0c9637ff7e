package dev.failover.cli;

import dev.failover.workflows.run.Mode;
import picocli.CommandLine.Command;

/** {@code failover failback -f FILE}: returns to the primary after a failover. */
@Command(
    name = "failback",
    description =
        "Fail back to the primary region: restore replication's direction and converge the"
            + " primary workspace from DR.")
final class FailbackCommand extends StartRunCommand {
  @Override
  Mode mode() {
    return Mode.FAILBACK;
  }
}
