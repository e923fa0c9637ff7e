package dev.failover.activities.components.identity;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.iam.Group;
import com.databricks.sdk.service.iam.ListGroupsRequest;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
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
 * of the account sees. Workspace assignment through the account API is not done here: the runbook
 * configures workspace credentials only, no account-level client.
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

  /** Fails the step, naming every group the target lacks, before anything is recorded. */
  @Override
  public void beforeCreating(List<GroupItem> missing, ComponentContext target) {
    throw missing(missing.stream().map(GroupItem::displayName).toList(), target);
  }

  /**
   * Never reached through converge, which fails in {@link #beforeCreating} first; fails the same
   * way for the one group, since groups are never created by this tool.
   */
  @Override
  public void create(GroupItem want, ComponentContext target) {
    throw missing(List.of(want.displayName()), target);
  }

  /** Never called: {@link #differences} finds none. */
  @Override
  public void update(
      GroupItem want, GroupItem have, List<String> differences, ComponentContext target) {
    throw new UnsupportedOperationException(
        "groups are never changed by this tool: membership is the identity provider's");
  }

  /**
   * Never called: a drill records nothing for groups in its ledger, since they are never created,
   * so its clean-up has nothing to delete.
   */
  @Override
  public void delete(GroupItem have, ComponentContext target) {
    throw new UnsupportedOperationException(
        "groups are never created by this tool, so a drill's clean-up never deletes one: "
            + have.displayName()
            + " belongs to the identity provider and the account");
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
