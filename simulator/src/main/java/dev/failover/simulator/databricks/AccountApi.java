package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The account API of the simulated Databricks account ({@code accounts.cloud.databricks.com}), as
 * the SDK's {@code AccountClient} calls it, on a server of its own:
 *
 * <ul>
 *   <li>{@code WorkspacesImpl} (package {@code provisioning}): {@code GET
 *       /api/2.0/accounts/{account_id}/workspaces} (a JSON array of {@code Workspace}) and {@code
 *       GET .../workspaces/{workspace_id}} ({@code Workspace}: {@code account_id}, {@code
 *       workspace_id}, {@code workspace_name}, {@code deployment_name}, {@code aws_region}, {@code
 *       cloud}, {@code pricing_tier}, {@code creation_time}, {@code workspace_status}, {@code
 *       workspace_status_message}); 404 {@code RESOURCE_DOES_NOT_EXIST} for an id the account does
 *       not have, 400 {@code INVALID_PARAMETER_VALUE} for an id that is not a number. Creating,
 *       updating and deleting workspaces are not simulated (400): this tool never does them.
 *   <li>{@code AccountGroupsImpl} (package {@code iam}): {@code /api/2.0/accounts/{account_id}/scim
 *       /v2/Groups}, the workspace SCIM Groups API ({@link ScimGroupsApi}) under the account's
 *       prefix: list by {@code startIndex}/{@code count} with {@code filter}, get, create, PUT,
 *       PATCH and delete, with SCIM error bodies. {@code AccountGroupsAPI.list} pages like {@code
 *       GroupsAPI.list}. Deleting a group removes its workspace assignments.
 *   <li>{@code WorkspaceAssignmentImpl} (package {@code iam}): {@code GET
 *       .../workspaces/{workspace_id}/permissionassignments} ({@code PermissionAssignments}: {@code
 *       permission_assignments} of {@code {permissions, principal: {principal_id, display_name,
 *       group_name}}}, not paged), {@code GET .../permissionassignments/permissions} ({@code
 *       WorkspacePermissions}), {@code PUT .../permissionassignments/principals/{principal_id}}
 *       with {@code {"permissions": ["USER"|"ADMIN"]}} (answers the {@code PermissionAssignment})
 *       and {@code DELETE} on the same path; 404 {@code RESOURCE_DOES_NOT_EXIST} for an unknown
 *       workspace or principal or, on a delete, a principal not assigned, 400 {@code
 *       INVALID_PARAMETER_VALUE} for other permissions.
 *   <li>{@code DisasterRecoveryImpl} (package {@code disasterrecovery}): failover groups and stable
 *       URLs under {@code /api/disaster-recovery/v1/accounts/{account_id}/...} ({@link
 *       DisasterRecoveryApi}).
 * </ul>
 *
 * <p>Requests are authenticated by a bearer token as on a workspace (401 otherwise). Simplified: a
 * path naming another account id is answered 403 {@code PERMISSION_DENIED} (the token belongs to
 * this account); a delete of an assignment that does not exist is answered 404, which is this
 * simulator's reading of the REST docs, not confirmed; the host metadata document (which the SDK
 * reads while it configures itself) gives the account id and an OIDC endpoint only.
 */
public final class AccountApi {
  private static final String PREFIX = "/api/2.0/accounts/";

  private final AccountState state;
  private final String token;
  private final ScimGroupsApi groups;
  private final DisasterRecoveryApi disasterRecovery;

  public AccountApi(AccountState state, DisasterRecoveryState disasterRecovery, String token) {
    this.state = state;
    this.token = token;
    this.disasterRecovery = new DisasterRecoveryApi(disasterRecovery);
    this.groups = new ScimGroupsApi(state.groups(), PREFIX + state.accountId() + "/scim/v2/Groups");
  }

  /** Answers one request; returns the HTTP status sent. */
  public int handle(HttpExchange exchange) throws IOException {
    int status;
    JsonNode body;
    try {
      body = discovery(exchange);
      if (body == null) {
        authenticate(exchange);
        body = route(exchange);
      }
      status = 200;
    } catch (ApiError e) {
      status = e.status();
      body = WorkspaceApi.errorBody(e);
    } catch (ScimError e) {
      status = e.status();
      body = WorkspaceApi.scimErrorBody(e);
    }
    HttpExchanges.send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    return status;
  }

  private JsonNode discovery(HttpExchange exchange) {
    if (!exchange.getRequestMethod().equals("GET")
        || !exchange.getRequestURI().getPath().equals("/.well-known/databricks-config")) {
      return null;
    }
    String base = "http://" + exchange.getRequestHeaders().getFirst("Host");
    ObjectNode node = JSON.createObjectNode();
    node.put("account_id", state.accountId());
    node.put("oidc_endpoint", base + "/oidc/accounts/" + state.accountId());
    node.put("cloud", "aws");
    return node;
  }

