package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The Pipelines API 2.0 of a simulated workspace, with the paths of the SDK's {@code
 * PipelinesImpl}: {@code /api/2.0/pipelines} (list, create), {@code /api/2.0/pipelines/{id}} (get,
 * edit, delete), {@code .../updates} (start an update) and {@code .../stop}.
 */
final class PipelinesApi {
  static final String PREFIX = "/api/2.0/pipelines";

  /** {@code ListPipelinesRequest.max_results}: default 25, at most 100. */
  private static final int DEFAULT_PAGE = 25;

  private static final int MAX_PAGE = 100;

  private final PipelinesState pipelines;

  PipelinesApi(PipelinesState pipelines) {
    this.pipelines = pipelines;
  }

  static boolean handles(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  /** Answers one request; null for a path or method this API does not have. */
  JsonNode route(String method, String path, Map<String, String> query, RequestBody body)
      throws IOException {
    String[] parts = path.substring(PREFIX.length()).split("/");
    String id = parts.length > 1 ? parts[1] : null;
    String action = parts.length > 2 ? parts[2] : "";
    if (parts.length > 3) {
      return null;
    }
    return switch (method + " " + (id == null ? "" : "/") + action) {
      case "GET " -> list(query);
      case "POST " -> {
        ObjectNode response = JSON.createObjectNode();
        response.put("pipeline_id", pipelines.create(object(body.read())));
        yield response;
      }
      case "GET /" -> pipelines.get(id);
      case "PUT /" -> {
        pipelines.edit(id, object(body.read()));
        yield JSON.createObjectNode();
      }
      case "DELETE /" -> {
        pipelines.delete(id);
        yield JSON.createObjectNode();
      }
      case "POST /updates" -> {
        body.read();
        ObjectNode response = JSON.createObjectNode();
        response.put("update_id", pipelines.startUpdate(id));
        yield response;
      }
      case "POST /stop" -> {
        pipelines.stop(id);
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }

  /** {@code GET pipelines}: {@code statuses} page by page, in creation order. */
  private JsonNode list(Map<String, String> query) {
    String asked = query.get("max_results");
    int size = asked == null || asked.isEmpty() ? DEFAULT_PAGE : offset(asked);
    if (size < 1 || size > MAX_PAGE) {
      throw ApiError.invalid("max_results must be between 1 and " + MAX_PAGE + ", got " + asked);
    }
    int from = offset(query.get("page_token"));
    List<ObjectNode> all = pipelines.list();
    ObjectNode response = JSON.createObjectNode();
    ArrayNode statuses = response.putArray("statuses");
    all.subList(Math.min(from, all.size()), Math.min(all.size(), from + size))
        .forEach(statuses::add);
    if (from + size < all.size()) {
      response.put("next_page_token", Integer.toString(from + size));
    }
    return response;
  }

  private static int offset(String pageToken) {
    if (pageToken == null || pageToken.isEmpty()) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(pageToken));
    } catch (NumberFormatException e) {
      throw ApiError.invalid("Invalid value: " + pageToken);
    }
  }

  private static ObjectNode object(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw ApiError.invalid("The request body must be a JSON object");
    }
    return (ObjectNode) node;
  }
}
