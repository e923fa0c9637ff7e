package dev.failover.activities.clients;

import com.databricks.sdk.AccountClient;
import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.core.commons.CommonsHttpClient;
import com.databricks.sdk.core.http.HttpClient;
import dev.failover.activities.metrics.EngineMetrics;
import dev.failover.workflows.steps.AccountTarget;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds and caches the SDK clients the activities use, resolving credentials by profile name from
 * the worker's own configuration. Runbooks and workflow payloads carry only the profile names, so
 * no secret ever enters Temporal.
 */
public final class CloudClients implements AutoCloseable {
  /**
   * Connections one client keeps to one host: more than any activity keeps requests in flight (the
   * backlog's 32 HEADs, a few batches of 8 at once), so that no request waits for a connection and
   * none is opened and closed for a single request. The Databricks SDK's own pool allows 20 per
   * host; the AWS SDK's URL-connection client kept only 5 idle.
   */
  static final int CONNECTIONS_PER_HOST = 64;

  private final CloudClientsConfig config;
  private final Map<String, WorkspaceClient> workspaces = new ConcurrentHashMap<>();
  private final Map<String, AccountClient> accounts = new ConcurrentHashMap<>();
  private final Map<String, S3Client> s3Clients = new ConcurrentHashMap<>();
  private final Map<String, IamClient> iamClients = new ConcurrentHashMap<>();
  private final Map<String, StsClient> stsClients = new ConcurrentHashMap<>();
  private final Map<String, KmsClient> kmsClients = new ConcurrentHashMap<>();
  private final Map<String, CloudWatchClient> cloudWatchClients = new ConcurrentHashMap<>();
  private final ApiPacer pacer;
  private final RequestGate gate;
  private final EngineMetrics metrics;

  public CloudClients(CloudClientsConfig config) {
    this(config, EngineMetrics.none());
  }

  /** Clients whose requests, and whatever the activities record, go to {@code metrics}. */
  public CloudClients(CloudClientsConfig config, EngineMetrics metrics) {
    this.config = config;
    this.pacer = config.apiLimits() == null ? null : new ApiPacer(config.apiLimits());
    this.gate = RequestGate.of(config.requestsInFlight());
    this.metrics = metrics;
  }

  /** The engine's metrics, which the activities record into. */
  public EngineMetrics metrics() {
    return metrics;
  }

  /** The pacer of workspace requests, or null when requests are not paced. */
  public ApiPacer pacer() {
    return pacer;
  }

  /**
   * How long a client waits for an answer: a request it gave up on may still be taking effect on
   * the server, so a create without an idempotency key looks this long for it before trying again.
   */
  public java.time.Duration httpTimeout() {
    return java.time.Duration.ofSeconds(config.httpTimeoutSeconds());
  }

  /** The workspace client for a target, authenticated by its profile. */
  public WorkspaceClient workspace(WorkspaceTarget target) {
    String key = target.host() + "|" + target.credentialProfile();
    return workspaces.computeIfAbsent(key, k -> newWorkspaceClient(target));
  }

  /**
   * The account API client for an account, authenticated by its profile; the same for every
   * workspace of the account.
   */
  public AccountClient account(AccountTarget target) {
    String key = target.host() + "|" + target.accountId() + "|" + target.credentialProfile();
    return accounts.computeIfAbsent(key, k -> newAccountClient(target));
  }

  private AccountClient newAccountClient(AccountTarget target) {
    DatabricksConfig databricks =
        databricksConfig(config.accountEndpoint(), target.host(), target.credentialProfile(), null)
            .setAccountId(target.accountId());
    try {
      return new AccountClient(databricks);
    } catch (DatabricksException e) {
      throw unknownProfile(
          "account " + target.accountId() + " at " + target.host(), target.credentialProfile(), e);
    }
  }

  /**
   * The SDK's settings for a host (dialled at {@code dialled} when set) and profile; an I/O error
   * carries {@code unroutedNote} when it is set (a workspace host left out of the overrides).
   */
  private DatabricksConfig databricksConfig(
      URI dialled, String host, String profile, String unroutedNote) {
    DatabricksConfig databricks =
        new DatabricksConfig()
            .setHost(dialled == null ? host : dialled.toString())
            .setProfile(profile)
            .setHttpTimeoutSeconds(config.httpTimeoutSeconds())
            .setRateLimit(config.workspaceRequestsPerSecond());
    if (config.databricksConfigFile() != null) {
      databricks.setConfigFile(config.databricksConfigFile().toString());
    }
    // Every attempt is counted (after pacing, so a paced wait is not a request), and passes the
    // gate after its pacing, so a request waiting for its family's slot holds no place in flight.
    HttpClient http =
        new MeteredHttpClient(
            new GatedHttpClient(
                new CommonsHttpClient.Builder()
                    .withDatabricksConfig(databricks)
                    .withTimeoutSeconds(config.httpTimeoutSeconds())
                    .withConnectionManager(connectionPool())
                    .build(),
                gate),
            metrics,
            host);
    if (pacer != null) {
      http = new PacedHttpClient(http, pacer, host);
    }
    if (unroutedNote != null) {
      http = new UnroutedHostHttpClient(http, unroutedNote);
    }
    databricks.setHttpClient(http);
    return databricks;
  }

