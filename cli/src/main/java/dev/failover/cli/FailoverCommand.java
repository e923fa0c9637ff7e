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
  @picocli.CommandLine.Option(
      names = "--compare-all",
      description =
          "Compare every object of DR with the snapshot (default: when a drill with --keep or a"
              + " failover left DR matching an earlier snapshot, converge and check only what"
              + " changed since)")
  boolean compareAll;

  @Override
  boolean compareAll() {
    return compareAll;
  }

  @Override
  Mode mode() {
    return Mode.FAILOVER;
  }
}
