package dev.failover.simulator.databricks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The REST surface of one simulated workspace, as the Databricks SDK for Java calls it: paths,
 * snake_case JSON fields, {@code max_results}/{@code page_token} pagination with {@code
 * next_page_token}, and errors as {@code {"error_code", "message"}} with the HTTP status the SDK
 * maps to its exception classes.
 */
public final class WorkspaceApi {
  static final String UC = "/api/2.1/unity-catalog/";

  /** Page size when a client asks for the server's choice ({@code max_results=0}). */
  static final int DEFAULT_PAGE = 50;

  static final int MAX_PAGE = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkspaceState state;
  private final String token;

  public WorkspaceApi(WorkspaceState state, String token) {
    this.state = state;
    this.token = token;
  }

  /** Answers one request; returns the HTTP status sent. */
  public int handle(HttpExchange exchange) throws IOException {
    int status;
    byte[] body;
    try {
      JsonNode response = unauthenticated(exchange);
      if (response == null) {
        authenticate(exchange);
        response = route(exchange);
      }
      status = 200;
      body = JSON.writeValueAsBytes(response);
    } catch (ApiError e) {
      status = e.status();
      ObjectNode error = JSON.createObjectNode();
      error.put("error_code", e.errorCode());
      error.put("message", e.getMessage());
      body = JSON.writeValueAsBytes(error);
    }
    HttpExchanges.send(exchange, status, "application/json", body);
    return status;
  }

  /**
   * The discovery documents a workspace serves without a token, which the SDK reads while it
   * resolves its configuration: host metadata and the OAuth authorization server metadata.
   */
  private JsonNode unauthenticated(HttpExchange exchange) {
    if (!exchange.getRequestMethod().equals("GET")) {
      return null;
    }
    String base = "http://" + exchange.getRequestHeaders().getFirst("Host");
    ObjectNode node = JSON.createObjectNode();
    switch (exchange.getRequestURI().getPath()) {
      case "/.well-known/databricks-config" -> {
        node.put("oidc_endpoint", base + "/oidc");
        node.put("workspace_id", state.workspaceId());
        node.put("cloud", "aws");
        return node;
      }
      case "/oidc/.well-known/oauth-authorization-server" -> {
        node.put("issuer", base + "/oidc");
        node.put("authorization_endpoint", base + "/oidc/v1/authorize");
        node.put("token_endpoint", base + "/oidc/v1/token");
        return node;
      }
      default -> {
        return null;
      }
    }
  }

