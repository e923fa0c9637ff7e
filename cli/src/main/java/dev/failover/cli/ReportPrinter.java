package dev.failover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.SnapshotRef;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Prints a run report for people (a table) or machines (one JSON object). */
public final class ReportPrinter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportPrinter() {}

  public static void json(RunReport report, PrintWriter out) {
    try {
      out.println(JSON.writeValueAsString(report));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  public static void text(RunReport report, PrintWriter out) {
    out.printf(
        "%s of runbook %s: %s%n",
        capitalized(report.mode().name()), report.runbook(), report.outcome());
    out.printf("  workflow %s  run %s%n", report.workflowId(), report.runId());
    out.printf(
        "  started %s by %s%s%n",
        report.startedAt(),
        report.requestedBy(),
        report.incidentId() == null ? "" : "  incident " + report.incidentId());
    if (report.rtoSeconds() != null) {
      out.printf(
          "  RTO %ds (objective %ds: %s)%n",
          report.rtoSeconds(),
          report.rtoObjectiveSeconds(),
          report.rtoSeconds() <= report.rtoObjectiveSeconds() ? "met" : "MISSED");
    }
    out.printf(
        "%n  %-18s %-10s %9s %8s %8s %10s %8s %8s  %s%n",
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
          "  %-18s %-10s %9s %8s %8s %10s %8s %8s  %s%n",
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
      out.printf("%n  FAILED: %s%n", report.failure());
    }
    out.flush();
  }

  static String duration(String startedAt, String endedAt) {
    if (startedAt == null || endedAt == null) {
      return "-";
    }
    Duration d = Duration.between(Instant.parse(startedAt), Instant.parse(endedAt));
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  private static String capitalized(String word) {
    return word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT);
  }
}
