package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;
import static dev.failover.simulator.databricks.UcJson.properties;
import static dev.failover.simulator.databricks.UcJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The REST surface of one simulated workspace, as the Databricks SDK for Java calls it: paths,
 * snake_case JSON fields, {@code max_results}/{@code page_token} pagination with {@code
 * next_page_token}, and errors as {@code {"error_code", "message", "details"}} with the HTTP status
 * the SDK maps to its exception classes.
 */
public final class WorkspaceApi {
  private static final String UC = "/api/2.1/unity-catalog/";

  private final WorkspaceState state;
  private final JobsApi jobs;
  private final WarehousesApi warehouses;
  private final WorkspaceObjectsApi workspaceObjects;
  private final ReposApi repos;
  private final MetastoresApi metastores;
  private final StorageAccessApi storageAccess;
  private final ModelsApi models;
  private final StatementsApi statements;
  private final ClusterPoliciesApi clusterPolicies;
  private final PolicyFamiliesApi policyFamilies = new PolicyFamiliesApi();
  private final ClustersApi clusters;
  private final ScimGroupsApi groups;
  private final ScimPrincipalsApi principals;
  private final InstanceProfilesApi instanceProfiles;
  private final PipelinesApi pipelines;
  private final PermissionsApi permissions;
  private final UcAuthorization authorization;

  public WorkspaceApi(WorkspaceState state, String token) {
    this.state = state;
    this.jobs = new JobsApi(state.jobs());
    this.warehouses = new WarehousesApi(state.warehouses());
    this.workspaceObjects = new WorkspaceObjectsApi(state.workspaceTree());
    this.repos = new ReposApi(state.workspaceTree());
    this.metastores = new MetastoresApi(state.metastores());
    this.storageAccess = new StorageAccessApi(state.storageAccess(), state.metastoreId());
    this.models = new ModelsApi(state.models(), state.metastoreId());
    this.statements = new StatementsApi(state.statements());
    this.clusterPolicies = new ClusterPoliciesApi(state.clusterPolicies());
    this.clusters = new ClustersApi(state.clusters());
    this.groups = new ScimGroupsApi(state.groups());
    this.principals = new ScimPrincipalsApi(state.principals());
    state.principals().addToken(token, state.userName());
    this.instanceProfiles = new InstanceProfilesApi(state.computePlacement());
    this.pipelines = new PipelinesApi(state.pipelines());
    this.permissions = new PermissionsApi(state.permissions());
    this.authorization = new UcAuthorization(state);
  }

  /** Answers one request; returns the HTTP status sent. */
  public int handle(HttpExchange exchange) throws IOException {
    int status;
    JsonNode body;
    try {
      JsonNode response = Discovery.answer(exchange, state);
      if (response == null) {
        response = route(exchange, authenticate(exchange));
      }
      status = 200;
      body = response;
    } catch (ApiError e) {
      status = e.status();
      body = errorBody(e);
    } catch (ScimError e) {
      status = e.status();
      body = scimErrorBody(e);
    }
    HttpExchanges.send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    return status;
  }

