package dev.failover.workflows.steps;

import java.util.List;

/**
 * The component rows a managed DR failover group owns when the workspace set holding the runbook's
 * workspaces has {@code replicate_workspace_assets: true}.
 *
 * <p>The API reference of the failover group (docs.databricks.com/api/disaster-recovery/v1/
 * failover-group, {@code WorkspaceSet.replicate_workspace_assets}) says only "Whether to enable
 * control plane DR (notebooks, jobs, clusters, etc.) for this set"; the SDK's {@code
 * com.databricks.sdk.service.disasterrecovery.WorkspaceSet} (0.141.0) carries the flag without a
 * list. The documentation does not list the assets beyond that "etc.", so this takes the harsher
 * reading: every workspace-scoped asset the engine converges may be the group's, and the engine
 * must not write any of them. These are notebooks, Git folders ({@code repos}), jobs, clusters,
 * cluster policies, SQL warehouses and object permissions (which sit on those objects). Groups stay
 * the engine's row: they are the account's (SCIM), not the workspace's, and the engine only
 * verifies them anyway. Unity Catalog rows (metastore, storage credentials, external locations,
 * tables, models) are not workspace assets: the group's {@code unity_catalog_assets} decides those,
 * by catalog.
 */
public final class GroupOwnedComponents {
  private GroupOwnedComponents() {}

  /** The components a workspace-asset-replicating set covers, in the harsher reading above. */
  public static final List<String> WORKSPACE_ASSETS =
      List.of(
          "notebooks",
          "repos",
          "jobs",
          "cluster-policies",
          "clusters",
          "warehouses",
          "permissions");

  /** What readiness and the dry run say of the component rows the group covers. */
  public static String covered(List<String> components) {
    return components.isEmpty()
        ? "the failover group replicates no workspace assets: the engine converges notebooks,"
            + " jobs, clusters and the other workspace components"
        : "the failover group replicates workspace assets: it covers "
            + String.join(", ", components)
            + " (converge verifies them read-only, never writes them); the engine converges the"
            + " other components";
  }
}
