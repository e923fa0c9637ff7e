package dev.failover.workflows.run;

import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.FenceResult;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.StorageChange;
import java.util.ArrayList;
import java.util.List;

/**
 * One thing a run leaves at risk, which every report states before its figures: a reader of the
 * summary alone must not take DR for healthy while data is known lost or a step did not run.
 *
 * @param kind what sort of risk, a stable word for machines (see {@link #of})
 * @param subject what is at risk: an object's S3 URI, a table, a step, an objective
 * @param detail one line: what happened and what it takes to fix it
 */
public record RunRisk(String kind, String subject, String detail) {

  /**
   * Every risk a report shows, the known loss of data first: objects that failed to replicate, torn
   * or missing Delta tables, pairs not measured, items a converge step left alone (managed tables
   * whose data is not replicated), then objectives missed, then steps that failed, were skipped or
   * did not run, then what storage changes and fencing left undone.
   */
  public static List<RunRisk> of(RunReport report) {
    List<RunRisk> risks = new ArrayList<>();
    replication(report, risks);
    deltaTables(report, risks);
    leftAlone(report, risks);
    objectives(report, risks);
    steps(report, risks);
    storage(report, risks);
    fencing(report, risks);
    reversePath(report, risks);
    return List.copyOf(risks);
  }

  private static void replication(RunReport report, List<RunRisk> risks) {
    if (report.replication() == null) {
      return;
    }
    for (ReplicationHealth h : report.replication()) {
      if (!h.sourceReachable()) {
        risks.add(new RunRisk("replication-unmeasured", "pair " + h.pair(), h.summary()));
        continue;
      }
      if (h.ruleId() == null) {
        risks.add(
            new RunRisk(
                "replication-rule-missing",
                "pair " + h.pair(),
                "no enabled replication rule copies s3://"
                    + h.source()
                    + " to s3://"
                    + h.destination()));
      }
      for (String key : h.failedKeys()) {
        risks.add(
            new RunRisk(
                "replication-failed",
                "s3://" + h.source() + "/" + key,
                "replication FAILED (pair "
                    + h.pair()
                    + "): S3 never retries it, so it is not in s3://"
                    + h.destination()
                    + "; re-upload it or run S3 Batch Replication"));
      }
      int unnamed = h.failed() - h.failedKeys().size();
      if (unnamed > 0) {
        risks.add(
            new RunRisk(
                "replication-failed",
                "s3://" + h.source(),
                unnamed
                    + " more object version(s) failed to replicate (pair "
                    + h.pair()
                    + "); list them with an S3 Inventory report of replication status FAILED"));
      }
    }
  }

  private static void deltaTables(RunReport report, List<RunRisk> risks) {
    if (report.deltaTables() == null) {
      return;
    }
    for (DeltaTableCheck t : report.deltaTables()) {
      if (t.status() == DeltaTableCheck.Status.TORN) {
        risks.add(
            new RunRisk(
                "delta-table-torn",
                t.table(),
                "the replica's latest version v"
                    + t.replicaVersion()
                    + " lacks "
                    + t.missingFiles()
                    + " data file(s); "
                    + (t.newestConsistentVersion() == null
                        ? "no complete version to restore to"
                        : "restore to v" + t.newestConsistentVersion())));
      } else if (t.status() == DeltaTableCheck.Status.MISSING) {
        risks.add(new RunRisk("delta-table-missing", t.table(), t.detail()));
      }
    }
  }

  /**
   * Items a converge step left alone, such as managed tables whose data is not replicated: DR has
   * no copy of them until someone acts. The step's message lists them with the action each needs.
   */
  private static void leftAlone(RunReport report, List<RunRisk> risks) {
    for (StepReport step : report.steps()) {
      String message = step.message();
      int at = message == null ? -1 : message.indexOf(ConvergeStep.LEFT_ALONE);
      if (step.status() == StepStatus.SUCCEEDED && at >= 0) {
        risks.add(
            new RunRisk(
                "left-alone",
                step.name(),
                message.substring(at + ConvergeStep.LEFT_ALONE.length())));
      }
    }
  }

  private static void objectives(RunReport report, List<RunRisk> risks) {
    DataRpo rpo = DataRpo.of(report);
    if (rpo.verdict() == DataRpo.Verdict.UNBOUNDED
        || rpo.verdict() == DataRpo.Verdict.MISSED
        || rpo.verdict() == DataRpo.Verdict.UNKNOWN) {
      risks.add(
          new RunRisk(
              rpo.verdict() == DataRpo.Verdict.UNKNOWN ? "objective-unknown" : "objective-missed",
              "data RPO",
              rpo.summary()));
    }
    if (report.rtoSeconds() != null && report.rtoSeconds() > report.rtoObjectiveSeconds()) {
      risks.add(
          new RunRisk(
              "objective-missed",
              "RTO",
              report.rtoSeconds()
                  + " s against an objective of "
                  + report.rtoObjectiveSeconds()
                  + " s"));
    }
    if (report.snapshotStale()) {
      risks.add(
          new RunRisk(
              "snapshot-stale",
              "control-plane RPO",
              report.controlPlaneRpoSeconds() + " s: " + report.captureScheduleVerdict()));
    }
  }

  private static void steps(RunReport report, List<RunRisk> risks) {
    for (StepReport step : report.steps()) {
      switch (step.status()) {
        case FAILED -> risks.add(new RunRisk("step-failed", step.name(), orNone(step.message())));
        case SKIPPED -> risks.add(new RunRisk("step-skipped", step.name(), orNone(step.message())));
        case ABORTED -> risks.add(new RunRisk("step-aborted", step.name(), orNone(step.message())));
        case NOT_RUN ->
            risks.add(
                new RunRisk(
                    "step-not-run",
                    step.name(),
                    "not run: an earlier step failed or the run was aborted"));
        default -> {}
      }
    }
  }

  private static void storage(RunReport report, List<RunRisk> risks) {
    if (report.storage() == null) {
      return;
    }
    for (StorageChange change : report.storage()) {
      change
          .notRun()
          .forEach(n -> risks.add(new RunRisk("storage-not-done", "pair " + change.pair(), n)));
    }
  }

  private static void fencing(RunReport report, List<RunRisk> risks) {
    if (report.fencing() == null) {
      return;
    }
    for (FenceResult fence : report.fencing()) {
      String side = fence.side() + " workspace";
      fence.risks().forEach(r -> risks.add(new RunRisk("fencing-risk", side, r)));
      fence.notDone().forEach(n -> risks.add(new RunRisk("fencing-not-done", side, n)));
    }
  }

  /** A failback from here would not replicate back: the next move is blocked. */
  private static void reversePath(RunReport report, List<RunRisk> risks) {
    if (report.replication() != null) {
      report.replication().stream()
          .filter(ReplicationHealth::reversePathBroken)
          .forEach(
              h ->
                  risks.add(
                      new RunRisk("reverse-path-broken", "pair " + h.pair(), h.reversePath())));
    }
  }

  private static String orNone(String message) {
    return message == null || message.isBlank() ? "(no message)" : message;
  }
}
