package dev.failover.activities.clients;

import com.databricks.sdk.core.http.HttpClient;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.core.http.Response;
import dev.failover.activities.metrics.ApiFamilies;
import dev.failover.activities.metrics.EngineMetrics;
import dev.failover.activities.metrics.RetriedCall;
import java.io.IOException;
import java.lang.ref.WeakReference;

/**
 * The Databricks SDK's HTTP client, counting each attempt it sends to one host, its 429s, and its
 * retries. The SDK's ApiClient (0.141.0) retries by sending the same {@link Request} object again
 * from the same thread, so an attempt whose request is the one this thread sent last is a retry; so
 * is the first request of a call the engine's CallRetry tries again ({@link RetriedCall}).
 */
final class MeteredHttpClient implements HttpClient {
  private static final ThreadLocal<WeakReference<Request>> LAST_SENT =
      ThreadLocal.withInitial(() -> new WeakReference<>(null));

  private final HttpClient delegate;
  private final EngineMetrics metrics;
  private final String host;

  MeteredHttpClient(HttpClient delegate, EngineMetrics metrics, String host) {
    this.delegate = delegate;
    this.metrics = metrics;
    this.host = host;
  }

  @Override
  public Response execute(Request request) throws IOException {
    String family = ApiFamilies.databricks(request.getMethod(), request.getUri().getPath());
    // Either the SDK repeats its request, or the engine's CallRetry repeats a failed call.
    boolean retry = LAST_SENT.get().get() == request | RetriedCall.take();
    LAST_SENT.set(new WeakReference<>(request));
    metrics.requestSent("databricks", host, family, retry);
    Response response = delegate.execute(request);
    if (response.getStatusCode() == 429) {
      metrics.throttled("databricks", host, family);
    }
    return response;
  }
}