  private void authenticate(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || !authorization.equals("Bearer " + token)) {
      String message =
          authorization == null || !authorization.startsWith("Bearer ")
              ? "Credential was not sent or was of an unsupported type for this API."
              : "Invalid access token.";
      exchange.getResponseHeaders().set("X-Databricks-Reason-Phrase", message);
      throw new ApiError(401, "401", message);
    }
  }

  private JsonNode route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = HttpExchanges.query(exchange);
    if (disasterRecovery.serves(path)) {
      JsonNode answer = disasterRecovery.route(method, path, () -> UcJson.body(readBody(exchange)));
      if (answer == null) {
        throw WorkspaceApi.endpointNotFound(method, path);
      }
      return answer;
    }
    if (!path.startsWith(PREFIX)) {
      throw WorkspaceApi.endpointNotFound(method, path);
    }
    String[] parts = path.substring(PREFIX.length()).split("/", -1);
    if (!parts[0].equals(state.accountId())) {
      throw new ApiError(
          403,
          "PERMISSION_DENIED",
          "The token does not belong to account " + HttpExchanges.decode(parts[0]) + ".");
    }
    if (groups.serves(path)) {
      JsonNode answer =
          groups.route(
              method, path, query, () -> UcJson.body(exchange.getRequestBody().readAllBytes()));
      if (answer == null) {
        throw WorkspaceApi.endpointNotFound(method, path);
      }
      return answer;
    }
    if (parts.length < 2 || !parts[1].equals("workspaces")) {
      throw WorkspaceApi.endpointNotFound(method, path);
    }
    if (parts.length == 2) {
      if (method.equals("GET")) {
        ArrayNode array = JSON.createArrayNode();
        state.workspaces().forEach(w -> array.add(workspace(w)));
        return array;
      }
      throw notSimulated(method, path);
    }
    long workspaceId = number(parts[2], "workspace_id");
    if (parts.length == 3) {
      if (method.equals("GET")) {
        return workspace(state.workspace(workspaceId));
      }
      throw notSimulated(method, path);
    }
    if (!parts[3].equals("permissionassignments")) {
      throw WorkspaceApi.endpointNotFound(method, path);
    }
    String rest = String.join("/", List.of(parts).subList(4, parts.length));
    if (rest.isEmpty() && method.equals("GET")) {
      ObjectNode response = JSON.createObjectNode();
      ArrayNode array = response.putArray("permission_assignments");
      state.assignments(workspaceId).forEach(a -> array.add(assignment(a)));
      return response;
    }
    if (rest.equals("permissions") && method.equals("GET")) {
      state.workspace(workspaceId);
      ObjectNode response = JSON.createObjectNode();
      ArrayNode permissions = response.putArray("permissions");
      permissions.addObject().put("permission_level", "USER").put("description", "Workspace user");
      permissions
          .addObject()
          .put("permission_level", "ADMIN")
          .put("description", "Workspace admin");
      return response;
    }
    if (parts.length == 6 && parts[4].equals("principals")) {
      long principalId = number(parts[5], "principal_id");
      switch (method) {
        case "PUT" -> {
          JsonNode request = UcJson.body(exchange.getRequestBody().readAllBytes());
          List<String> permissions = new ArrayList<>();
          JsonNode given = request.get("permissions");
          if (given != null && given.isArray()) {
            given.forEach(p -> permissions.add(p.asText()));
          } else if (given != null && !given.isNull()) {
            throw ApiError.invalid("permissions must be a list");
          }
          return assignment(state.assign(workspaceId, principalId, permissions));
        }
        case "DELETE" -> {
          state.unassign(workspaceId, principalId);
          return JSON.createObjectNode();
        }
        default -> throw WorkspaceApi.endpointNotFound(method, path);
      }
    }
    throw WorkspaceApi.endpointNotFound(method, path);
  }

  private static byte[] readBody(HttpExchange exchange) {
    try {
      return exchange.getRequestBody().readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long number(String text, String name) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiError.invalid(name + " must be a number, got '" + HttpExchanges.decode(text) + "'");
    }
  }

  private static ApiError notSimulated(String method, String path) {
    return ApiError.invalid(method + " " + path + " is not supported by the simulator");
  }

  /** A {@code Workspace} as {@code WorkspacesImpl} reads it. */
  private ObjectNode workspace(AccountState.Workspace workspace) {
    ObjectNode node = JSON.createObjectNode();
    node.put("account_id", state.accountId());
    node.put("workspace_id", workspace.id());
    node.put("workspace_name", workspace.name());
    node.put("deployment_name", workspace.deploymentName());
    if (workspace.awsRegion() != null) {
      node.put("aws_region", workspace.awsRegion());
    }
    node.put("cloud", "aws");
    node.put("pricing_tier", "ENTERPRISE");
    node.put("creation_time", workspace.creationTime());
    node.put("workspace_status", workspace.status());
    node.put(
        "workspace_status_message",
        workspace.status().equals("RUNNING")
            ? "Workspace is running."
            : "Workspace is " + workspace.status().toLowerCase(java.util.Locale.ROOT) + ".");
    return node;
  }

  /** A {@code PermissionAssignment} with its {@code PrincipalOutput}. */
  private static ObjectNode assignment(AccountState.Assignment assignment) {
    ObjectNode node = JSON.createObjectNode();
    ArrayNode permissions = node.putArray("permissions");
    assignment.permissions().forEach(permissions::add);
    ObjectNode principal = node.putObject("principal");
    principal.put("principal_id", Long.parseLong(assignment.group().id()));
    principal.put("display_name", assignment.group().displayName());
    principal.put("group_name", assignment.group().displayName());
    return node;
  }
}
