package dev.failover.cli.sandbox;

import dev.failover.activities.clients.CloudClientsConfig;
import dev.failover.activities.metrics.EngineMetrics;
import dev.failover.cli.CaptureCommand;
import dev.failover.cli.RunLauncher;
import dev.failover.simulator.DeltaTableWriter;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.Faults;
import dev.failover.simulator.Simulator;
import dev.failover.worker.AesGcmPayloadCodec;
import dev.failover.worker.FailoverWorker;
import dev.failover.worker.PayloadEncryption;
import dev.failover.worker.TemporalConnection;
import dev.failover.worker.WorkerMetrics;
import dev.failover.workflows.capture.CaptureReport;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunSearchAttributes;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.runbook.Runbook;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Everything a run needs, on one machine: the Temporal test server (a real gRPC Temporal service)
 * on a free port, the simulator seeded with the demo lakehouse, and a worker. The worker resolves
 * credentials the production way, from a Databricks config file and an AWS credentials file, which
 * the sandbox writes (owner-only) with the simulator's tokens under the runbook's profile names.
 */
public final class Sandbox implements AutoCloseable {
  /** A Databricks profile the sandbox writes with a token every workspace rejects (HTTP 401). */
  public static final String EXPIRED_PROFILE = "sandbox-expired";

  /** The client-side rate limit towards the simulated workspaces. */
  static final int SIMULATED_REQUESTS_PER_SECOND = 1_000;

  /** The sandbox's throwaway AWS secret key; tests check it never leaks. */
  static final String AWS_SECRET = "sandbox-secret-" + Long.toHexString(System.nanoTime());

  private final Simulator simulator;
  private final TestServer.PortBoundTestServer temporalServer;
  private final TemporalConnection connection;
  private final FailoverWorker worker;
  private final Path credentialsDir;
  private final int temporalPort;
  private boolean searchAttributes;
  private WorkerMetrics metrics;

  private Sandbox(
      Simulator simulator,
      TestServer.PortBoundTestServer temporalServer,
      int temporalPort,
      TemporalConnection connection,
      FailoverWorker worker,
      Path credentialsDir) {
    this.simulator = simulator;
    this.temporalServer = temporalServer;
    this.temporalPort = temporalPort;
    this.connection = connection;
    this.worker = worker;
    this.credentialsDir = credentialsDir;
  }

  /** Starts the sandbox for a runbook whose sides the simulator plays, with no faults. */
  public static Sandbox start(Runbook runbook) {
    return start(runbook, 0);
  }

  /**
   * Starts the sandbox with faults injected into the given share of API requests (0 to 1): 429s
   * with Retry-After, 500s, 503s, responses slower than the client's timeout, and dropped
   * connections, on every route of both services.
   */
  public static Sandbox start(Runbook runbook, double faultRate) {
    return start(runbook, faultRate, PayloadEncryption.fromEnvironment());
  }

  /**
   * Starts the sandbox with the given payload encryption for its worker and client, instead of the
   * one {@value PayloadEncryption#KEY_VARIABLE} asks for.
   */
  public static Sandbox start(
      Runbook runbook, double faultRate, Optional<AesGcmPayloadCodec> encryption) {
    return start(runbook, faultRate, encryption, null);
  }

  /**
   * Starts the sandbox with its worker calling both workspaces as {@code workerPrincipal} (a user
   * name, or a service principal's application id or display name, such as the demo's {@code
   * dr-worker}), with that principal's rights; null for the workspaces' admin.
   */
  public static Sandbox start(
      Runbook runbook,
      double faultRate,
      Optional<AesGcmPayloadCodec> encryption,
      String workerPrincipal) {
    return start(
        runbook, faultRate, encryption, workerPrincipal, Performance.DEFAULT, Ports.free(null));
  }

  /**
   * Like {@link #start(Runbook, double, Optional, String)}, the worker serving its Prometheus
   * metrics at {@code http://127.0.0.1:metricsPort/metrics} (0: any free port; see {@link
   * #metricsPort()}).
   */
  public static Sandbox start(
      Runbook runbook,
      double faultRate,
      Optional<AesGcmPayloadCodec> encryption,
      String workerPrincipal,
      int metricsPort) {
    return start(
        runbook,
        faultRate,
        encryption,
        workerPrincipal,
        Performance.DEFAULT,
        Ports.free(metricsPort));
  }

