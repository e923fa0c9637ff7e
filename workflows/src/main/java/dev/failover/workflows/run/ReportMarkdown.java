package dev.failover.workflows.run;

import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.StorageChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A run report as Markdown, for the incident record and the auditors: what ran, who approved and
 * decided, RTO and RPO against the objectives, each step and its timeline (a Mermaid gantt), the
 * data plane, and what was skipped or not done. It leads with what the run leaves at risk. Pure
 * formatting, so the CLI prints it and the report step stores it alike.
 */
public final class ReportMarkdown {
  private ReportMarkdown() {}

  public static String render(RunReport r) {
    StringBuilder md = new StringBuilder();
    summary(md, r);
    steps(md, r);
    md.append("\n## Timeline\n\n").append(ReportTimeline.gantt(r));
    componentMatrix(md, r);
    operatorActions(md, r);
    replication(md, r);
    storageChanges(md, r);
    deltaTables(md, r);
    skippedAndNotRun(md, r);
    return md.toString();
  }

  /** The title, who and when, the approval and the RTO against its objective. */
  private static void summary(StringBuilder md, RunReport r) {
    md.append("# ")
        .append(capitalized(r.mode().label()))
        .append(" of runbook `")
        .append(r.runbook())
        .append("`: ")
        .append(r.outcome())
        .append("\n\n");
    atRisk(md, r);
    md.append("## Summary\n\n");
    row(md, "Workflow", "`" + r.workflowId() + "` run `" + r.runId() + "`");
    row(md, "Incident", r.incidentId() == null ? "none" : r.incidentId());
    row(md, "Started", r.startedAt() + " by " + r.requestedBy());
    row(md, "Ended", r.endedAt() == null ? "still running" : r.endedAt());
    if (r.approval() != null) {
      row(
          md,
          "Approved",
          "by "
              + r.approval().by()
              + (blank(r.approval().comment()) ? "" : " (" + r.approval().comment() + ")")
              + " after "
              + (r.approvalWaitSeconds() == null ? 0 : r.approvalWaitSeconds())
              + " s");
    }
    if (r.rtoSeconds() != null) {
      long wait = r.approvalWaitSeconds() == null ? 0 : r.approvalWaitSeconds();
      row(
          md,
          "RTO",
          r.rtoSeconds()
              + " s against an objective of "
              + r.rtoObjectiveSeconds()
              + " s: "
              + (r.rtoSeconds() <= r.rtoObjectiveSeconds() ? "met" : "**missed**")
              + "; "
              + (r.rtoSeconds() - wait)
              + " s excluding the approval wait");
    }
    objectives(md, r);
  }

  /**
   * What the run leaves at risk, before any figure: objects that failed to replicate, torn or
   * missing tables, objectives missed, steps failed, skipped or not run.
   */
  private static void atRisk(StringBuilder md, RunReport r) {
    md.append("## At risk\n\n");
    List<RunRisk> risks = RunRisk.of(r);
    if (risks.isEmpty()) {
      md.append(
          "Nothing found: no failed replication, torn or missing table, missed objective, or step"
              + " failed, skipped or not run.\n\n");
      return;
    }
    for (RunRisk risk : risks) {
      md.append("- **")
          .append(risk.kind())
          .append("** ")
          .append(code(risk.subject()))
          .append(": ")
          .append(inline(risk.detail()))
          .append('\n');
    }
    md.append('\n');
  }

  /** The data and control-plane RPO, the snapshot converged from, and the failure. */
  private static void objectives(StringBuilder md, RunReport r) {
    DataRpo rpo = DataRpo.of(r);
    row(md, "Data RPO", rpo.met() ? rpo.summary() : "**" + rpo.summary() + "**");
    if (r.controlPlaneRpoSeconds() != null) {
      row(
          md,
          "Control-plane RPO",
          r.controlPlaneRpoSeconds()
              + " s: "
              + r.controlPlaneRpoBasis()
              + (r.captureScheduleVerdict().isEmpty()
                  ? ""
                  : "; "
                      + (r.snapshotStale() ? "**" : "")
                      + r.captureScheduleVerdict()
                      + (r.snapshotStale() ? "**" : "")));
    }
    if (r.snapshot() != null) {
      row(
          md,
          "Snapshot",
          "`s3://"
              + r.snapshot().location().bucket()
              + "/"
              + r.snapshot().key()
              + "` captured "
              + r.snapshot().capturedAt()
              + ", sha256 `"
              + r.snapshot().sha256()
              + "`");
    }
    if (r.failure() != null) {
      row(md, "Failure", r.failure());
    }
  }

  /** One row per step of the plan. */
  private static void steps(StringBuilder md, RunReport r) {
    md.append("\n## Steps\n\n| step | status | duration | created | updated | unchanged |")
        .append(" removed | detail |\n|---|---|---|---|---|---|---|---|\n");
    for (StepReport step : r.steps()) {
      ChangeCounts c = step.counts();
      md.append("| ")
          .append(step.name())
          .append(" | ")
          .append(step.status())
          .append(" | ")
          .append(duration(step.startedAt(), step.endedAt()))
          .append(" | ")
          .append(c == null ? "" : c.created())
          .append(" | ")
          .append(c == null ? "" : c.updated())
          .append(" | ")
          .append(c == null ? "" : c.unchanged())
          .append(" | ")
          .append(c == null ? "" : c.deleted())
          .append(" | ")
          .append(cell(step.message()))
          .append(" |\n");
    }
  }

