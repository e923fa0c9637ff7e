package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;
import static dev.failover.simulator.databricks.UcJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.util.Map;

/**
 * Unity Catalog's registered models and model versions in a simulated workspace.
 *
 * <ul>
 *   <li>{@code /api/2.1/unity-catalog/models}: the paths, methods and fields of the SDK's {@code
 *       RegisteredModelsImpl} ({@code CreateRegisteredModelRequest}, {@code
 *       UpdateRegisteredModelRequest}, {@code ListRegisteredModelsRequest}/{@code Response}, {@code
 *       RegisteredModelInfo}) and, under {@code /models/{full_name}/versions}, {@code
 *       ModelVersionsImpl} ({@code ListModelVersionsRequest}/{@code Response}, {@code
 *       UpdateModelVersionRequest}, {@code ModelVersionInfo}). Aliases are not modelled.
 *   <li>The SDK has no call that creates a model version: MLflow's client creates one through
 *       {@code POST /api/2.0/mlflow/unity-catalog/model-versions/create}, uploads the files, then
 *       calls {@code .../model-versions/finalize} ({@code UcModelRegistryService} in MLflow's
 *       {@code databricks_uc_registry_service.proto}, messages {@code CreateModelVersionRequest}
 *       and {@code FinalizeModelVersionRequest} answering {@code {"model_version": ModelVersion}}).
 *       Those two are simulated, and so is {@code
 *       .../model-versions/generate-temporary-credentials} ({@code
 *       GenerateTemporaryModelVersionCredentialsRequest}: {@code name}, {@code version}, {@code
 *       operation} {@code MODEL_VERSION_OPERATION_READ} or {@code
 *       MODEL_VERSION_OPERATION_READ_WRITE}), which answers AWS temporary credentials that the
 *       simulator's S3 accepts for the version's storage location only. MLflow's other Unity
 *       Catalog endpoints are not.
 * </ul>
 *
 * Lists page by {@code max_results} and {@code page_token}. Without {@code max_results} the service
 * uses its own page length (documented as 100 or 10000 depending on the filter); the simulator uses
 * {@link Pages#DEFAULT_PAGE} then, as for {@code max_results=0}.
 */
final class ModelsApi {
  static final String MODELS = "/api/2.1/unity-catalog/models";
  static final String MLFLOW = "/api/2.0/mlflow/unity-catalog/model-versions/";

  private final ModelsState models;
  private final String metastoreId;

  ModelsApi(ModelsState models, String metastoreId) {
    this.models = models;
    this.metastoreId = metastoreId;
  }

  static boolean handles(String path) {
    return path.equals(MODELS) || path.startsWith(MODELS + "/") || path.startsWith(MLFLOW);
  }

