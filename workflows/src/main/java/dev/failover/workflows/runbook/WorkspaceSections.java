package dev.failover.workflows.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads the primary and secondary sides and the optional account section of a runbook. */
final class WorkspaceSections {
  private final RunbookFields f;

  WorkspaceSections(RunbookFields f) {
    this.f = f;
  }

  Runbook.Side side(JsonNode root, String field) {
    JsonNode node = f.object(root, "", field, true);
    if (node == null) {
      return null;
    }
    f.allowOnly(node, field, "region", "workspaceHost", "credentialProfile");
    String region = f.region(node, field, "region");
    String host = f.text(node, field, "workspaceHost", true);
    if (host != null) {
      host = workspaceHost(field + ".workspaceHost", host);
    }
    String profile = f.profileName(node, field, "credentialProfile");
    return new Runbook.Side(region, host, profile);
  }

  private String workspaceHost(String path, String host) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(host);
    } catch (java.net.URISyntaxException e) {
      f.problem(
          path, "must be a URL such as https://dbc-1234.cloud.databricks.com, got '" + host + "'");
      return host;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") || uri.getHost() == null) {
      f.problem(
          path,
          "must be an https:// URL such as https://dbc-1234.cloud.databricks.com, got '"
              + host
              + "'");
    } else if (uri.getRawPath() != null
        && !uri.getRawPath().isEmpty()
        && !uri.getRawPath().equals("/")) {
      f.problem(path, "must be the workspace's base URL without a path, got '" + host + "'");
    } else if (uri.getUserInfo() != null || uri.getRawQuery() != null) {
      f.problem(path, "must not carry credentials or a query, only the workspace's base URL");
    }
    return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
  }

  void crossCheckSides(Runbook.Side primary, Runbook.Side secondary) {
    if (primary == null || secondary == null) {
      return;
    }
    if (primary.region() != null && primary.region().equals(secondary.region())) {
      f.problem("secondary.region", "must differ from primary.region (" + primary.region() + ")");
    }
    if (primary.workspaceHost() != null
        && primary.workspaceHost().equalsIgnoreCase(secondary.workspaceHost())) {
      f.problem("secondary.workspaceHost", "must differ from primary.workspaceHost");
    }
  }

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** The optional account section; null when absent. */
  AccountSettings account(JsonNode root) {
    JsonNode node = f.object(root, "", "account", false);
    if (node == null) {
      return null;
    }
    f.allowOnly(
        node,
        "account",
        "host",
        "accountId",
        "credentialProfile",
        "primaryWorkspaceId",
        "secondaryWorkspaceId");
    String host = f.text(node, "account", "host", true);
    if (host != null) {
      host = accountHost(host);
    }
    String accountId = f.text(node, "account", "accountId", true);
    if (accountId != null && !UUID.matcher(accountId).matches()) {
      f.problem(
          "account.accountId",
          "must be the account's id, a UUID such as 0d26daa6-5e44-4c97-a497-ef015f91254a, got '"
              + accountId
              + "'");
    }
    String profile = f.profileName(node, "account", "credentialProfile");
    Long primary = workspaceId(node, "primaryWorkspaceId");
    Long secondary = workspaceId(node, "secondaryWorkspaceId");
    if (primary != null && primary.equals(secondary)) {
      f.problem("account.secondaryWorkspaceId", "must differ from account.primaryWorkspaceId");
    }
    return new AccountSettings(
        host, accountId, profile, primary == null ? 0 : primary, secondary == null ? 0 : secondary);
  }

  private String accountHost(String host) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(host);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || !"https".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null
        || uri.getUserInfo() != null
        || uri.getRawQuery() != null
        || (uri.getRawPath() != null
            && !uri.getRawPath().isEmpty()
            && !uri.getRawPath().equals("/"))) {
      f.problem(
          "account.host",
          "must be the account console's https:// URL without a path, such as"
              + " https://accounts.cloud.databricks.com, got '"
              + host
              + "'");
    }
    return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
  }

  private Long workspaceId(JsonNode node, String field) {
    JsonNode value = node.get(field);
    String path = "account." + field;
    if (value == null || value.isNull()) {
      f.problem(path, "is required");
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() <= 0) {
      f.problem(
          path,
          "must be the workspace's id in the account, a positive number, got '"
              + value.asText()
              + "'");
      return null;
    }
    return value.longValue();
  }
}
