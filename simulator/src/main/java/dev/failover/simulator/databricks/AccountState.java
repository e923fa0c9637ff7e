package dev.failover.simulator.databricks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Databricks account of the simulated workspaces: its workspaces as the provisioning API
 * describes them, its groups (the account SCIM API), and which principals are assigned to which
 * workspace. An account group assigned to a workspace appears in that workspace's SCIM Groups list
 * ({@link GroupsState#assignAccountGroup}), with its account id and members, and disappears from it
 * when the assignment is deleted, so the two levels of the simulator agree. All methods are
 * synchronized.
 *
 * <p>Simplified: the principals are account groups only (no account users or service principals); a
 * workspace's copy of an account group keeps the members it had when assigned; deleting an account
 * group in a workspace's own SCIM API does not change the account's assignments.
 */
public final class AccountState {
  /** The permissions a workspace assignment can grant ({@code WorkspacePermission}). */
  public static final Set<String> PERMISSIONS = Set.of("USER", "ADMIN");

  /**
   * A workspace of the account ({@code provisioning.Workspace}).
   *
   * @param id its numeric id, the same as the workspace reports itself
   * @param name its name
   * @param deploymentName the first label of its URL: {@code https://<deployment>.cloud...}
   * @param awsRegion its region, or null
   * @param status {@code WorkspaceStatus}: RUNNING, PROVISIONING, FAILED, ...
   * @param creationTime when it was created, in epoch milliseconds
   */
  public record Workspace(
      long id,
      String name,
      String deploymentName,
      String awsRegion,
      String status,
      long creationTime) {}

  /** A principal's assignment to a workspace: the account group and its permissions. */
  public record Assignment(GroupsState.Group group, List<String> permissions) {}

  private final String accountId;
  private final GroupsState groups = new GroupsState(710_000_000_000_001L);
  private final Map<Long, Workspace> workspaces = new LinkedHashMap<>();
  private final Map<Long, WorkspaceState> workspaceStates = new LinkedHashMap<>();
  private final Map<Long, Map<Long, List<String>>> assignments = new TreeMap<>();

  public AccountState(String accountId) {
    this.accountId = accountId;
    groups.onDelete(this::groupDeleted);
  }

  public String accountId() {
    return accountId;
  }

  /** The account's groups, as its SCIM API lists them. */
  public GroupsState groups() {
    return groups;
  }

  /**
   * Creates account groups without members, for seeding (those that exist stay as they are): Unity
   * Catalog resolves them in every workspace of the account, assigned to it or not.
   */
  public void addGroups(String... displayNames) {
    for (String name : displayNames) {
      if (groups.named(name).isEmpty()) {
        groups.create(name, null, List.of(), List.of(), List.of());
      }
    }
  }

  /** Adds a simulated workspace to the account, RUNNING, named and deployed as {@code name}. */
  public synchronized Workspace addWorkspace(WorkspaceState state, String name) {
    long id = Long.parseLong(state.workspaceId());
    Workspace workspace = new Workspace(id, name, name, null, "RUNNING", 1_700_000_000_000L);
    workspaces.put(id, workspace);
    workspaceStates.put(id, state);
    assignments.put(id, new TreeMap<>());
    // Unity Catalog resolves every account group, assigned to the workspace or not.
    state.useAccountGroups(group -> groups.named(group).isPresent());
    return workspace;
  }

  /** Sets a workspace's name, deployment name (its host's first label) and region. */
  public synchronized void describeWorkspace(
      long id, String name, String deploymentName, String awsRegion) {
    Workspace old = workspace(id);
    workspaces.put(
        id, new Workspace(id, name, deploymentName, awsRegion, old.status(), old.creationTime()));
  }

  /** Sets a workspace's {@code workspace_status} (PROVISIONING, FAILED, ...). */
  public synchronized void setWorkspaceStatus(long id, String status) {
    Workspace old = workspace(id);
    workspaces.put(
        id,
        new Workspace(
            id, old.name(), old.deploymentName(), old.awsRegion(), status, old.creationTime()));
  }

  /** A workspace; 404 {@code RESOURCE_DOES_NOT_EXIST} when the account has none with this id. */
  public synchronized Workspace workspace(long id) {
    Workspace workspace = workspaces.get(id);
    if (workspace == null) {
      throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Workspace " + id + " does not exist.");
    }
    return workspace;
  }

  public synchronized List<Workspace> workspaces() {
    return new ArrayList<>(workspaces.values());
  }

  /** The assignments of a workspace, by principal id. */
  public synchronized List<Assignment> assignments(long workspaceId) {
    workspace(workspaceId);
    List<Assignment> list = new ArrayList<>();
    assignments
        .get(workspaceId)
        .forEach(
            (principal, permissions) -> list.add(new Assignment(group(principal), permissions)));
    return list;
  }

  /**
   * Assigns a principal to a workspace with the permissions (creating or replacing the assignment);
   * the group then appears in the workspace's SCIM Groups list. 404 for an unknown workspace or
   * principal, 400 for permissions other than {@code USER} and {@code ADMIN}, 409 when the
   * workspace has a workspace-local group of the same name.
   */
  public synchronized Assignment assign(
      long workspaceId, long principalId, List<String> permissions) {
    workspace(workspaceId);
    if (permissions == null || permissions.isEmpty()) {
      throw ApiError.invalid("permissions must name at least one of USER, ADMIN");
    }
    for (String permission : permissions) {
      if (!PERMISSIONS.contains(permission)) {
        throw ApiError.invalid("Invalid permission " + permission + ": must be one of USER, ADMIN");
      }
    }
    GroupsState.Group group = group(principalId);
    Map<Long, List<String>> assigned = assignments.get(workspaceId);
    if (!assigned.containsKey(principalId)) {
      try {
        workspaceStates
            .get(workspaceId)
            .groups()
            .assignAccountGroup(group.id(), group.displayName(), group.members());
      } catch (ScimError e) {
        // Unverified: no real answer to assigning over a clashing workspace-local group is on
        // public record; a refusal is the harsher choice, its status and code are guesses.
        throw new ApiError(409, "RESOURCE_CONFLICT", e.getMessage());
      }
    }
    List<String> kept = List.copyOf(new java.util.TreeSet<>(permissions));
    assigned.put(principalId, kept);
    return new Assignment(group, kept);
  }

  /**
   * Removes a principal's assignment to a workspace, and the group from the workspace's SCIM list;
   * 404 when the workspace does not exist or the principal is not assigned to it.
   */
  public synchronized void unassign(long workspaceId, long principalId) {
    workspace(workspaceId);
    if (assignments.get(workspaceId).remove(principalId) == null) {
      throw new ApiError(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          "Principal " + principalId + " is not assigned to workspace " + workspaceId + ".");
    }
    removeFromWorkspace(workspaceId, Long.toString(principalId));
  }

  private GroupsState.Group group(long principalId) {
    try {
      return groups.get(Long.toString(principalId));
    } catch (ScimError e) {
      throw new ApiError(
          404, "RESOURCE_DOES_NOT_EXIST", "Principal " + principalId + " does not exist.");
    }
  }

  /** An account group deleted: it leaves every workspace it was assigned to. */
  private synchronized void groupDeleted(GroupsState.Group group) {
    long id = Long.parseLong(group.id());
    assignments.forEach(
        (workspaceId, assigned) -> {
          if (assigned.remove(id) != null) {
            removeFromWorkspace(workspaceId, group.id());
          }
        });
  }

  private void removeFromWorkspace(long workspaceId, String groupId) {
    GroupsState workspaceGroups = workspaceStates.get(workspaceId).groups();
    if (workspaceGroups.list().stream().anyMatch(g -> g.id().equals(groupId))) {
      workspaceGroups.delete(groupId);
    }
  }
}
