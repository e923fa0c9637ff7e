package dev.failover.workflows.steps;

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
 */
public record PreviewRequest(
    WorkspaceTarget source,
    WorkspaceTarget target,
    List<String> catalogs,
    List<Runbook.PathRewrite> storagePathRewrites,
    Runbook.Compute compute) {

  public PreviewRequest {
    if (compute == null) {
      compute = Runbook.Compute.NONE;
    }
  }
}
