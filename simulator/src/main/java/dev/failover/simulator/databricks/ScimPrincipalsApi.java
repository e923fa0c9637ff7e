package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The workspace SCIM Users and ServicePrincipals APIs and {@code Me}, as the SDK's {@code
 * UsersImpl}, {@code ServicePrincipalsImpl} and {@code CurrentUserImpl} (package {@code iam}) call
 * them, with the fields of {@code User} ({@code userName}, {@code displayName}, {@code active},
 * {@code emails}, {@code groups}), {@code ServicePrincipal} ({@code applicationId}, {@code
 * displayName}, {@code active}, {@code groups}) and {@code ListUsersResponse}/{@code
 * ListServicePrincipalResponse}:
 *
 * <ul>
 *   <li>{@code GET .../Users} and {@code .../ServicePrincipals}: {@code filter} ({@link ScimFilter}
 *       on {@code id}, {@code userName} or {@code applicationId}, {@code displayName}, {@code
 *       externalId}), {@code startIndex} (1-based) and {@code count}, answered as a {@code
 *       ListResponse} as the Groups API answers it ({@link ScimGroupsApi}); {@code UsersAPI.list}
 *       in SDK 0.141.0 pages by offset from {@code startIndex=1} with {@code count=10000} unless
 *       the caller sets one, and drops duplicates by id. Every workspace user may read them.
 *   <li>{@code GET .../Users/{id}}, {@code .../ServicePrincipals/{id}}: 404 when there is none.
 *   <li>{@code POST .../Users}, {@code .../ServicePrincipals}: adding users and service principals
 *       to a workspace is a workspace admin's task (docs "Manage users"); the simulator answers
 *       anyone else 403, the harsher reading. The 403's SCIM detail is not documented; the
 *       simulator's names the caller.
 *   <li>{@code GET .../Me}: the caller. For a service principal the service answers it as a {@code
 *       User} whose {@code userName} is the application id (the Databricks CLI tells a service
 *       principal from a user by that: {@code auth.IsServicePrincipal}).
 * </ul>
 *
 * Not simulated: PUT, PATCH and DELETE of users and service principals (identity is the account's,
 * set up by the demo or tests through {@link PrincipalsState}).
 */
final class ScimPrincipalsApi {
  static final String SCIM = "/api/2.0/preview/scim/v2/";
  static final String ME = SCIM + "Me";

  private static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
  private static final String WORKSPACE_USER_SCHEMA =
      "urn:ietf:params:scim:schemas:extension:workspace:2.0:User";
  private static final String SP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal";
  private static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

  private final PrincipalsState principals;

  ScimPrincipalsApi(PrincipalsState principals) {
    this.principals = principals;
  }

  static boolean handles(String path) {
    return path.equals(ME) || under(path, "Users") || under(path, "ServicePrincipals");
  }

  private static boolean under(String path, String resource) {
    return path.equals(SCIM + resource) || path.startsWith(SCIM + resource + "/");
  }

  /** Answers one request; null for a method or path it does not have. */
  JsonNode route(
      String method,
      String path,
      Map<String, String> query,
      RequestBody body,
      PrincipalsState.Principal caller)
      throws IOException {
    if (path.equals(ME)) {
      return method.equals("GET") ? me(caller) : null;
    }
    PrincipalsState.Kind kind =
        under(path, "Users") ? PrincipalsState.Kind.USER : PrincipalsState.Kind.SERVICE_PRINCIPAL;
    String prefix = SCIM + (kind == PrincipalsState.Kind.USER ? "Users" : "ServicePrincipals");
    if (path.equals(prefix)) {
      return switch (method) {
        case "GET" -> list(kind, query);
        case "POST" -> json(create(kind, body.read(), caller));
        default -> null;
      };
    }
    String id = path.substring(prefix.length() + 1);
    if (!method.equals("GET") || id.isEmpty() || id.contains("/")) {
      return null;
    }
    PrincipalsState.Principal principal = principals.byId(id);
    if (principal == null || principal.kind() != kind) {
      throw ScimError.notFound(
          (kind == PrincipalsState.Kind.USER ? "User" : "Service principal")
              + " with id "
              + id
              + " not found.");
    }
    return json(principal);
  }

