package dev.failover.activities;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.clients.CloudClientsConfig;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.Simulator;
import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.AccountTarget;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.WorkspaceTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The demo lakehouse in the simulator, with the production credential path: profiles in a
 * Databricks config file and an AWS credentials file, resolved by {@link CloudClients}.
 */
public final class SimulatedCloud implements AutoCloseable {
  public static final String PRIMARY_HOST = "https://dbc-acme-prod.cloud.databricks.com";
  public static final String SECONDARY_HOST = "https://dbc-acme-dr.cloud.databricks.com";
  public static final List<Runbook.PathRewrite> REWRITES =
      List.of(new Runbook.PathRewrite("s3://acme-lakehouse-use1/", "s3://acme-lakehouse-usw2/"));

  /** The compute rules of {@code runbooks/sandbox.yaml}: the demo's ETL zone and profile. */
  public static final ComputeRules COMPUTE =
      new ComputeRules(
          java.util.Map.of(dev.failover.simulator.DemoWorkspace.PRIMARY_ZONE, "us-west-2a"),
          null,
          java.util.Map.of(
              dev.failover.simulator.DemoWorkspace.PRIMARY_INSTANCE_PROFILE,
              dev.failover.simulator.DemoWorkspace.DR_INSTANCE_PROFILE));

  /**
   * The storage credential mappings of {@code runbooks/sandbox.yaml}: each primary credential to
   * its DR twin, set up ahead of time and trusted by its IAM role.
   */
  public static final Runbook.StorageCredentials STORAGE_CREDENTIALS =
      new Runbook.StorageCredentials(dev.failover.simulator.DemoWorkspace.DR_CREDENTIALS);

  /**
   * The clients' per-request timeout. The simulator answers in milliseconds, so a few seconds leave
   * a wide margin on a busy machine, while a {@link LostAnswer}, which must outlast it, costs that
   * much less than under the worker's production default.
   */
  public static final int HTTP_TIMEOUT_SECONDS = 5;

  public final Simulator simulator;
  public final CloudClients clients;
  private final Path dir;

  public SimulatedCloud(Path dir) {
    this.dir = dir;
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    DemoWorkspace.seed(simulator);
    try {
      Files.writeString(
          dir.resolve("databrickscfg"),
          "[acme-primary]\ntoken = "
              + simulator.workspaceToken("primary")
              + "\n\n[acme-dr]\ntoken = "
              + simulator.workspaceToken("secondary")
              + "\n\n[acme-dr-worker]\ntoken = "
              + simulator.workspaceToken("secondary", DemoWorkspace.DR_WORKER)
              + "\n\n[acme-account]\ntoken = "
              + simulator.accountToken()
              + "\n\n[expired]\ntoken = dapi-not-a-valid-token\n");
      String keys = "aws_access_key_id = AKIATESTEXAMPLE\naws_secret_access_key = secret\n";
      Files.writeString(
          dir.resolve("aws-credentials"), "[acme-primary]\n" + keys + "\n[acme-dr]\n" + keys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    clients = clientsWithHttpTimeout(HTTP_TIMEOUT_SECONDS);
  }

  /** New clients of this cloud with another per-request timeout; the caller closes them. */
  public CloudClients clientsWithHttpTimeout(int seconds) {
    return new CloudClients(config().httpTimeoutSeconds(seconds).build());
  }

  /** The clients' configuration for this cloud's endpoints and credentials, to adjust and build. */
  public CloudClientsConfig.Builder config() {
    return CloudClientsConfig.builder()
        .databricksConfigFile(dir.resolve("databrickscfg"))
        .awsCredentialsFile(dir.resolve("aws-credentials"))
        .workspaceEndpoints(
            Map.of(
                PRIMARY_HOST, simulator.workspaceUrl("primary"),
                SECONDARY_HOST, simulator.workspaceUrl("secondary")))
        .s3Endpoint(simulator.s3Url())
        .accountEndpoint(simulator.accountUrl())
        .iamEndpoint(simulator.iamUrl())
        .stsEndpoint(simulator.stsUrl())
        .kmsEndpoint(simulator.kmsUrl())
        .cloudWatchEndpoint(simulator.cloudWatchUrl());
  }

  public static WorkspaceTarget primary() {
    return new WorkspaceTarget("primary", PRIMARY_HOST, "us-east-1", "acme-primary");
  }

  public static WorkspaceTarget secondary() {
    return new WorkspaceTarget("secondary", SECONDARY_HOST, "us-west-2", "acme-dr");
  }

  /** DR as the demo's {@code dr-worker} sees it: a service principal that is not an admin. */
  public static WorkspaceTarget secondaryAsDrWorker() {
    return new WorkspaceTarget("secondary", SECONDARY_HOST, "us-west-2", "acme-dr-worker");
  }

  /** The account API host the runbooks name; the simulator answers it. */
  public static final String ACCOUNT_HOST = "https://accounts.cloud.databricks.com";

  /** The demo account, about the workspace on {@code side}. */
  public AccountTarget account(String side) {
    return new AccountTarget(
        ACCOUNT_HOST,
        Simulator.ACCOUNT_ID,
        "acme-account",
        Long.parseLong(simulator.workspace(side).workspaceId()));
  }

  public static BucketTarget primaryBucket() {
    return new BucketTarget("primary", "acme-lakehouse-use1", "us-east-1", "acme-primary");
  }

  public static BucketTarget replicaBucket() {
    return new BucketTarget("secondary", "acme-lakehouse-usw2", "us-west-2", "acme-dr");
  }

  @Override
  public void close() {
    clients.close();
    simulator.close();
  }
}