  /** Per component, what DR does with it and what the run did. */
  private static void componentMatrix(StringBuilder md, RunReport r) {
    md.append("\n## Component matrix\n\n| component | DR action | result | created | updated |")
        .append(" unchanged | removed | detail |\n|---|---|---|---|---|---|---|---|\n");
    for (ComponentMatrix.Row row : ComponentMatrix.rows(r)) {
      ChangeCounts c = row.counts();
      md.append("| ")
          .append(cell(row.component()))
          .append(" | ")
          .append(cell(row.drAction()))
          .append(" | ")
          .append(row.result())
          .append(" | ")
          .append(c == null ? "" : c.created())
          .append(" | ")
          .append(c == null ? "" : c.updated())
          .append(" | ")
          .append(c == null ? "" : c.unchanged())
          .append(" | ")
          .append(c == null ? "" : c.deleted())
          .append(" | ")
          .append(cell(row.detail()))
          .append(" |\n");
    }
  }

  /** What operators did to the run. */
  private static void operatorActions(StringBuilder md, RunReport r) {
    if (r.operatorEvents() != null && !r.operatorEvents().isEmpty()) {
      md.append("\n## Operator actions\n\n| at | who | action | step | reason |\n")
          .append("|---|---|---|---|---|\n");
      for (OperatorEvent e : r.operatorEvents()) {
        md.append("| ")
            .append(e.at())
            .append(" | ")
            .append(cell(e.by()))
            .append(" | ")
            .append(e.action())
            .append(" | ")
            .append(e.step() == null ? "" : e.step())
            .append(" | ")
            .append(cell(e.reason()))
            .append(" |\n");
      }
    }
  }

  /** Per bucket pair, the replication measured at readiness. */
  private static void replication(StringBuilder md, RunReport r) {
    if (r.replication() != null && !r.replication().isEmpty()) {
      md.append("\n## Data replication (RPO per bucket pair)\n\n")
          .append("| pair | source -> destination | rule | scanned | pending | failed | RPO |\n")
          .append("|---|---|---|---|---|---|---|\n");
      for (ReplicationHealth h : r.replication()) {
        md.append("| ")
            .append(h.pair())
            .append(" | ")
            .append(h.source())
            .append(" -> ")
            .append(h.destination())
            .append(" | ")
            .append(h.ruleId() == null ? "" : h.ruleId())
            .append(" | ")
            .append(h.versionsScanned())
            .append(" | ")
            .append(h.pending())
            .append(" | ")
            .append(h.failed())
            .append(" | ")
            .append(h.rpoSeconds() == null ? "unknown" : h.rpoSeconds() + " s")
            .append(" |\n");
      }
      for (ReplicationHealth h : r.replication()) {
        for (String key : h.failedKeys()) {
          md.append("\n- failed to replicate from `")
              .append(h.source())
              .append("`: `")
              .append(key)
              .append('`');
        }
        if (h.reversePath() != null) {
          md.append("\n- pair ").append(h.pair()).append(": ").append(h.reversePath());
        }
      }
      md.append('\n');
    }
  }

  /** What promotion or failback changed per pair. */
  private static void storageChanges(StringBuilder md, RunReport r) {
    if (r.storage() != null && !r.storage().isEmpty()) {
      md.append("\n## Storage changes\n");
      for (StorageChange change : r.storage()) {
        md.append("\n### Pair `")
            .append(change.pair())
            .append("`")
            .append(change.primaryReachable() ? "" : " (primary unreachable)")
            .append("\n\n");
        change.done().forEach(d -> md.append("- done: ").append(d).append('\n'));
        change.notRun().forEach(n -> md.append("- **not run**: ").append(n).append('\n'));
      }
    }
  }

  /** Per external Delta table, its state in the replica. */
  private static void deltaTables(StringBuilder md, RunReport r) {
    if (r.deltaTables() != null && !r.deltaTables().isEmpty()) {
      md.append("\n## Delta tables in the replica\n\n")
          .append("| table | status | replica | primary | restore to | detail |\n")
          .append("|---|---|---|---|---|---|\n");
      for (DeltaTableCheck t : r.deltaTables()) {
        md.append("| `")
            .append(t.table())
            .append("` | ")
            .append(t.status())
            .append(" | ")
            .append(t.replicaVersion() == null ? "" : "v" + t.replicaVersion())
            .append(" | ")
            .append(t.primaryVersion() == null ? "" : "v" + t.primaryVersion())
            .append(" | ")
            .append(
                t.status() == DeltaTableCheck.Status.CONSISTENT
                        || t.newestConsistentVersion() == null
                    ? ""
                    : "v" + t.newestConsistentVersion())
            .append(" | ")
            .append(cell(t.detail()))
            .append(" |\n");
      }
    }
  }

  /** The steps skipped, stopped by an abort or not run, with the reasons. */
  private static void skippedAndNotRun(StringBuilder md, RunReport r) {
    md.append("\n## Skipped and not run\n\n");
    boolean any = false;
    for (StepReport step : r.steps()) {
      String why =
          switch (step.status()) {
            case SKIPPED, ABORTED -> step.message();
            case NOT_RUN -> "not run";
            default -> null;
          };
      if (why != null) {
        any = true;
        md.append("- `").append(step.name()).append("`: ").append(why).append('\n');
      }
    }
    if (!any) {
      md.append("Every step of the plan ran.\n");
    }
  }

  private static void row(StringBuilder md, String name, String value) {
    md.append("- **").append(name).append("**: ").append(value).append('\n');
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }

  /** Text as a code span, with any backtick in it made harmless. */
  private static String code(String text) {
    return "`" + (text == null ? "" : text.replace('`', '\'').replace("\n", " ")) + "`";
  }

  /** Text on one line of a list item. */
  private static String inline(String text) {
    return text == null ? "" : text.replace("\n", " ");
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  private static String duration(String startedAt, String endedAt) {
    if (startedAt == null || endedAt == null) {
      return "";
    }
    Duration d = Duration.between(Instant.parse(startedAt), Instant.parse(endedAt));
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String capitalized(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
