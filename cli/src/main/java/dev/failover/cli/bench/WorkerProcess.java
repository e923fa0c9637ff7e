package dev.failover.cli.bench;

import dev.failover.cli.sandbox.Sandbox;
import dev.failover.workflows.runbook.Runbook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The benchmark's worker: {@code failover-worker.jar} in a JVM of its own, with its own heap limit,
 * as it runs in production. Its heap, CPU and collections are then the worker's alone, not shared
 * with the simulator (which holds the cloud's state: a million object versions at scale 1.0) and
 * the Temporal test server. The benchmark reads them from the process's management beans over a JMX
 * connector that listens on the loopback interface only.
 */
final class WorkerProcess implements AutoCloseable {
  /** The line the worker logs once it polls the task queue. */
  private static final String POLLING = "Worker polling task queue";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final JMXConnector connector;
  private final MBeanServerConnection beans;

  private WorkerProcess(Process process, JMXConnector connector) throws IOException {
    this.process = process;
    this.connector = connector;
    this.beans = connector.getMBeanServerConnection();
  }

  /**
   * Starts a worker for the sandbox, paced by the profile file, and returns once it polls the task
   * queue.
   *
   * @param heap the worker's {@code -Xmx}, e.g. {@code 1g}
   * @param options further worker options (its pacing and concurrency)
   * @param log the file that gets the worker's output
   */
  static WorkerProcess start(
      Sandbox sandbox, Runbook runbook, String heap, List<String> options, Path log)
      throws IOException, InterruptedException {
    int jmxPort = freePort();
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.add("-Xmx" + heap);
    command.add("-Dcom.sun.management.jmxremote.port=" + jmxPort);
    command.add("-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort);
    command.add("-Dcom.sun.management.jmxremote.host=127.0.0.1");
    command.add("-Djava.rmi.server.hostname=127.0.0.1");
    // Loopback only, for a benchmark on one machine: no password, no TLS.
    command.add("-Dcom.sun.management.jmxremote.authenticate=false");
    command.add("-Dcom.sun.management.jmxremote.ssl=false");
    command.add("-jar");
    command.add(workerJar().toString());
    command.add("--address");
    command.add(sandbox.temporalAddress());
    command.addAll(sandbox.workerOptions(runbook));
    command.addAll(options);
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      JMXConnector connector = connect(process, jmxPort, log);
      awaitPolling(process, log);
      return new WorkerProcess(process, connector);
    } catch (IOException | InterruptedException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** The worker JVM's management beans. */
  MBeanServerConnection beans() {
    return beans;
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (IOException e) {
      // The process is stopped next either way.
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static JMXConnector connect(Process process, int port, Path log)
      throws IOException, InterruptedException {
    JMXServiceURL url =
        new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      stillRunning(process, log);
      try {
        return JMXConnectorFactory.connect(url);
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "the worker process did not open its JMX port within "
                  + START_TIMEOUT.toSeconds()
                  + " s; its output: "
                  + log,
              notYet);
        }
        Thread.sleep(200);
      }
    }
  }

  private static void awaitPolling(Process process, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!Files.readString(log).contains(POLLING)) {
      stillRunning(process, log);
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the worker process did not poll the task queue within "
                + START_TIMEOUT.toSeconds()
                + " s; its output: "
                + log);
      }
      Thread.sleep(100);
    }
  }

  private static void stillRunning(Process process, Path log) throws IOException {
    if (!process.isAlive()) {
      throw new IOException(
          "the worker process exited with "
              + process.exitValue()
              + "; its output ("
              + log
              + "):\n"
              + Files.readString(log));
    }
  }

  /** The java launcher of this JVM, so the worker runs on the same Java. */
  private static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The worker jar, built beside the CLI's: {@code worker/target/failover-worker.jar} under the
   * project's root, found from where this class was loaded (the CLI's jar, or its classes folder).
   */
  static Path workerJar() {
    Path start;
    try {
      start =
          Path.of(WorkerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path jar = dir.resolve("worker/target/failover-worker.jar");
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    throw new IllegalStateException(
        "worker/target/failover-worker.jar not found above "
            + start
            + ": build it with mvn -B -DskipTests package");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