  /** Answers one request; null for a path or method this API does not have. */
  JsonNode route(
      String method,
      String path,
      Map<String, String> query,
      RequestBody body,
      PrincipalsState.Principal caller)
      throws IOException {
    if (path.startsWith(MLFLOW)) {
      return mlflow(method, path.substring(MLFLOW.length()), body, caller);
    }
    if (path.equals(MODELS)) {
      return switch (method) {
        case "GET" ->
            UcJson.page(
                Pages.page(
                    models.models(query.get("catalog_name"), query.get("schema_name")),
                    ModelsState.Model::fullName,
                    query.get("page_token"),
                    pageLength(query)),
                "registered_models",
                this::model);
        case "POST" -> {
          JsonNode request = body.read();
          yield model(
              models.createModel(
                  text(request, "catalog_name"),
                  text(request, "schema_name"),
                  text(request, "name"),
                  text(request, "comment"),
                  caller.name()));
        }
        default -> null;
      };
    }
    String[] parts = path.substring(MODELS.length() + 1).split("/", -1);
    String fullName = HttpExchanges.decode(parts[0]);
    if (fullName.isEmpty()) {
      return null;
    }
    if (parts.length == 1) {
      return switch (method) {
        case "GET" -> model(models.model(fullName));
        case "PATCH" -> {
          JsonNode request = body.read();
          if (request.hasNonNull("new_name")) {
            throw ApiError.invalid("Renaming a model is not supported by the simulator");
          }
          yield model(
              models.updateModel(fullName, text(request, "comment"), text(request, "owner")));
        }
        case "DELETE" -> {
          models.deleteModel(fullName);
          yield JSON.createObjectNode();
        }
        default -> null;
      };
    }
    if (!parts[1].equals("versions") || parts.length > 3) {
      return null;
    }
    if (parts.length == 2) {
      return method.equals("GET")
          ? UcJson.page(
              Pages.page(
                  models.versions(fullName),
                  ModelsState.Version::sortKey,
                  query.get("page_token"),
                  pageLength(query)),
              "model_versions",
              this::version)
          : null;
    }
    long number = versionNumber(parts[2]);
    return switch (method) {
      case "GET" -> version(models.version(fullName, number));
      case "PATCH" -> version(models.updateVersion(fullName, number, text(body.read(), "comment")));
      case "DELETE" -> {
        models.deleteVersion(fullName, number);
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }

  private JsonNode mlflow(
      String method, String action, RequestBody body, PrincipalsState.Principal caller)
      throws IOException {
    if (!method.equals("POST")) {
      return null;
    }
    return switch (action) {
      case "create" -> {
        JsonNode request = body.read();
        yield mlflowVersion(
            models.createVersion(
                required(request, "name"),
                text(request, "source"),
                text(request, "run_id"),
                text(request, "description"),
                caller.name()));
      }
      case "generate-temporary-credentials" -> {
        JsonNode request = body.read();
        yield credentials(
            models.temporaryCredentials(
                required(request, "name"),
                versionNumber(required(request, "version")),
                operation(required(request, "operation"))));
      }
      case "finalize" -> {
        JsonNode request = body.read();
        yield mlflowVersion(
            models.finalizeVersion(
                required(request, "name"), versionNumber(required(request, "version"))));
      }
      default -> null;
    };
  }

  private static ModelsState.Operation operation(String text) {
    try {
      return ModelsState.Operation.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("Invalid value '" + text + "' for parameter 'operation'.");
    }
  }

  /**
   * {@code GenerateTemporaryModelVersionCredentialsResponse}: {@code {"credentials":
   * TemporaryCredentials}} with {@code aws_temp_credentials} ({@code AwsCredentials}), {@code
   * expiration_time} in epoch milliseconds and {@code storage_mode}.
   */
  private static ObjectNode credentials(ManagedStorage.Credentials issued) {
    ObjectNode response = JSON.createObjectNode();
    ObjectNode credentials = response.putObject("credentials");
    ObjectNode aws = credentials.putObject("aws_temp_credentials");
    aws.put("access_key_id", issued.accessKeyId());
    aws.put("secret_access_key", issued.secretAccessKey());
    aws.put("session_token", issued.sessionToken());
    credentials.put("expiration_time", issued.expirationTime());
    credentials.put("storage_mode", "CUSTOMER_HOSTED");
    return response;
  }

  /** MLflow's validation of a required field: 400 {@code INVALID_PARAMETER_VALUE}. */
  private static String required(JsonNode request, String field) {
    String value = text(request, field);
    if (value == null || value.isBlank()) {
      throw ApiError.invalid("Missing value for required parameter '" + field + "'.");
    }
    return value;
  }

  private static int pageLength(Map<String, String> query) {
    return query.containsKey("max_results")
        ? Pages.length(query, "max_results")
        : Pages.DEFAULT_PAGE;
  }

  private static long versionNumber(String text) {
    try {
      long number = Long.parseLong(text);
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.invalid("Invalid model version number '" + text + "'");
  }

  /** A {@code RegisteredModelInfo}. */
  private ObjectNode model(ModelsState.Model m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", m.name());
    node.put("catalog_name", m.catalogName());
    node.put("schema_name", m.schemaName());
    node.put("full_name", m.fullName());
    if (m.comment() != null) {
      node.put("comment", m.comment());
    }
    node.put("owner", m.owner());
    node.put("storage_location", m.storageLocation());
    node.put("metastore_id", metastoreId);
    node.put("browse_only", false);
    node.put("created_at", m.createdAt());
    node.put("created_by", m.createdBy());
    node.put("updated_at", m.updatedAt());
    node.put("updated_by", m.updatedBy());
    return node;
  }

  /** A {@code ModelVersionInfo}. */
  private ObjectNode version(ModelsState.Version v) {
    ObjectNode node = JSON.createObjectNode();
    node.put("model_name", v.model().name());
    node.put("catalog_name", v.model().catalogName());
    node.put("schema_name", v.model().schemaName());
    node.put("version", v.version());
    node.put("id", v.id());
    node.put("source", v.source());
    if (v.runId() != null) {
      node.put("run_id", v.runId());
    }
    if (v.comment() != null) {
      node.put("comment", v.comment());
    }
    node.put("status", v.status().name());
    node.put("storage_location", v.storageLocation());
    node.put("metastore_id", metastoreId);
    node.put("created_at", v.createdAt());
    node.put("created_by", v.createdBy());
    node.put("updated_at", v.updatedAt());
    node.put("updated_by", v.updatedBy());
    return node;
  }

  /** MLflow's {@code {"model_version": ModelVersion}}, with the version number as text. */
  private static ObjectNode mlflowVersion(ModelsState.Version v) {
    ObjectNode response = JSON.createObjectNode();
    ObjectNode node = response.putObject("model_version");
    node.put("name", v.model().fullName());
    node.put("version", Long.toString(v.version()));
    node.put("creation_timestamp", v.createdAt());
    node.put("last_updated_timestamp", v.updatedAt());
    node.put("user_id", v.createdBy());
    if (v.comment() != null) {
      node.put("description", v.comment());
    }
    node.put("source", v.source());
    if (v.runId() != null) {
      node.put("run_id", v.runId());
    }
    node.put("status", v.status().name());
    node.put("storage_location", v.storageLocation());
    return response;
  }
}
