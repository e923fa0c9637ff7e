package dev.failover.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.failover.activities.metrics.EngineMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The worker's metrics, served for Prometheus at {@code /metrics}: the Temporal SDK's own (through
 * its Micrometer reporter: {@code temporal_request}, {@code temporal_workflow_completed}, ...) and
 * the engine's ({@link EngineMetrics}), in one registry, scraped in Prometheus' text format.
 */
public final class WorkerMetrics implements AutoCloseable {
  /** How often the SDK's tally scope flushes into the registry: well under any scrape interval. */
  private static final com.uber.m3.util.Duration SDK_REPORT_INTERVAL =
      com.uber.m3.util.Duration.ofSeconds(1);

  private final PrometheusMeterRegistry registry;
  private final Scope temporalScope;
  private final EngineMetrics engine;
  private final HttpServer server;

  private WorkerMetrics(PrometheusMeterRegistry registry, HttpServer server) {
    this.registry = registry;
    this.server = server;
    this.temporalScope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(SDK_REPORT_INTERVAL);
    this.engine = new EngineMetrics(registry, Clock.systemUTC());
  }

  /** Serves {@code /metrics} at {@code address} (port 0: any free port) until closed. */
  public static WorkerMetrics serve(InetSocketAddress address) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on port " + address.getPort() + ": " + e.getMessage(), e);
    }
    WorkerMetrics metrics = new WorkerMetrics(registry, server);
    server.createContext("/metrics", metrics::scrape);
    server.start();
    return metrics;
  }

  private void scrape(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The scope to give the Temporal client's service stubs, so its workers report into it. */
  public Scope temporalScope() {
    return temporalScope;
  }

  /** The engine's metrics, for the worker's activities. */
  public EngineMetrics engine() {
    return engine;
  }

  /** The port {@code /metrics} is served on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    try {
      temporalScope.close();
    } catch (com.uber.m3.tally.ScopeCloseException e) {
      // Only the last flush into the registry is lost, and the registry closes next.
    }
    registry.close();
  }
}
