package dev.failover.workflows.run;

import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.ReplicationHealth;
import java.util.List;

/** Run reports shaped as real runs leave them, for the report formats' tests. */
final class SampleReports {
  static final String FAILED_KEY = "raw/orders/2026/12/05/part-0007.parquet";
  static final String TORN_TABLE = "sales.silver.orders_clean";
  static final String MANAGED_TABLE = "sales.gold.top_customers";

  private SampleReports() {}

  /**
   * A drill like the demo's: it succeeded, its backlog is 0 s, yet one object failed to replicate
   * and one Delta table is torn; clean-up was skipped (kept).
   */
  static RunReport drillWithLoss() {
    return report(
        Outcome.SUCCEEDED,
        List.of(
            step("readiness", StepStatus.SUCCEEDED, 0, 1200, null),
            step("capture", StepStatus.SUCCEEDED, 1200, 2500, null),
            step(
                "converge-tables",
                StepStatus.SUCCEEDED,
                2500,
                4100,
                "1 created, 0 updated, 0 unchanged, 0 removed"
                    + ConvergeStep.LEFT_ALONE
                    + MANAGED_TABLE
                    + ": managed table: its data is not replicated; copy it with DEEP CLONE"),
            step("check-delta-tables", StepStatus.SUCCEEDED, 4100, 4900, null),
            step(
                "clean-up",
                StepStatus.SKIPPED,
                4900,
                4950,
                "kept: the drill was started with --keep")),
        List.of(lakehouse(1, List.of(FAILED_KEY))),
        List.of(
            new DeltaTableCheck(
                TORN_TABLE,
                "s3://acme-lakehouse-usw2/silver/orders_clean",
                DeltaTableCheck.Status.TORN,
                2L,
                2L,
                1L,
                1,
                "v2 names 1 data file the replica lacks"),
            new DeltaTableCheck(
                "sales.gold.revenue",
                "s3://acme-lakehouse-usw2/gold/revenue",
                DeltaTableCheck.Status.CONSISTENT,
                4L,
                4L,
                4L,
                0,
                "complete")));
  }

  /**
   * A failed run whose step names and messages carry what would break a Mermaid gantt: colons,
   * hashes, semicolons, percent signs, keywords, new lines, backticks and HTML.
   */
  static RunReport failedWithHostileNames() {
    return report(
        Outcome.FAILED,
        List.of(
            step("readiness", StepStatus.SUCCEEDED, 0, 900, null),
            step("section: notify #ops; %% now", StepStatus.SUCCEEDED, 900, 1500, null),
            step("click call href", StepStatus.SUCCEEDED, 1500, 1600, null),
            step(
                "webhook: pager#1",
                StepStatus.FAILED,
                1600,
                4700,
                "POST https://hooks.example/x?a=1#frag; answered 500:\n<b>`oops`</b> 100% sure"),
            step("2026-12-05 backfill", StepStatus.SKIPPED, 4700, 4800, "skipped by alice: ok"),
            step("gantt", StepStatus.RUNNING, 4800, -1, null),
            new StepReport("smoke-test", "", StepStatus.NOT_RUN, null, null, null, null),
            new StepReport("report", "", StepStatus.PENDING, null, null, null, null)),
        List.of(lakehouse(0, List.of())),
        List.of());
  }

  /** A drill that ran every built-in step, one after the other, 100 ms each. */
  static RunReport everyBuiltInStep() {
    List<StepReport> steps = new java.util.ArrayList<>();
    Step[] all = Step.values();
    for (int i = 0; i < all.length; i++) {
      steps.add(step(all[i].stepName(), StepStatus.SUCCEEDED, i * 100L, i * 100L + 100, null));
    }
    return report(Outcome.SUCCEEDED, steps, List.of(lakehouse(0, List.of())), List.of());
  }

  /** A run with nothing at risk. */
  static RunReport healthyDrill() {
    return report(
        Outcome.SUCCEEDED,
        List.of(
            step("readiness", StepStatus.SUCCEEDED, 0, 1200, null),
            step("capture", StepStatus.SUCCEEDED, 1200, 2500, null)),
        List.of(lakehouse(0, List.of())),
        List.of());
  }

  private static ReplicationHealth lakehouse(int failed, List<String> failedKeys) {
    return ReplicationHealth.of("lakehouse", "acme-lakehouse-use1", "acme-lakehouse-usw2")
        .sourceReachable(true)
        .ruleId("lakehouse-to-dr")
        .backlog(120, 0, failed, null)
        .failedKeys(failedKeys)
        .measuredAt("2026-12-05T10:00:00Z")
        .summary("rule lakehouse-to-dr: 0 pending, " + failed + " failed")
        .build();
  }

  private static StepReport step(
      String name, StepStatus status, long startMillis, long endMillis, String message) {
    return new StepReport(
        name,
        "",
        status,
        at(startMillis),
        endMillis < 0 ? null : at(endMillis),
        new ChangeCounts(1, 0, 0, 0, 0),
        message);
  }

  private static String at(long millis) {
    return java.time.Instant.parse("2026-12-05T10:00:00Z").plusMillis(millis).toString();
  }

  private static RunReport report(
      Outcome outcome,
      List<StepReport> steps,
      List<ReplicationHealth> replication,
      List<DeltaTableCheck> tables) {
    return new RunReport(
        "acme-lakehouse",
        "failover-acme-lakehouse",
        "run-1",
        Mode.DRILL,
        "DRILL-42",
        "oncall-sre",
        outcome,
        at(0),
        at(5000),
        5L,
        3600,
        900,
        0L,
        null,
        null,
        steps,
        replication,
        List.of(),
        tables,
        null,
        null,
        outcome == Outcome.FAILED ? "step webhook failed" : null,
        List.of(),
        List.of(),
        List.of(),
        null,
        null,
        null);
  }
}
