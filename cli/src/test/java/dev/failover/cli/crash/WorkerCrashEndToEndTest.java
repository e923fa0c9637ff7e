package dev.failover.cli.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.Simulator;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.s3.ReplicationConfiguration;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash and resume with separate processes, as in production: the Temporal test server standalone
 * on a port, the worker as its own JVM (the worker jar), the CLI as its own JVM (its classes), the
 * simulator in this JVM so the test can watch the clouds' state. The worker is killed with SIGKILL
 * in the middle of a step; a new worker picks the run up (the step's heartbeat times out and the
 * step is retried), and the run ends in exactly the state it would have reached without the crash:
 * nothing missing, nothing done twice.
 */
class WorkerCrashEndToEndTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path WORKER_JAR = ROOT.resolve("worker/target/failover-worker.jar");
  private static final Path RUNBOOK = ROOT.resolve("runbooks/sandbox.yaml");
  private static final String RUN = "failover-acme-lakehouse";

  @TempDir Path dir;
  private Simulator simulator;
  private Process server;
  private final List<Process> processes = new ArrayList<>();
  private int port;
  private WorkflowServiceStubs service;
  private WorkflowClient client;

  /** Each process's output, kept under target/ for a failed run's diagnosis. */
  private Path logs;

  @BeforeEach
  void start(org.junit.jupiter.api.TestInfo test) throws Exception {
    logs = Path.of("target", "crash-logs", test.getTestMethod().orElseThrow().getName());
    Files.createDirectories(logs);
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    DemoWorkspace.seed(simulator);
    Files.writeString(
        dir.resolve("databrickscfg"),
        "[acme-primary]\ntoken = "
            + simulator.workspaceToken("primary")
            + "\n\n[acme-dr]\ntoken = "
            + simulator.workspaceToken("secondary")
            + "\n\n[acme-account]\ntoken = "
            + simulator.accountToken()
            + "\n");
    String keys = "aws_access_key_id = AKIACRASHTEST\naws_secret_access_key = crash-secret\n";
    Files.writeString(
        dir.resolve("aws-credentials"), "[acme-primary]\n" + keys + "\n[acme-dr]\n" + keys);
    port = freePort();
    server =
        launch(
            "temporal-server",
            List.of(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.temporal.testserver.TestServer",
                String.valueOf(port)));
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    awaitTrue("the Temporal test server answers", Duration.ofSeconds(60), this::serverAnswers);
    client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    if (service != null) {
      service.shutdownNow();
    }
    simulator.close();
  }

  private boolean serverAnswers() {
    try {
      service
          .blockingStub()
          .getSystemInfo(
              io.temporal.api.workflowservice.v1.GetSystemInfoRequest.getDefaultInstance());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Process worker(String name) {
    return launch(
        name,
        List.of(
            java(),
            "-jar",
            WORKER_JAR.toString(),
            "--address",
            "127.0.0.1:" + port,
            "--namespace",
            "default",
            "--databricks-config",
            dir.resolve("databrickscfg").toString(),
            "--aws-credentials",
            dir.resolve("aws-credentials").toString(),
            "--s3-endpoint",
            simulator.s3Url().toString(),
            // The test server keeps a dead worker's sticky queue (see NoStickyExecution).
            "--no-sticky-execution",
            // One host bare, one with its scheme, as operators write them: both must match the
            // runbook's https:// URLs.
            "--workspace-endpoint",
            "dbc-acme-prod.cloud.databricks.com=" + simulator.workspaceUrl("primary"),
            "--workspace-endpoint",
            "https://dbc-acme-dr.cloud.databricks.com=" + simulator.workspaceUrl("secondary"),
            "--account-endpoint",
            simulator.accountUrl().toString(),
            "--iam-endpoint",
            simulator.iamUrl().toString(),
            "--sts-endpoint",
            simulator.stsUrl().toString(),
            "--kms-endpoint",
            simulator.kmsUrl().toString(),
            "--cloudwatch-endpoint",
            simulator.cloudWatchUrl().toString()));
  }

  /**
   * The CLI as a user runs it, in its own JVM; returns its exit code. It runs from the classes
   * rather than the CLI jar, which the build packages only after the tests.
   */
  private int cli(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.failover.cli.FailoverCli"));
    command.addAll(List.of(args));
    command.addAll(List.of("--address", "127.0.0.1:" + port));
    Process cli = launch("cli-" + args[0], command);
    assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
    return cli.exitValue();
  }

  private Process launch(String name, List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(logs.resolve(name + "-" + processes.size() + ".log").toFile())
              .start();
      processes.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** SIGKILL: the JVM gets no chance to finish anything. */
  private static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(137);
  }

  private RunReport progress() {
    try {
      return client.newWorkflowStub(RunbookWorkflow.class, RUN).progress();
    } catch (RuntimeException e) {
      // No worker answers the query right now (one was just killed): ask again later.
      return null;
    }
  }

  private static StepStatus status(RunReport report, String step) {
    return report.steps().stream()
        .filter(s -> s.name().equals(step))
        .findFirst()
        .map(StepReport::status)
        .orElseThrow();
  }

  private RunReport result() throws Exception {
    try {
      return client.newUntypedWorkflowStub(RUN).getResult(3, TimeUnit.MINUTES, RunReport.class);
    } catch (java.util.concurrent.TimeoutException e) {
      // For the diagnosis: where the run stands.
      Files.writeString(logs.resolve("history.json"), client.fetchHistory(RUN).toJson(true));
      throw e;
    }
  }

  private void awaitProgress(String what, Predicate<RunReport> until) throws Exception {
    awaitTrue(
        what,
        Duration.ofSeconds(90),
        () -> {
          RunReport report = progress();
          return report != null && until.test(report);
        });
  }

  private static void awaitTrue(String what, Duration within, BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting until " + what);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private long demoSchemasIn(WorkspaceState workspace) {
    return DEMO_SCHEMAS.stream().filter(name -> exists(workspace, name)).count();
  }

  private static final List<String> DEMO_SCHEMAS =
      List.of(
          "main.default",
          "main.reference",
          "sales.bronze",
          "sales.silver",
          "sales.gold",
          "finance.ledger",
          "finance.reporting");

  private static boolean exists(WorkspaceState workspace, String schema) {
    try {
      workspace.schema(schema);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private long successfulCreates(String pathPart) {
    return simulator.requests().all().stream()
        .filter(r -> r.side().equals("secondary") && r.method().equals("POST"))
        .filter(r -> r.path().endsWith(pathPart) && r.status() == 200)
        .count();
  }

  @Test
  void aWorkerKilledWhileConvergingSchemasIsReplacedAndTheDrillEndsExactlyConverged()
      throws Exception {
    // Slow DR down so that converging schemas takes seconds: time to kill mid-way.
    simulator.setLatency("databricks", "secondary", 300);
    Process first = worker("worker-1");
    assertThat(
            cli("drill", "-f", RUNBOOK.toString(), "--detach", "--keep", "--incident", "CRASH-1"))
        .isZero();
    WorkspaceState dr = simulator.workspace("secondary");
    awaitTrue(
        "some schemas are converged, not all",
        Duration.ofSeconds(90),
        () -> demoSchemasIn(dr) >= 2);
    long before = demoSchemasIn(dr);
    kill(first);
    assertThat(before).isLessThan(DEMO_SCHEMAS.size());
    // The slow DR has served its purpose (a kill mid-way); the rest of the run need not crawl. A
    // request the dead worker left in flight keeps the latency it arrived with.
    simulator.setLatency("databricks", "secondary", 0);

    worker("worker-2");
    RunReport report = result();

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(status(report, "smoke-test")).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(demoSchemasIn(dr)).isEqualTo(DEMO_SCHEMAS.size());
    // Each object was created exactly once, across both workers.
    // main.default comes with its catalog (as sales.default does): it is not created apart.
    assertThat(successfulCreates("/unity-catalog/schemas")).isEqualTo(DEMO_SCHEMAS.size() - 1);
    assertThat(successfulCreates("/unity-catalog/catalogs")).isEqualTo(3);
    // The grants are exactly the primary's: the smoke test compared them; DR has no extra ones.
    assertThat(report.steps())
        .filteredOn(s -> !s.name().equals("clean-up"))
        .allMatch(s -> s.status() == StepStatus.SUCCEEDED);
  }

  @Test
  void aWorkerKilledWhilePromotingStorageIsReplacedAndThePromotionCompletesOnce() throws Exception {
    // A backlog that takes a while to drain keeps the promotion step running.
    simulator.s3().setReplicationLag(DemoWorkspace.PRIMARY_BUCKET, Duration.ofSeconds(25));
    simulator
        .s3()
        .putObject(
            DemoWorkspace.PRIMARY_BUCKET,
            "uc/sales/bronze/orders/part-late.parquet",
            "late".getBytes(StandardCharsets.UTF_8));
    Process first = worker("worker-1");
    assertThat(cli("failover", "-f", RUNBOOK.toString(), "--detach", "--incident", "CRASH-2"))
        .isZero();
    awaitProgress("the failover waits for approval", r -> "approval".equals(r.waitingFor()));
    assertThat(cli("approve", RUN, "--by", "oncall-sre", "--comment", "crash test")).isZero();
    awaitProgress(
        "the promotion is draining the backlog",
        r -> status(r, "promote-storage") == StepStatus.RUNNING);
    Thread.sleep(3_000);
    kill(first);

    worker("worker-2");
    RunReport report = result();

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(simulator.s3().objectKeys(DemoWorkspace.REPLICA_BUCKET))
        .contains("uc/sales/bronze/orders/part-late.parquet");
    assertThat(simulator.s3().replication(DemoWorkspace.PRIMARY_BUCKET).rules())
        .singleElement()
        .extracting(ReplicationConfiguration.Rule::status)
        .isEqualTo("Disabled");
    assertThat(simulator.s3().replication(DemoWorkspace.REPLICA_BUCKET).rules())
        .singleElement()
        .extracting(ReplicationConfiguration.Rule::id)
        .isEqualTo("failover-acme-lakehouse-reverse");
    assertThat(simulator.s3().tagsOrEmpty(DemoWorkspace.REPLICA_BUCKET))
        .containsEntry("failover:role", "active");
    assertThat(simulator.s3().tagsOrEmpty(DemoWorkspace.PRIMARY_BUCKET))
        .containsEntry("failover:role", "standby")
        .containsEntry("team", "data-platform");
    // The replication configuration of each bucket was written once by the two workers together.
    List<RecordedRequest> replicationWrites =
        simulator.requests().all().stream()
            .filter(r -> r.method().equals("PUT") && r.query().contains("replication"))
            .filter(r -> r.status() == 200)
            .toList();
    assertThat(replicationWrites).hasSize(2);
  }

  @Test
  void aWorkerKilledWhileTheRunWaitsForApprovalIsReplacedAndTheApprovalStillCounts()
      throws Exception {
    Process first = worker("worker-1");
    assertThat(cli("failover", "-f", RUNBOOK.toString(), "--detach", "--incident", "CRASH-3"))
        .isZero();
    awaitProgress("the failover waits for approval", r -> "approval".equals(r.waitingFor()));
    kill(first);

    worker("worker-2");
    awaitProgress("the new worker answers", r -> true);
    assertThat(cli("approve", RUN, "--by", "oncall-sre", "--comment", "after the crash")).isZero();
    RunReport report = result();

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.approval().by()).isEqualTo("oncall-sre");
    assertThat(report.approval().comment()).isEqualTo("after the crash");
    assertThat(demoSchemasIn(simulator.workspace("secondary"))).isEqualTo(DEMO_SCHEMAS.size());
  }
}
