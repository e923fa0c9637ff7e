package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workspace SCIM Groups API of a simulated workspace, as the SDK's {@code GroupsImpl} (package
 * {@code iam}) calls it, with the fields of {@code Group}, {@code ComplexValue}, {@code
 * ListGroupsRequest}/{@code ListGroupsResponse} and {@code PartialUpdate}/{@code Patch}:
 *
 * <ul>
 *   <li>{@code GET /api/2.0/preview/scim/v2/Groups}: {@code filter} (see {@link ScimFilter}),
 *       {@code attributes}/{@code excludedAttributes} (comma-separated top-level attributes; {@code
 *       id} and {@code schemas} are always returned), {@code sortBy} ({@code displayName}, {@code
 *       id} or {@code externalId}; id order when absent), {@code sortOrder} ({@code ascending}, the
 *       default, or {@code descending}), {@code startIndex} (1-based; below 1 means 1, RFC 7644
 *       §3.4.2.4) and {@code count} (at most {@link #MAX_COUNT}; negative means 0). The answer is a
 *       {@code ListResponse}: {@code totalResults} (every match), {@code startIndex}, {@code
 *       itemsPerPage} and {@code Resources}, which is left out when the page is empty. {@code
 *       GroupsAPI.list} in SDK 0.141.0 starts at {@code startIndex=1} with {@code count=10000}
 *       unless the caller sets a count, adds each page's size to {@code startIndex}, and stops at
 *       the first empty page.
 *   <li>{@code GET .../Groups/{id}}, {@code DELETE .../Groups/{id}}: 404 when there is no such
 *       group; the built-in {@code admins} and {@code users} cannot be deleted (400).
 *   <li>{@code POST .../Groups}: creates a workspace-local group; {@code displayName} is required
 *       (400) and unique (409, {@code "Group with name x already exists."}, the service's wording).
 *   <li>{@code PUT .../Groups/{id}}: replaces the group's display name, external id, members,
 *       entitlements and roles.
 *   <li>{@code PATCH .../Groups/{id}}: {@code Operations} of {@code add}, {@code remove} and {@code
 *       replace} (any case) on {@code displayName}, {@code externalId}, {@code members}, {@code
 *       entitlements} and {@code roles}, without a path (the value names the attributes) or with a
 *       value filter on a multi-valued attribute ({@code members[value eq "123"]}) for a remove.
 * </ul>
 *
 * <p>Errors have the SCIM body ({@link ScimError}). Simplified: every success is answered 200 with
 * a JSON body, where the service answers 201 to a create and 204 to a PATCH and a DELETE (the SDK
 * reads all of them alike); the default {@code count} when a client sends none is 100 and its
 * maximum 10,000, as third-party summaries of the API say (not confirmed in Databricks' docs); the
 * {@code schemas} of a request are not checked.
 */
final class ScimGroupsApi {
  static final String PREFIX = "/api/2.0/preview/scim/v2/Groups";

  static final int DEFAULT_COUNT = 100;
  static final int MAX_COUNT = 10_000;

  private static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
  private static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

  /**
   * A remove's path that selects values of a multi-valued attribute: {@code members[value eq "1"]}.
   */
  private static final Pattern VALUE_FILTER =
      Pattern.compile("(?i)(members|entitlements|roles)\\[\\s*value\\s+eq\\s+\"([^\"]*)\"\\s*]");

  private final GroupsState groups;
  private final String prefix;

  ScimGroupsApi(GroupsState groups) {
    this(groups, PREFIX);
  }

  /**
   * The same API under another prefix: the account SCIM API ({@code AccountGroupsImpl}) is the
   * workspace one under {@code /api/2.0/accounts/{account_id}/scim/v2/Groups}.
   */
  ScimGroupsApi(GroupsState groups, String prefix) {
    this.groups = groups;
    this.prefix = prefix;
  }

  static boolean handles(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  /** Whether the path is under this API's prefix. */
  boolean serves(String path) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  /** Answers one request under {@link #PREFIX}; null for a path or method it does not have. */
  JsonNode route(String method, String path, Map<String, String> query, RequestBody body)
      throws IOException {
    if (path.equals(prefix)) {
      return switch (method) {
        case "GET" -> list(query);
        case "POST" -> json(create(body.read()));
        default -> null;
      };
    }
    String id = path.substring(prefix.length() + 1);
    if (id.isEmpty() || id.contains("/")) {
      return null;
    }
    return switch (method) {
      case "GET" -> json(groups.get(id));
      case "PUT" -> {
        JsonNode request = body.read();
        yield json(groups.update(id, old -> Draft.fromRequest(request).group(old)));
      }
      case "PATCH" -> {
        JsonNode request = body.read();
        groups.update(id, old -> patched(old, request));
        yield JSON.createObjectNode();
      }
      case "DELETE" -> {
        groups.delete(id);
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }

  private JsonNode list(Map<String, String> query) {
    List<GroupsState.Group> matching =
        new ArrayList<>(
            groups.list().stream().filter(ScimFilter.parse(query.get("filter"))).toList());
    matching.sort(order(query.get("sortBy"), query.get("sortOrder")));
    long startIndex = Math.max(1, number(query, "startIndex", 1));
    long count = Math.min(MAX_COUNT, Math.max(0, number(query, "count", DEFAULT_COUNT)));
    int from = (int) Math.min(startIndex - 1, matching.size());
    int to = (int) Math.min(from + count, matching.size());
    List<GroupsState.Group> page = matching.subList(from, to);
    ObjectNode response = JSON.createObjectNode();
    response.put("totalResults", matching.size());
    response.put("startIndex", startIndex);
    response.put("itemsPerPage", page.size());
    response.putArray("schemas").add(LIST_SCHEMA);
    if (!page.isEmpty()) {
      ArrayNode resources = response.putArray("Resources");
      Set<String> attributes = names(query.get("attributes"));
      Set<String> excluded = names(query.get("excludedAttributes"));
      page.forEach(g -> resources.add(project(json(g), attributes, excluded)));
    }
    return response;
  }

  private GroupsState.Group create(JsonNode request) {
    Draft draft = Draft.fromRequest(request);
    return groups.create(
        draft.displayName,
        draft.externalId,
        List.copyOf(draft.members.values()),
        List.copyOf(draft.entitlements),
        List.copyOf(draft.roles));
  }

  /** A {@code PartialUpdate}'s operations applied in order to the group. */
  private static GroupsState.Group patched(GroupsState.Group old, JsonNode request) {
    JsonNode operations = request.get("Operations");
    if (operations == null || !operations.isArray()) {
      throw new ScimError(400, "invalidSyntax", "Operations is required.");
    }
    Draft draft = Draft.fromGroup(old);
    for (JsonNode operation : operations) {
      String op = operation.path("op").asText("").toLowerCase(Locale.ROOT);
      if (!List.of("add", "remove", "replace").contains(op)) {
        throw new ScimError(400, "invalidSyntax", "Unsupported op: " + operation.path("op"));
      }
      String path = operation.hasNonNull("path") ? operation.get("path").asText() : null;
      JsonNode value = operation.get("value");
      if (path == null) {
        if (op.equals("remove") || value == null || !value.isObject()) {
          throw new ScimError(
              400, "noTarget", "An operation without a path needs an object value.");
        }
        value.fields().forEachRemaining(f -> draft.apply(op, f.getKey(), f.getValue()));
      } else {
        Matcher filtered = VALUE_FILTER.matcher(path.trim());
        if (filtered.matches()) {
          if (!op.equals("remove")) {
            throw new ScimError(400, "invalidPath", "Only remove takes a value filter: " + path);
          }
          draft.removeValue(filtered.group(1), filtered.group(2));
        } else {
          draft.apply(op, path.trim(), value);
        }
      }
    }
    return draft.group(old);
  }

  private static Comparator<GroupsState.Group> order(String sortBy, String sortOrder) {
    Function<GroupsState.Group, String> key =
        switch (sortBy == null ? "id" : sortBy.toLowerCase(Locale.ROOT)) {
          case "id" -> GroupsState.Group::id;
          case "displayname" -> g -> g.displayName().toLowerCase(Locale.ROOT);
          case "externalid" -> g -> g.externalId() == null ? "" : g.externalId();
          default -> throw ScimError.invalidValue("Unsupported sortBy: " + sortBy);
        };
    Comparator<GroupsState.Group> comparator =
        Comparator.comparing(key).thenComparing(GroupsState.Group::id);
    return switch (sortOrder == null ? "ascending" : sortOrder.toLowerCase(Locale.ROOT)) {
      case "ascending" -> comparator;
      case "descending" -> comparator.reversed();
      default -> throw ScimError.invalidValue("Unsupported sortOrder: " + sortOrder);
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

  /** Comma-separated attribute names, lower-cased; a sub-attribute counts as its attribute. */
  private static Set<String> names(String list) {
    Set<String> names = new LinkedHashSet<>();
    if (list != null) {
      for (String name : list.split(",")) {
        String top = name.trim().toLowerCase(Locale.ROOT);
        int dot = top.indexOf('.');
        if (!top.isEmpty()) {
          names.add(dot < 0 ? top : top.substring(0, dot));
        }
      }
    }
    return names;
  }

  /** The group with only the requested attributes; {@code id} and {@code schemas} always stay. */
  private static ObjectNode project(
      ObjectNode group, Set<String> attributes, Set<String> excluded) {
    List<String> fields = new ArrayList<>();
    group.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      String name = field.toLowerCase(Locale.ROOT);
      if (name.equals("id") || name.equals("schemas")) {
        continue;
      }
      if ((!attributes.isEmpty() && !attributes.contains(name)) || excluded.contains(name)) {
        group.remove(field);
      }
    }
    return group;
  }

  /** A {@code Group} as the SDK reads it. */
  static ObjectNode json(GroupsState.Group group) {
    ObjectNode node = JSON.createObjectNode();
    node.put("displayName", group.displayName());
    if (group.externalId() != null) {
      node.put("externalId", group.externalId());
    }
    node.put("id", group.id());
    if (!group.members().isEmpty()) {
      ArrayNode members = node.putArray("members");
      for (GroupsState.Member member : group.members()) {
        ObjectNode value = members.addObject();
        if (member.display() != null) {
          value.put("display", member.display());
        }
        value.put("value", member.value());
        if (member.ref() != null) {
          value.put("$ref", member.ref());
        }
      }
    }
    values(node, "entitlements", group.entitlements());
    values(node, "roles", group.roles());
    node.putObject("meta").put("resourceType", group.resourceType());
    node.putArray("schemas").add(GROUP_SCHEMA);
    return node;
  }

  private static void values(ObjectNode node, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = node.putArray(field);
      values.forEach(v -> array.addObject().put("value", v));
    }
  }

  /** A group being built from a request: a create, a PUT, or a PATCH applied to the old one. */
  private static final class Draft {
    String displayName;
    String externalId;
    final Map<String, GroupsState.Member> members = new LinkedHashMap<>();
    final Set<String> entitlements = new LinkedHashSet<>();
    final Set<String> roles = new LinkedHashSet<>();

    static Draft fromGroup(GroupsState.Group group) {
      Draft draft = new Draft();
      draft.displayName = group.displayName();
      draft.externalId = group.externalId();
      group.members().forEach(m -> draft.members.put(m.value(), m));
      draft.entitlements.addAll(group.entitlements());
      draft.roles.addAll(group.roles());
      return draft;
    }

    /** The group a create or PUT body describes; {@code id} and {@code meta} are ignored. */
    static Draft fromRequest(JsonNode request) {
      if (request == null || !request.isObject()) {
        throw ScimError.invalidValue("The request body must be a Group.");
      }
      Draft draft = new Draft();
      draft.displayName = UcJson.text(request, "displayName");
      draft.externalId = UcJson.text(request, "externalId");
      for (String field : List.of("members", "entitlements", "roles")) {
        if (request.has(field)) {
          draft.apply("add", field, request.get(field));
        }
      }
      return draft;
    }

    GroupsState.Group group(GroupsState.Group old) {
      return new GroupsState.Group(
          old == null ? null : old.id(),
          displayName,
          externalId,
          old == null ? GroupsState.WORKSPACE_GROUP : old.resourceType(),
          List.copyOf(members.values()),
          List.copyOf(entitlements),
          List.copyOf(roles));
    }

    void apply(String op, String attribute, JsonNode value) {
      switch (attribute.toLowerCase(Locale.ROOT)) {
        case "displayname" -> {
          if (op.equals("remove")) {
            throw ScimError.invalidValue("displayName is required.");
          }
          displayName = value == null || value.isNull() ? null : value.asText();
        }
        case "externalid" ->
            externalId =
                op.equals("remove") || value == null || value.isNull() ? null : value.asText();
        case "members" -> {
          List<GroupsState.Member> given = new ArrayList<>();
          complexValues(value)
              .forEach(
                  v ->
                      given.add(
                          new GroupsState.Member(
                              UcJson.text(v, "value"),
                              UcJson.text(v, "display"),
                              UcJson.text(v, "$ref"))));
          switch (op) {
            case "replace" -> members.clear();
            case "remove" -> {
              if (value == null) {
                members.clear();
              } else {
                given.forEach(m -> members.remove(m.value()));
              }
              return;
            }
            default -> {}
          }
          given.forEach(m -> members.put(m.value(), m));
        }
        case "entitlements" -> simple(op, entitlements, value);
        case "roles" -> simple(op, roles, value);
        default -> throw new ScimError(400, "invalidPath", "Unsupported path: " + attribute);
      }
    }

    void removeValue(String attribute, String value) {
      switch (attribute.toLowerCase(Locale.ROOT)) {
        case "members" -> members.remove(value);
        case "entitlements" -> entitlements.remove(value);
        default -> roles.remove(value);
      }
    }

    private static void simple(String op, Set<String> values, JsonNode value) {
      List<String> given = complexValues(value).stream().map(v -> UcJson.text(v, "value")).toList();
      switch (op) {
        case "replace" -> {
          values.clear();
          values.addAll(given);
        }
        case "remove" -> {
          if (value == null) {
            values.clear();
          } else {
            given.forEach(values::remove);
          }
        }
        default -> values.addAll(given);
      }
    }

    /** A multi-valued attribute's values: an array of {@code {"value": ...}}, or one of them. */
    private static List<JsonNode> complexValues(JsonNode value) {
      List<JsonNode> values = new ArrayList<>();
      if (value == null || value.isNull()) {
        return values;
      }
      if (value.isArray()) {
        value.forEach(values::add);
      } else {
        values.add(value);
      }
      for (JsonNode v : values) {
        if (!v.isObject() || !v.hasNonNull("value")) {
          throw ScimError.invalidValue("Each value must be an object with a value.");
        }
      }
      return values;
    }
  }
}
