package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code failover sandbox up} as a user runs it: the sandbox in one process, every command in a
 * process of its own that knows only the environment the sandbox printed (no {@code --address}), as
 * a second terminal would after {@code . FILE}.
 */
class SandboxUpEndToEndTest {
  private static final String RUN = "failover-acme-lakehouse";
  private static final Pattern STARTED =
      Pattern.compile("workflow " + RUN + " run ([0-9a-f-]{36})");

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  /** A finished command: its exit code and everything it printed. */
  record Result(int exitCode, String output) {}

  @AfterEach
  void stopEverything() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void everyCommandRunsAgainstTheSandboxFromOtherProcesses() throws Exception {
    Path envFile = dir.resolve("sandbox.env");
    Path sandboxLog = dir.resolve("sandbox-up.log");
    Process sandbox =
        launch(
            List.of(),
            List.of("sandbox", "up", "--port", "0", "--env-file", envFile.toString()),
            Map.of(),
            sandboxLog);
    awaitReady(sandbox, sandboxLog);
    Map<String, String> env = readExports(envFile);
    assertThat(env)
        .containsKeys(
            "TEMPORAL_ADDRESS",
            "TEMPORAL_NAMESPACE",
            "FAILOVER_SEARCH_ATTRIBUTES",
            "FAILOVER_RUNBOOK");
    assertThat(Files.readString(sandboxLog)).contains("export TEMPORAL_ADDRESS=");
    String runbook = env.get("FAILOVER_RUNBOOK");
    assertThat(Path.of(runbook)).exists();

    Result plan = cli(env, "plan", "-f", runbook, "--mode", "drill");
    assertThat(plan.exitCode()).as(plan.output()).isZero();
    assertThat(plan.output())
        .contains("Dry run of a drill of runbook acme-lakehouse (nothing was changed)")
        .contains("readiness", "capture", "converge-tables", "smoke-test", "clean-up")
        .contains("readiness now:")
        .containsPattern("catalogs +3 ");

    Result drill = cli(env, "drill", "-f", runbook, "--incident", "CHG-42");
    assertThat(drill.exitCode()).as(drill.output()).isZero();
    assertThat(drill.output()).contains("Drill of runbook acme-lakehouse: SUCCEEDED");
    Matcher started = STARTED.matcher(drill.output());
    assertThat(started.find()).as(drill.output()).isTrue();
    String runId = started.group(1);

    Result status = cli(env, "status", RUN);
    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output())
        .contains("Drill of runbook acme-lakehouse: SUCCEEDED", runId)
        .containsPattern("smoke-test +SUCCEEDED");

    Result history = cli(env, "history", RUN);
    assertThat(history.exitCode()).as(history.output()).isZero();
    assertThat(history.output())
        .contains("History of " + RUN + " run " + runId)
        .contains("started: drill of runbook acme-lakehouse")
        .contains("CaptureControlPlane succeeded");

    Result list = cli(env, "list");
    assertThat(list.exitCode()).as(list.output()).isZero();
    assertThat(list.output()).containsPattern(RUN + " +" + runId + " +COMPLETED");

    Result report = cli(env, "report", RUN, "--output", "json");
    assertThat(report.exitCode()).as(report.output()).isZero();
    assertThat(report.output())
        .contains("\"runId\" : \"" + runId + "\"")
        .contains("\"outcome\" : \"SUCCEEDED\"")
        .contains("\"incidentId\" : \"CHG-42\"")
        .contains("\"rtoSeconds\"");

    int temporalPort = Integer.parseInt(env.get("TEMPORAL_ADDRESS").replaceAll(".*:", ""));
    stopsCleanly(sandbox, sandboxLog, envFile, Path.of(runbook), temporalPort);
  }

  /**
   * SIGTERM, as Ctrl-C or a service manager sends: the sandbox closes the worker, the server and
   * the simulator and removes its files, then the JVM exits with the signal's status.
   */
  private static void stopsCleanly(
      Process sandbox, Path log, Path envFile, Path runbook, int temporalPort) throws Exception {
    sandbox.destroy();
    assertThat(sandbox.waitFor(60, TimeUnit.SECONDS)).as("the sandbox stops").isTrue();
    // 128 + 15: the JVM's status after its shutdown on SIGTERM.
    assertThat(sandbox.exitValue()).isEqualTo(143);
    assertThat(Files.readString(log)).contains("Stopping the sandbox...", "Sandbox stopped.");
    assertThat(envFile).doesNotExist();
    assertThat(runbook).as("the sandbox's folder with its credential files").doesNotExist();
    assertThat(accepts(temporalPort)).as("the Temporal port is closed").isFalse();
  }

  private void awaitReady(Process sandbox, Path log) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log) && Files.readString(log).contains(SandboxUpCommand.READY)) {
        return;
      }
      if (!sandbox.isAlive()) {
        throw new AssertionError("the sandbox exited early:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the sandbox was not ready in time:\n" + Files.readString(log));
  }

  /** The env file's {@code export NAME=value} lines, as a shell sourcing it would set them. */
  private static Map<String, String> readExports(Path envFile) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(envFile)) {
      assertThat(line).startsWith("export ");
      String assignment = line.substring("export ".length());
      int equals = assignment.indexOf('=');
      String value = assignment.substring(equals + 1);
      if (value.startsWith("'")) {
        value = value.substring(1, value.length() - 1).replace("'\\''", "'");
      }
      env.put(assignment.substring(0, equals), value);
    }
    return env;
  }

  /**
   * One CLI command in its own JVM with the given environment; waits for it to end. A short-lived
   * client needs no optimising compiler: C1 alone starts it sooner on a busy machine.
   */
  private Result cli(Map<String, String> env, String... args) throws Exception {
    Path output = dir.resolve("cli-" + args[0] + "-" + processes.size() + ".log");
    Process cli = launch(List.of("-XX:TieredStopAtLevel=1"), List.of(args), env, output);
    assertThat(cli.waitFor(180, TimeUnit.SECONDS)).as("failover " + args[0] + " ends").isTrue();
    return new Result(cli.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /**
   * The CLI from the test classpath (the jar is packaged only after the tests), with Temporal's
   * variables of this machine replaced by the given ones.
   */
  private Process launch(
      List<String> jvmOptions, List<String> args, Map<String, String> env, Path output) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
    command.addAll(jvmOptions);
    command.add("dev.failover.cli.FailoverCli");
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("TEMPORAL_"));
    builder.environment().remove("FAILOVER_PAYLOAD_KEY");
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      processes.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
