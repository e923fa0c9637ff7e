package dev.failover.workflows.runbook;

import java.util.List;

/**
 * Databricks managed disaster recovery, where the account has it: the failover group that
 * replicates the runbook's workspaces (and perhaps some catalogs) between its regions, and the
 * stable URLs clients use. Optional; it needs the runbook's {@code account} section (the group is
 * read and failed over through the account API). Readiness checks the group's regions against the
 * runbook's (the group's regions are not known before it is read).
 *
 * @param failoverGroup the group's resource name, {@code accounts/<account
 *     id>/failover-groups/<id>} (the shape {@code FailoverGroup.name} documents)
 * @param stableUrls the stable URLs' resource names, {@code accounts/<account id>/stable-urls/<id>}
 * @param failoverTimeoutMinutes how long the failover step waits while the group is FAILING_OVER
 */
public record ManagedDr(String failoverGroup, List<String> stableUrls, int failoverTimeoutMinutes) {
  /** The wait when the runbook does not say. */
  public static final int DEFAULT_TIMEOUT_MINUTES = 30;

  public ManagedDr {
    stableUrls = stableUrls == null ? List.of() : List.copyOf(stableUrls);
  }
}
