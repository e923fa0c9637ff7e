package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;
import static dev.failover.simulator.databricks.UcJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Workspace API of a simulated workspace (notebooks and folders), with the paths, methods and
 * fields of the SDK's {@code WorkspaceImpl}, {@code ListWorkspaceRequest}/{@code ListResponse},
 * {@code ObjectInfo}, {@code ExportRequest}/{@code ExportResponse}, {@code Import}, {@code Mkdirs}
 * and {@code Delete}. Errors are those the API documents: {@code RESOURCE_DOES_NOT_EXIST} (404) for
 * a missing path or parent, {@code RESOURCE_ALREADY_EXISTS} (400) for an existing object, and
 * {@code DIRECTORY_NOT_EMPTY} (400).
 *
 * <p>Simplified: only notebooks and folders are imported and exported, in the {@code SOURCE} format
 * ({@code AUTO} exports a notebook as {@code SOURCE}); the other formats ({@code HTML}, {@code
 * JUPYTER}, {@code DBC}, {@code R_MARKDOWN}, {@code RAW}), exporting a folder (a zip or DBC
 * archive) and {@code direct_download} are answered 400 as not supported by the simulator.
 */
final class WorkspaceObjectsApi {
  static final String PREFIX = "/api/2.0/workspace/";

  private final WorkspaceTree tree;

  WorkspaceObjectsApi(WorkspaceTree tree) {
    this.tree = tree;
  }

  /** Answers one request under {@link #PREFIX}; null for a path or method it does not have. */
  JsonNode route(String method, String path, Map<String, String> query, RequestBody body)
      throws IOException {
    return switch (method + " " + path.substring(PREFIX.length())) {
      case "GET list" -> list(query.get("path"));
      case "GET get-status" -> object(tree.status(query.get("path")));
      case "GET export" -> export(query);
      case "POST import" -> importNotebook(body.read());
      case "POST mkdirs" -> {
        tree.mkdirs(text(body.read(), "path"));
        yield JSON.createObjectNode();
      }
      case "POST delete" -> {
        JsonNode request = body.read();
        tree.delete(text(request, "path"), request.path("recursive").asBoolean(false));
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }

  /**
   * {@code ListResponse}: every child at once (the SDK's {@code WorkspaceAPI.list} reads one page),
   * and no {@code objects} field for an empty folder. {@code notebooks_modified_after} is ignored.
   */
  private JsonNode list(String path) {
    List<WorkspaceTree.Node> children = tree.list(path);
    ObjectNode response = JSON.createObjectNode();
    if (!children.isEmpty()) {
      ArrayNode objects = response.putArray("objects");
      children.forEach(child -> objects.add(object(child)));
    }
    return response;
  }

  /** {@code ObjectInfo}; the language only for a notebook. */
  static ObjectNode object(WorkspaceTree.Node node) {
    ObjectNode info = JSON.createObjectNode();
    info.put("object_type", node.type().name());
    info.put("path", node.path());
    if (node.language() != null) {
      info.put("language", node.language());
    }
    info.put("object_id", node.objectId());
    info.put("resource_id", Long.toString(node.objectId()));
    return info;
  }

  /** {@code ExportResponse}: the base64 source and its {@code file_type}. */
  private JsonNode export(Map<String, String> query) {
    String format = query.getOrDefault("format", "SOURCE");
    if (!format.equals("SOURCE") && !format.equals("AUTO")) {
      throw unsupported("Exporting in the " + format + " format");
    }
    if (Boolean.parseBoolean(query.getOrDefault("direct_download", "false"))) {
      throw unsupported("direct_download");
    }
    WorkspaceTree.Node node = tree.status(query.get("path"));
    if (node.type() != WorkspaceTree.ObjectType.NOTEBOOK) {
      throw unsupported("Exporting a " + node.type().name().toLowerCase(Locale.ROOT));
    }
    ObjectNode response = JSON.createObjectNode();
    response.put(
        "content",
        Base64.getEncoder().encodeToString(node.source().getBytes(StandardCharsets.UTF_8)));
    response.put("file_type", WorkspaceTree.fileType(node.language()));
    return response;
  }

  /** {@code Import} of one notebook in the {@code SOURCE} format (the default). */
  private JsonNode importNotebook(JsonNode request) {
    String format = request.path("format").asText("SOURCE");
    if (!format.equals("SOURCE")) {
      throw unsupported("Importing in the " + format + " format");
    }
    String content = text(request, "content");
    if (content == null) {
      throw unsupported("Importing without content (a posted file)");
    }
    String source;
    try {
      source = new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("content is not valid base64: " + e.getMessage());
    }
    tree.importNotebook(
        text(request, "path"),
        text(request, "language"),
        source,
        request.path("overwrite").asBoolean(false));
    return JSON.createObjectNode();
  }

  /** Answered 400, not 501: the SDK would retry a 501 as a server error. */
  private static ApiError unsupported(String what) {
    return ApiError.invalid(what + " is not supported by the simulator");
  }
}
