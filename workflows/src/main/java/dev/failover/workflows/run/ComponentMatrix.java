package dev.failover.workflows.run;

import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.DeltaTableCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * The component matrix of a Databricks-on-AWS deployment, row by row, with what this run did for
 * each: the counts of the steps that handle it, or the reason it needs no action. The report shows
 * it so that an auditor sees every component accounted for.
 */
public final class ComponentMatrix {
  private ComponentMatrix() {}

  /**
   * One row of the matrix.
   *
   * @param component the matrix's component
   * @param drAction what a run does for it
   * @param result {@code SUCCEEDED}, {@code FAILED}, {@code SKIPPED}, {@code NOT_RUN}, {@code
   *     ABORTED}, {@code PENDING} (from its steps), {@code NOT_IN_PLAN} or {@code NO_ACTION}
   * @param counts the sum of its steps' counts, or null when they count nothing
   * @param detail the steps' messages, or the reason no action is needed
   */
  public record Row(
      String component, String drAction, String result, ChangeCounts counts, String detail) {}

  private record Definition(
      String component, String drAction, List<String> steps, String noAction) {}

  private static final List<Definition> ROWS =
      List.of(
          new Definition(
              "Workspace",
              "verify the target workspace answers as the runbook names it; never create it",
              List.of("readiness"),
              null),
          new Definition(
              "Users, groups, group membership",
              "verify the groups are assigned to the target workspace; identity stays with the IdP",
              List.of("converge-groups"),
              null),
          new Definition(
              "UC metastore",
              "assign the region's metastore to the target workspace, with the default catalog",
              List.of("converge-metastore"),
              null),
          new Definition(
              "UC storage credentials, external locations",
              "converge; locations at the replica buckets, read-only in a drill",
              List.of("converge-storage-credentials", "converge-external-locations"),
              null),
          new Definition(
              "UC catalog, schema",
              "capture; converge with storage roots rewritten",
              List.of("converge-catalogs", "converge-schemas"),
              null),
          new Definition(
              "Tables and views",
              "register external tables at the replica location, re-create views",
              List.of("converge-tables"),
              null),
          new Definition(
              "Feature store metadata",
              "feature tables (tables with primary keys) are registered with the tables",
              List.of("converge-tables"),
              null),
          new Definition(
              "Permissions (grants)",
              "exact privilege sets per principal, in batches",
              List.of("converge-grants"),
              null),
          new Definition(
              "Workspace object permissions (ACLs)",
              "exact direct entries per object (jobs, clusters, policies, warehouses, notebooks,"
                  + " folders, Git folders), owners last",
              List.of("converge-permissions"),
              null),
          new Definition(
              "SQL warehouse",
              "converge; start and wait until RUNNING",
              List.of("converge-warehouses"),
              null),
          new Definition(
              "Cluster configuration",
              "converge cluster policies and clusters (left terminated)",
              List.of("converge-cluster-policies", "converge-clusters"),
              null),
          new Definition(
              "Repos (Git folders)",
              "create at the captured path, check out the captured branch",
              List.of("converge-repos"),
              null),
          new Definition(
              "Notebook source", "import the captured source", List.of("converge-notebooks"), null),
          new Definition(
              "Job scheduler (jobs)",
              "converge paused with storage paths rewritten; resume per mode",
              List.of("converge-jobs", "restore-schedules"),
              null),
          new Definition(
              "Model registry",
              "register models and versions against the replicated artifacts",
              List.of("converge-models"),
              null),
          new Definition(
              "S3 data lake, Delta tables, DBFS root, MLflow artifacts, streaming checkpoints,"
                  + " feature data",
              "verify replication and RPO; promote the replica; reverse for failback; check Delta"
                  + " commits",
              List.of("readiness", "promote-storage", "restore-replication", "check-delta-tables"),
              null),
          new Definition(
              "Execution logs",
              "no copy",
              List.of(),
              "logs stay in their central destination; this tool does not copy them or check that"
                  + " DR can reach it"),
          new Definition(
              "Serverless compute, shuffle data",
              "none",
              List.of(),
              "managed by Databricks: no DR action needed"));

  /** Every row of the matrix for this run. */
  public static List<Row> rows(RunReport report) {
    List<Row> rows = new ArrayList<>();
    for (Definition definition : ROWS) {
      rows.add(row(definition, report));
    }
    return rows;
  }

  private static Row row(Definition definition, RunReport report) {
    if (definition.noAction() != null) {
      return new Row(
          definition.component(), definition.drAction(), "NO_ACTION", null, definition.noAction());
    }
    List<StepReport> steps =
        report.steps().stream().filter(s -> definition.steps().contains(s.name())).toList();
    if (steps.isEmpty()) {
      return new Row(
          definition.component(),
          definition.drAction(),
          "NOT_IN_PLAN",
          null,
          "the run's plan has no step for it");
    }
    ChangeCounts counts = null;
    List<String> details = new ArrayList<>();
    StepStatus worst = null;
    for (StepReport step : steps) {
      if (step.counts() != null) {
        counts = counts == null ? step.counts() : counts.plus(step.counts());
      }
      if (step.message() != null && !definition.steps().contains("readiness")) {
        details.add(step.name() + ": " + step.message());
      }
      worst = worse(worst, step.status());
    }
    if (definition.steps().contains("check-delta-tables")) {
      details.add(dataDetail(report));
    } else if (definition.steps().contains("readiness")) {
      details.add(steps.get(0).status() == StepStatus.SUCCEEDED ? "answers" : "not verified");
    }
    return new Row(
        definition.component(),
        definition.drAction(),
        worst.name(),
        counts,
        String.join("; ", details));
  }

  private static String dataDetail(RunReport report) {
    int pairs = report.replication() == null ? 0 : report.replication().size();
    String text = pairs + " bucket pair(s), data RPO " + rpoText(DataRpo.of(report));
    List<DeltaTableCheck> tables = report.deltaTables();
    if (tables != null && !tables.isEmpty()) {
      long torn = tables.stream().filter(t -> "TORN".equals(String.valueOf(t.status()))).count();
      text += ", " + tables.size() + " Delta table(s) checked, " + torn + " torn";
    }
    if (report.storage() != null && !report.storage().isEmpty()) {
      text += ", " + report.storage().size() + " pair(s) promoted or restored";
    }
    return text;
  }

  /** The data RPO in a few words: a failed replication makes it unbounded, never a number. */
  private static String rpoText(DataRpo rpo) {
    return switch (rpo.verdict()) {
      case MET -> rpo.backlogSeconds() + " s";
      case MISSED -> rpo.backlogSeconds() + " s (over the objective)";
      case UNBOUNDED -> "unbounded (" + rpo.failedVersions() + " version(s) failed to replicate)";
      case UNKNOWN, NOT_MEASURED -> "unknown";
    };
  }

  /** Failed beats aborted beats not run beats pending beats skipped beats succeeded. */
  private static StepStatus worse(StepStatus a, StepStatus b) {
    if (a == null) {
      return b;
    }
    return rank(b) > rank(a) ? b : a;
  }

  private static int rank(StepStatus status) {
    return switch (status) {
      case SUCCEEDED -> 0;
      case SKIPPED -> 1;
      case RUNNING -> 2;
      case PENDING -> 3;
      case NOT_RUN -> 4;
      case ABORTED -> 5;
      case FAILED -> 6;
    };
  }
}
