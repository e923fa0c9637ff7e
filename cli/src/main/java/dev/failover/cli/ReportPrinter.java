package dev.failover.cli;

import dev.failover.workflows.run.ComponentMatrix;
import dev.failover.workflows.run.DataRpo;
import dev.failover.workflows.run.OperatorEvent;
import dev.failover.workflows.run.ReportJson;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunRisk;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.FenceResult;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageChange;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Prints a run report for people (a table) or machines (one JSON object). */
public final class ReportPrinter {
  private ReportPrinter() {}

  /** The report as one JSON object, its risks first (see {@link ReportJson}). */
  public static void json(RunReport report, PrintWriter out) {
    out.println(ReportJson.render(report));
    out.flush();
  }

  public static void text(RunReport report, PrintWriter out) {
    out.printf(
        "%s of runbook %s: %s%n",
        capitalized(report.mode().name()), report.runbook(), report.outcome());
    risks(report, out);
    out.printf("  workflow %s  run %s%n", report.workflowId(), report.runId());
    out.printf(
        "  started %s by %s%s%n",
        report.startedAt(),
        report.requestedBy(),
        report.incidentId() == null ? "" : "  incident " + report.incidentId());
    if (report.approval() != null) {
      out.printf(
          "  approved by %s%s after %ds%n",
          report.approval().by(),
          report.approval().comment() == null || report.approval().comment().isBlank()
              ? ""
              : " (\"" + report.approval().comment() + "\")",
          report.approvalWaitSeconds() == null ? 0 : report.approvalWaitSeconds());
    }
    if (report.waitingFor() != null) {
      out.printf("  waiting for %s%n", report.waitingFor());
    }
    if (report.rtoSeconds() != null) {
      long wait = report.approvalWaitSeconds() == null ? 0 : report.approvalWaitSeconds();
      long working = report.rtoSeconds() - wait;
      out.printf(
          "  RTO %ds (objective %ds: %s)%s%n",
          report.rtoSeconds(),
          report.rtoObjectiveSeconds(),
          report.rtoSeconds() <= report.rtoObjectiveSeconds() ? "met" : "MISSED",
          wait > 0 ? String.format(Locale.ROOT, "; %ds excluding the approval wait", working) : "");
    }
    DataRpo rpo = DataRpo.of(report);
    if (rpo.verdict() != DataRpo.Verdict.NOT_MEASURED) {
      out.printf("  data RPO %s%n", rpo.summary());
    }
    if (report.controlPlaneRpoSeconds() != null) {
      out.printf(
          "  control-plane RPO %ds (%s%s)%n",
          report.controlPlaneRpoSeconds(),
          report.controlPlaneRpoFromGroup()
              ? "the failover group's replication point"
              : "converged from the primary's newest snapshot",
          report.captureScheduleVerdict().isEmpty()
              ? ""
              : "; " + (report.snapshotStale() ? "STALE, " : "") + report.captureScheduleVerdict());
    }
    int width =
        Math.max(18, report.steps().stream().mapToInt(s -> s.name().length()).max().orElse(0));
    String row = "%n  %-" + width + "s %-10s %9s %8s %8s %10s %8s %8s  %s";
    out.printf(
        row + "%n",
        "STEP",
        "STATUS",
        "DURATION",
        "CREATED",
        "UPDATED",
        "UNCHANGED",
        "REMOVED",
        "RETRIES",
        "DETAIL");
    for (StepReport step : report.steps()) {
      ChangeCounts c = step.counts();
      out.printf(
          row.substring(2) + "%n",
          step.name(),
          step.status(),
          duration(step.startedAt(), step.endedAt()),
          c == null ? "-" : c.created(),
          c == null ? "-" : c.updated(),
          c == null ? "-" : c.unchanged(),
          c == null ? "-" : c.deleted(),
          c == null ? "-" : c.retries(),
          step.message() == null ? "" : step.message());
    }
    matrix(report, out);
    operatorEvents(report, out);
    replication(report, out);
    storage(report, out);
    fencing(report, out);
    deltaTables(report, out);
    SnapshotRef snapshot = report.snapshot();
    if (snapshot != null) {
      out.printf(
          "%n  snapshot  s3://%s/%s (version %s, sha256 %s, %d bytes)%n",
          snapshot.location().bucket(),
          snapshot.key(),
          snapshot.versionId(),
          snapshot.sha256().substring(0, Math.min(12, snapshot.sha256().length())),
          snapshot.sizeBytes());
    }
    if (report.reportLocation() != null) {
      out.printf("  report    %s%n", report.reportLocation());
    }
    if (report.failure() != null) {
      out.printf("%n  %s: %s%n", report.outcome(), report.failure());
    }
    out.flush();
  }

  /**
   * What the run leaves at risk, before any figure: a reader who stops at the summary must not take
   * DR for healthy while an object failed to replicate or a table is torn.
   */
  private static void risks(RunReport report, PrintWriter out) {
    List<RunRisk> risks = RunRisk.of(report);
    if (risks.isEmpty()) {
      out.printf(
          "  AT RISK: nothing found (no failed replication, torn or missing table, missed"
              + " objective, or step failed, skipped or not run)%n");
      return;
    }
    out.printf("  AT RISK (%d):%n", risks.size());
    int width = Math.min(24, risks.stream().mapToInt(r -> r.kind().length()).max().orElse(0));
    for (RunRisk risk : risks) {
      out.printf("    %-" + width + "s %s: %s%n", risk.kind(), risk.subject(), risk.detail());
    }
  }

