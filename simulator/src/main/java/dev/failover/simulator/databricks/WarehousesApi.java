package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * The SQL Warehouses API of a simulated workspace, with the paths and fields of the SDK's {@code
 * WarehousesImpl}, {@code CreateWarehouseRequest}, {@code EditWarehouseRequest} and {@code
 * GetWarehouseResponse}/{@code EndpointInfo}.
 */
final class WarehousesApi {
  static final String PREFIX = "/api/2.0/sql/warehouses";

  private final WarehousesState warehouses;

  WarehousesApi(WarehousesState warehouses) {
    this.warehouses = warehouses;
  }

  /**
   * Answers one request under {@link #PREFIX}; returns null for a path or method this API does not
   * have.
   *
   * @param host the host the client addressed, for the warehouse's JDBC URL and ODBC parameters
   */
  JsonNode route(
      String method, String path, Map<String, String> query, RequestBody body, String host)
      throws IOException {
    String rest = path.substring(PREFIX.length());
    if (rest.isEmpty() || rest.equals("/")) {
      return switch (method) {
        case "GET" ->
            UcJson.page(
                Pages.page(
                    warehouses.warehouses(),
                    WarehousesState.Warehouse::id,
                    query.get("page_token"),
                    Pages.length(query, "page_size")),
                "warehouses",
                w -> warehouse(w, host));
        case "POST" -> {
          ObjectNode response = JSON.createObjectNode();
          response.put("id", warehouses.create((ObjectNode) body.read()));
          yield response;
        }
        default -> null;
      };
    }
    String[] parts = rest.substring(1).split("/", -1);
    String id = parts[0];
    if (id.isEmpty() || parts.length > 2) {
      return null;
    }
    String action = parts.length == 2 ? parts[1] : "";
    return switch (method + " " + action) {
      case "GET " -> warehouse(warehouses.warehouse(id), host);
      case "DELETE " -> {
        warehouses.delete(id);
        yield JSON.createObjectNode();
      }
      case "POST edit" -> {
        warehouses.edit(id, (ObjectNode) body.read());
        yield JSON.createObjectNode();
      }
      case "POST start" -> {
        warehouses.start(id);
        yield JSON.createObjectNode();
      }
      case "POST stop" -> {
        warehouses.stop(id);
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }

  /**
   * A {@code GetWarehouseResponse} (the list's {@code EndpointInfo} has the same fields): the
   * configuration, the state, {@code num_clusters} (the minimum while running, else 0), no active
   * sessions since no query runs, and the connection details in the form the service gives them.
   */
  private static ObjectNode warehouse(WarehousesState.Warehouse w, String host) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", w.id());
    node.setAll(w.config());
    node.put("creator_name", w.creatorName());
    node.put("state", w.state().name());
    node.put(
        "num_clusters",
        w.state() == WarehousesState.State.RUNNING
            ? w.config().path("min_num_clusters").asInt()
            : 0);
    node.put("num_active_sessions", 0);
    String httpPath = "/sql/1.0/warehouses/" + w.id();
    node.put(
        "jdbc_url",
        "jdbc:spark://"
            + host
            + ":443/default;transportMode=http;ssl=1;AuthMech=3;httpPath="
            + httpPath
            + ";");
    ObjectNode odbc = node.putObject("odbc_params");
    odbc.put("hostname", host);
    odbc.put("path", httpPath);
    odbc.put("protocol", "https");
    odbc.put("port", 443);
    return node;
  }
}
