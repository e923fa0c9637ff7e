package dev.failover.activities.clients;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the worker finds credentials and endpoints. Immutable; build with {@link #builder()}.
 *
 * @param databricksConfigFile the Databricks CLI/SDK config file holding the profiles the runbooks
 *     name; null means the SDK's default ({@code DATABRICKS_CONFIG_FILE} or {@code
 *     ~/.databrickscfg})
 * @param awsCredentialsFile the AWS shared credentials file holding the profiles; null means the
 *     AWS SDK's default ({@code AWS_SHARED_CREDENTIALS_FILE} or {@code ~/.aws/credentials})
 * @param workspaceEndpoints runbook workspace host to the URL actually dialled, for private
 *     endpoints and for the simulator; a host not listed is dialled as it is. Hosts are matched
 *     with or without their scheme ({@link WorkspaceEndpoints#hostKey}), and kept by that key
 * @param s3Endpoint an S3 endpoint override (path-style), for VPC endpoints and the simulator; null
 *     means AWS's regional endpoints
 * @param httpTimeoutSeconds per-request timeout of the SDK clients
 * @param workspaceRequestsPerSecond the most requests per second sent to one workspace, a limit of
 *     this client's own so that a large converge does not trip the API's throttling
 * @param accountEndpoint the URL actually dialled for the runbooks' account API host, for private
 *     endpoints and for the simulator; null means the host is dialled as the runbook names it
 * @param iamEndpoint an IAM endpoint override, for the simulator; null means AWS's global IAM
 *     endpoint
 * @param stsEndpoint an STS endpoint override, for the simulator; null means AWS's STS endpoint
 *     (readiness asks STS which principal the worker's credentials belong to)
 * @param kmsEndpoint a KMS endpoint override, for the simulator; null means AWS's regional
 *     endpoints (the failback's catch-up copy asks KMS whether a key is AWS managed)
 * @param cloudWatchEndpoint a CloudWatch endpoint override, for the simulator; null means AWS's
 *     regional endpoints (the region of the bucket a replication rule writes to, where S3 publishes
 *     its replication metrics)
 * @param apiLimits the rates per workspace and API family that requests to a workspace are paced
 *     at; null paces nothing (the SDK's own {@code rateLimit} setting, which {@code
 *     workspaceRequestsPerSecond} feeds, is not read by the SDK 0.141.0)
 * @param requestsInFlight the most requests the worker has in flight at once, to every workspace,
 *     account and bucket together; 0 leaves them unbounded (a benchmark's sequential baseline sets
 *     1)
 */
public record CloudClientsConfig(
    Path databricksConfigFile,
    Path awsCredentialsFile,
    Map<String, URI> workspaceEndpoints,
    URI s3Endpoint,
    int httpTimeoutSeconds,
    int workspaceRequestsPerSecond,
    URI accountEndpoint,
    URI iamEndpoint,
    URI stsEndpoint,
    URI kmsEndpoint,
    URI cloudWatchEndpoint,
    ApiLimits apiLimits,
    int requestsInFlight) {

  public CloudClientsConfig {
    if (requestsInFlight < 0) {
      throw new IllegalArgumentException("requestsInFlight must be 0 (unbounded) or more");
    }
    workspaceEndpoints = Map.copyOf(WorkspaceEndpoints.normalize(workspaceEndpoints));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link CloudClientsConfig}. */
  public static final class Builder {
    private Path databricksConfigFile;
    private Path awsCredentialsFile;
    private Map<String, URI> workspaceEndpoints = Map.of();
    private URI s3Endpoint;
    private int httpTimeoutSeconds = 60;
    private int workspaceRequestsPerSecond = 15;
    private URI accountEndpoint;
    private URI iamEndpoint;
    private URI stsEndpoint;
    private URI kmsEndpoint;
    private URI cloudWatchEndpoint;
    private ApiLimits apiLimits;
    private int requestsInFlight;

    /** Default: the SDK's own default location. */
    public Builder databricksConfigFile(Path file) {
      this.databricksConfigFile = file;
      return this;
    }

    /** Default: the AWS SDK's own default location. */
    public Builder awsCredentialsFile(Path file) {
      this.awsCredentialsFile = file;
      return this;
    }

    /** Default: none, every host is dialled as the runbook names it. */
    public Builder workspaceEndpoints(Map<String, URI> endpoints) {
      this.workspaceEndpoints = endpoints;
      return this;
    }

    /** Default: none, AWS's regional endpoints. */
    public Builder s3Endpoint(URI endpoint) {
      this.s3Endpoint = endpoint;
      return this;
    }

    /** Default: 60 seconds. */
    public Builder httpTimeoutSeconds(int seconds) {
      this.httpTimeoutSeconds = seconds;
      return this;
    }

    /** Default: 15 requests per second per workspace. */
    public Builder workspaceRequestsPerSecond(int requestsPerSecond) {
      this.workspaceRequestsPerSecond = requestsPerSecond;
      return this;
    }

    /** Default: none, the account API is dialled at the host the runbook names. */
    public Builder accountEndpoint(URI endpoint) {
      this.accountEndpoint = endpoint;
      return this;
    }

    /** Default: none, AWS's global IAM endpoint. */
    public Builder iamEndpoint(URI endpoint) {
      this.iamEndpoint = endpoint;
      return this;
    }

    public Builder stsEndpoint(URI endpoint) {
      this.stsEndpoint = endpoint;
      return this;
    }

    public Builder kmsEndpoint(URI endpoint) {
      this.kmsEndpoint = endpoint;
      return this;
    }

    /** Default: none, AWS's regional CloudWatch endpoints. */
    public Builder cloudWatchEndpoint(URI endpoint) {
      this.cloudWatchEndpoint = endpoint;
      return this;
    }

    /** Default: none, requests are not paced. */
    public Builder apiLimits(ApiLimits limits) {
      this.apiLimits = limits;
      return this;
    }

    /** Default: 0, unbounded. */
    public Builder requestsInFlight(int requests) {
      this.requestsInFlight = requests;
      return this;
    }

    public CloudClientsConfig build() {
      return new CloudClientsConfig(
          databricksConfigFile,
          awsCredentialsFile,
          workspaceEndpoints,
          s3Endpoint,
          httpTimeoutSeconds,
          workspaceRequestsPerSecond,
          accountEndpoint,
          iamEndpoint,
          stsEndpoint,
          kmsEndpoint,
          cloudWatchEndpoint,
          apiLimits,
          requestsInFlight);
    }
  }
}