  /** What operators did to the run, in order: the audit of its decisions. */
  private static void operatorEvents(RunReport report, PrintWriter out) {
    if (report.operatorEvents() == null || report.operatorEvents().isEmpty()) {
      return;
    }
    out.printf("%n  OPERATOR ACTIONS%n");
    for (OperatorEvent event : report.operatorEvents()) {
      out.printf(
          "  %s  %-8s %-20s %s%s%n",
          event.at(),
          event.action(),
          event.step() == null ? "" : event.step(),
          event.by(),
          event.reason() == null || event.reason().isBlank() ? "" : ": " + event.reason());
    }
  }

  /** Per bucket pair: the replication measured at readiness, the data RPO it gives. */
  private static void replication(RunReport report, PrintWriter out) {
    if (report.replication() == null || report.replication().isEmpty()) {
      return;
    }
    out.printf(
        "%n  %-12s %-40s %8s %7s %6s %8s  %s%n",
        "PAIR", "REPLICATION", "SCANNED", "PENDING", "FAILED", "RPO", "RULE");
    for (ReplicationHealth health : report.replication()) {
      out.printf(
          "  %-12s %-40s %8s %7s %6s %8s  %s%n",
          health.pair(),
          health.source() + " -> " + health.destination(),
          health.sourceReachable() ? health.versionsScanned() : "-",
          health.sourceReachable() ? health.pending() : "-",
          health.sourceReachable() ? health.failed() : "-",
          health.rpoSeconds() == null ? "unknown" : health.rpoSeconds() + "s",
          health.ruleId() == null ? "(none)" : health.ruleId());
      for (String key : health.failedKeys()) {
        out.printf("  %-12s   failed to replicate: %s%n", "", key);
      }
      if (!health.sourceReachable()) {
        out.printf("  %-12s   %s%n", "", health.summary());
      }
      if (health.reversePath() != null) {
        out.printf("  %-12s   %s%n", "", health.reversePath());
      }
    }
  }

  /** Per bucket pair: what promotion or failback changed, and what it could not do. */
  private static void storage(RunReport report, PrintWriter out) {
    if (report.storage() == null || report.storage().isEmpty()) {
      return;
    }
    for (StorageChange change : report.storage()) {
      out.printf(
          "%n  storage %s%s%n",
          change.pair(), change.primaryReachable() ? "" : " (primary unreachable)");
      change.done().forEach(done -> out.printf("    done     %s%n", done));
      change.notRun().forEach(notRun -> out.printf("    NOT RUN  %s%n", notRun));
    }
  }

  /**
   * What fencing the source (and, in a failback, unfencing the target) changed: jobs, warehouses,
   * pipelines, the runs in progress and what became of them, and the risks left.
   */
  private static void fencing(RunReport report, PrintWriter out) {
    if (report.fencing() == null || report.fencing().isEmpty()) {
      return;
    }
    for (FenceResult fence : report.fencing()) {
      out.printf("%n  fencing, %s workspace%n", fence.side());
      fence.jobs().forEach(job -> out.printf("    job        %s%n", job));
      fence.warehouses().forEach(w -> out.printf("    warehouse  %s%n", w));
      fence.pipelines().forEach(p -> out.printf("    pipeline   %s%n", p));
      fence.runs().forEach(run -> out.printf("    run        %s%n", run));
      fence.risks().forEach(risk -> out.printf("    RISK       %s%n", risk));
      fence.notDone().forEach(notDone -> out.printf("    NOT DONE   %s%n", notDone));
    }
  }

  /** Per external Delta table: whether its replica is complete, and where to restore to. */
  private static void deltaTables(RunReport report, PrintWriter out) {
    if (report.deltaTables() == null || report.deltaTables().isEmpty()) {
      return;
    }
    int width =
        Math.max(
            12, report.deltaTables().stream().mapToInt(t -> t.table().length()).max().orElse(0));
    String row = "  %-" + width + "s %-10s %8s %8s %11s  %s%n";
    out.printf("%n" + row, "DELTA TABLE", "STATUS", "REPLICA", "PRIMARY", "RESTORE TO", "DETAIL");
    for (DeltaTableCheck table : report.deltaTables()) {
      out.printf(
          row,
          table.table(),
          table.status(),
          table.replicaVersion() == null ? "-" : "v" + table.replicaVersion(),
          table.primaryVersion() == null ? "-" : "v" + table.primaryVersion(),
          table.status() == DeltaTableCheck.Status.CONSISTENT
                  || table.newestConsistentVersion() == null
              ? "-"
              : "v" + table.newestConsistentVersion(),
          table.detail());
    }
  }

  static String duration(String startedAt, String endedAt) {
    if (startedAt == null || endedAt == null) {
      return "-";
    }
    Duration d = Duration.between(Instant.parse(startedAt), Instant.parse(endedAt));
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  private static void matrix(RunReport report, PrintWriter out) {
    List<ComponentMatrix.Row> rows = ComponentMatrix.rows(report);
    int width = rows.stream().mapToInt(r -> r.component().length()).max().orElse(10);
    width = Math.min(width, 44);
    String row = "  %-" + width + "s %-11s %8s %8s %10s %8s  %s%n";
    out.printf(
        "%n" + row, "COMPONENT", "RESULT", "CREATED", "UPDATED", "UNCHANGED", "REMOVED", "DETAIL");
    for (ComponentMatrix.Row r : rows) {
      ChangeCounts c = r.counts();
      String name =
          r.component().length() > width
              ? r.component().substring(0, width - 1) + "…"
              : r.component();
      out.printf(
          row,
          name,
          r.result(),
          c == null ? "-" : c.created(),
          c == null ? "-" : c.updated(),
          c == null ? "-" : c.unchanged(),
          c == null ? "-" : c.deleted(),
          r.detail());
    }
  }

  private static String capitalized(String word) {
    return word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT);
  }
}
