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

  @picocli.CommandLine.Option(
      names = "--from-newest-snapshot",
      description =
          "Converge DR from the primary's newest snapshot in the replica bucket (a drill's, a"
              + " failover's or a scheduled capture's) instead of reading the primary, even when it"
              + " answers, so the failover does not read every object of a large primary; what"
              + " changed on the primary since that snapshot is not carried over (its age is the"
              + " report's control-plane RPO)")
  boolean fromNewestSnapshot;

  @Override
  boolean compareAll() {
    return compareAll;
  }

  @Override
  boolean fromNewestSnapshot() {
    return fromNewestSnapshot;
  }

  @Override
  Mode mode() {
    return Mode.FAILOVER;
  }
}
