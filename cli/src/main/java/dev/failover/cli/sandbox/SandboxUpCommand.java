package dev.failover.cli.sandbox;

import dev.failover.cli.CliException;
import dev.failover.cli.ExitCodes;
import dev.failover.cli.RunbookFiles;
import dev.failover.worker.PayloadEncryption;
import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code failover sandbox up}: the sandbox in the foreground, for every command of the CLI from
 * other processes, as against a real deployment. It prints the environment those commands need as
 * {@code export} lines, then a ready line, and runs until Ctrl-C or SIGTERM.
 */
@Command(
    name = "up",
    description =
        "Start the sandbox in the foreground (Temporal test server, simulated workspaces and S3,"
            + " and a worker) until Ctrl-C, and print the environment (export lines) for running"
            + " any failover command against it from another terminal.")
public final class SandboxUpCommand implements Callable<Integer> {
  /** The line printed once the sandbox serves; scripts wait for it. */
  public static final String READY = "Sandbox ready; stop it with Ctrl-C.";

  /** How long a stop request waits for the sandbox to close before the JVM goes on exiting. */
  private static final long STOP_PATIENCE_SECONDS = 30;

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      description =
          "Runbook whose workspaces the simulator plays (default: the bundled"
              + " runbooks/sandbox.yaml, copied into the sandbox's folder)")
  Path file;

  @Option(
      names = "--port",
      defaultValue = "7233",
      description =
          "Port of the Temporal test server (default: ${DEFAULT-VALUE}, Temporal's own, so that"
              + " commands reach it even without TEMPORAL_ADDRESS; 0 picks a free port)")
  int port;

  @Option(
      names = "--simulator-port",
      defaultValue = "0",
      description =
          "First port of the simulator: primary workspace, secondary, S3, account API, IAM and"
              + " CloudWatch on it and the next five (default: ${DEFAULT-VALUE}, free ports; they"
              + " are printed)")
  int simulatorPort;

  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description =
          "Also write the export lines to FILE (before the ready line; removed when the sandbox"
              + " stops), for scripts: . FILE")
  Path envFile;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Have the sandbox's worker serve Prometheus metrics at http://127.0.0.1:PORT/metrics, as"
              + " failover-worker --metrics-port does (default: off)")
  Integer metricsPort;

  @Option(
      names = "--worker-principal",
      paramLabel = "NAME",
      description =
          "Run the worker as this user or service principal of the demo workspaces (e.g."
              + " dr-worker), with its rights (default: the workspaces' admin)")
  String workerPrincipal;

  @Override
  public Integer call() throws InvalidRunbookException, InterruptedException {
    checkPort("--port", port, 0);
    // The simulator takes its first port and the four after it.
    checkPort("--simulator-port", simulatorPort, 5);
    Runbook runbook = file == null ? RunbookFiles.bundledSandboxRunbook() : RunbookFiles.load(file);
    PrintWriter out = spec.commandLine().getOut();
    Sandbox sandbox = start(runbook);
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWhenAsked(stopRequested, stopped)));
    try (sandbox) {
      Path runbookFile = runbookFile(sandbox);
      List<String> exports = SandboxEnvironment.exports(sandbox, runbookFile);
      out.println(sandbox.describe());
      exports.forEach(out::println);
      if (envFile != null) {
        writeEnvFile(exports);
      }
      SandboxEnvironment.hints(sandbox, runbook, runbookFile).forEach(out::println);
      out.println(READY);
      out.flush();
      stopRequested.await();
      out.println("Stopping the sandbox...");
      out.flush();
    } finally {
      if (envFile != null) {
        deleteQuietly(envFile);
      }
      out.println("Sandbox stopped.");
      out.flush();
      stopped.countDown();
    }
    return ExitCodes.OK;
  }

  /**
   * Ctrl-C and SIGTERM start the JVM's shutdown: this hook lets the command close the sandbox (the
   * worker first, then the server and the simulator, then the credential files) before the JVM
   * exits, with the signal's status (130 or 143) as for any process a signal stops.
   */
  private static void stopWhenAsked(CountDownLatch stopRequested, CountDownLatch stopped) {
    stopRequested.countDown();
    try {
      stopped.await(STOP_PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void checkPort(String option, int value, int followingPorts) {
    if (value < 0 || value + followingPorts > 65_535) {
      throw new CliException(
          ExitCodes.USAGE,
          option
              + " must be between 0 and "
              + (65_535 - followingPorts)
              + " (0: a free port), got "
              + value);
    }
  }

  private Sandbox start(Runbook runbook) {
    try {
      return Sandbox.start(
          runbook,
          PayloadEncryption.fromEnvironment(),
          workerPrincipal,
          port,
          simulatorPort,
          metricsPort);
    } catch (IllegalArgumentException e) {
      if (workerPrincipal != null && e.getMessage().startsWith("no user or service principal")) {
        throw new CliException(
            ExitCodes.USAGE, "--worker-principal: the sandbox has " + e.getMessage());
      }
      throw e;
    } catch (RuntimeException e) {
      // Most likely a port in use (a Temporal dev server on 7233, another sandbox).
      throw new CliException(
          ExitCodes.FAILED,
          "cannot start the sandbox (Temporal on port "
              + port
              + ", simulator from port "
              + simulatorPort
              + "; try --port 0 or other ports): "
              + rootMessage(e),
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  /** The runbook the other terminal passes with -f: the one given, or a copy of the bundled one. */
  private Path runbookFile(Sandbox sandbox) {
    if (file != null) {
      return file.toAbsolutePath();
    }
    Path copy = sandbox.directory().resolve("sandbox.yaml");
    try {
      Files.writeString(copy, RunbookFiles.bundled(RunbookFiles.SANDBOX_RUNBOOK));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sandbox's runbook to " + copy, e);
    }
    return copy;
  }

  /** Written whole then moved into place, so a script never reads half a file. */
  private void writeEnvFile(List<String> exports) {
    Path target = envFile.toAbsolutePath();
    try {
      Path partial = Files.createTempFile(target.getParent(), ".sandbox-env", ".partial");
      Files.write(partial, exports);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "--env-file: cannot write " + envFile + ": " + e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Stopping goes on: a stale file names a port nothing serves any more.
    }
  }
}
