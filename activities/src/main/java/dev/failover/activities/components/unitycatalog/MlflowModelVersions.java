package dev.failover.activities.components.unitycatalog;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.core.http.Request;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;

/**
 * Creates Unity Catalog model versions the way MLflow's client does, since the Databricks SDK for
 * Java (0.141.0) has no call for it: {@code ModelVersionsAPI} only reads, updates and deletes
 * versions. MLflow's {@code UcModelRegistryService} creates a version with {@code POST
 * /api/2.0/mlflow/unity-catalog/model-versions/create} ({@code PENDING_REGISTRATION}, with the
 * storage location its files go to) and marks it {@code READY} with {@code .../finalize}. The
 * requests go through the SDK's own {@code ApiClient}, so authentication, retries of the SDK and
 * its error classes are the same as for every other call.
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