  private JsonNode me(PrincipalsState.Principal caller) {
    ObjectNode me = userJson(caller);
    me.put("userName", caller.name());
    return me;
  }

  private PrincipalsState.Principal create(
      PrincipalsState.Kind kind, JsonNode request, PrincipalsState.Principal caller) {
    if (!principals.isAdmin(caller)) {
      throw new ScimError(
          403, caller.name() + " is not a workspace admin and cannot add principals.");
    }
    String displayName = UcJson.text(request, "displayName");
    return kind == PrincipalsState.Kind.USER
        ? principals.addUser(UcJson.text(request, "userName"), displayName)
        : principals.addServicePrincipal(UcJson.text(request, "applicationId"), displayName);
  }

  private JsonNode list(PrincipalsState.Kind kind, Map<String, String> query) {
    List<PrincipalsState.Principal> matching =
        principals.list(kind).stream()
            .filter(
                ScimFilter.parse(
                    query.get("filter"),
                    ScimPrincipalsApi::attribute,
                    Set.of("username", "displayname")))
            .toList();
    long startIndex = Math.max(1, number(query, "startIndex", 1));
    long count =
        Math.min(
            ScimGroupsApi.MAX_COUNT,
            Math.max(0, number(query, "count", ScimGroupsApi.DEFAULT_COUNT)));
    int from = (int) Math.min(startIndex - 1, matching.size());
    int to = (int) Math.min(from + count, matching.size());
    List<PrincipalsState.Principal> page = matching.subList(from, to);
    ObjectNode response = JSON.createObjectNode();
    response.put("totalResults", matching.size());
    response.put("startIndex", startIndex);
    response.put("itemsPerPage", page.size());
    response.putArray("schemas").add(LIST_SCHEMA);
    if (!page.isEmpty()) {
      ArrayNode resources = response.putArray("Resources");
      page.forEach(p -> resources.add(json(p)));
    }
    return response;
  }

  private static Function<PrincipalsState.Principal, String> attribute(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "id" -> PrincipalsState.Principal::id;
      case "username", "applicationid" -> PrincipalsState.Principal::name;
      case "displayname" -> PrincipalsState.Principal::displayName;
      case "externalid" -> p -> null;
      default -> throw ScimFilter.invalid("unsupported attribute " + name);
    };
  }

  private static long number(Map<String, String> query, String name, long absent) {
    String text = query.get(name);
    if (text == null || text.isEmpty()) {
      return absent;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ScimError.invalidValue(name + " must be an integer, got " + text);
    }
  }

  private ObjectNode json(PrincipalsState.Principal principal) {
    if (principal.kind() == PrincipalsState.Kind.USER) {
      return userJson(principal);
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("id", principal.id());
    node.put("applicationId", principal.name());
    node.put("displayName", principal.displayName());
    node.put("active", principal.active());
    groups(node, principal);
    node.putArray("schemas").add(SP_SCHEMA);
    return node;
  }

  private ObjectNode userJson(PrincipalsState.Principal principal) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", principal.id());
    node.put("userName", principal.name());
    node.put("displayName", principal.displayName());
    node.put("active", principal.active());
    if (!principal.isServicePrincipal()) {
      ObjectNode email = node.putArray("emails").addObject();
      email.put("value", principal.name());
      email.put("type", "work");
      email.put("primary", true);
    }
    groups(node, principal);
    node.putArray("schemas").add(USER_SCHEMA).add(WORKSPACE_USER_SCHEMA);
    return node;
  }

  /** The groups the principal is a direct member of, as {@code groups} complex values. */
  private void groups(ObjectNode node, PrincipalsState.Principal principal) {
    List<GroupsState.Group> groups = principals.groupsOf(principal);
    if (!groups.isEmpty()) {
      ArrayNode array = node.putArray("groups");
      for (GroupsState.Group group : groups) {
        ObjectNode value = array.addObject();
        value.put("display", group.displayName());
        value.put("type", "direct");
        value.put("value", group.id());
        value.put("$ref", "Groups/" + group.id());
      }
    }
  }
}