  /**
   * How a benchmark runs the sandbox: what it adds to the demo workspace before the profile is
   * played, the cloud profile the simulator plays (null: none), the pacing of the worker's requests
   * (null: {@value #SIMULATED_REQUESTS_PER_SECOND} a second overall), the activities the worker
   * runs at once, and the requests it has in flight at once (0: unbounded); or no worker at all
   * ({@code ownWorker} false), when a worker process of its own serves the task queue.
   */
  public record Performance(
      java.util.function.Consumer<Simulator> seed,
      dev.failover.simulator.profile.CloudProfile profile,
      dev.failover.activities.clients.ApiLimits limits,
      int maxConcurrentActivities,
      int requestsInFlight,
      boolean ownWorker) {
    static final Performance DEFAULT =
        new Performance(s -> {}, null, null, FailoverWorker.MAX_CONCURRENT_ACTIVITIES, 0);

    /** With the sandbox's own worker, in this JVM. */
    public Performance(
        java.util.function.Consumer<Simulator> seed,
        dev.failover.simulator.profile.CloudProfile profile,
        dev.failover.activities.clients.ApiLimits limits,
        int maxConcurrentActivities,
        int requestsInFlight) {
      this(seed, profile, limits, maxConcurrentActivities, requestsInFlight, true);
    }

    /**
     * The simulator seeded and playing the profile, and no worker: one started from {@link
     * #workerOptions} serves the task queue, in a JVM of its own.
     */
    public static Performance workerElsewhere(
        java.util.function.Consumer<Simulator> seed,
        dev.failover.simulator.profile.CloudProfile profile) {
      return new Performance(seed, profile, null, 0, 0, false);
    }
  }

  /** Starts the sandbox as a benchmark needs it. */
  public static Sandbox start(Runbook runbook, Performance performance) {
    return start(
        runbook, 0, PayloadEncryption.fromEnvironment(), null, performance, Ports.free(null));
  }

  /**
   * Starts the sandbox that {@code failover sandbox up} serves to other processes: the Temporal
   * test server on {@code temporalPort} and the simulator from {@code simulatorPort} on (0 for
   * either: free ports), the worker's metrics on {@code metricsPort} (null: none).
   */
  public static Sandbox start(
      Runbook runbook,
      Optional<AesGcmPayloadCodec> encryption,
      String workerPrincipal,
      int temporalPort,
      int simulatorPort,
      Integer metricsPort) {
    return start(
        runbook,
        0,
        encryption,
        workerPrincipal,
        Performance.DEFAULT,
        new Ports(temporalPort, simulatorPort, metricsPort));
  }

  /**
   * Where the Temporal test server, the simulator and the worker's metrics listen; 0 picks a free
   * port, a null metrics port serves no metrics.
   */
  private record Ports(int temporal, int simulator, Integer metrics) {
    static Ports free(Integer metrics) {
      return new Ports(0, 0, metrics);
    }
  }

