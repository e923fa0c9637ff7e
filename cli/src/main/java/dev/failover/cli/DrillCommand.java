package dev.failover.cli;

import dev.failover.workflows.run.Mode;
import picocli.CommandLine.Command;

/** {@code failover drill -f FILE}: rehearses a failover; the primary is never changed. */
@Command(
    name = "drill",
    description =
        "Start a drill of a runbook on a Temporal server, follow it and print its report.")
final class DrillCommand extends StartRunCommand {
  @picocli.CommandLine.Option(
      names = "--keep",
      description = "Keep what the drill creates in DR (default: removed at the end)")
  boolean keep;

  @Override
  boolean keep() {
    return keep;
  }

  @Override
  Mode mode() {
    return Mode.DRILL;
  }
}
