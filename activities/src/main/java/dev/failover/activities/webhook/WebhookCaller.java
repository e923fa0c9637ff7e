package dev.failover.activities.webhook;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.WebhookRequest;
import dev.failover.workflows.steps.Webhooks;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Makes a custom step's call with the JDK's HTTP client. Only the URL's scheme, host and path are
 * ever shown (its query may carry a token the receiver needs); the answer's body is quoted up to
 * 200 characters in a failure, so an operator sees why the receiver refused.
 */
public final class WebhookCaller {
  private final HttpClient http;

  public WebhookCaller(HttpClient http) {
    this.http = http;
  }

  public String call(WebhookRequest request) {
    Runbook.Webhook hook = request.webhook();
    String shown = hook.method() + " " + Webhooks.shown(hook.url());
    HttpRequest.BodyPublisher body =
        hook.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(hook.body(), StandardCharsets.UTF_8);
    HttpRequest http =
        HttpRequest.newBuilder(URI.create(hook.url()))
            .timeout(Duration.ofSeconds(hook.timeoutSeconds()))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", request.idempotencyKey())
            .header("User-Agent", "failover-runbooks")
            .method(hook.method(), body)
            .build();
    HttpResponse<String> response;
    try {
      response = this.http.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "step " + request.step() + ": " + shown + " did not answer: " + e.getMessage(),
          FailureTypes.UNAVAILABLE,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "step " + request.step() + ": interrupted", FailureTypes.UNAVAILABLE);
    }
    int status = response.statusCode();
    if (status == hook.expectStatus()) {
      return shown + " answered " + status;
    }
    String answer = response.body() == null ? "" : response.body().strip();
    String message =
        "step "
            + request.step()
            + ": "
            + shown
            + " answered "
            + status
            + ", expected "
            + hook.expectStatus()
            + (answer.isEmpty()
                ? ""
                : ": " + (answer.length() > 200 ? answer.substring(0, 200) + "..." : answer));
    boolean transientFailure = status == 429 || status >= 500;
    throw ApplicationFailure.newFailure(
        message, transientFailure ? FailureTypes.UNAVAILABLE : FailureTypes.INVALID_REQUEST);
  }
}
