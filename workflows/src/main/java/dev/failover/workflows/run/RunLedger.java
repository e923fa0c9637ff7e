package dev.failover.workflows.run;

import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.FenceResult;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.VerifiedTarget;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run has done so far: one row per step of the plan, in the report's order, and the report's
 * other fields as the steps find them. The progress query and the stored report read it.
 */
final class RunLedger {
  private final RunRequest request;
  private final OperatorControls controls;
  private final List<StepReport> rows = new ArrayList<>();
  private final String startedAt = now();
  private String endedAt;
  private Long rtoSeconds;
  private Long approvalWaitSeconds;
  private Outcome outcome = Outcome.RUNNING;
  private String failure;
  private String reportLocation;
  private SnapshotRef snapshot;
  private VerifiedTarget verifiedTarget;
  private Long controlPlaneRpoSeconds;
  private String controlPlaneRpoFrom;
  private List<DeltaTableCheck> deltaTables = List.of();
  private final List<ReplicationHealth> replication = new ArrayList<>();
  private final List<StorageChange> storageChanges = new ArrayList<>();
  private final List<FenceResult> fenceResults = new ArrayList<>();

  RunLedger(RunRequest request, PlanGraph graph, OperatorControls controls) {
    this.request = request;
    this.controls = controls;
    for (PlanGraph.Node node : graph.nodes()) {
      rows.add(StepReport.pending(node.name(), node.description()));
    }
  }

  /** Workflow time, the same on every replay. */
  static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  // Step rows.

  void running(String step) {
    set(step, row(step).running(now()));
    showRunning();
  }

  void succeeded(String step, StepResult result) {
    StepStatus status = result.skipped() ? StepStatus.SKIPPED : StepStatus.SUCCEEDED;
    set(step, row(step).finished(status, now(), result.counts(), result.message()));
    showRunning();
  }

  void finished(String step, StepStatus status, String message) {
    set(step, row(step).finished(status, now(), null, message));
  }

  void markRemainingNotRun() {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).status() == StepStatus.PENDING) {
        rows.set(i, rows.get(i).finished(StepStatus.NOT_RUN, null, null, null));
      }
    }
  }

  private StepReport row(String step) {
    return rows.get(indexOf(step));
  }

  private void set(String step, StepReport row) {
    rows.set(indexOf(step), row);
  }

  private int indexOf(String name) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("no step " + name + " in the plan");
  }

  /** What Temporal UI shows as the run's current details: every step running now. */
  private void showRunning() {
    List<String> running = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).status() == StepStatus.RUNNING) {
        running.add("step " + (i + 1) + " of " + rows.size() + ": `" + rows.get(i).name() + "`");
      }
    }
    if (!running.isEmpty()) {
      Workflow.setCurrentDetails(
          (running.size() == 1 ? "Running " : "Running side by side: ")
              + String.join(", ", running));
    }
  }

  // Report fields.

  SnapshotRef snapshot() {
    return snapshot;
  }

  void snapshot(SnapshotRef taken) {
    snapshot = taken;
  }

  /** The snapshot DR last matched, when this run converges only the drift since; else null. */
  VerifiedTarget verifiedTarget() {
    return verifiedTarget;
  }

  void verifiedTarget(VerifiedTarget baseline) {
    verifiedTarget = baseline;
  }

  /** The control-plane RPO came from the age of the primary's newest snapshot (outage path). */
  static final String RPO_FROM_SNAPSHOT = "snapshot";

  /**
   * The control-plane RPO came from the age of the primary's newest snapshot, which the failover
   * was asked to converge from though the primary answered ({@code --from-newest-snapshot}).
   */
  static final String RPO_FROM_CHOSEN_SNAPSHOT = "chosen-snapshot";

  /** The control-plane RPO came from the age of the failover group's replication point. */
  static final String RPO_FROM_GROUP = "failover-group";

  /**
   * A control-plane RPO measured from {@code from}. With both a group and the outage path's
   * snapshot, the worse one is the run's: what a person must assume lost.
   */
  void controlPlaneRpo(long seconds, String from) {
    if (controlPlaneRpoSeconds == null || seconds > controlPlaneRpoSeconds) {
      controlPlaneRpoSeconds = seconds;
      controlPlaneRpoFrom = from;
    }
  }

  void approvalWait(long seconds) {
    approvalWaitSeconds = seconds;
  }

  void replication(ReplicationHealth health) {
    replication.add(health);
  }

  void storageChange(StorageChange change) {
    storageChanges.add(change);
  }

  void fenceResult(FenceResult result) {
    fenceResults.add(result);
  }

  void deltaTables(List<DeltaTableCheck> checks) {
    deltaTables = List.copyOf(checks);
  }

  void reportLocation(String location) {
    reportLocation = location;
  }

  void ended(String at) {
    endedAt = at;
  }

  Outcome outcome() {
    return outcome;
  }

  /** The run's end: succeeded (the RTO is measured here), failed or aborted with the reason. */
  void outcome(Outcome result, String why) {
    outcome = result;
    failure = why;
    if (result == Outcome.SUCCEEDED) {
      rtoSeconds = Duration.between(Instant.parse(startedAt), Instant.parse(now())).toSeconds();
    } else {
      markRemainingNotRun();
    }
    controls.ended(result);
  }

  String failure() {
    return failure;
  }

  RunReport progress() {
    return new RunReport(
        request.runbook().name(),
        Workflow.getInfo().getWorkflowId(),
        Workflow.getInfo().getRunId(),
        request.mode(),
        request.incidentId(),
        request.requestedBy(),
        outcome,
        startedAt,
        endedAt,
        rtoSeconds,
        request.runbook().objectives().rtoMinutes() * 60L,
        request.runbook().objectives().rpoMinutes() * 60L,
        approvalWaitSeconds,
        controls.approval(),
        controls.waitingFor(),
        List.copyOf(rows),
        List.copyOf(replication),
        List.copyOf(storageChanges),
        deltaTables,
        snapshot,
        reportLocation,
        failure,
        controls.events(),
        request.runbook().approval().approvers(),
        List.copyOf(fenceResults),
        controlPlaneRpoSeconds,
        request.runbook().capture() == null
            ? null
            : request.runbook().capture().everyMinutes() * 60L,
        controlPlaneRpoFrom);
  }
}
