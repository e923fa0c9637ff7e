package dev.failover.workflows.steps;

import java.util.List;

/**
 * What the managed disaster recovery checks and the group's failover need: the account, the group
 * and stable URLs by resource name, the two sides as this run sees them (a failback fails the group
 * back: its source is the secondary), the runbook's RPO and how long a failover may take.
 *
 * @param account the account API (its workspace id is the target's)
 * @param failoverGroup {@code accounts/<id>/failover-groups/<id>}
 * @param stableUrls {@code accounts/<id>/stable-urls/<id>} each
 * @param sourceRegion the region the group must be active in before the run
 * @param targetRegion the region the run moves it to
 * @param sourceWorkspaceId the workspace the stable URLs serve before the run
 * @param targetWorkspaceId the workspace they serve after it
 * @param rpoMinutes the runbook's objective, against which the replication point's age is shown
 * @param timeoutMinutes how long the failover may stay FAILING_OVER
 * @param drill true: read-only towards the group; say what a failover would do
 */
public record ManagedDrRequest(
    AccountTarget account,
    String failoverGroup,
    List<String> stableUrls,
    String sourceRegion,
    String targetRegion,
    long sourceWorkspaceId,
    long targetWorkspaceId,
    int rpoMinutes,
    int timeoutMinutes,
    boolean drill) {
  public ManagedDrRequest {
    stableUrls = stableUrls == null ? List.of() : List.copyOf(stableUrls);
  }
}
