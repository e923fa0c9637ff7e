package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.Runbook;
import java.util.List;

/**
 * What a converge or smoke-test step needs: the workspace to make match, the snapshot to match, the
 * storage rewrites to apply, and the runbook name that marks objects the run owns.
 */
public record ConvergeRequest(
    WorkspaceTarget target,
    SnapshotRef snapshot,
    List<Runbook.PathRewrite> storagePathRewrites,
    String runbook,
    String runId) {

  /** A request without a run mark (objects created are not attributed to a run). */
  public ConvergeRequest(
      WorkspaceTarget target,
      SnapshotRef snapshot,
      List<Runbook.PathRewrite> storagePathRewrites,
      String runbook) {
    this(target, snapshot, storagePathRewrites, runbook, null);
  }
}
