package dev.failover.simulator.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The discovery documents a workspace serves without a token, which the SDK reads while it resolves
 * its configuration: host metadata (which gives it the workspace id it then sends as {@code
 * X-Databricks-Workspace-Id}) and the OAuth authorization server metadata.
 */
final class Discovery {
  private Discovery() {}

  /** The document a GET asks for, or null when the request is not a discovery request. */
  static JsonNode answer(HttpExchange exchange, WorkspaceState state) {
    if (!exchange.getRequestMethod().equals("GET")) {
      return null;
    }
    String base = "http://" + exchange.getRequestHeaders().getFirst("Host");
    ObjectNode node = UcJson.JSON.createObjectNode();
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
}
