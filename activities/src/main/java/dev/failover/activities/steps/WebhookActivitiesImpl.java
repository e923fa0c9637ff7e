package dev.failover.activities.steps;

import dev.failover.activities.webhook.WebhookCaller;
import dev.failover.workflows.steps.WebhookActivities;
import dev.failover.workflows.steps.WebhookRequest;
import java.net.http.HttpClient;
import java.time.Duration;

/** Custom webhook steps; the logic lives in the {@code webhook} package. */
public final class WebhookActivitiesImpl implements WebhookActivities {
  private final WebhookCaller caller =
      new WebhookCaller(
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NEVER)
              .build());

  @Override
  public String call(WebhookRequest request) {
    return caller.call(request);
  }
}
