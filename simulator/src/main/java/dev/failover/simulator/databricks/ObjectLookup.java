package dev.failover.simulator.databricks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The objects the Permissions API addresses, looked up in the workspace's own state. */
final class ObjectLookup {
  private ObjectLookup() {}

  /** Whether the object of this type and id exists (a deleted warehouse does not). */
  static boolean exists(WorkspaceState workspace, PermissionObjectType type, String id) {
    try {
      return switch (type) {
        case JOBS -> workspace.jobs().job(Long.parseLong(id)) != null;
        case CLUSTERS -> workspace.clusters().cluster(id) != null;
        case CLUSTER_POLICIES -> workspace.clusterPolicies().exists(id);
        case WAREHOUSES ->
            workspace.warehouses().warehouse(id).state() != WarehousesState.State.DELETED;
        case NOTEBOOKS, DIRECTORIES, REPOS -> treeNode(workspace, type, id) != null;
      };
    } catch (ApiError | NumberFormatException e) {
      return false;
    }
  }

  /** The direct entries an object has before any PUT or PATCH: its creator's. */
  static List<PermissionsState.Entry> creatorEntries(
      WorkspaceState workspace, PermissionObjectType type, String id) {
    String creator =
        switch (type) {
          case JOBS -> workspace.jobs().job(Long.parseLong(id)).creatorUserName();
          case CLUSTERS -> workspace.clusters().cluster(id).creatorUserName();
          case WAREHOUSES -> workspace.warehouses().warehouse(id).creatorName();
          default -> null;
        };
    if (creator == null) {
      return List.of();
    }
    String level = type.hasOwner() ? PermissionObjectType.OWNER : "CAN_MANAGE";
    return List.of(new PermissionsState.Entry(PermissionsState.PrincipalKind.USER, creator, level));
  }

  /** The folders above a tree object, nearest first: object id to path. */
  static Map<Long, String> folders(WorkspaceState workspace, String id) {
    Map<Long, String> folders = new LinkedHashMap<>();
    WorkspaceTree.Node node = workspace.workspaceTree().byId(Long.parseLong(id));
    for (WorkspaceTree.Node folder : workspace.workspaceTree().foldersAbove(node.path())) {
      folders.put(folder.objectId(), folder.path());
    }
    return folders;
  }

  private static WorkspaceTree.Node treeNode(
      WorkspaceState workspace, PermissionObjectType type, String id) {
    WorkspaceTree.Node node = workspace.workspaceTree().byId(Long.parseLong(id));
    WorkspaceTree.ObjectType wanted =
        switch (type) {
          case NOTEBOOKS -> WorkspaceTree.ObjectType.NOTEBOOK;
          case DIRECTORIES -> WorkspaceTree.ObjectType.DIRECTORY;
          default -> WorkspaceTree.ObjectType.REPO;
        };
    return node != null && node.type() == wanted ? node : null;
  }
}
