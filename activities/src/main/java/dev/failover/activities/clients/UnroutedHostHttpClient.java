package dev.failover.activities.clients;

import com.databricks.sdk.core.http.HttpClient;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.core.http.Response;
import java.io.IOException;

/**
 * The HTTP client of a workspace whose host has no endpoint override while other hosts have one. An
 * I/O error (the host does not resolve, the connection is refused) most likely means a misspelt
 * override, so it carries a {@link MissingEndpointOverride} naming the host and the overrides
 * given, which {@link dev.failover.activities.errors.CloudFailures} adds to the step's message. The
 * error itself is rethrown unchanged, so the SDK's retry decisions, which look at its type, stay
 * the same.
 */
final class UnroutedHostHttpClient implements HttpClient {
  private final HttpClient delegate;
  private final String note;

  UnroutedHostHttpClient(HttpClient delegate, String note) {
    this.delegate = delegate;
    this.note = note;
  }

  @Override
  public Response execute(Request request) throws IOException {
    try {
      return delegate.execute(request);
    } catch (IOException e) {
      e.addSuppressed(new MissingEndpointOverride(note));
      throw e;
    }
  }
}
