package dev.failover.worker;

import dev.failover.activities.clients.ApiLimits;
import dev.failover.activities.clients.CloudClientsConfig;
import dev.failover.activities.metrics.EngineMetrics;
import dev.failover.workflows.run.RunbookWorkflow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The worker as its own process: {@code java -jar failover-worker.jar}. It connects to Temporal by
 * Temporal's conventions and resolves cloud credentials by profile name from the Databricks and AWS
 * config files, so no secret is ever passed to it on the command line.
 */
@Command(
    name = "failover-worker",
    mixinStandardHelpOptions = true,
    description = "Runs the failover runbook worker until it is stopped (SIGTERM or Ctrl-C).")
public final class WorkerMain implements Callable<Integer> {
  /** The worker's own logging configuration; a library user of this module brings theirs. */
  static final String LOGBACK_CONFIG = "failover-worker-logback.xml";

  @Option(
      names = "--address",
      description = "Temporal address host:port (default: $TEMPORAL_ADDRESS or localhost:7233)")
  String address;

  @Option(
      names = "--namespace",
      description = "Temporal namespace (default: $TEMPORAL_NAMESPACE or default)")
  String namespace;

  @Option(names = "--temporal-profile", description = "Profile of Temporal's client config file")
  String temporalProfile;

  @Option(
      names = "--databricks-config",
      description =
          "Databricks config file with the runbooks' profiles (default: the SDK's, ~/.databrickscfg)")
  Path databricksConfig;

  @Option(
      names = "--aws-credentials",
      description =
          "AWS shared credentials file with the runbooks' profiles (default: the SDK's, ~/.aws/credentials)")
  Path awsCredentials;

  @Option(
      names = "--s3-endpoint",
      description = "S3 endpoint override, path-style (for VPC endpoints or the simulator)")
  URI s3Endpoint;

  @Option(
      names = "--workspace-endpoint",
      description =
          "Dial workspace HOST at URL instead (HOST=URL, repeatable; for private links or the"
              + " simulator). HOST is matched with or without https://; a run whose workspace has"
              + " no override while others have one names them in its failing step")
  Map<String, URI> workspaceEndpoints = new LinkedHashMap<>();

  @Option(
      names = "--account-endpoint",
      description =
          "Dial the runbooks' account API host at URL instead (for private links or the simulator)")
  URI accountEndpoint;

  @Option(
      names = "--iam-endpoint",
      description =
          "IAM endpoint override (for the simulator); IAM's policy simulator checks reverse"
              + " replication roles")
  URI iamEndpoint;

  @Option(
      names = "--sts-endpoint",
      description =
          "STS endpoint override (for the simulator); readiness asks STS whose credentials the"
              + " worker holds, to check its own right to change replication")
  URI stsEndpoint;

  @Option(
      names = "--kms-endpoint",
      description =
          "KMS endpoint override (for the simulator); the failback's catch-up copy asks KMS"
              + " whether a DR object's key is the AWS managed key aws/s3")
  URI kmsEndpoint;

  @Option(
      names = "--cloudwatch-endpoint",
      description =
          "CloudWatch endpoint override (for the simulator); readiness reads S3 Replication"
              + " metrics from it, in the region of each rule's destination bucket")
  URI cloudWatchEndpoint;

  @Option(
      names = "--workspace-rate-limit",
      defaultValue = "15",
      description =
          "Most requests per second to one workspace, all APIs together, when --api-limits is not"
              + " given (default: ${DEFAULT-VALUE})")
  int workspaceRateLimit;

  @Option(
      names = "--api-limits",
      paramLabel = "FILE",
      description =
          "Pace requests per workspace and API family at the rates of this cloud profile file"
              + " (the simulator's profiles/realistic.json format), instead of one flat limit")
  Path apiLimits;

  @Option(
      names = "--api-limits-share",
      defaultValue = "1.0",
      description =
          "The part of each limit this worker takes: with N workers on one task queue give each"
              + " 1/N, so that together they stay within the workspace's limits (default:"
              + " ${DEFAULT-VALUE})")
  double apiLimitsShare;

  @Option(
      names = "--max-concurrent-activities",
      defaultValue = "" + FailoverWorker.MAX_CONCURRENT_ACTIVITIES,
      description = "Activities this worker runs at once (default: ${DEFAULT-VALUE})")
  int maxConcurrentActivities;

  @Option(
      names = "--requests-in-flight",
      defaultValue = "0",
      description =
          "Most requests to the clouds this worker has in flight at once, all activities"
              + " together; 0 for no bound beyond the pacing (default: ${DEFAULT-VALUE})")
  int requestsInFlight;

