package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * The Cluster Policies API of a simulated workspace, with the paths and fields of the SDK's {@code
 * ClusterPoliciesImpl}: {@code GET list} (every policy in one response: {@code
 * ListPoliciesResponse} has no page token, and the SDK reads it as one page), {@code GET
 * get?policy_id=}, {@code POST create} ({@code CreatePolicy}, answering {@code policy_id}), {@code
 * POST edit} ({@code EditPolicy}) and {@code POST delete} ({@code DeletePolicy}). Policy
 * permissions are not simulated.
 */
final class ClusterPoliciesApi {
  static final String PREFIX = "/api/2.0/policies/clusters/";

  private final ClusterPoliciesState policies;

  ClusterPoliciesApi(ClusterPoliciesState policies) {
    this.policies = policies;
  }

  /** Answers one request under {@link #PREFIX}; null for a path or method it does not have. */
  JsonNode route(String method, String path, Map<String, String> query, RequestBody body)
      throws IOException {
    return switch (method + " " + path.substring(PREFIX.length())) {
      case "GET list" -> {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode array = response.putArray("policies");
        policies.list(query.get("sort_column"), query.get("sort_order")).forEach(array::add);
        yield response;
      }
      case "GET get" -> policies.get(query.get("policy_id"));
      case "POST create" -> {
        ObjectNode response = JSON.createObjectNode();
        response.put("policy_id", policies.create(body.read()));
        yield response;
      }
      case "POST edit" -> {
        policies.edit(body.read());
        yield JSON.createObjectNode();
      }
      case "POST delete" -> {
        policies.delete(UcJson.text(body.read(), "policy_id"));
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }
}
