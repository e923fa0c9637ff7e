package dev.failover.activities.clients;

import com.databricks.sdk.core.http.HttpClient;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.core.http.Response;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The Databricks SDK's HTTP client, paced per API family of one workspace. The SDK itself retries a
 * 429 after its Retry-After; this client also tells the pacer, so the family as a whole slows.
 */
final class PacedHttpClient implements HttpClient {
  private final HttpClient delegate;
  private final ApiPacer pacer;
  private final String workspace;

  PacedHttpClient(HttpClient delegate, ApiPacer pacer, String workspace) {
    this.delegate = delegate;
    this.pacer = pacer;
    this.workspace = workspace;
  }

  @Override
  public Response execute(Request request) throws IOException {
    String method = request.getMethod();
    String path = request.getUri().getPath();
    try {
      pacer.acquire(workspace, method, path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pacing " + method + " " + path);
    }
    Response response = delegate.execute(request);
    if (response.getStatusCode() == 429) {
      pacer.throttled(workspace, method, path, retryAfter(response));
    }
    return response;
  }

  /** Retry-After in seconds (1 when absent or not a number of seconds). */
  private static long retryAfter(Response response) {
    String value = response.getFirstHeader("Retry-After");
    try {
      return value == null ? 1 : Math.max(1, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