  @Option(
      names = "--no-sticky-execution",
      description =
          "Send every workflow task through the shared queue: for Temporal's test server, which"
              + " never moves a task off a dead worker's sticky queue (real servers do after 5 s)")
  boolean noStickyExecution;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve Prometheus metrics at http://HOST:PORT/metrics: the Temporal SDK's, the engine's"
              + " requests, 429s and retries, and each runbook's DR posture (default: off)")
  Integer metricsPort;

  @Override
  public Integer call() throws InterruptedException {
    CloudClientsConfig cloud = cloudConfig();
    WorkerMetrics metrics = serveMetrics();
    TemporalConnection connection =
        TemporalConnection.connect(
            temporalProfile,
            address,
            namespace,
            PayloadEncryption.fromEnvironment(),
            !noStickyExecution,
            metrics == null ? null : metrics.temporalScope());
    FailoverWorker worker =
        FailoverWorker.start(
            connection.client(),
            cloud,
            maxConcurrentActivities,
            metrics == null ? EngineMetrics.none() : metrics.engine());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  connection.close();
                  if (metrics != null) {
                    metrics.close();
                  }
                }));
    Logger log = LoggerFactory.getLogger(WorkerMain.class);
    if (metrics != null) {
      log.info("Serving Prometheus metrics at :{}/metrics", metrics.port());
    }
    log.info("Worker polling task queue {} on {}", RunbookWorkflow.TASK_QUEUE, connection.target());
    Thread.currentThread().join();
    return 0;
  }

  /** The metrics endpoint, when asked for; a bad or busy port is one line. */
  WorkerMetrics serveMetrics() {
    if (metricsPort == null) {
      return null;
    }
    if (metricsPort < 0 || metricsPort > 65535) {
      throw new BadOptionException(
          "--metrics-port must be a port number (0 to 65535), got " + metricsPort);
    }
    try {
      return WorkerMetrics.serve(new InetSocketAddress(metricsPort));
    } catch (java.io.UncheckedIOException e) {
      throw new BadOptionException("--metrics-port: " + e.getMessage());
    }
  }

  /** The cloud settings the options ask for; an override that cannot be used is one line. */
  CloudClientsConfig cloudConfig() {
    ApiLimits limits = limits();
    if (maxConcurrentActivities < 1) {
      throw new BadOptionException(
          "--max-concurrent-activities must be at least 1, got " + maxConcurrentActivities);
    }
    if (requestsInFlight < 0) {
      throw new BadOptionException(
          "--requests-in-flight must be 0 (no bound) or more, got " + requestsInFlight);
    }
    try {
      return CloudClientsConfig.builder()
          .databricksConfigFile(databricksConfig)
          .awsCredentialsFile(awsCredentials)
          .s3Endpoint(s3Endpoint)
          .workspaceEndpoints(workspaceEndpoints)
          .accountEndpoint(accountEndpoint)
          .iamEndpoint(iamEndpoint)
          .stsEndpoint(stsEndpoint)
          .kmsEndpoint(kmsEndpoint)
          .cloudWatchEndpoint(cloudWatchEndpoint)
          .workspaceRequestsPerSecond(workspaceRateLimit)
          .apiLimits(limits)
          .requestsInFlight(requestsInFlight)
          .build();
    } catch (IllegalArgumentException e) {
      throw new BadOptionException("--workspace-endpoint: " + e.getMessage());
    }
  }

  /** The pacing of workspace requests the options ask for; a bad file or share is one line. */
  ApiLimits limits() {
    try {
      return apiLimits == null
          ? ApiLimits.flat(workspaceRateLimit, apiLimitsShare)
          : ApiLimits.read(apiLimits, apiLimitsShare);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new BadOptionException(e.getMessage());
    }
  }

  /** An option whose value cannot be used, reported as one line with the usage exit code. */
  static final class BadOptionException extends RuntimeException {
    BadOptionException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    System.exit(commandLine().execute(args));
  }

  /**
   * The worker's command line: a payload key that cannot be used is reported as one line naming the
   * variable, with exit code 2, as a bad option would be.
   */
  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new WorkerMain());
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof PayloadEncryption.InvalidPayloadKeyException
              || e instanceof BadOptionException) {
            commandLine.getErr().println("failover-worker: " + e.getMessage());
            commandLine.getErr().flush();
            return CommandLine.ExitCode.USAGE;
          }
          throw e;
        });
    return cmd;
  }
}
