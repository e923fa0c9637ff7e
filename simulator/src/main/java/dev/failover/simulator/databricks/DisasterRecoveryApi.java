package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The account's disaster-recovery API as {@code DisasterRecoveryImpl} (SDK 0.141.0) calls it, on
 * the account host:
 *
 * <ul>
 *   <li>{@code GET /api/disaster-recovery/v1/accounts/{id}/failover-groups} ({@code
 *       ListFailoverGroupsResponse}: {@code failover_groups}, {@code next_page_token}; one page);
 *   <li>{@code GET /api/disaster-recovery/v1/{name}} for a group ({@code FailoverGroup}) or a
 *       stable URL ({@code StableUrl}), 404 {@code RESOURCE_DOES_NOT_EXIST} for one the account
 *       lacks;
 *   <li>{@code POST /api/disaster-recovery/v1/{name}/failover} with {@code
 *       FailoverFailoverGroupRequest}'s body ({@code target_primary_region}, {@code etag}, {@code
 *       failover_type}; {@code name} is in the path), answering the group;
 *   <li>{@code GET .../accounts/{id}/stable-urls} ({@code ListStableUrlsResponse}).
 * </ul>
 *
 * <p>Timestamps are RFC 3339 strings (the SDK's {@code ProtobufModule.TimestampDeserializer} parses
 * them with {@code Timestamps.parse}). Creating, updating and deleting groups and stable URLs are
 * not simulated (400): the engine never does them; the sandbox seeds them.
 */
public final class DisasterRecoveryApi {
  /** The prefix of every path of this API. */
  public static final String PREFIX = "/api/disaster-recovery/v1/";

  private final DisasterRecoveryState state;

  public DisasterRecoveryApi(DisasterRecoveryState state) {
    this.state = state;
  }

  public boolean serves(String path) {
    return path.startsWith(PREFIX);
  }

  /** Answers one authenticated request, or null when no route matches. */
  public JsonNode route(String method, String path, Supplier<JsonNode> body) {
    String name = path.substring(PREFIX.length());
    String account = "accounts/" + state.accountId();
    if (!name.startsWith(account + "/")) {
      throw new ApiError(403, "PERMISSION_DENIED", "The token does not belong to " + name + ".");
    }
    String rest = name.substring(account.length() + 1);
    String[] parts = rest.split("/", -1);
    if (!method.equals("GET") && !(method.equals("POST") && rest.endsWith("/failover"))) {
      throw ApiError.invalid(method + " " + path + " is not supported by the simulator");
    }
    if (parts.length == 1 && parts[0].equals("failover-groups")) {
      ObjectNode response = JSON.createObjectNode();
      ArrayNode array = response.putArray("failover_groups");
      state.groups().forEach(g -> array.add(group(g)));
      return response;
    }
    if (parts.length == 1 && parts[0].equals("stable-urls")) {
      ObjectNode response = JSON.createObjectNode();
      ArrayNode array = response.putArray("stable_urls");
      state.stableUrls().forEach(s -> array.add(stableUrl(s)));
      return response;
    }
    if (parts.length == 2 && parts[0].equals("failover-groups")) {
      return group(state.group(name));
    }
    if (parts.length == 3 && parts[0].equals("failover-groups") && parts[2].equals("failover")) {
      String groupName = account + "/failover-groups/" + parts[1];
      JsonNode request = body.get();
      return group(
          state.failover(groupName, text(request, "target_primary_region"), text(request, "etag")));
    }
    if (parts.length == 2 && parts[0].equals("stable-urls")) {
      return stableUrl(state.stableUrl(name));
    }
    return null;
  }

  private static String text(JsonNode request, String field) {
    JsonNode node = request == null ? null : request.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  /** A {@code FailoverGroup}. {@code initial_primary_region} is "not returned in responses". */
  private static ObjectNode group(DisasterRecoveryState.Group g) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", g.name());
    ArrayNode regions = node.putArray("regions");
    g.regions().forEach(regions::add);
    node.put("effective_primary_region", g.effectivePrimaryRegion());
    node.put("state", g.state());
    node.put("etag", g.etag());
    node.put("replication_point", timestamp(g.replicationPoint()));
    node.put("create_time", timestamp(g.createTime()));
    node.put("update_time", timestamp(g.updateTime()));
    ArrayNode sets = node.putArray("workspace_sets");
    for (DisasterRecoveryState.WorkspaceSet set : g.workspaceSets()) {
      ObjectNode s = sets.addObject();
      s.put("name", set.name());
      ArrayNode ids = s.putArray("workspace_ids");
      set.workspaceIds().forEach(id -> ids.add(Long.toString(id)));
      ArrayNode urls = s.putArray("stable_url_names");
      set.stableUrlNames().forEach(urls::add);
      s.put("replicate_workspace_assets", set.replicateWorkspaceAssets());
    }
    if (!g.catalogs().isEmpty()) {
      ObjectNode uc = node.putObject("unity_catalog_assets");
      ArrayNode catalogs = uc.putArray("catalogs");
      g.catalogs().forEach(c -> catalogs.addObject().put("name", c));
      uc.put("data_replication_workspace_set", g.dataReplicationWorkspaceSet());
    }
    return node;
  }

  private ObjectNode stableUrl(DisasterRecoveryState.StableUrl s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", s.name());
    node.put("url", s.url());
    // "Used only in Create requests"; the stable workspace id is the URL's own, kept here as the
    // initial workspace's (unverified: its real value is not documented beyond the field name).
    node.put("stable_workspace_id", Long.toString(s.initialWorkspaceId()));
    node.put("effective_workspace_id", Long.toString(state.effectiveWorkspaceId(s)));
    String group = state.groupOf(s);
    if (group != null) {
      node.put("failover_group_name", group);
    }
    return node;
  }

  private static String timestamp(Instant instant) {
    return instant.toString();
  }
}
