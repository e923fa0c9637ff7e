package dev.failover.cli.sandbox;

import dev.failover.workflows.run.Mode;
import picocli.CommandLine.Command;

/** {@code failover sandbox drill}: the main job, a drill of the demo lakehouse, embedded. */
@Command(name = "drill", description = "Run a drill in the embedded sandbox and print its report.")
final class SandboxDrillCommand extends SandboxRunCommand {
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