  /**
   * The real service answers a request without a bearer token with 401 and a numeric {@code
   * error_code}; the SDK maps status 401 to {@code Unauthenticated}. It answers a token it does not
   * know with {@code 403 "Invalid access token."}, but the simulator answers 401 there too, so that
   * callers can tell a rejected credential from a missing permission (see package-info). Each token
   * belongs to one user or service principal ({@link PrincipalsState}), the caller of the request.
   */
  private PrincipalsState.Principal authenticate(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      throw unauthenticated(
          exchange, "Credential was not sent or was of an unsupported type for this API.");
    }
    return state
        .principals()
        .byToken(authorization.substring("Bearer ".length()))
        .orElseThrow(() -> unauthenticated(exchange, "Invalid access token."));
  }

  private static ApiError unauthenticated(HttpExchange exchange, String message) {
    exchange.getResponseHeaders().set("X-Databricks-Reason-Phrase", message);
    return new ApiError(401, "401", message);
  }

  private JsonNode route(HttpExchange exchange, PrincipalsState.Principal caller)
      throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = HttpExchanges.query(exchange);
    if (ScimPrincipalsApi.handles(path)) {
      return found(
          principals.route(method, path, query, () -> body(exchange), caller), method, path);
    }
    if (ScimGroupsApi.handles(path)) {
      return found(groups.route(method, path, query, () -> body(exchange)), method, path);
    }
    if (PermissionsApi.handles(path)) {
      return found(permissions.route(method, path, () -> body(exchange)), method, path);
    }
    if (path.startsWith(JobsApi.PREFIX)) {
      return found(jobs.route(method, path, query, () -> body(exchange), caller), method, path);
    }
    if (path.equals(WarehousesApi.PREFIX) || path.startsWith(WarehousesApi.PREFIX + "/")) {
      return found(
          warehouses.route(method, path, query, () -> body(exchange), host(exchange)),
          method,
          path);
    }
    if (path.startsWith(WorkspaceObjectsApi.PREFIX)) {
      return found(workspaceObjects.route(method, path, query, () -> body(exchange)), method, path);
    }
    if (path.equals(ReposApi.PREFIX) || path.startsWith(ReposApi.PREFIX + "/")) {
      return found(repos.route(method, path, query, () -> body(exchange)), method, path);
    }
    RequestBody body = once(exchange);
    if (path.startsWith(UC)) {
      authorization.authorize(method, path.substring(UC.length()), body, caller);
    } else if (path.startsWith(ModelsApi.MLFLOW)) {
      authorization.authorizeModelVersion(
          method, path.substring(ModelsApi.MLFLOW.length()), body, caller);
    }
    if (MetastoresApi.handles(path)) {
      return found(metastores.route(method, path, query, () -> body(exchange)), method, path);
    }
    if (StorageAccessApi.handles(path)) {
      return ownedByCaller(
          found(storageAccess.route(method, path, query, body), method, path),
          method,
          path,
          caller);
    }
    if (ModelsApi.handles(path)) {
      return found(models.route(method, path, query, body, caller), method, path);
    }
    if (path.equals(StatementsApi.PREFIX) || path.startsWith(StatementsApi.PREFIX + "/")) {
      return found(statements.route(method, path, body, caller), method, path);
    }
    if (path.startsWith(ClusterPoliciesApi.PREFIX)) {
      return found(clusterPolicies.route(method, path, query, () -> body(exchange)), method, path);
    }
    if (path.startsWith(PolicyFamiliesApi.PREFIX)) {
      return found(policyFamilies.route(method, path, query), method, path);
    }
    if (path.startsWith(InstanceProfilesApi.PREFIX)) {
      return found(instanceProfiles.route(method, path, () -> body(exchange)), method, path);
    }
    if (PipelinesApi.handles(path)) {
      return found(pipelines.route(method, path, query, () -> body(exchange)), method, path);
    }
    if (path.startsWith(ClustersApi.PREFIX)) {
      return found(clusters.route(method, path, query, () -> body(exchange)), method, path);
    }
    if (!path.startsWith(UC)) {
      throw endpointNotFound(method, path);
    }
    String[] parts = path.substring(UC.length()).split("/", 2);
    String resource = parts[0];
    String name = parts.length > 1 ? HttpExchanges.decode(parts[1]) : null;
    return switch (resource + " " + method + (name == null ? "" : " /")) {
      case "catalogs GET" ->
          UcJson.page(
              Pages.page(
                  state.catalogs(),
                  WorkspaceState.Catalog::name,
                  query.get("page_token"),
                  Pages.length(query, "max_results")),
              "catalogs",
              c -> UcJson.catalog(c, state.metastoreId()));
      case "catalogs POST" -> createCatalog(body.read(), caller);
      case "catalogs GET /" -> UcJson.catalog(state.catalog(name), state.metastoreId());
      case "catalogs PATCH /" -> updateCatalog(name, body.read());
      case "catalogs DELETE /" -> {
        state.deleteCatalog(name, Boolean.parseBoolean(query.getOrDefault("force", "false")));
        yield JSON.createObjectNode();
      }
      case "schemas GET" -> listSchemas(query);
      case "schemas POST" -> createSchema(body.read(), caller);
      case "schemas GET /" -> UcJson.schema(state.schema(name), state.metastoreId());
      case "schemas PATCH /" -> updateSchema(name, body.read());
      case "schemas DELETE /" -> {
        state.deleteSchema(name);
        yield JSON.createObjectNode();
      }
      case "tables GET" -> listTables(query);
      case "tables GET /" -> UcJson.table(state.table(name), state.metastoreId());
      case "tables PATCH /" -> updateTableOwner(name, body.read());
      case "effective-permissions GET /" ->
          authorization.effective(UcAuthorization.grantsPath(name), query.get("principal"));
      case "permissions GET /" -> grants(securable(name), query);
      case "permissions PATCH /" -> updateGrants(securable(name), body.read());
      case "privilege-assignments GET /" -> privilegeAssignments(securable(name), query);
      default -> throw endpointNotFound(method, path);
    };
  }

  /** A delegate's answer, or {@code ENDPOINT_NOT_FOUND} when it has no such route. */
  private static JsonNode found(JsonNode response, String method, String path) {
    if (response == null) {
      throw endpointNotFound(method, path);
    }
    return response;
  }

  /** The host name the client addressed, without the port. */
  private static String host(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null || host.isEmpty()) {
      return exchange.getLocalAddress().getHostString();
    }
    int colon = host.lastIndexOf(':');
    return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
  }

  /** The principal that creates an object becomes its first owner ("Manage object ownership"). */
  private JsonNode createCatalog(JsonNode body, PrincipalsState.Principal caller) {
    return UcJson.catalog(
        state.createCatalog(
            text(body, "name"),
            text(body, "comment"),
            properties(body),
            text(body, "storage_root"),
            caller.name()),
        state.metastoreId());
  }

  /**
   * {@code UpdateTableRequest}: the SDK's only updatable field is {@code owner}; the answer is
   * empty.
   */
  private JsonNode updateTableOwner(String fullName, JsonNode body) {
    String owner = text(body, "owner");
    if (owner == null || owner.isBlank()) {
      throw ApiError.invalid("Missing required field: owner");
    }
    state.updateTableOwner(fullName, owner);
    return JSON.createObjectNode();
  }

  /**
   * A storage credential or external location created by a caller other than the workspace's first
   * user is owned by that caller, as every object is by its creator.
   */
  private JsonNode ownedByCaller(
      JsonNode created, String method, String path, PrincipalsState.Principal caller) {
    boolean create =
        method.equals("POST")
            && (path.equals(StorageAccessApi.CREDENTIALS)
                || path.equals(StorageAccessApi.LOCATIONS));
    if (!create || caller.name().equals(state.userName())) {
      return created;
    }
    String name = created.path("name").asText();
    if (path.equals(StorageAccessApi.CREDENTIALS)) {
      state
          .storageAccess()
          .updateCredential(
              name, new StorageAccessState.CredentialFields(null, null, caller.name(), null));
    } else {
      state
          .storageAccess()
          .updateLocation(
              name, new StorageAccessState.LocationFields(null, null, null, caller.name(), null));
    }
    ((ObjectNode) created).put("owner", caller.name());
    return created;
  }

  private JsonNode updateCatalog(String name, JsonNode body) {
    if (body.hasNonNull("new_name") && !body.get("new_name").asText().equals(name)) {
      throw notImplemented("Renaming a catalog");
    }
    return UcJson.catalog(
        state.updateCatalog(name, text(body, "comment"), text(body, "owner"), properties(body)),
        state.metastoreId());
  }

  /** ListTables: both {@code catalog_name} and {@code schema_name} are required. */
  private JsonNode listTables(Map<String, String> query) {
    String catalog = query.get("catalog_name");
    String schema = query.get("schema_name");
    if (catalog == null || catalog.isEmpty()) {
      throw ApiError.invalid("Missing required field: catalog_name");
    }
    if (schema == null || schema.isEmpty()) {
      throw ApiError.invalid("Missing required field: schema_name");
    }
    return UcJson.page(
        Pages.page(
            state.tables(catalog, schema),
            WorkspaceState.Table::name,
            query.get("page_token"),
            Pages.length(query, "max_results")),
        "tables",
        t -> UcJson.table(t, state.metastoreId()));
  }

  private JsonNode listSchemas(Map<String, String> query) {
    String catalog = query.get("catalog_name");
    if (catalog == null || catalog.isEmpty()) {
      throw ApiError.invalid("Missing required field: catalog_name");
    }
    return UcJson.page(
        Pages.page(
            state.schemas(catalog),
            WorkspaceState.Schema::name,
            query.get("page_token"),
            Pages.length(query, "max_results")),
        "schemas",
        s -> UcJson.schema(s, state.metastoreId()));
  }

  private JsonNode createSchema(JsonNode body, PrincipalsState.Principal caller) {
    return UcJson.schema(
        state.createSchema(
            text(body, "catalog_name"),
            text(body, "name"),
            text(body, "comment"),
            properties(body),
            text(body, "storage_root"),
            caller.name()),
        state.metastoreId());
  }

  private JsonNode updateSchema(String fullName, JsonNode body) {
    if (body.hasNonNull("new_name")) {
      throw notImplemented("Renaming a schema");
    }
    return UcJson.schema(
        state.updateSchema(fullName, text(body, "comment"), text(body, "owner"), properties(body)),
        state.metastoreId());
  }

  /** A securable from {@code {securable_type}/{full_name}}, as the grants paths carry it. */
  private record Securable(String type, String fullName) {}

  private static Securable securable(String rest) {
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw ApiError.invalid("The path must name a securable type and a full name");
    }
    return new Securable(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /**
   * {@code GetGrantRequest}: every assignment, or the one of {@code principal}, paged by {@code
   * max_results} counted in privileges, a page never splitting one principal's assignment.
   */
  private JsonNode grants(Securable securable, Map<String, String> query) {
    int length = Pages.grantsLength(query);
    return UcJson.page(
        Pages.page(
            assignments(securable, query.get("principal")),
            Map.Entry::getKey,
            e -> e.getValue().size(),
            query.get("page_token"),
            length),
        "privilege_assignments",
        UcJson::assignment);
  }

  /** {@code ListPrivilegeAssignmentsRequest}: the same assignments, paged by {@code page_size}. */
  private JsonNode privilegeAssignments(Securable securable, Map<String, String> query) {
    return UcJson.page(
        Pages.page(
            assignments(securable, query.get("principal")),
            Map.Entry::getKey,
            query.get("page_token"),
            Pages.length(query, "page_size")),
        "privilege_assignments",
        UcJson::assignment);
  }

  private List<Map.Entry<String, Set<String>>> assignments(Securable securable, String principal) {
    return state.grants(securable.type(), securable.fullName()).entrySet().stream()
        .filter(e -> principal == null || e.getKey().equals(principal))
        .toList();
  }

  /** {@code UpdatePermissions}: applies every change, then answers every assignment. */
  private JsonNode updateGrants(Securable securable, JsonNode body) {
    JsonNode changes = body.get("changes");
    if (changes == null || !changes.isArray()) {
      throw ApiError.invalid("Missing required field: changes");
    }
    List<WorkspaceState.GrantChange> all = new ArrayList<>();
    for (JsonNode change : changes) {
      all.add(
          new WorkspaceState.GrantChange(
              text(change, "principal"),
              UcJson.strings(change.get("add")),
              UcJson.strings(change.get("remove"))));
    }
    state.changeGrants(securable.type(), securable.fullName(), all);
    ObjectNode response = JSON.createObjectNode();
    ArrayNode array = response.putArray("privilege_assignments");
    state
        .grants(securable.type(), securable.fullName())
        .entrySet()
        .forEach(e -> array.add(UcJson.assignment(e)));
    return response;
  }

  /** The request's body, read from the exchange at most once. */
  private static RequestBody once(HttpExchange exchange) {
    JsonNode[] read = new JsonNode[1];
    return () -> {
      if (read[0] == null) {
        read[0] = body(exchange);
      }
      return read[0];
    };
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    return UcJson.body(exchange.getRequestBody().readAllBytes());
  }

  /**
   * The error body. Unity Catalog adds a {@code google.rpc.ErrorInfo} detail naming the resource to
   * its "does not exist" and "already exists" errors, and every error carries a request id.
   */
  static JsonNode errorBody(ApiError e) {
    ObjectNode error = JSON.createObjectNode();
    error.put("error_code", e.errorCode());
    error.put("message", e.getMessage());
    ArrayNode details = error.putArray("details");
    if (e.reason() != null) {
      ObjectNode info = details.addObject();
      info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
      info.put("reason", e.reason());
      info.put("domain", "unity-catalog.databricks.com");
      ObjectNode metadata = info.putObject("metadata");
      e.metadata().forEach(metadata::put);
    }
    ObjectNode request = details.addObject();
    request.put("@type", "type.googleapis.com/google.rpc.RequestInfo");
    request.put("request_id", UUID.randomUUID().toString());
    request.put("serving_data", "");
    return error;
  }

  /** The SCIM error body (RFC 7644 §3.12), which the SCIM APIs answer with instead. */
  static JsonNode scimErrorBody(ScimError e) {
    ObjectNode error = JSON.createObjectNode();
    error.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:Error");
    error.put("detail", e.getMessage());
    if (e.scimType() != null) {
      error.put("scimType", e.scimType());
    }
    error.put("status", Integer.toString(e.status()));
    return error;
  }

  /**
   * The real service routes by method and path and answers anything else with 404 {@code
   * ENDPOINT_NOT_FOUND}, naming the path without its {@code /api/2.x} prefix.
   */
  static ApiError endpointNotFound(String method, String path) {
    String shown = path.replaceFirst("^/api/2\\.\\d+", "");
    return new ApiError(
        404, "ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + shown + "'");
  }

  /**
   * A request the real API accepts but the simulator does not model. It is answered 400, not 501,
   * because the SDK retries a 501 as a server error and the caller would wait for nothing.
   */
  private static ApiError notImplemented(String what) {
    return ApiError.invalid(what + " is not supported by the simulator");
  }
}