  private void authenticate(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.equals("Bearer " + token)) {
      throw new ApiError(
          401,
          "UNAUTHENTICATED",
          authorization == null ? "No API token found in the request" : "Invalid access token.");
    }
  }

  private JsonNode route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = HttpExchanges.query(exchange);
    if (path.equals("/api/2.0/preview/scim/v2/Me") && method.equals("GET")) {
      return me();
    }
    if (path.equals(UC + "catalogs")) {
      return switch (method) {
        case "GET" ->
            page(
                state.catalogs(),
                query,
                "max_results",
                "catalogs",
                WorkspaceState.Catalog::name,
                this::catalogJson);
        case "POST" -> createCatalog(body(exchange));
        default -> throw methodNotAllowed(method, path);
      };
    }
    if (path.startsWith(UC + "catalogs/")) {
      String name = HttpExchanges.decode(path.substring((UC + "catalogs/").length()));
      return switch (method) {
        case "GET" -> catalogJson(state.catalog(name));
        case "PATCH" -> updateCatalog(name, body(exchange));
        case "DELETE" -> {
          state.deleteCatalog(name, Boolean.parseBoolean(query.getOrDefault("force", "false")));
          yield JSON.createObjectNode();
        }
        default -> throw methodNotAllowed(method, path);
      };
    }
    if (path.equals(UC + "schemas")) {
      return switch (method) {
        case "GET" -> {
          String catalog = query.get("catalog_name");
          if (catalog == null || catalog.isEmpty()) {
            throw ApiError.invalid("Missing required field: catalog_name");
          }
          yield page(
              state.schemas(catalog),
              query,
              "max_results",
              "schemas",
              WorkspaceState.Schema::name,
              this::schemaJson);
        }
        case "POST" -> createSchema(body(exchange));
        default -> throw methodNotAllowed(method, path);
      };
    }
    if (path.startsWith(UC + "schemas/")) {
      String fullName = HttpExchanges.decode(path.substring((UC + "schemas/").length()));
      return switch (method) {
        case "GET" -> schemaJson(state.schema(fullName));
        case "PATCH" -> updateSchema(fullName, body(exchange));
        case "DELETE" -> {
          state.deleteSchema(fullName);
          yield JSON.createObjectNode();
        }
        default -> throw methodNotAllowed(method, path);
      };
    }
    if (path.startsWith(UC + "permissions/")) {
      String rest = path.substring((UC + "permissions/").length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        throw endpointNotFound(path);
      }
      String type = HttpExchanges.decode(rest.substring(0, slash)).toLowerCase(Locale.ROOT);
      String fullName = HttpExchanges.decode(rest.substring(slash + 1));
      return switch (method) {
        case "GET" -> grants(type, fullName, query, "max_results");
        case "PATCH" -> updateGrants(type, fullName, body(exchange));
        default -> throw methodNotAllowed(method, path);
      };
    }
    if (path.startsWith(UC + "privilege-assignments/") && method.equals("GET")) {
      // The newer, always-paginated listing of the same grants; it pages by page_size.
      String rest = path.substring((UC + "privilege-assignments/").length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        throw endpointNotFound(path);
      }
      String type = HttpExchanges.decode(rest.substring(0, slash)).toLowerCase(Locale.ROOT);
      return grants(type, HttpExchanges.decode(rest.substring(slash + 1)), query, "page_size");
    }
    throw endpointNotFound(path);
  }

  private JsonNode me() {
    ObjectNode me = JSON.createObjectNode();
    me.put("id", Integer.toUnsignedString(state.userName().hashCode()));
    me.put("userName", state.userName());
    me.put("displayName", state.userName());
    me.put("active", true);
    return me;
  }

  private JsonNode createCatalog(JsonNode body) {
    return catalogJson(
        state.createCatalog(
            text(body, "name"),
            text(body, "comment"),
            properties(body),
            text(body, "storage_root")));
  }

  private JsonNode updateCatalog(String name, JsonNode body) {
    if (body.hasNonNull("new_name") && !body.get("new_name").asText().equals(name)) {
      throw ApiError.invalid("Renaming catalogs is not supported by this simulator");
    }
    return catalogJson(
        state.updateCatalog(name, text(body, "comment"), text(body, "owner"), properties(body)));
  }

  private JsonNode createSchema(JsonNode body) {
    return schemaJson(
        state.createSchema(
            text(body, "catalog_name"),
            text(body, "name"),
            text(body, "comment"),
            properties(body),
            text(body, "storage_root")));
  }

  private JsonNode updateSchema(String fullName, JsonNode body) {
    if (body.hasNonNull("new_name")) {
      throw ApiError.invalid("Renaming schemas is not supported by this simulator");
    }
    return schemaJson(
        state.updateSchema(fullName, text(body, "comment"), text(body, "owner"), properties(body)));
  }

  private JsonNode grants(
      String type, String fullName, Map<String, String> query, String pageSizeParameter) {
    Map<String, Set<String>> all = state.grants(type, fullName);
    String principal = query.get("principal");
    List<Map.Entry<String, Set<String>>> entries =
        all.entrySet().stream()
            .filter(e -> principal == null || e.getKey().equals(principal))
            .toList();
    return page(
        entries,
        query,
        pageSizeParameter,
        "privilege_assignments",
        Map.Entry::getKey,
        this::assignmentJson);
  }

  private JsonNode updateGrants(String type, String fullName, JsonNode body) {
    JsonNode changes = body.get("changes");
    if (changes == null || !changes.isArray()) {
      throw ApiError.invalid("Missing required field: changes");
    }
    for (JsonNode change : changes) {
      state.changeGrants(
          type,
          fullName,
          text(change, "principal"),
          strings(change.get("add")),
          strings(change.get("remove")));
    }
    ObjectNode response = JSON.createObjectNode();
    ArrayNode assignments = response.putArray("privilege_assignments");
    state.grants(type, fullName).entrySet().forEach(e -> assignments.add(assignmentJson(e)));
    return response;
  }

  /**
   * One page of a list, as Unity Catalog pages: without {@code max_results} every item is returned;
   * {@code 0} means the server's page size; otherwise at most that many (capped). The page token is
   * opaque: the encoded key of the last item returned.
   */
  private <T> JsonNode page(
      List<T> items,
      Map<String, String> query,
      String pageSizeParameter,
      String field,
      Function<T, String> key,
      Function<T, JsonNode> json) {
    int size = items.size();
    if (query.containsKey(pageSizeParameter)) {
      int max;
      try {
        max = Integer.parseInt(query.get(pageSizeParameter));
      } catch (NumberFormatException e) {
        throw ApiError.invalid(pageSizeParameter + " must be an integer");
      }
      if (max < 0) {
        throw ApiError.invalid(pageSizeParameter + " must be greater than or equal to 0");
      }
      size = max == 0 ? DEFAULT_PAGE : Math.min(max, MAX_PAGE);
    }
    String after = null;
    String token = query.get("page_token");
    if (token != null && !token.isEmpty()) {
      try {
        after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw ApiError.invalid("Invalid page_token");
      }
    }
    List<T> page = new ArrayList<>();
    boolean more = false;
    for (T item : items) {
      if (after != null && key.apply(item).compareTo(after) <= 0) {
        continue;
      }
      if (page.size() == size) {
        more = true;
        break;
      }
      page.add(item);
    }
    ObjectNode response = JSON.createObjectNode();
    ArrayNode array = response.putArray(field);
    page.forEach(item -> array.add(json.apply(item)));
    if (more) {
      response.put(
          "next_page_token",
          Base64.getUrlEncoder()
              .encodeToString(
                  key.apply(page.get(page.size() - 1)).getBytes(StandardCharsets.UTF_8)));
    }
    return response;
  }

  private JsonNode catalogJson(WorkspaceState.Catalog c) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", c.name());
    node.put("full_name", c.name());
    if (c.comment() != null) {
      node.put("comment", c.comment());
    }
    node.put("owner", c.owner());
    putProperties(node, c.properties());
    if (c.storageRoot() != null) {
      node.put("storage_root", c.storageRoot());
      node.put("storage_location", c.storageRoot() + "/__unitystorage/catalogs/" + uuid(c.name()));
    }
    node.put("catalog_type", "MANAGED_CATALOG");
    node.put("isolation_mode", "OPEN");
    node.put("metastore_id", state.metastoreId());
    node.put("created_at", c.createdAt());
    node.put("created_by", c.createdBy());
    node.put("updated_at", c.updatedAt());
    node.put("updated_by", c.updatedBy());
    return node;
  }

  private JsonNode schemaJson(WorkspaceState.Schema s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", s.name());
    node.put("catalog_name", s.catalogName());
    node.put("full_name", s.fullName());
    if (s.comment() != null) {
      node.put("comment", s.comment());
    }
    node.put("owner", s.owner());
    putProperties(node, s.properties());
    if (s.storageRoot() != null) {
      node.put("storage_root", s.storageRoot());
      node.put(
          "storage_location", s.storageRoot() + "/__unitystorage/schemas/" + uuid(s.fullName()));
    }
    node.put("catalog_type", "MANAGED_CATALOG");
    node.put("metastore_id", state.metastoreId());
    node.put("schema_id", uuid(s.fullName()));
    node.put("created_at", s.createdAt());
    node.put("created_by", s.createdBy());
    node.put("updated_at", s.updatedAt());
    node.put("updated_by", s.updatedBy());
    return node;
  }

  private JsonNode assignmentJson(Map.Entry<String, Set<String>> entry) {
    ObjectNode node = JSON.createObjectNode();
    node.put("principal", entry.getKey());
    ArrayNode privileges = node.putArray("privileges");
    entry.getValue().stream().sorted().forEach(privileges::add);
    return node;
  }

  private static void putProperties(ObjectNode node, Map<String, String> properties) {
    if (!properties.isEmpty()) {
      ObjectNode props = node.putObject("properties");
      properties.forEach(props::put);
    }
  }

  private static String uuid(String name) {
    return java.util.UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new ApiError(400, "MALFORMED_REQUEST", "Request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ApiError(
          400, "MALFORMED_REQUEST", "Could not parse request object: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Map<String, String> properties(JsonNode node) {
    JsonNode value = node.get("properties");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw ApiError.invalid("properties must be a map of strings");
    }
    Map<String, String> properties = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      properties.put(entry.getKey(), entry.getValue().asText());
    }
    return properties;
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(item -> values.add(item.asText()));
    }
    return values;
  }

  private static ApiError endpointNotFound(String path) {
    return new ApiError(404, "ENDPOINT_NOT_FOUND", "No API found for '" + path + "'");
  }

  private static ApiError methodNotAllowed(String method, String path) {
    return new ApiError(
        405, "ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + path + "'");
  }
}
