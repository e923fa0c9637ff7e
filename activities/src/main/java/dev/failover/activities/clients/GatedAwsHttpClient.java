package dev.failover.activities.clients;

import java.io.IOException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.utils.AttributeMap;

/** The AWS SDK's HTTP client, its requests sent through the worker's {@link RequestGate}. */
final class GatedAwsHttpClient implements SdkHttpClient {
  private final SdkHttpClient delegate;
  private final RequestGate gate;

  private GatedAwsHttpClient(SdkHttpClient delegate, RequestGate gate) {
    this.delegate = delegate;
    this.gate = gate;
  }

  /**
   * A builder of the gated client over {@code builder}'s, so that the SDK client built with it owns
   * the pooled client and closes it when it is closed.
   */
  static Builder builder(SdkHttpClient.Builder<?> builder, RequestGate gate) {
    return new Builder(builder, gate);
  }

  /** Builds the gated client over the pooled one, with the SDK client's defaults. */
  static final class Builder implements SdkHttpClient.Builder<Builder> {
    private final SdkHttpClient.Builder<?> pooled;
    private final RequestGate gate;

    private Builder(SdkHttpClient.Builder<?> pooled, RequestGate gate) {
      this.pooled = pooled;
      this.gate = gate;
    }

    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
      return new GatedAwsHttpClient(pooled.buildWithDefaults(serviceDefaults), gate);
    }
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest prepared = delegate.prepareRequest(named(request));
    String what = request.httpRequest().method() + " " + request.httpRequest().encodedPath();
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        return gate.send(what, prepared::call);
      }

      @Override
      public void abort() {
        prepared.abort();
      }
    };
  }

  /** The request with the activity it is sent for ({@link RequestCaller}); added after signing. */
  private static HttpExecuteRequest named(HttpExecuteRequest request) {
    String caller = RequestCaller.current();
    if (caller == null) {
      return request;
    }
    return HttpExecuteRequest.builder()
        .request(request.httpRequest().toBuilder().putHeader(RequestCaller.HEADER, caller).build())
        .contentStreamProvider(request.contentStreamProvider().orElse(null))
        .metricCollector(request.metricCollector().orElse(null))
        .build();
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
