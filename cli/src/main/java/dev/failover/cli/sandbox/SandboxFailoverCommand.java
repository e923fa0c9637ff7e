package dev.failover.cli.sandbox;

import dev.failover.workflows.run.Mode;
import picocli.CommandLine.Command;

/** {@code failover sandbox failover}: fails the demo lakehouse over to DR, embedded. */
@Command(
    name = "failover",
    description =
        "Fail the demo lakehouse over in the embedded sandbox: promote the replica bucket and"
            + " converge the DR workspace.")
final class SandboxFailoverCommand extends SandboxRunCommand {
  @Override
  Mode mode() {
    return Mode.FAILOVER;
  }
}
