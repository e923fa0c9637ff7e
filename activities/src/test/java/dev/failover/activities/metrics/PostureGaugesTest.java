package dev.failover.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.SnapshotRef;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostureGaugesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PostureGauges posture =
      new EngineMetrics(registry, Clock.fixed(NOW, ZoneOffset.UTC)).posture();

  @Test
  void aSucceededDrillSetsTheBacklogSnapshotAndLastDrillGauges() {
    posture.runEnded(report(Mode.DRILL, Outcome.SUCCEEDED, "2026-03-01T11:00:00Z"));

    assertThat(gauge(PostureGauges.PENDING).tag("pair", "lakehouse").gauge().value()).isEqualTo(4);
    assertThat(gauge(PostureGauges.FAILED).tag("source", "use1").gauge().value()).isEqualTo(1);
    assertThat(gauge(PostureGauges.OLDEST_PENDING).gauge().value()).isEqualTo(120);
    assertThat(gauge(PostureGauges.DRILL_TIME).gauge().value())
        .isEqualTo(Instant.parse("2026-03-01T11:00:00Z").getEpochSecond());
    assertThat(gauge(PostureGauges.DRILL_RTO).gauge().value()).isEqualTo(600);
    assertThat(gauge(PostureGauges.RPO_OBJECTIVE).gauge().value()).isEqualTo(900);
    assertThat(gauge(PostureGauges.CAPTURE_INTERVAL).gauge().value()).isEqualTo(3600);
    // Captured 10:00, scraped at noon.
    assertThat(gauge(PostureGauges.SNAPSHOT_AGE).gauge().value()).isEqualTo(7200);
  }

  @Test
  void aFailedDrillOrAFailoverLeavesTheLastSuccessfulDrillAsItWas() {
    posture.runEnded(report(Mode.DRILL, Outcome.SUCCEEDED, "2026-03-01T09:00:00Z"));
    posture.runEnded(report(Mode.DRILL, Outcome.FAILED, "2026-03-01T10:00:00Z"));
    posture.runEnded(report(Mode.FAILOVER, Outcome.SUCCEEDED, "2026-03-01T11:00:00Z"));

    assertThat(gauge(PostureGauges.DRILL_TIME).gauge().value())
        .isEqualTo(Instant.parse("2026-03-01T09:00:00Z").getEpochSecond());
  }

  @Test
  void aReportStoredTwiceCountsItsRunAndStepsOnce() {
    RunReport report = report(Mode.DRILL, Outcome.SUCCEEDED, "2026-03-01T11:00:00Z");
    posture.runEnded(report);
    posture.runEnded(report);

    assertThat(registry.get(PostureGauges.RUNS).counter().count()).isEqualTo(1);
    assertThat(registry.get(PostureGauges.STEP_DURATION).tag("step", "capture").timer().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(PostureGauges.STEP_DURATION)
                .tag("step", "capture")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(90);
  }

  @Test
  void aSourceThatDidNotAnswerLeavesTheBacklogUnknownNotStale() {
    posture.runEnded(report(Mode.DRILL, Outcome.SUCCEEDED, "2026-03-01T11:00:00Z"));
    posture.replication(
        "acme", ReplicationHealth.of("lakehouse", "use1", "usw2").sourceReachable(false).build());

    assertThat(gauge(PostureGauges.PENDING).gauge().value()).isNaN();
    assertThat(gauge(PostureGauges.OLDEST_PENDING).gauge().value()).isNaN();
  }

  @Test
  void anOlderSnapshotDoesNotReplaceTheNewestOne() {
    posture.snapshotCaptured("acme", snapshot("2026-03-01T11:30:00Z"));
    posture.snapshotCaptured("acme", snapshot("2026-03-01T08:00:00Z"));

    assertThat(gauge(PostureGauges.SNAPSHOT_TIME).gauge().value())
        .isEqualTo(Instant.parse("2026-03-01T11:30:00Z").getEpochSecond());
    assertThat(gauge(PostureGauges.SNAPSHOT_AGE).gauge().value()).isEqualTo(1800);
  }

  private RequiredSearch gauge(String name) {
    return registry.get(name).tag("runbook", "acme");
  }

  private static SnapshotRef snapshot(String capturedAt) {
    return new SnapshotRef(
        new BucketTarget("secondary", "usw2", "us-west-2", "dr"),
        "failover/acme/snapshots/1.json.gz",
        "v1",
        "00",
        10,
        capturedAt,
        1,
        1,
        1,
        1);
  }

  private static RunReport report(Mode mode, Outcome outcome, String endedAt) {
    ReplicationHealth health =
        ReplicationHealth.of("lakehouse", "use1", "usw2")
            .ruleId("rule")
            .backlog(100, 4, 1, 120L)
            .measuredAt("2026-03-01T10:30:00Z")
            .summary("4 pending")
            .build();
    StepReport capture =
        new StepReport(
            "capture",
            "capture",
            StepStatus.SUCCEEDED,
            "2026-03-01T10:00:00Z",
            "2026-03-01T10:01:30Z",
            null,
            null);
    return new RunReport(
        "acme",
        "failover-acme",
        "run-" + endedAt,
        mode,
        null,
        "sre",
        outcome,
        "2026-03-01T09:50:00Z",
        endedAt,
        600L,
        3600,
        900,
        null,
        null,
        null,
        List.of(capture),
        List.of(health),
        List.of(),
        List.of(),
        snapshot("2026-03-01T10:00:00Z"),
        null,
        null,
        List.of(),
        List.of(),
        List.of(),
        null,
        3600L,
        null);
  }
}
