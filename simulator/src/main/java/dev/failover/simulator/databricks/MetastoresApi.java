package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;
import static dev.failover.simulator.databricks.UcJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * The metastore endpoints of a simulated workspace, with the paths, methods and fields of the SDK's
 * {@code MetastoresImpl}: {@code current-metastore-assignment} ({@code MetastoreAssignment}),
 * {@code metastore_summary} ({@code GetMetastoreSummaryResponse}), {@code
 * workspaces/{workspace_id}/ metastore} (PUT {@code CreateMetastoreAssignment}, PATCH {@code
 * UpdateMetastoreAssignment}, DELETE {@code UnassignRequest} with {@code metastore_id} in the
 * query) and {@code metastores} (GET {@code ListMetastoresRequest} with {@code max_results}/{@code
 * page_token}, POST {@code CreateMetastore}, GET and DELETE one by id, answering {@code
 * MetastoreInfo}). PATCH of a metastore ({@code UpdateMetastore}) is not modelled.
 */
final class MetastoresApi {
  static final String UC = "/api/2.1/unity-catalog/";

  private final MetastoresState metastores;

  MetastoresApi(MetastoresState metastores) {
    this.metastores = metastores;
  }

  /** Whether the path is one of this API's. */
  static boolean handles(String path) {
    return path.equals(UC + "current-metastore-assignment")
        || path.equals(UC + "metastore_summary")
        || path.equals(UC + "metastores")
        || path.startsWith(UC + "metastores/")
        || path.startsWith(UC + "workspaces/");
  }

  /** Answers one request; null for a path or method this API does not have. */
  JsonNode route(String method, String path, Map<String, String> query, RequestBody body)
      throws IOException {
    String rest = path.substring(UC.length());
    switch (method + " " + rest) {
      case "GET current-metastore-assignment" -> {
        MetastoresState.Assignment a = metastores.assignment();
        ObjectNode node = JSON.createObjectNode();
        node.put("metastore_id", a.metastoreId());
        node.put("workspace_id", metastores.workspaceId());
        node.put("default_catalog_name", a.defaultCatalogName());
        return node;
      }
      case "GET metastore_summary" -> {
        return metastore(metastores.assigned());
      }
      case "GET metastores" -> {
        return UcJson.page(
            Pages.page(
                metastores.metastores(),
                MetastoresState.Metastore::id,
                query.get("page_token"),
                Pages.length(query, "max_results")),
            "metastores",
            MetastoresApi::metastore);
      }
      case "POST metastores" -> {
        JsonNode request = body.read();
        return metastore(
            metastores.create(
                text(request, "name"), text(request, "region"), text(request, "storage_root")));
      }
      default -> {}
    }
    String[] parts = rest.split("/", -1);
    if (parts.length == 2 && parts[0].equals("metastores") && !parts[1].isEmpty()) {
      return switch (method) {
        case "GET" -> metastore(metastores.metastore(parts[1]));
        case "DELETE" -> {
          metastores.delete(parts[1], Boolean.parseBoolean(query.getOrDefault("force", "false")));
          yield JSON.createObjectNode();
        }
        case "PATCH" ->
            throw ApiError.invalid("Updating a metastore is not supported by the simulator");
        default -> null;
      };
    }
    if (parts.length == 3 && parts[0].equals("workspaces") && parts[2].equals("metastore")) {
      long workspaceId = workspaceId(parts[1]);
      return switch (method) {
        case "PUT" -> {
          JsonNode request = body.read();
          metastores.assign(
              workspaceId, text(request, "metastore_id"), text(request, "default_catalog_name"));
          yield JSON.createObjectNode();
        }
        case "PATCH" -> {
          JsonNode request = body.read();
          metastores.updateAssignment(
              workspaceId, text(request, "metastore_id"), text(request, "default_catalog_name"));
          yield JSON.createObjectNode();
        }
        case "DELETE" -> {
          metastores.unassign(workspaceId, query.get("metastore_id"));
          yield JSON.createObjectNode();
        }
        default -> null;
      };
    }
    return null;
  }

  private static long workspaceId(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("workspace_id must be a number, got '" + text + "'");
    }
  }

  /**
   * A {@code MetastoreInfo} (the summary has the same fields), with the service's defaults for what
   * the simulator does not model: AWS, Delta Sharing internal only, privilege model 1.0.
   */
  static ObjectNode metastore(MetastoresState.Metastore m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("metastore_id", m.id());
    node.put("name", m.name());
    node.put("region", m.region());
    node.put("cloud", "aws");
    node.put("global_metastore_id", "aws:" + m.region() + ":" + m.id());
    if (m.storageRoot() != null) {
      node.put("storage_root", m.storageRoot());
    }
    node.put("owner", m.owner());
    node.put("delta_sharing_scope", "INTERNAL");
    node.put("privilege_model_version", "1.0");
    node.put("created_at", m.createdAt());
    node.put("created_by", m.createdBy());
    node.put("updated_at", m.createdAt());
    node.put("updated_by", m.createdBy());
    return node;
  }
}
