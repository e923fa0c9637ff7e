package dev.failover.activities.components.jobs;

import com.databricks.sdk.service.compute.ClusterDetails;
import com.databricks.sdk.service.compute.ListClusterPoliciesRequest;
import com.databricks.sdk.service.compute.ListClustersRequest;
import com.databricks.sdk.service.compute.Policy;
import com.databricks.sdk.service.sql.EndpointInfo;
import com.databricks.sdk.service.sql.ListWarehousesRequest;
import dev.failover.activities.components.ComponentContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The SQL warehouses, cluster policies and clusters of a workspace by id and by name: jobs name
 * them by ids that differ between workspaces, and their names are what stays the same.
 */
final class WorkspaceObjects {
  static final String WAREHOUSE = "warehouse";
  static final String POLICY = "policy";
  static final String CLUSTER = "cluster";

  private WorkspaceObjects() {}

  /** What the step that converges a kind is about. */
  static String plural(String kind) {
    return switch (kind) {
      case WAREHOUSE -> "SQL warehouses";
      case POLICY -> "cluster policies";
      default -> "clusters";
    };
  }

  /** {@code <kind>:<id>} to name. */
  static Map<String, String> namesById(ComponentContext workspace) {
    Map<String, String> names = new HashMap<>();
    read(workspace, (kind, id, name) -> names.put(kind + ":" + id, name));
    return names;
  }

  /** {@code <kind>:<name>} to id. */
  static Map<String, String> idsByName(ComponentContext workspace) {
    Map<String, String> ids = new HashMap<>();
    read(workspace, (kind, id, name) -> ids.putIfAbsent(kind + ":" + name, id));
    return ids;
  }

  private interface Visitor {
    void visit(String kind, String id, String name);
  }

  private static void read(ComponentContext workspace, Visitor visitor) {
    workspace
        .retry()
        .databricks(
            "list the SQL warehouses, cluster policies and clusters of " + workspace.host(),
            () -> {
              for (EndpointInfo warehouse :
                  workspace.workspace().warehouses().list(new ListWarehousesRequest())) {
                visitor.visit(WAREHOUSE, warehouse.getId(), warehouse.getName());
              }
              for (Policy policy :
                  workspace.workspace().clusterPolicies().list(new ListClusterPoliciesRequest())) {
                visitor.visit(POLICY, policy.getPolicyId(), policy.getName());
              }
              for (ClusterDetails cluster :
                  workspace.workspace().clusters().list(new ListClustersRequest())) {
                visitor.visit(CLUSTER, cluster.getClusterId(), cluster.getClusterName());
              }
              return null;
            });
  }
}
