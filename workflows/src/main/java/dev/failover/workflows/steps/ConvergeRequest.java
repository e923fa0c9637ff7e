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
    String runbook) {}
