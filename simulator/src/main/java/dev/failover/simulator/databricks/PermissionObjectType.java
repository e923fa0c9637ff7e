package dev.failover.simulator.databricks;

import java.util.List;

/**
 * The workspace objects whose access control lists the Permissions API ({@code
 * /api/2.0/permissions/{request_object_type}/{id}}) serves in the simulator, each with the levels
 * its SDK enum lists and the {@code object_type} the API answers with.
 *
 * <p>Sources: the levels are the constants of the SDK 0.141.0 enums named per type ({@code
 * jobs.JobPermissionLevel}, {@code compute.ClusterPermissionLevel}, {@code
 * compute.ClusterPolicyPermissionLevel}, {@code sql.WarehousePermissionLevel}, {@code
 * workspace.WorkspaceObjectPermissionLevel}, {@code workspace.RepoPermissionLevel}); the request
 * and answered object types are those of terraform-provider-databricks {@code
 * permissions/permission_definitions.go} ({@code requestObjectType}, {@code objectType}). SQL
 * warehouses are addressed both as {@code warehouses} (the SDK's {@code WarehousesImpl}) and as
 * {@code sql/warehouses} (the Terraform provider; its ISSUE-4143 notes both prefixes in object
 * ids).
 */
enum PermissionObjectType {
  JOBS("jobs", "job", List.of("CAN_MANAGE", "CAN_MANAGE_RUN", "CAN_VIEW", "IS_OWNER")),
  CLUSTERS("clusters", "cluster", List.of("CAN_ATTACH_TO", "CAN_MANAGE", "CAN_RESTART")),
  CLUSTER_POLICIES("cluster-policies", "cluster-policy", List.of("CAN_USE")),
  WAREHOUSES(
      "sql/warehouses",
      "warehouses",
      List.of("CAN_MANAGE", "CAN_MONITOR", "CAN_USE", "CAN_VIEW", "IS_OWNER")),
  NOTEBOOKS("notebooks", "notebook", List.of("CAN_EDIT", "CAN_MANAGE", "CAN_READ", "CAN_RUN")),
  DIRECTORIES("directories", "directory", List.of("CAN_EDIT", "CAN_MANAGE", "CAN_READ", "CAN_RUN")),
  REPOS("repos", "repo", List.of("CAN_EDIT", "CAN_MANAGE", "CAN_READ", "CAN_RUN"));

  static final String OWNER = "IS_OWNER";

  /** The path segment(s) of the request, and the prefix of the object id answered. */
  final String requestType;

  /** {@code ObjectPermissions.object_type} as the API answers it. */
  final String objectType;

  /** The levels the type's SDK enum lists. */
  final List<String> levels;

  PermissionObjectType(String requestType, String objectType, List<String> levels) {
    this.requestType = requestType;
    this.objectType = objectType;
    this.levels = levels;
  }

  /** Whether the type has exactly one owner ({@code IS_OWNER} among its levels). */
  boolean hasOwner() {
    return levels.contains(OWNER);
  }

  /** Whether the object lives in the workspace tree, inheriting from its parent folders. */
  boolean inTree() {
    return this == NOTEBOOKS || this == DIRECTORIES || this == REPOS;
  }

  /** The object id the API answers: {@code /jobs/123}. */
  String objectId(String id) {
    return "/" + requestType + "/" + id;
  }

  /**
   * The type of a request path's {@code request_object_type}, or a 400 naming the supported ones:
   * "'sql-warehouses' is not a supported object type for permissions. Expected one of {...}" is the
   * service's answer quoted in databricks-sdk-py#582 (BadRequest).
   */
  static PermissionObjectType of(String requestType) {
    for (PermissionObjectType type : values()) {
      if (type.requestType.equals(requestType)) {
        return type;
      }
    }
    if (requestType.equals("warehouses")) {
      return WAREHOUSES;
    }
    throw ApiError.invalid(
        "'"
            + requestType
            + "' is not a supported object type for permissions. Expected one of"
            + " {clusters,cluster-policies,directories,jobs,notebooks,repos,warehouses}");
  }
}
