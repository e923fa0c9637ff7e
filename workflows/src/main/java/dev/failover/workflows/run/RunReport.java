package dev.failover.workflows.run;

import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.FenceResult;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageChange;
import java.util.List;

/**
 * The evidence of a run: what was done, when, with what result. It is the workflow's result, the
 * answer to the progress query while the run goes on, and the details of the failure when a run
 * fails, so a failed run's report is never lost.
 *
 * @param rtoSeconds from start until the target side was verified, including any approval wait
 * @param approvalWaitSeconds time spent waiting for the approval, which the RTO excluding approval
 *     leaves out
 * @param waitingFor what the run waits for now ("approval"), or null
 * @param replication per bucket pair, the replication measured at readiness (data RPO)
 * @param storage per bucket pair, what promotion or failback changed
 * @param deltaTables per external Delta table, the consistency of its replica
 * @param operatorEvents what operators did to the run (approve, pause, resume, retry, skip, abort),
 *     in order
 * @param approvers who the runbook says may approve (empty: anyone)
 * @param fencing what fencing the side left behind (and unfencing the target) changed
 * @param controlPlaneRpoSeconds on the outage path, or in a failover asked to converge from the
 *     newest snapshot, the age of the snapshot converged from; with managed DR, the age of the
 *     failover group's replication point at readiness; the worse of the two when both apply; null
 *     when the control plane was captured live without a group
 * @param captureIntervalSeconds how often the runbook's capture schedule captures the primary,
 *     which bounds the control-plane RPO while captures succeed; null without a capture section
 * @param controlPlaneRpoFrom what {@code controlPlaneRpoSeconds} was measured from: {@code
 *     snapshot} (the outage path), {@code chosen-snapshot} (a failover asked to converge from the
 *     newest snapshot) or {@code failover-group}; null in reports recorded before it existed
 *     (snapshot)
 */
public record RunReport(
    String runbook,
    String workflowId,
    String runId,
    Mode mode,
    String incidentId,
    String requestedBy,
    Outcome outcome,
    String startedAt,
    String endedAt,
    Long rtoSeconds,
    long rtoObjectiveSeconds,
    long rpoObjectiveSeconds,
    Long approvalWaitSeconds,
    Approval approval,
    String waitingFor,
    List<StepReport> steps,
    List<ReplicationHealth> replication,
    List<StorageChange> storage,
    List<DeltaTableCheck> deltaTables,
    SnapshotRef snapshot,
    String reportLocation,
    String failure,
    List<OperatorEvent> operatorEvents,
    List<String> approvers,
    List<FenceResult> fencing,
    Long controlPlaneRpoSeconds,
    Long captureIntervalSeconds,
    String controlPlaneRpoFrom) {

  /** Whether the control-plane RPO is the failover group's replication point's age. */
  public boolean controlPlaneRpoFromGroup() {
    return "failover-group".equals(controlPlaneRpoFrom);
  }

  /** What the control-plane RPO was measured from, for reports. */
  public String controlPlaneRpoBasis() {
    if (controlPlaneRpoFromGroup()) {
      return "the age of the failover group's replication point";
    }
    return RunLedger.RPO_FROM_CHOSEN_SNAPSHOT.equals(controlPlaneRpoFrom)
        ? "the failover was asked to converge DR from the primary's newest snapshot"
            + " (--from-newest-snapshot), so what changed on the primary since is not in DR"
        : "the primary did not answer, so DR was converged from its newest snapshot";
  }

  /**
   * On the outage path with a capture schedule, whether the snapshot converged from is older than
   * twice the schedule's interval: scheduled captures were failing, or were paused.
   */
  public boolean snapshotStale() {
    return controlPlaneRpoSeconds != null
        && !controlPlaneRpoFromGroup()
        && captureIntervalSeconds != null
        && controlPlaneRpoSeconds > 2 * captureIntervalSeconds;
  }

  /** How the control-plane RPO compares with the capture schedule, for reports; "" without one. */
  public String captureScheduleVerdict() {
    if (controlPlaneRpoSeconds == null
        || controlPlaneRpoFromGroup()
        || captureIntervalSeconds == null) {
      return "";
    }
    return snapshotStale()
        ? "older than twice the capture interval of "
            + captureIntervalSeconds
            + " s: scheduled captures were failing or paused"
        : "within twice the capture interval of " + captureIntervalSeconds + " s";
  }

  /** The worst data RPO over the bucket pairs, or null when none could be measured. */
  public Long dataRpoSeconds() {
    return replication == null
        ? null
        : replication.stream()
            .map(ReplicationHealth::rpoSeconds)
            .filter(java.util.Objects::nonNull)
            .max(Long::compare)
            .orElse(null);
  }
}
