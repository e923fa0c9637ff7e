package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import java.util.List;

/**
 * What a converge or smoke-test step needs: the workspace to make match, the snapshot to match, the
 * storage rewrites to apply, the runbook name that marks objects the run owns, the drill's run id
 * (null outside a drill), and the runbook's account about the target workspace (null when the
 * runbook configures no account), and the runbook's compute rules and storage credential mappings
 * in the direction of the run.
 */
public record ConvergeRequest(
    WorkspaceTarget target,
    SnapshotRef snapshot,
    List<Runbook.PathRewrite> storagePathRewrites,
    String runbook,
    String runId,
    AccountTarget account,
    ComputeRules compute,
    Runbook.StorageCredentials storageCredentials) {

  public ConvergeRequest {
    if (compute == null) {
      compute = ComputeRules.NONE;
    }
    if (storageCredentials == null) {
      storageCredentials = Runbook.StorageCredentials.NONE;
    }
  }

  /** A request without storage credential mappings. */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook,
      String runId,
      AccountTarget account,
      ComputeRules compute) {
    this(target, snapshot, storagePathRewrites, runbook, runId, account, compute, null);
  }

  /** A request without compute rules. */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook,
      String runId,
      AccountTarget account) {
    this(target, snapshot, storagePathRewrites, runbook, runId, account, ComputeRules.NONE);
  }

  /** A request without the account API. */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook,
      String runId) {
    this(target, snapshot, storagePathRewrites, runbook, runId, null);
  }

  /** A request without a run mark (objects created are not attributed to a run). */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook) {
    this(target, snapshot, storagePathRewrites, runbook, null, null);
  }
}
