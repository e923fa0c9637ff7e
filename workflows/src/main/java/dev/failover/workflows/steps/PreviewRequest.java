package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import java.util.List;

/**
 * What a dry run compares: the active side's control plane, read live, with the target's.
 *
 * @param source the side captured from
 * @param target the side converged
 * @param catalogs the runbook's scope (empty: every non-system catalog)
 * @param storagePathRewrites the rewrites converge would apply
 * @param compute the compute rules converge would apply (zones, instance profiles)
 * @param storageCredentials the storage credential mappings converge would apply
 */
public record PreviewRequest(
    WorkspaceTarget source,
    WorkspaceTarget target,
    List<String> catalogs,
    List<Runbook.PathRewrite> storagePathRewrites,
    ComputeRules compute,
    Runbook.StorageCredentials storageCredentials) {

  public PreviewRequest {
    if (compute == null) {
      compute = ComputeRules.NONE;
    }
    if (storageCredentials == null) {
      storageCredentials = Runbook.StorageCredentials.NONE;
    }
  }

  /** A request without storage credential mappings. */
  public PreviewRequest(
      WorkspaceTarget source,
      WorkspaceTarget target,
      List<String> catalogs,
      List<Runbook.PathRewrite> storagePathRewrites,
      ComputeRules compute) {
    this(source, target, catalogs, storagePathRewrites, compute, null);
  }
}
