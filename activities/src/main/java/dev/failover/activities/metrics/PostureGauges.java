package dev.failover.activities.metrics;

import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.SnapshotRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DR posture of each runbook as its last run and capture found it, as gauges an on-call team
 * alerts on: the replication backlog per bucket pair, the age of the newest snapshot, the last
 * successful drill and its RTO, and the objectives to compare them with. Recorded from activity
 * results in the worker (the report a run stores, the snapshot a capture writes), never from
 * workflow code, which must stay deterministic.
 */
public final class PostureGauges {
  public static final String PENDING = "failover.replication.pending.versions";
  public static final String FAILED = "failover.replication.failed.versions";
  public static final String OLDEST_PENDING = "failover.replication.oldest.pending.seconds";
  public static final String SNAPSHOT_TIME = "failover.snapshot.newest.timestamp.seconds";
  public static final String SNAPSHOT_AGE = "failover.snapshot.age.seconds";
  public static final String DRILL_TIME = "failover.drill.last.success.timestamp.seconds";
  public static final String DRILL_RTO = "failover.drill.last.success.rto.seconds";
  public static final String RPO_OBJECTIVE = "failover.rpo.objective.seconds";
  public static final String RTO_OBJECTIVE = "failover.rto.objective.seconds";
  public static final String CAPTURE_INTERVAL = "failover.capture.interval.seconds";
  public static final String RUNS = "failover.runs";
  public static final String STEP_DURATION = "failover.step.duration";

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, Value> values = new ConcurrentHashMap<>();

  /** Runs already recorded: a retried report activity must not count a run's steps twice. */
  private final Set<String> recordedRuns = ConcurrentHashMap.newKeySet();

  PostureGauges(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** A gauge's current value; NaN until one is recorded. */
  private static final class Value {
    private volatile double value = Double.NaN;
  }

  /** What a run's report says about the posture, and its steps' durations. */
  public void runEnded(RunReport report) {
    String runbook = report.runbook();
    if (report.replication() != null) {
      report.replication().forEach(health -> replication(runbook, health));
    }
    if (report.snapshot() != null) {
      snapshotCaptured(runbook, report.snapshot());
    }
    set(RPO_OBJECTIVE, Tags.of("runbook", runbook), report.rpoObjectiveSeconds());
    set(RTO_OBJECTIVE, Tags.of("runbook", runbook), report.rtoObjectiveSeconds());
    if (report.captureIntervalSeconds() != null) {
      set(CAPTURE_INTERVAL, Tags.of("runbook", runbook), report.captureIntervalSeconds());
    }
    if (report.mode() == Mode.DRILL
        && report.outcome() == Outcome.SUCCEEDED
        && report.endedAt() != null) {
      set(DRILL_TIME, Tags.of("runbook", runbook), epochSeconds(report.endedAt()));
      if (report.rtoSeconds() != null) {
        set(DRILL_RTO, Tags.of("runbook", runbook), report.rtoSeconds());
      }
    }
    if (recordedRuns.add(report.workflowId() + "/" + report.runId())) {
      counted(report);
    }
  }

  /** The run's outcome and its steps' durations, once per run. */
  private void counted(RunReport report) {
    Counter.builder(RUNS)
        .tag("runbook", report.runbook())
        .tag("mode", report.mode().label())
        .tag("outcome", String.valueOf(report.outcome()))
        .register(registry)
        .increment();
    for (StepReport step : report.steps()) {
      if (step.startedAt() != null && step.endedAt() != null) {
        Timer.builder(STEP_DURATION)
            .tag("runbook", report.runbook())
            .tag("mode", report.mode().label())
            .tag("step", step.name())
            .tag("status", String.valueOf(step.status()))
            .register(registry)
            .record(
                Duration.between(Instant.parse(step.startedAt()), Instant.parse(step.endedAt())));
      }
    }
  }

  /** One direction of a bucket pair, as readiness measured it. */
  public void replication(String runbook, ReplicationHealth health) {
    Tags tags =
        Tags.of(
            "runbook", runbook,
            "pair", health.pair(),
            "source", health.source(),
            "destination", health.destination());
    if (!health.sourceReachable()) {
      // Nothing is known while the source's region does not answer: no stale figure stays shown.
      set(PENDING, tags, Double.NaN);
      set(FAILED, tags, Double.NaN);
      set(OLDEST_PENDING, tags, Double.NaN);
      return;
    }
    set(PENDING, tags, health.pending());
    set(FAILED, tags, health.failed());
    set(OLDEST_PENDING, tags, health.rpoSeconds());
  }

  /** A snapshot was written (a capture, or a run's own): the newest one is the later of the two. */
  public void snapshotCaptured(String runbook, SnapshotRef snapshot) {
    if (snapshot.capturedAt() == null) {
      return;
    }
    double at = epochSeconds(snapshot.capturedAt());
    Tags tags = Tags.of("runbook", runbook);
    Value newest = value(SNAPSHOT_TIME, tags);
    synchronized (newest) {
      if (Double.isNaN(newest.value) || at > newest.value) {
        newest.value = at;
      }
    }
    // The age is computed at each scrape, so it grows while no capture succeeds.
    values.computeIfAbsent(
        key(SNAPSHOT_AGE, tags),
        k -> {
          Gauge.builder(SNAPSHOT_AGE, newest, v -> nowSeconds() - v.value)
              .tags(tags)
              .strongReference(true)
              .register(registry);
          return newest;
        });
  }

  private double nowSeconds() {
    return clock.millis() / 1000.0;
  }

  private static double epochSeconds(String isoInstant) {
    return Instant.parse(isoInstant).toEpochMilli() / 1000.0;
  }

  private void set(String name, Tags tags, Number number) {
    if (number != null) {
      value(name, tags).value = number.doubleValue();
    }
  }

  /** The value behind a gauge, registering the gauge the first time. */
  private Value value(String name, Tags tags) {
    return values.computeIfAbsent(
        key(name, tags),
        k -> {
          Value value = new Value();
          Gauge.builder(name, value, v -> v.value)
              .tags(tags)
              .strongReference(true)
              .register(registry);
          return value;
        });
  }

  private static String key(String name, Tags tags) {
    return name + tags;
  }
}
