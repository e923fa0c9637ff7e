package dev.failover.activities.components.identity;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.iam.Group;
import com.databricks.sdk.service.iam.ListAccountGroupsRequest;
import com.databricks.sdk.service.iam.ListGroupsRequest;
import com.databricks.sdk.service.iam.PermissionAssignment;
import com.databricks.sdk.service.iam.UpdateWorkspaceAssignments;
import com.databricks.sdk.service.iam.WorkspacePermission;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The groups of a workspace (the workspace SCIM Groups API), verified in the target before the
 * grants, owners and ACLs that name them are converged. Identity lives in the identity provider and
 * the Databricks account: groups reach a workspace by SCIM provisioning into the account and by the
 * account's workspace assignments, and their membership is the IdP's. So this component never
 * creates, changes or deletes a group: when the target lacks some, converge fails without retries
 * and names them all, with what to do.
 *
 * <p>Captured: every group the active workspace lists except the built-in {@code admins} and {@code
 * users}, which every workspace has, and the account's {@code account users}, which every workspace
 * of the account sees.
 *
 * <p>When the runbook configures the account ({@link ComponentContext#account()}), the target is
 * read through the account API instead: a group is present when the account has it (account SCIM,
 * {@code AccountGroupsAPI}) and it is assigned to the target workspace ({@code
 * WorkspaceAssignmentAPI.list}). A group the account lacks still fails converge, naming them all,
 * since identity is the identity provider's; a group the account has but the target workspace is
 * not assigned is assigned ({@code WorkspaceAssignmentAPI.update}, permission {@code USER}) and
 * counted as created, so a drill's ledger records it and its clean-up deletes exactly the
 * assignments it made ({@code WorkspaceAssignmentAPI.delete}). The group itself is never created,
 * changed or deleted.
 */
public class GroupsComponent implements Component<GroupsComponent.GroupItem> {
  /**
   * A group.
   *
   * @param displayName the group's name, the key: what grants and ACLs name
   * @param members how many direct members it had when captured; shown, never compared, since
   *     membership is the identity provider's
   */
  public record GroupItem(String displayName, int members) {}

  /** The groups every workspace has, which are neither captured nor verified. */
  static final Set<String> BUILT_IN = Set.of("admins", "users", "account users");

  /**
   * Groups asked for per page. {@code GroupsAPI.list} pages by {@code startIndex}/{@code count} and
   * asks for 10,000 unless told; the members of large groups make such pages heavy, so pages are
   * kept small.
   */
  static final long PAGE = 100;

  @Override
  public String name() {
    return "groups";
  }

  /** The same in a drill and a failover, and converging it only makes items match. */
  @Override
  public boolean trustedWhenUnchanged() {
    return true;
  }

  @Override
  public Class<GroupItem> type() {
    return GroupItem.class;
  }

  @Override
  public String key(GroupItem item) {
    return item.displayName();
  }

  @Override
  public List<GroupItem> read(ComponentContext workspace) {
    WorkspaceClient client = workspace.workspace();
    List<Group> groups =
        workspace
            .retry()
            .databricks(
                "list groups in " + workspace.host(),
                () -> {
                  List<Group> all = new ArrayList<>();
                  client
                      .groups()
                      .list(
                          new ListGroupsRequest()
                              .setAttributes("displayName,members")
                              .setCount(PAGE))
                      .forEach(all::add);
                  return all;
                });
    Map<String, GroupItem> byName = new TreeMap<>();
    for (Group group : groups) {
      String name = group.getDisplayName();
      if (name != null && !BUILT_IN.contains(name)) {
        byName.put(
            name, new GroupItem(name, group.getMembers() == null ? 0 : group.getMembers().size()));
      }
    }
    return List.copyOf(byName.values());
  }

  /** A group is the same in every workspace it is assigned to. */
  @Override
  public GroupItem expected(GroupItem captured, ComponentContext target) {
    return captured;
  }

  /** Only presence is verified: membership is the identity provider's. */
  @Override
  public List<String> differences(GroupItem want, GroupItem have) {
    return List.of();
  }

  /**
   * With an account: the wanted groups that the account has and that are assigned to the target
   * workspace; read-only. Without one: every group the target workspace lists.
   */
  @Override
  public Map<String, GroupItem> current(ComponentContext target, List<GroupItem> wanted) {
    if (target.account() == null) {
      return Component.super.current(target, wanted);
    }
    Map<String, Group> inAccount = accountGroups(target);
    Set<Long> assigned = assignedPrincipals(target);
    Map<String, GroupItem> current = new LinkedHashMap<>();
    for (GroupItem want : wanted) {
      Group group = inAccount.get(want.displayName());
      if (group != null && assigned.contains(principalId(group))) {
        current.put(key(want), want);
      }
    }
    return current;
  }

  /**
   * Fails the step, naming every group the target lacks (with an account: every group the account
   * lacks), before anything is recorded. With an account, groups the account has are left to be
   * assigned.
   */
  @Override
  public void beforeCreating(List<GroupItem> missing, ComponentContext target) {
    List<String> names = missing.stream().map(GroupItem::displayName).toList();
    if (target.account() == null) {
      throw missing(names, target);
    }
    Map<String, Group> inAccount = accountGroups(target);
    List<String> notInAccount = names.stream().filter(n -> !inAccount.containsKey(n)).toList();
    if (!notInAccount.isEmpty()) {
      throw missingInAccount(notInAccount, target);
    }
  }

  /** Groups are assigned a few at a time: each assignment is its own idempotent PUT. */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  /**
   * With an account: assigns the account group to the target workspace with permission {@code USER}
   * (a repeated assignment is the same assignment). Without one, never reached through converge,
   * which fails in {@link #beforeCreating} first; fails the same way for the one group.
   */
  @Override
  public void create(GroupItem want, ComponentContext target) {
    if (target.account() == null) {
      throw missing(List.of(want.displayName()), target);
    }
    Group group = accountGroup(want.displayName(), target);
    if (group == null) {
      throw missingInAccount(List.of(want.displayName()), target);
    }
    long workspaceId = target.account().workspaceId();
    target
        .retry()
        .databricks(
            "assign group " + want.displayName() + " to workspace " + target.host(),
            () ->
                target
                    .accountClient()
                    .workspaceAssignment()
                    .update(
                        new UpdateWorkspaceAssignments()
                            .setWorkspaceId(workspaceId)
                            .setPrincipalId(principalId(group))
                            .setPermissions(List.of(WorkspacePermission.USER))));
  }

  /** Never called: {@link #differences} finds none. */
  @Override
  public void update(
      GroupItem want, GroupItem have, List<String> differences, ComponentContext target) {
    throw new UnsupportedOperationException(
        "groups are never changed by this tool: membership is the identity provider's");
  }

  /**
   * With an account: removes the group's assignment to the target workspace, which a drill made (a
   * group or an assignment already gone is success); the group stays in the account. Without one,
   * never called: a drill records nothing for groups in its ledger, since nothing is created.
   */
  @Override
  public void delete(GroupItem have, ComponentContext target) {
    if (target.account() != null) {
      Group group = accountGroup(have.displayName(), target);
      if (group == null) {
        return;
      }
      long workspaceId = target.account().workspaceId();
      try {
        target
            .retry()
            .databricks(
                "remove the assignment of group "
                    + have.displayName()
                    + " to workspace "
                    + target.host(),
                () -> {
                  target
                      .accountClient()
                      .workspaceAssignment()
                      .delete(workspaceId, principalId(group));
                  return null;
                });
      } catch (ApplicationFailure e) {
        if (!FailureTypes.NOT_FOUND.equals(e.getType())) {
          throw e;
        }
      }
      return;
    }
    throw new UnsupportedOperationException(
        "groups are never created by this tool, so a drill's clean-up never deletes one: "
            + have.displayName()
            + " belongs to the identity provider and the account");
  }

  /** The account's groups by display name (ids and names only), every page. */
  private static Map<String, Group> accountGroups(ComponentContext target) {
    List<Group> groups =
        target
            .retry()
            .databricks(
                "list groups in account " + target.account().accountId(),
                () -> {
                  List<Group> all = new ArrayList<>();
                  target
                      .accountClient()
                      .groups()
                      .list(
                          new ListAccountGroupsRequest()
                              .setAttributes("id,displayName")
                              .setCount(PAGE))
                      .forEach(all::add);
                  return all;
                });
    Map<String, Group> byName = new TreeMap<>();
    groups.stream()
        .filter(g -> g.getDisplayName() != null)
        .forEach(g -> byName.putIfAbsent(g.getDisplayName(), g));
    return byName;
  }

  /** The account group with this display name, by a SCIM filter, or null. */
  private static Group accountGroup(String name, ComponentContext target) {
    String filter = "displayName eq \"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    List<Group> found =
        target
            .retry()
            .databricks(
                "find group " + name + " in account " + target.account().accountId(),
                () -> {
                  List<Group> all = new ArrayList<>();
                  target
                      .accountClient()
                      .groups()
                      .list(
                          new ListAccountGroupsRequest()
                              .setFilter(filter)
                              .setAttributes("id,displayName")
                              .setCount(PAGE))
                      .forEach(all::add);
                  return all;
                });
    return found.stream().filter(g -> name.equals(g.getDisplayName())).findFirst().orElse(null);
  }

  /** The principals assigned to the target workspace in the account. */
  private static Set<Long> assignedPrincipals(ComponentContext target) {
    long workspaceId = target.account().workspaceId();
    return target
        .retry()
        .databricks(
            "list the assignments of workspace " + target.host(),
            () -> {
              Set<Long> ids = new HashSet<>();
              for (PermissionAssignment assignment :
                  target.accountClient().workspaceAssignment().list(workspaceId)) {
                if (assignment.getPrincipal() != null
                    && assignment.getPrincipal().getPrincipalId() != null) {
                  ids.add(assignment.getPrincipal().getPrincipalId());
                }
              }
              return ids;
            });
  }

  private static long principalId(Group group) {
    return Long.parseLong(group.getId());
  }

  private static ApplicationFailure missingInAccount(List<String> names, ComponentContext target) {
    String list = String.join(", ", names);
    boolean one = names.size() == 1;
    return ApplicationFailure.newNonRetryableFailure(
        (one ? "The group " : "The groups ")
            + list
            + (one ? " is" : " are")
            + " missing in account "
            + target.account().accountId()
            + ". Identity is the IdP's: provision the "
            + (one ? "group " : "groups ")
            + list
            + " into the account through SCIM provisioning from the identity provider; this tool"
            + " then assigns "
            + (one ? "it" : "them")
            + " to workspace "
            + target.host()
            + " and converges the grants and ACLs that name "
            + (one ? "it" : "them"),
        FailureTypes.NOT_FOUND);
  }

  private static ApplicationFailure missing(List<String> names, ComponentContext target) {
    String list = String.join(", ", names);
    return ApplicationFailure.newNonRetryableFailure(
        (names.size() == 1 ? "The group " : "The groups ")
            + list
            + (names.size() == 1 ? " is" : " are")
            + " missing in "
            + target.host()
            + ". Groups are not created by this tool: assign the account "
            + (names.size() == 1 ? "group " : "groups ")
            + list
            + " to workspace "
            + target.host()
            + " in the account console or through SCIM provisioning from the IdP; the grants and"
            + " ACLs that name them cannot be converged before",
        FailureTypes.NOT_FOUND);
  }
}
