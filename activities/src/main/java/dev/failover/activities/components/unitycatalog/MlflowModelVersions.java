package dev.failover.activities.components.unitycatalog;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.core.http.Request;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Creates Unity Catalog model versions the way MLflow's client does, since the Databricks SDK for
 * Java (0.141.0) has no call for it: {@code ModelVersionsAPI} only reads, updates and deletes
 * versions. MLflow's {@code UcModelRegistryService} creates a version with {@code POST
 * /api/2.0/mlflow/unity-catalog/model-versions/create} ({@code PENDING_REGISTRATION}, with the
 * storage location its files go to) and marks it {@code READY} with {@code .../finalize}. The
 * requests go through the SDK's own {@code ApiClient}, so authentication, retries of the SDK and
 * its error classes are the same as for every other call. Between the two, MLflow's client asks for
 * temporary credentials scoped to the new version ({@code .../generate-temporary-credentials},
 * operation {@code MODEL_VERSION_OPERATION_READ_WRITE}) and copies the model's files into the
 * version's storage location with them; {@link #temporaryCredentials} asks for them the same way.
 */
final class MlflowModelVersions {
  private static final String BASE = "/api/2.0/mlflow/unity-catalog/model-versions/";

  private MlflowModelVersions() {}

  /**
   * MLflow's {@code ModelVersion}, the fields used here; the version number is text. A public
   * mutable class, since the SDK's {@code ApiClient} creates the response type by reflection and
   * fills it in.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class ModelVersion {
    @JsonProperty("name")
    private String name;

    @JsonProperty("version")
    private String version;

    @JsonProperty("status")
    private String status;

    @JsonProperty("storage_location")
    private String storageLocation;

    String name() {
      return name;
    }

    String version() {
      return version;
    }

    String status() {
      return status;
    }

    String storageLocation() {
      return storageLocation;
    }
  }

  /** {@code CreateModelVersionResponse} and {@code FinalizeModelVersionResponse}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Response {
    @JsonProperty("model_version")
    private ModelVersion modelVersion;
  }

  /** {@code CreateModelVersionRequest}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Create(
      @JsonProperty("name") String name,
      @JsonProperty("source") String source,
      @JsonProperty("run_id") String runId,
      @JsonProperty("description") String description) {}

  /** {@code FinalizeModelVersionRequest}. */
  record Finalize(@JsonProperty("name") String name, @JsonProperty("version") String version) {}

  /** MLflow's {@code ModelVersionOperation} for writing a version's files. */
  static final String READ_WRITE = "MODEL_VERSION_OPERATION_READ_WRITE";

  /** MLflow's {@code ModelVersionOperation} for reading a version's files. */
  static final String READ = "MODEL_VERSION_OPERATION_READ";

  /** {@code GenerateTemporaryModelVersionCredentialsRequest}. */
  record GenerateCredentials(
      @JsonProperty("name") String name,
      @JsonProperty("version") String version,
      @JsonProperty("operation") String operation) {}

  /**
   * {@code AwsCredentials}. Holds a secret: never put it, or this object, in a message, a log or a
   * result ({@link #toString} names the access key id only).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class AwsCredentials {
    @JsonProperty("access_key_id")
    private String accessKeyId;

    @JsonProperty("secret_access_key")
    private String secretAccessKey;

    @JsonProperty("session_token")
    private String sessionToken;

    AwsSessionCredentials session() {
      if (accessKeyId == null || secretAccessKey == null || sessionToken == null) {
        throw new DatabricksException(
            "the temporary credentials for the model version are not AWS session credentials");
      }
      return AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken);
    }

    @Override
    public String toString() {
      return "AwsCredentials[" + accessKeyId + "]";
    }
  }

  /** {@code TemporaryCredentials}, the AWS kind. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class TemporaryCredentials {
    @JsonProperty("aws_temp_credentials")
    private AwsCredentials aws;

    @JsonProperty("expiration_time")
    private Long expirationTime;

    AwsSessionCredentials session() {
      if (aws == null) {
        throw new DatabricksException(
            "Unity Catalog answered no AWS temporary credentials for the model version (another"
                + " cloud's?)");
      }
      return aws.session();
    }

    @Override
    public String toString() {
      return "TemporaryCredentials[" + aws + ", expires " + expirationTime + "]";
    }
  }

  /** {@code GenerateTemporaryModelVersionCredentialsResponse}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class CredentialsResponse {
    @JsonProperty("credentials")
    private TemporaryCredentials credentials;
  }

  /**
   * {@code POST .../model-versions/generate-temporary-credentials}, as MLflow's {@code
   * UcModelRegistryStore} asks for them before it uploads a new version's files (operation {@link
   * #READ_WRITE}) or downloads them ({@link #READ}): AWS session credentials that reach the
   * version's storage location.
   */
  static AwsSessionCredentials temporaryCredentials(
      WorkspaceClient workspace, String fullName, long version, String operation) {
    try {
      Request request =
          new Request(
                  "POST",
                  BASE + "generate-temporary-credentials",
                  workspace
                      .apiClient()
                      .serialize(
                          new GenerateCredentials(fullName, Long.toString(version), operation)))
              .withHeader("Accept", "application/json")
              .withHeader("Content-Type", "application/json");
      CredentialsResponse response =
          workspace.apiClient().execute(request, CredentialsResponse.class);
      if (response.credentials == null) {
        throw new DatabricksException("Unity Catalog answered no credentials for the version");
      }
      return response.credentials.session();
    } catch (IOException e) {
      throw new DatabricksException("IO error: " + e.getMessage(), e);
    }
  }

  static ModelVersion create(WorkspaceClient workspace, Create request) {
    return post(workspace, "create", request);
  }

  static ModelVersion finalize(WorkspaceClient workspace, String fullName, long version) {
    return post(workspace, "finalize", new Finalize(fullName, Long.toString(version)));
  }

  private static ModelVersion post(WorkspaceClient workspace, String action, Object body) {
    try {
      Request request =
          new Request("POST", BASE + action, workspace.apiClient().serialize(body))
              .withHeader("Accept", "application/json")
              .withHeader("Content-Type", "application/json");
      return workspace.apiClient().execute(request, Response.class).modelVersion;
    } catch (IOException e) {
      throw new DatabricksException("IO error: " + e.getMessage(), e);
    }
  }
}
