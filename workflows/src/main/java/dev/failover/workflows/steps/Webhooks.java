package dev.failover.workflows.steps;

import java.net.URI;

/** How a webhook URL is shown in reports and logs: without its query, which may carry tokens. */
public final class Webhooks {
  private Webhooks() {}

  public static String shown(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getPath() == null ? "" : uri.getPath());
    } catch (IllegalArgumentException e) {
      return "(invalid URL)";
    }
  }
}