  /** A connection pool for one Databricks client (it dials one host). */
  private static PoolingHttpClientConnectionManager connectionPool() {
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
    pool.setMaxTotal(CONNECTIONS_PER_HOST);
    pool.setDefaultMaxPerRoute(CONNECTIONS_PER_HOST);
    return pool;
  }

  /**
   * The AWS SDK's HTTP client, pooled, with the worker's timeouts; given as a builder, so that the
   * SDK client built with it owns it and closes its pool when it is closed.
   */
  private GatedAwsHttpClient.Builder awsHttpClient() {
    return GatedAwsHttpClient.builder(
        Apache5HttpClient.builder()
            .socketTimeout(Duration.ofSeconds(config.httpTimeoutSeconds()))
            .connectionTimeout(Duration.ofSeconds(10))
            .maxConnections(CONNECTIONS_PER_HOST),
        gate);
  }

  private ApplicationFailure unknownProfile(String what, String profile, DatabricksException e) {
    return ApplicationFailure.newFailure(
        "cannot configure "
            + what
            + " from credential profile '"
            + profile
            + "'"
            + configFileHint()
            + ": "
            + e.getMessage(),
        FailureTypes.UNKNOWN_PROFILE);
  }

  /** The S3 client for a bucket's region, authenticated by its profile. */
  public S3Client s3(BucketTarget target) {
    String key = target.region() + "|" + target.credentialProfile();
    return s3Clients.computeIfAbsent(key, k -> newS3Client(target));
  }

  private WorkspaceClient newWorkspaceClient(WorkspaceTarget target) {
    Map<String, URI> overrides = config.workspaceEndpoints();
    URI dialled = WorkspaceEndpoints.dialledFor(overrides, target.host()).orElse(null);
    String unroutedNote =
        dialled == null && !overrides.isEmpty()
            ? WorkspaceEndpoints.missingOverrideNote(overrides, target.host())
            : null;
    DatabricksConfig databricks =
        databricksConfig(dialled, target.host(), target.credentialProfile(), unroutedNote);
    try {
      return new WorkspaceClient(databricks);
    } catch (DatabricksException e) {
      throw unknownProfile("workspace " + target.host(), target.credentialProfile(), e);
    }
  }

  /**
   * The IAM client (a global service) authenticated by the profile of a bucket's side, for reading
   * policies only.
   */
  public IamClient iam(BucketTarget target) {
    return iamClients.computeIfAbsent(
        target.credentialProfile(),
        profile -> {
          var builder =
              IamClient.builder()
                  .region(Region.AWS_GLOBAL)
                  .credentialsProvider(profileCredentials(profile))
                  .httpClientBuilder(awsHttpClient())
                  .overrideConfiguration(
                      c -> c.addExecutionInterceptor(new MeteredAwsRequests(metrics, "iam")));
          if (config.iamEndpoint() != null) {
            builder.endpointOverride(config.iamEndpoint());
          }
          return builder.build();
        });
  }

  /**
   * The STS client authenticated by the profile of a bucket's side, for asking whose credentials
   * the profile holds (GetCallerIdentity) only.
   */
  public StsClient sts(BucketTarget target) {
    return stsClients.computeIfAbsent(
        target.credentialProfile(),
        profile -> {
          var builder =
              StsClient.builder()
                  .region(Region.AWS_GLOBAL)
                  .credentialsProvider(profileCredentials(profile))
                  .httpClientBuilder(awsHttpClient())
                  .overrideConfiguration(
                      c -> c.addExecutionInterceptor(new MeteredAwsRequests(metrics, "sts")));
          if (config.stsEndpoint() != null) {
            builder.endpointOverride(config.stsEndpoint());
          }
          return builder.build();
        });
  }

