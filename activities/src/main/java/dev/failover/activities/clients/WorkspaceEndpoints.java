package dev.failover.activities.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where workspace hosts are actually dialled: overrides keyed by host, for private links and the
 * simulator. A runbook names a workspace by its URL ({@code https://dbc-123.cloud.databricks.com}),
 * an operator by whatever they have at hand (with or without the scheme), so both sides are reduced
 * to the same key, the lower-case host with its port when the port is not https's default. An
 * override that could never match (a path, a scheme other than https, no host) is refused rather
 * than silently ignored.
 */
public final class WorkspaceEndpoints {
  private static final int HTTPS_PORT = 443;

  private WorkspaceEndpoints() {}

  /**
   * The overrides keyed by {@link #hostKey}.
   *
   * @throws IllegalArgumentException naming the override whose host cannot be read, or two
   *     overrides for the same host with different URLs
   */
  public static Map<String, URI> normalize(Map<String, URI> overrides) {
    Map<String, URI> byHost = new LinkedHashMap<>();
    overrides.forEach(
        (host, url) -> {
          String key = hostKey(host);
          URI earlier = byHost.putIfAbsent(key, url);
          if (earlier != null && !earlier.equals(url)) {
            throw new IllegalArgumentException(
                "workspace endpoint override: host "
                    + key
                    + " is given twice, with "
                    + earlier
                    + " and "
                    + url);
          }
        });
    return byHost;
  }

  /** The override for a runbook's workspace host, if one was given. */
  public static Optional<URI> dialledFor(Map<String, URI> normalized, String runbookHost) {
    return Optional.ofNullable(normalized.get(hostKey(runbookHost)));
  }

  /**
   * What to tell someone whose workspace host has no override while others have one: most likely a
   * misspelt host, and the request went to the host as named instead.
   */
  public static String missingOverrideNote(Map<String, URI> normalized, String runbookHost) {
    return "workspace host "
        + hostKey(runbookHost)
        + " has no workspace endpoint override (--workspace-endpoint), so it was dialled as named;"
        + " overrides were given for: "
        + String.join(", ", normalized.keySet());
  }

  /**
   * The key a workspace host is matched by: {@code dbc-123.cloud.databricks.com}, {@code
   * https://dbc-123.cloud.databricks.com/} and {@code HTTPS://DBC-123.cloud.databricks.com:443} are
   * all {@code dbc-123.cloud.databricks.com}.
   *
   * @throws IllegalArgumentException when the text names no host, or carries a path, query or a
   *     scheme other than https (the Databricks SDK dials workspaces over https only)
   */
  public static String hostKey(String host) {
    String text = host == null ? "" : host.strip();
    if (text.isEmpty()) {
      throw badHost(host, "it names no host");
    }
    URI uri;
    try {
      uri = new URI(text.contains("://") ? text : "https://" + text);
    } catch (URISyntaxException e) {
      throw badHost(host, "it is not a host name or URL");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      throw badHost(host, "only https:// workspace URLs are dialled");
    }
    if (uri.getHost() == null) {
      throw badHost(host, "it names no host");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw badHost(host, "a workspace host has no path, query or user");
    }
    String name = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    return port == -1 || port == HTTPS_PORT ? name : name + ":" + port;
  }

  private static IllegalArgumentException badHost(String host, String why) {
    return new IllegalArgumentException(
        "workspace endpoint override: '" + host + "' is not a workspace host: " + why);
  }
}
