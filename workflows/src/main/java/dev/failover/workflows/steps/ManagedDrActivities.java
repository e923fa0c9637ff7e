package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;

/** Databricks managed disaster recovery through the account API: the failover group's side. */
@ActivityInterface
public interface ManagedDrActivities {
  /**
   * Readiness, read-only: the group exists, covers both workspaces, spans the runbook's regions, is
   * ACTIVE in the source region (or, outside a drill, already in the target's after an earlier
   * run), and each stable URL serves the active workspace; the replication point's age is the
   * control-plane RPO, shown against the objective. Fails with {@link FailureTypes#NOT_READY}.
   */
  GroupReadiness checkGroup(ManagedDrRequest request);

  /**
   * Fails the group over to the target region with the etag it read, waits while it is
   * FAILING_OVER, then checks that every stable URL serves the target workspace. Safe to retry: a
   * group already ACTIVE in the target region is success, one FAILING_OVER is waited for, and a
   * refused or lost request is followed by a fresh read, never a blind resend. In a drill it only
   * reads the group and says what a failover would do.
   */
  String failoverGroup(ManagedDrRequest request);

  /**
   * The Unity Catalog catalogs the group replicates ({@code unity_catalog_assets.catalogs}): the
   * group's, which converge verifies and never writes. Read-only.
   */
  java.util.List<String> replicatedCatalogs(ManagedDrRequest request);

  /**
   * The components the group owns as workspace assets: {@link
   * GroupOwnedComponents#WORKSPACE_ASSETS} when the workspace set holding both of the runbook's
   * workspaces has {@code replicate_workspace_assets}, else none. Converge verifies those and never
   * writes them. Read-only.
   */
  java.util.List<String> groupOwnedComponents(ManagedDrRequest request);
}