  /**
   * The KMS client of a region, authenticated by the profile of a bucket's side, for describing
   * keys only.
   */
  public KmsClient kms(BucketTarget side, String region) {
    String key = region + "|" + side.credentialProfile();
    return kmsClients.computeIfAbsent(
        key,
        k -> {
          var builder =
              KmsClient.builder()
                  .region(Region.of(region))
                  .credentialsProvider(profileCredentials(side.credentialProfile()))
                  .httpClientBuilder(awsHttpClient())
                  .overrideConfiguration(
                      c -> c.addExecutionInterceptor(new MeteredAwsRequests(metrics, "kms")));
          if (config.kmsEndpoint() != null) {
            builder.endpointOverride(config.kmsEndpoint());
          }
          return builder.build();
        });
  }

  /**
   * The CloudWatch client of a bucket's region, authenticated by its side's profile, for reading S3
   * Replication metrics: S3 publishes a rule's pending operations and latency in the destination
   * bucket's region, its failed operations in the source bucket's (Amazon S3 user guide, "Using S3
   * Replication metrics").
   */
  public CloudWatchClient cloudWatch(BucketTarget bucket) {
    String key = bucket.region() + "|" + bucket.credentialProfile();
    return cloudWatchClients.computeIfAbsent(
        key,
        k -> {
          var builder =
              CloudWatchClient.builder()
                  .region(Region.of(bucket.region()))
                  .credentialsProvider(profileCredentials(bucket.credentialProfile()))
                  .httpClientBuilder(awsHttpClient())
                  .overrideConfiguration(
                      c ->
                          c.addExecutionInterceptor(new MeteredAwsRequests(metrics, "cloudwatch")));
          if (config.cloudWatchEndpoint() != null) {
            builder.endpointOverride(config.cloudWatchEndpoint());
          }
          return builder.build();
        });
  }

  private S3Client newS3Client(BucketTarget target) {
    return s3Client(target.region(), profileCredentials(target.credentialProfile()));
  }

  /** The AWS credentials of a profile; UNKNOWN_PROFILE when the credentials file lacks it. */
  private ProfileCredentialsProvider profileCredentials(String profile) {
    ProfileCredentialsProvider.Builder credentials =
        ProfileCredentialsProvider.builder().profileName(profile);
    if (config.awsCredentialsFile() != null) {
      credentials.profileFile(
          ProfileFile.builder()
              .content(config.awsCredentialsFile())
              .type(ProfileFile.Type.CREDENTIALS)
              .build());
    }
    ProfileCredentialsProvider provider = credentials.build();
    try {
      provider.resolveCredentials();
    } catch (SdkClientException e) {
      provider.close();
      throw ApplicationFailure.newFailure(
          "no AWS credentials for profile '"
              + profile
              + "'"
              + (config.awsCredentialsFile() == null ? "" : " in " + config.awsCredentialsFile())
              + ": "
              + e.getMessage(),
          FailureTypes.UNKNOWN_PROFILE);
    }
    return provider;
  }

  /** An S3 client for the region, with the worker's timeouts and (in tests) endpoint. */
  private S3Client s3Client(String region, AwsCredentialsProvider provider) {
    var builder =
        S3Client.builder()
            .region(Region.of(region))
            .credentialsProvider(provider)
            .httpClientBuilder(awsHttpClient())
            .overrideConfiguration(
                c -> c.addExecutionInterceptor(new MeteredAwsRequests(metrics, "s3")));
    if (config.s3Endpoint() != null) {
      builder.endpointOverride(config.s3Endpoint()).forcePathStyle(true);
    }
    return builder.build();
  }

  /**
   * A new S3 client for a region that signs with temporary credentials handed out for one task
   * (Unity Catalog's for a model version's files), at the same endpoint as the worker's own
   * clients. Not cached: the caller closes it, and the credentials go with it.
   */
  public S3Client temporaryS3(String region, AwsSessionCredentials credentials) {
    return s3Client(region, StaticCredentialsProvider.create(credentials));
  }

  private String configFileHint() {
    return config.databricksConfigFile() == null ? "" : " in " + config.databricksConfigFile();
  }

  @Override
  public void close() {
    s3Clients.values().forEach(S3Client::close);
    s3Clients.clear();
    iamClients.values().forEach(IamClient::close);
    iamClients.clear();
    stsClients.values().forEach(StsClient::close);
    stsClients.clear();
    kmsClients.values().forEach(KmsClient::close);
    kmsClients.clear();
    cloudWatchClients.values().forEach(CloudWatchClient::close);
    cloudWatchClients.clear();
    workspaces.clear();
    accounts.clear();
  }
}
