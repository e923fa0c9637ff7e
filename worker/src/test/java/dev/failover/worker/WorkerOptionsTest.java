package dev.failover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The worker's pacing options: a bad limits file or share is one line and exit code 2. */
class WorkerOptionsTest {
  @TempDir Path dir;

  @Test
  void aLimitsFileWithoutFamiliesIsOneLineNamingTheField() throws Exception {
    Path file = dir.resolve("limits.json");
    Files.writeString(file, "{\"name\":\"empty\"}");
    StringWriter err = new StringWriter();
    CommandLine cmd = WorkerMain.commandLine();
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("--api-limits", file.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("failover-worker: " + file + ": databricks: a list of API families is needed");
  }

  @Test
  void aShareOutsideZeroToOneIsRefused() {
    StringWriter err = new StringWriter();
    CommandLine cmd = WorkerMain.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("--api-limits-share", "1.5")).isEqualTo(2);
    assertThat(err.toString()).contains("share must be in (0, 1]: 1.5");
  }

  @Test
  void concurrencyBelowItsLeastIsOneLineNamingTheOption() {
    StringWriter err = new StringWriter();
    CommandLine cmd = WorkerMain.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("--max-concurrent-activities", "0")).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("failover-worker: --max-concurrent-activities must be at least 1, got 0");

    StringWriter err2 = new StringWriter();
    CommandLine cmd2 = WorkerMain.commandLine();
    cmd2.setErr(new PrintWriter(err2));
    assertThat(cmd2.execute("--requests-in-flight", "-1")).isEqualTo(2);
    assertThat(err2.toString().strip())
        .isEqualTo("failover-worker: --requests-in-flight must be 0 (no bound) or more, got -1");
  }

  @Test
  void theRequestsInFlightBoundReachesTheClients() {
    WorkerMain bare = new WorkerMain();
    new CommandLine(bare).parseArgs("--requests-in-flight", "1");

    assertThat(bare.cloudConfig().requestsInFlight()).isEqualTo(1);
  }

  @Test
  void aMetricsPortInUseIsOneLineNamingTheOption() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      StringWriter err = new StringWriter();
      CommandLine cmd = WorkerMain.commandLine();
      cmd.setErr(new PrintWriter(err));
      assertThat(cmd.execute("--metrics-port", Integer.toString(taken.getLocalPort())))
          .isEqualTo(2);
      assertThat(err.toString().strip())
          .startsWith(
              "failover-worker: --metrics-port: cannot serve metrics on port "
                  + taken.getLocalPort())
          .doesNotContain("\n");
    }
  }

  @Test
  void aMetricsPortOutOfRangeIsRefused() {
    StringWriter err = new StringWriter();
    CommandLine cmd = WorkerMain.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("--metrics-port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("--metrics-port must be a port number (0 to 65535)");
  }

  @Test
  void aWorkspaceHostIsMatchedWithOrWithoutItsScheme() {
    WorkerMain bare = new WorkerMain();
    new CommandLine(bare)
        .parseArgs(
            "--workspace-endpoint",
            "dbc-123.cloud.databricks.com=http://127.0.0.1:8080",
            "--workspace-endpoint",
            "https://dbc-456.cloud.databricks.com=http://127.0.0.1:8081");

    assertThat(bare.cloudConfig().workspaceEndpoints())
        .containsOnlyKeys("dbc-123.cloud.databricks.com", "dbc-456.cloud.databricks.com");
  }

  @Test
  void aWorkspaceEndpointThatCouldNeverMatchIsOneLine() {
    StringWriter err = new StringWriter();
    CommandLine cmd = WorkerMain.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(
            cmd.execute(
                "--workspace-endpoint", "http://dbc-123.cloud.databricks.com=http://127.0.0.1:1"))
        .isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "failover-worker: --workspace-endpoint: workspace endpoint override:"
                + " 'http://dbc-123.cloud.databricks.com' is not a workspace host: only https://"
                + " workspace URLs are dialled");
  }
}