  private static Sandbox start(
      Runbook runbook,
      double faultRate,
      Optional<AesGcmPayloadCodec> encryption,
      String workerPrincipal,
      Performance performance,
      Ports ports) {
    Simulator simulator = Simulator.start(ports.simulator(), List.of("primary", "secondary"));
    Path credentialsDir = null;
    TestServer.PortBoundTestServer server = null;
    WorkerMetrics metrics = null;
    try {
      DemoWorkspace.seed(simulator);
      performance.seed().accept(simulator);
      simulator.useProfile(performance.profile());
      int httpTimeoutSeconds = 30;
      if (faultRate > 0) {
        // A short client timeout keeps slow-response faults quick to play out.
        httpTimeoutSeconds = 2;
        simulator.faults().add(Faults.Rule.everywhere(faultRate, 2_500));
      }
      credentialsDir = privateFolder();
      writeCredentialFiles(credentialsDir, runbook, simulator, workerPrincipal);
      int port = ports.temporal() == 0 ? freePort() : ports.temporal();
      // Time skipping stays locked: the sandbox runs in real time, as a real server would, so
      // retry backoffs and (later) approval waits take the time they take.
      server = TestServer.createPortBoundServer(port, true);
      metrics =
          ports.metrics() == null
              ? null
              : WorkerMetrics.serve(
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.metrics()));
      TemporalConnection connection =
          TemporalConnection.connect(
              null,
              "127.0.0.1:" + port,
              "default",
              encryption,
              true,
              metrics == null ? null : metrics.temporalScope());
      registerSearchAttributes(connection);
      CloudClientsConfig cloud =
          CloudClientsConfig.builder()
              .databricksConfigFile(credentialsDir.resolve("databrickscfg"))
              .awsCredentialsFile(credentialsDir.resolve("aws-credentials"))
              .workspaceEndpoints(
                  Map.of(
                      runbook.primary().workspaceHost(), simulator.workspaceUrl("primary"),
                      runbook.secondary().workspaceHost(), simulator.workspaceUrl("secondary")))
              .s3Endpoint(simulator.s3Url())
              .accountEndpoint(simulator.accountUrl())
              .iamEndpoint(simulator.iamUrl())
              .stsEndpoint(simulator.stsUrl())
              .kmsEndpoint(simulator.kmsUrl())
              .cloudWatchEndpoint(simulator.cloudWatchUrl())
              .httpTimeoutSeconds(httpTimeoutSeconds)
              // The simulated workspaces are local: the production default (15 requests per
              // second, protecting a real workspace's API) would only slow large sandbox runs.
              .workspaceRequestsPerSecond(SIMULATED_REQUESTS_PER_SECOND)
              .apiLimits(performance.limits())
              .requestsInFlight(performance.requestsInFlight())
              .build();
      FailoverWorker worker =
          performance.ownWorker()
              ? FailoverWorker.start(
                  connection.client(),
                  cloud,
                  performance.maxConcurrentActivities(),
                  metrics == null ? EngineMetrics.none() : metrics.engine())
              : null;
      Sandbox sandbox = new Sandbox(simulator, server, port, connection, worker, credentialsDir);
      sandbox.metrics = metrics;
      // Search attributes are indexed in the clear; with payload encryption they stay off.
      sandbox.searchAttributes = encryption.isEmpty();
      return sandbox;
    } catch (RuntimeException e) {
      // A port in use or a bad worker principal: what was started stops, the files go.
      if (server != null) {
        server.close();
      }
      if (metrics != null) {
        metrics.close();
      }
      simulator.close();
      if (credentialsDir != null) {
        deleteFolder(credentialsDir);
      }
      throw e;
    }
  }

  /** Registers the runs' search attributes, as an operator does once per namespace. */
  private static void registerSearchAttributes(TemporalConnection connection) {
    io.temporal.api.operatorservice.v1.AddSearchAttributesRequest.Builder request =
        io.temporal.api.operatorservice.v1.AddSearchAttributesRequest.newBuilder()
            .setNamespace("default");
    for (var key : RunSearchAttributes.ALL) {
      request.putSearchAttributes(
          key.getName(), io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    io.temporal.api.operatorservice.v1.OperatorServiceGrpc.newBlockingStub(
            connection.client().getWorkflowServiceStubs().getRawChannel())
        .addSearchAttributes(request.build());
  }

  /** A folder only its owner may read, for the credential files. */
  private static Path privateFolder() {
    try {
      return Files.createTempDirectory(
          "failover-sandbox",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the sandbox's folder", e);
    }
  }

  private static void writeCredentialFiles(
      Path dir, Runbook runbook, Simulator simulator, String workerPrincipal) {
    try {
      String databricks =
          profile(
                  runbook.primary().credentialProfile(),
                  "token = " + workerToken(simulator, "primary", workerPrincipal))
              + profile(
                  runbook.secondary().credentialProfile(),
                  "token = " + workerToken(simulator, "secondary", workerPrincipal))
              // The account API's profile, when the runbook configures an account.
              + (runbook.account() == null
                  ? ""
                  : profile(
                      runbook.account().credentialProfile(), "token = " + simulator.accountToken()))
              // A profile whose token the workspaces reject (as an expired one), to try the
              // authentication failure path with a runbook that names it.
              + profile(EXPIRED_PROFILE, "token = dapi-expired-0000000000000000");
      Files.writeString(dir.resolve("databrickscfg"), databricks);
      String keys =
          "aws_access_key_id = AKIASANDBOXEXAMPLE\naws_secret_access_key = sandbox-secret\n";
      Files.writeString(
          dir.resolve("aws-credentials"),
          profile(runbook.primary().credentialProfile(), keys)
              + profile(runbook.secondary().credentialProfile(), keys));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sandbox's credential files", e);
    }
  }

  private static String workerToken(Simulator simulator, String side, String principal) {
    return principal == null
        ? simulator.workspaceToken(side)
        : simulator.workspaceToken(side, principal);
  }

  private static String profile(String name, String body) {
    return "[" + name + "]\n" + body.strip() + "\n\n";
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free local port for the Temporal test server", e);
    }
  }

  public TemporalConnection temporal() {
    return connection;
  }

  /** The test server's address, for commands that connect like any client ({@code --address}). */
  public String temporalAddress() {
    return "127.0.0.1:" + temporalPort;
  }

  public Simulator simulator() {
    return simulator;
  }

  /** The loopback port the worker serves {@code /metrics} on; empty when it serves none. */
  public java.util.OptionalInt metricsPort() {
    return metrics == null
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(metrics.port());
  }

  /**
   * The owner-only folder of the worker's credential files ({@code databrickscfg}, {@code
   * aws-credentials}), deleted when the sandbox stops; files put there go with it.
   */
  public Path directory() {
    return credentialsDir;
  }

  /** Whether runs in this sandbox carry search attributes (registered; payloads in the clear). */
  public boolean searchAttributes() {
    return searchAttributes;
  }

  /**
   * Runs one mode to its end through the Temporal client, as a user's CLI would. A run that needs
   * an approval waits for one, as it would against any server.
   */
  public RunReport run(Runbook runbook, Mode mode, String incidentId, PrintWriter progress) {
    return run(runbook, mode, incidentId, progress, false);
  }

  /** Like {@link #run(Runbook, Mode, String, PrintWriter)}; a drill keeps its DR objects. */
  public RunReport run(
      Runbook runbook, Mode mode, String incidentId, PrintWriter progress, boolean keep) {
    return new RunLauncher(connection.client(), connection.target())
        .keeping(keep)
        .withSearchAttributes(searchAttributes)
        .run(runbook, mode, incidentId, progress);
  }

  /**
   * Like {@link #run}, approving the run by signal as soon as it starts (so a runbook that requires
   * approval goes on); the approval is recorded in the history like any other.
   */
  public RunReport runApproved(
      Runbook runbook, Mode mode, String incidentId, Approval approval, PrintWriter progress) {
    return launcher().run(runbook, mode, incidentId, progress, approving(approval));
  }

  /** A launcher of runs on this sandbox's Temporal server, for runs with further options. */
  public RunLauncher launcher() {
    return new RunLauncher(connection.client(), connection.target())
        .withSearchAttributes(searchAttributes);
  }

  /** What approves a run by signal as soon as it starts ({@link RunLauncher#run}'s afterStart). */
  public Consumer<WorkflowExecution> approving(Approval approval) {
    return execution ->
        connection
            .client()
            .newWorkflowStub(RunbookWorkflow.class, execution.getWorkflowId())
            .approve(approval);
  }

  /** Captures the primary now, as {@code failover capture} or a capture schedule would. */
  public CaptureReport capture(Runbook runbook) {
    return CaptureCommand.captureNow(connection.client(), runbook);
  }

  /**
   * Plays DR serving as the active side: a job running in DR appends to the demo's orders table in
   * the replica bucket (a data file, then its Delta commit). Returns the commit's key.
   */
  public String writeInDr() {
    DeltaTableWriter orders =
        new DeltaTableWriter(
            simulator.s3(),
            DemoWorkspace.REPLICA_BUCKET,
            DemoWorkspace.DELTA_TABLES.get("sales.bronze.orders"));
    return orders.commitAppend(orders.writeDataFile());
  }

  /**
   * The options a worker process ({@code failover-worker.jar}) needs for this sandbox, its Temporal
   * server apart: the credential files the sandbox wrote and the simulator's endpoints, for the
   * runbook's workspaces. Its pacing is the simulator's local one, {@value
   * #SIMULATED_REQUESTS_PER_SECOND} a second, unless {@code --api-limits} is added.
   */
  public List<String> workerOptions(Runbook runbook) {
    return List.of(
        "--workspace-rate-limit",
        String.valueOf(SIMULATED_REQUESTS_PER_SECOND),
        "--databricks-config",
        credentialsDir.resolve("databrickscfg").toString(),
        "--aws-credentials",
        credentialsDir.resolve("aws-credentials").toString(),
        "--workspace-endpoint",
        runbook.primary().workspaceHost() + "=" + simulator.workspaceUrl("primary"),
        "--workspace-endpoint",
        runbook.secondary().workspaceHost() + "=" + simulator.workspaceUrl("secondary"),
        "--s3-endpoint",
        simulator.s3Url().toString(),
        "--account-endpoint",
        simulator.accountUrl().toString(),
        "--iam-endpoint",
        simulator.iamUrl().toString(),
        "--sts-endpoint",
        simulator.stsUrl().toString(),
        "--kms-endpoint",
        simulator.kmsUrl().toString(),
        "--cloudwatch-endpoint",
        simulator.cloudWatchUrl().toString());
  }

  /** A one-line description of what runs where, for the user. */
  public String describe() {
    return "Sandbox: Temporal test server on "
        + connection.target()
        + "; simulated workspaces primary "
        + simulator.workspaceUrl("primary")
        + ", secondary "
        + simulator.workspaceUrl("secondary")
        + "; simulated S3 "
        + simulator.s3Url()
        + (metrics == null
            ? ""
            : "; worker metrics at http://127.0.0.1:" + metrics.port() + "/metrics");
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
    connection.close();
    temporalServer.close();
    if (metrics != null) {
      metrics.close();
    }
    simulator.close();
    deleteFolder(credentialsDir);
  }

  private static void deleteFolder(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
