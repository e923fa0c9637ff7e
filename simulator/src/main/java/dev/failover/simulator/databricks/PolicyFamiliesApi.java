package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The Policy Families API, read-only, with the paths and fields of the SDK's {@code
 * PolicyFamiliesImpl}: {@code GET /api/2.0/policy-families} ({@code ListPolicyFamiliesRequest}:
 * {@code max_results} 1 to 1000, {@code page_token}; answering {@code policy_families} and {@code
 * next_page_token}) and {@code GET /api/2.0/policy-families/{policy_family_id}}. The {@code
 * version} of a get is ignored: the simulated families have one version.
 */
final class PolicyFamiliesApi {
  static final String PREFIX = "/api/2.0/policy-families";

  /** Answers one request under {@link #PREFIX}; null for a path or method it does not have. */
  JsonNode route(String method, String path, Map<String, String> query) {
    if (!method.equals("GET")) {
      return null;
    }
    if (path.equals(PREFIX)) {
      return list(query.get("max_results"), query.get("page_token"));
    }
    if (path.startsWith(PREFIX + "/") && path.indexOf('/', PREFIX.length() + 1) < 0) {
      return PolicyFamilies.get(path.substring(PREFIX.length() + 1));
    }
    return null;
  }

  /** A page of families; the page token is the index of the page's first family. */
  private static JsonNode list(String maxResults, String pageToken) {
    List<ObjectNode> all = PolicyFamilies.all();
    int size = maxResults == null ? 1000 : Integer.parseInt(maxResults);
    if (size < 1 || size > 1000) {
      throw ApiError.invalid("max_results must be between 1 and 1000, got " + maxResults);
    }
    int start = pageToken == null || pageToken.isEmpty() ? 0 : Integer.parseInt(pageToken);
    int end = Math.min(all.size(), start + size);
    ObjectNode response = JSON.createObjectNode();
    ArrayNode families = response.putArray("policy_families");
    all.subList(Math.min(start, end), end).forEach(families::add);
    if (end < all.size()) {
      response.put("next_page_token", Integer.toString(end));
    }
    return response;
  }
}
