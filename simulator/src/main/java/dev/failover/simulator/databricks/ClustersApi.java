package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * The Clusters API 2.1 of a simulated workspace, with the paths and fields of the SDK's {@code
 * ClustersImpl}: {@code GET list} ({@code ListClustersRequest}: {@code page_size}, {@code
 * page_token}; {@code ListClustersResponse} with {@code next_page_token}), {@code GET
 * get?cluster_id=}, {@code POST create} ({@code CreateCluster}, answering {@code cluster_id}),
 * {@code POST edit} ({@code EditCluster}), {@code POST delete} (terminate), {@code POST
 * permanent-delete}, {@code POST pin} and {@code POST unpin}; clusters as {@code ClusterDetails}.
 *
 * <p>Errors: an unknown cluster is 400 {@code INVALID_PARAMETER_VALUE} "Cluster ... does not
 * exist", as the service answers (the SDK turns it into {@code ResourceDoesNotExist} for {@code
 * get} by its error overrides). A zone outside the workspace's region or an instance profile not
 * registered with it is refused with 400 {@code INVALID_PARAMETER_VALUE} ({@link ComputePlacement},
 * where the sources are). Simplified: {@code filter_by} and {@code sort_by} are refused (400)
 * rather than ignored; the list is in cluster id order; {@code page_size} absent or 0 means 20
 * clusters and at most 100 are returned (the service's page limits are not documented).
 */
final class ClustersApi {
  static final String PREFIX = "/api/2.1/clusters/";

  static final int DEFAULT_PAGE = 20;
  static final int MAX_PAGE = 100;

  private final ClustersState clusters;

  ClustersApi(ClustersState clusters) {
    this.clusters = clusters;
  }

  /** Answers one request under {@link #PREFIX}; null for a path or method it does not have. */
  JsonNode route(String method, String path, Map<String, String> query, RequestBody body)
      throws IOException {
    return switch (method + " " + path.substring(PREFIX.length())) {
      case "GET list" -> list(query);
      case "GET get" -> details(clusters.cluster(query.get("cluster_id")));
      case "POST create" -> {
        ObjectNode response = JSON.createObjectNode();
        response.put("cluster_id", clusters.create(body.read()));
        yield response;
      }
      case "POST edit" -> {
        clusters.edit(body.read());
        yield JSON.createObjectNode();
      }
      case "POST delete" -> {
        clusters.terminate(UcJson.text(body.read(), "cluster_id"));
        yield JSON.createObjectNode();
      }
      case "POST permanent-delete" -> {
        clusters.permanentDelete(UcJson.text(body.read(), "cluster_id"));
        yield JSON.createObjectNode();
      }
      case "POST pin" -> {
        clusters.pin(UcJson.text(body.read(), "cluster_id"), true);
        yield JSON.createObjectNode();
      }
      case "POST unpin" -> {
        clusters.pin(UcJson.text(body.read(), "cluster_id"), false);
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }

  private JsonNode list(Map<String, String> query) {
    for (String parameter : query.keySet()) {
      if (parameter.startsWith("filter_by") || parameter.startsWith("sort_by")) {
        throw ApiError.invalid(parameter + " is not supported by the simulator");
      }
    }
    int length = DEFAULT_PAGE;
    String pageSize = query.get("page_size");
    if (pageSize != null) {
      int asked;
      try {
        asked = Integer.parseInt(pageSize);
      } catch (NumberFormatException e) {
        throw ApiError.invalid("page_size must be an integer, got '" + pageSize + "'");
      }
      if (asked < 0) {
        throw ApiError.invalid("page_size must be greater than or equal to 0");
      }
      length = asked == 0 ? DEFAULT_PAGE : Math.min(asked, MAX_PAGE);
    }
    return UcJson.page(
        Pages.page(clusters.clusters(), ClustersState.Cluster::id, query.get("page_token"), length),
        "clusters",
        ClustersApi::details);
  }

  /**
   * A {@code ClusterDetails}: the configuration, with {@code spec} (the settings as last given),
   * and the service's fields: {@code cluster_id}, {@code creator_user_name}, {@code
   * cluster_source}, {@code state}, {@code default_tags}, {@code start_time}.
   */
  private static ObjectNode details(ClustersState.Cluster c) {
    ObjectNode node = JSON.createObjectNode();
    node.put("cluster_id", c.id());
    node.setAll(c.config());
    node.put("creator_user_name", c.creatorUserName());
    node.put("cluster_source", c.source());
    node.put("state", c.state().name());
    node.put(
        "state_message",
        switch (c.state()) {
          case PENDING -> "Starting Spark";
          case TERMINATING -> "Terminating";
          default -> "";
        });
    node.put("start_time", c.startTime());
    ObjectNode tags = node.putObject("default_tags");
    tags.put("Vendor", "Databricks");
    tags.put("Creator", c.creatorUserName());
    tags.put("ClusterName", c.config().path("cluster_name").asText());
    tags.put("ClusterId", c.id());
    node.set("spec", c.config());
    return node;
  }
}
