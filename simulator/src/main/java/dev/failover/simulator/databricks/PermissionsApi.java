package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Permissions API of a simulated workspace ({@code /api/2.0/permissions/{request_object_type}
 * /{id}}): GET, PUT (replace the direct entries), PATCH (add or change entries) and GET {@code
 * .../permissionLevels}, with the paths of the SDK's {@code PermissionsImpl} and of the per-type
 * methods ({@code JobsImpl.setPermissions}, {@code WarehousesImpl}, ...), and the bodies of {@code
 * SetObjectPermissions}, {@code UpdateObjectPermissions}, {@code ObjectPermissions} and {@code
 * GetPermissionLevelsResponse}. The rules are in {@link PermissionsState}.
 */
final class PermissionsApi {
  static final String PREFIX = "/api/2.0/permissions/";

  private static final String LEVELS = "/permissionLevels";

  private final PermissionsState permissions;

  PermissionsApi(PermissionsState permissions) {
    this.permissions = permissions;
  }

  static boolean handles(String path) {
    return path.startsWith(PREFIX);
  }

  /** Answers one request under {@link #PREFIX}; null for a method or path it does not have. */
  JsonNode route(String method, String path, RequestBody body) throws IOException {
    String rest = path.substring(PREFIX.length());
    boolean levels = rest.endsWith(LEVELS);
    if (levels) {
      rest = rest.substring(0, rest.length() - LEVELS.length());
    }
    int slash = rest.lastIndexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return null;
    }
    String type = rest.substring(0, slash);
    String id = rest.substring(slash + 1);
    if (levels) {
      return method.equals("GET") ? levels(type, id) : null;
    }
    return switch (method) {
      case "GET" -> acl(type, id);
      case "PUT" -> {
        permissions.set(type, id, entries(body.read()));
        yield acl(type, id);
      }
      case "PATCH" -> {
        permissions.update(type, id, entries(body.read()));
        yield acl(type, id);
      }
      default -> null;
    };
  }

  private ObjectNode acl(String type, String id) {
    List<PermissionsState.Held> held = permissions.get(type, id);
    ObjectNode response = JSON.createObjectNode();
    response.put("object_id", PermissionsState.objectId(type, id));
    response.put("object_type", PermissionsState.objectType(type));
    ArrayNode list = response.putArray("access_control_list");
    for (Map.Entry<String, List<PermissionsState.Held>> principal :
        PermissionsState.byPrincipal(held).entrySet()) {
      list.add(principalEntry(principal.getValue()));
    }
    return response;
  }

  /** {@code AccessControlResponse}: the principal and {@code all_permissions}. */
  private static ObjectNode principalEntry(List<PermissionsState.Held> held) {
    PermissionsState.Entry first = held.get(0).entry();
    ObjectNode entry = JSON.createObjectNode();
    entry.put(first.kind().field, first.principal());
    entry.put("display_name", first.principal());
    ArrayNode all = entry.putArray("all_permissions");
    for (PermissionsState.Held h : held) {
      ObjectNode permission = all.addObject();
      permission.put("permission_level", h.entry().level());
      permission.put("inherited", h.inherited());
      if (h.inherited()) {
        permission.putArray("inherited_from_object").add(h.from());
      }
    }
    return entry;
  }

  private ObjectNode levels(String type, String id) {
    ObjectNode response = JSON.createObjectNode();
    ArrayNode list = response.putArray("permission_levels");
    for (String level : permissions.levels(type, id)) {
      ObjectNode description = list.addObject();
      description.put("permission_level", level);
      description.put("description", "Can " + level.replaceFirst("^(CAN|IS)_", "").toLowerCase());
    }
    return response;
  }

  /** {@code access_control_list}: each entry names exactly one principal and a level. */
  private static List<PermissionsState.Entry> entries(JsonNode body) {
    JsonNode list = body.path("access_control_list");
    if (!list.isArray()) {
      throw ApiError.invalid("Missing required field: access_control_list");
    }
    List<PermissionsState.Entry> entries = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      entries.add(entry(list.get(i), "access_control_list[" + i + "]"));
    }
    return entries;
  }

  private static PermissionsState.Entry entry(JsonNode item, String field) {
    PermissionsState.PrincipalKind kind = null;
    for (PermissionsState.PrincipalKind candidate : PermissionsState.PrincipalKind.values()) {
      if (item.hasNonNull(candidate.field)) {
        if (kind != null) {
          throw ApiError.invalid(field + " must name exactly one principal");
        }
        kind = candidate;
      }
    }
    if (kind == null) {
      throw ApiError.invalid(
          field + " must name one of user_name, group_name or service_principal_name");
    }
    if (!item.hasNonNull("permission_level")) {
      throw ApiError.invalid("Missing required field: " + field + ".permission_level");
    }
    return new PermissionsState.Entry(
        kind, item.get(kind.field).asText(), item.get("permission_level").asText());
  }
}
