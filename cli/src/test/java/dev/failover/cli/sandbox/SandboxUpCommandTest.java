package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.FailoverCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code failover sandbox up}'s refusals, each one line naming the option, and its quoting. */
class SandboxUpCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = FailoverCli.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void aPortOutOfRangeIsRefusedBeforeAnythingStarts() {
    assertThat(run("sandbox", "up", "--port", "-1")).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("failover: --port must be between 0 and 65535 (0: a free port), got -1");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void theSimulatorNeedsSixPortsFromItsFirst() {
    assertThat(run("sandbox", "up", "--simulator-port", "65531")).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "failover: --simulator-port must be between 0 and 65530 (0: a free port), got 65531");
  }

  @Test
  void aTemporalPortInUseIsNamedAndLeavesNoEnvFile() throws Exception {
    Path envFile = dir.resolve("sandbox.env");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      int exit =
          run("sandbox", "up", "--port", String.valueOf(port), "--env-file", envFile.toString());
      assertThat(exit).isEqualTo(1);
      assertThat(err.toString().strip())
          .startsWith("failover: cannot start the sandbox (Temporal on port " + port)
          .doesNotContain("\n");
    }
    assertThat(out.toString()).doesNotContain("export ", SandboxUpCommand.READY);
    assertThat(Files.exists(envFile)).isFalse();
  }

  @Test
  void anUnknownWorkerPrincipalIsNamed() {
    assertThat(run("sandbox", "up", "--port", "0", "--worker-principal", "nobody-here"))
        .isEqualTo(2);
    assertThat(err.toString().strip())
        .startsWith("failover: --worker-principal: the sandbox has no user or service principal")
        .doesNotContain("\n");
    assertThat(out.toString()).doesNotContain(SandboxUpCommand.READY);
  }

  @Test
  void valuesAreSingleQuotedOnlyWhenTheShellWouldSplitThem() {
    assertThat(SandboxEnvironment.export("TEMPORAL_ADDRESS", "127.0.0.1:7233"))
        .isEqualTo("export TEMPORAL_ADDRESS=127.0.0.1:7233");
    assertThat(SandboxEnvironment.export("FAILOVER_RUNBOOK", "/tmp/my dir/it's.yaml"))
        .isEqualTo("export FAILOVER_RUNBOOK='/tmp/my dir/it'\\''s.yaml'");
  }
}
