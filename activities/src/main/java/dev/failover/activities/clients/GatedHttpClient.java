package dev.failover.activities.clients;

import com.databricks.sdk.core.http.HttpClient;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.core.http.Response;
import java.io.IOException;

/** The Databricks SDK's HTTP client, its requests sent through the worker's {@link RequestGate}. */
final class GatedHttpClient implements HttpClient {
  private final HttpClient delegate;
  private final RequestGate gate;

  GatedHttpClient(HttpClient delegate, RequestGate gate) {
    this.delegate = delegate;
    this.gate = gate;
  }

  @Override
  public Response execute(Request request) throws IOException {
    String caller = RequestCaller.current();
    Request named = caller == null ? request : request.withHeader(RequestCaller.HEADER, caller);
    return gate.send(
        request.getMethod() + " " + request.getUri().getPath(), () -> delegate.execute(named));
  }
}
