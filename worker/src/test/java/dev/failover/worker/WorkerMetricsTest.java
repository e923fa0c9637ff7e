package dev.failover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.workflows.steps.ChangeCounts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The worker's /metrics endpoint: the engine's and the SDK's meters in Prometheus' format. */
class WorkerMetricsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aScrapeShowsTheEnginesAndTheSdksMetricsInPrometheusTextFormat() throws Exception {
    try (WorkerMetrics metrics =
        WorkerMetrics.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      metrics.engine().requestSent("databricks", "https://dbc.example", "jobs", false);
      metrics.engine().converged("jobs", new ChangeCounts(2, 1, 3, 0, 0));
      // What the SDK's workers report through the scope, flushed into the registry each second.
      metrics.temporalScope().counter("temporal_request").inc(1);
      Thread.sleep(1_500);

      HttpResponse<String> scrape = get(metrics.port(), "GET");

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
      assertThat(scrape.body())
          .contains(
              "failover_api_requests_total{family=\"jobs\",service=\"databricks\","
                  + "target=\"https://dbc.example\"} 1.0")
          .contains("failover_items_converged_total{change=\"created\",component=\"jobs\"} 2.0")
          .contains("temporal_request_total 1.0");
    }
  }

  @Test
  void onlyGetIsServed() throws Exception {
    try (WorkerMetrics metrics =
        WorkerMetrics.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      assertThat(get(metrics.port(), "POST").statusCode()).isEqualTo(405);
    }
  }

  private HttpResponse<String> get(int port, String method) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
