package dev.failover.activities.metrics;

import dev.failover.workflows.steps.ChangeCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;

/**
 * The engine's counters, and its {@link PostureGauges}, in one Micrometer registry. Without a
 * registry to report to ({@link #none()}) every meter is a no-op, so activities record
 * unconditionally.
 */
public final class EngineMetrics {
  /** Requests sent, per service, target and API family (every attempt counts). */
  public static final String REQUESTS = "failover.api.requests";

  /** Requests the service refused as throttled (HTTP 429; S3's 503 Slow Down). */
  public static final String THROTTLED = "failover.api.throttled";

  /** Attempts that repeat a request the SDK had already sent (its own retries). */
  public static final String RETRIES = "failover.api.retries";

  /** Items a converge activity created, updated or found unchanged, per component. */
  public static final String CONVERGED = "failover.items.converged";

  private final MeterRegistry registry;
  private final PostureGauges posture;

  public EngineMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.posture = new PostureGauges(registry, clock);
  }

  /** Metrics that go nowhere: for workers and tests that serve none. */
  public static EngineMetrics none() {
    return new EngineMetrics(new CompositeMeterRegistry(), Clock.systemUTC());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The DR posture gauges, per runbook. */
  public PostureGauges posture() {
    return posture;
  }

  /** One attempt of a request was sent. */
  public void requestSent(String service, String target, String family, boolean retry) {
    counter(REQUESTS, service, target, family).increment();
    if (retry) {
      counter(RETRIES, service, target, family).increment();
    }
  }

  /** One attempt was refused as throttled. */
  public void throttled(String service, String target, String family) {
    counter(THROTTLED, service, target, family).increment();
  }

  private Counter counter(String name, String service, String target, String family) {
    return Counter.builder(name)
        .tag("service", service)
        .tag("target", target)
        .tag("family", family == null ? "other" : family)
        .register(registry);
  }

  /** What a converge activity did to one component's items. */
  public void converged(String component, ChangeCounts counts) {
    converged(component, "created", counts.created());
    converged(component, "updated", counts.updated());
    converged(component, "unchanged", counts.unchanged());
    converged(component, "deleted", counts.deleted());
  }

  private void converged(String component, String change, int items) {
    Counter.builder(CONVERGED)
        .tag("component", component)
        .tag("change", change)
        .register(registry)
        .increment(items);
  }
}
