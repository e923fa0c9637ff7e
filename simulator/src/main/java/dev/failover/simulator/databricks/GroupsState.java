package dev.failover.simulator.databricks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The groups one simulated workspace sees through its SCIM API: the built-in {@code admins} and
 * {@code users}, the workspace-local groups created through the API, and the account groups
 * assigned to the workspace (seeded, since the account API is not simulated; they keep their
 * account id in every workspace they are assigned to, as real account groups do). The account-wide
 * {@code account users} group is not listed, as a workspace's SCIM API does not list it. Members
 * are kept as the references the client sent, not checked against the workspace's users and service
 * principals ({@link PrincipalsState}), whose admins are the members of {@code admins}. All methods
 * are synchronized.
 */
public final class GroupsState {
  /** {@code meta.resourceType} of a group created in the workspace. */
  public static final String WORKSPACE_GROUP = "WorkspaceGroup";

  /** {@code meta.resourceType} of an account group assigned to the workspace. */
  public static final String ACCOUNT_GROUP = "Group";

  /** The groups every workspace has and that cannot be deleted. */
  public static final List<String> BUILT_IN = List.of("admins", "users");

  /**
   * A member, as a SCIM {@code ComplexValue}.
   *
   * @param value the member's id
   * @param display its display name, or null
   * @param ref its {@code $ref} ({@code Users/<id>}, {@code Groups/<id>}, ...), or null
   */
  public record Member(String value, String display, String ref) {}

  /**
   * A group.
   *
   * @param id numeric, as a string, as the service's ids are
   * @param resourceType {@link #WORKSPACE_GROUP} or {@link #ACCOUNT_GROUP}
   * @param entitlements entitlement values ({@code workspace-access}, {@code allow-cluster-create},
   *     ...)
   * @param roles role values (instance profile ARNs)
   */
  public record Group(
      String id,
      String displayName,
      String externalId,
      String resourceType,
      List<Member> members,
      List<String> entitlements,
      List<String> roles) {
    public Group {
      members = List.copyOf(members);
      entitlements = List.copyOf(entitlements);
      roles = List.copyOf(roles);
    }
  }

  private final Map<String, Group> groups = new TreeMap<>();
  private final String createdType;
  private java.util.function.Consumer<Group> deleted = group -> {};
  private long nextId;

  /**
   * @param user the workspace's admin, member of both built-in groups
   * @param firstId the first id handed out; ids have the same number of digits, so their string
   *     order is their numeric order
   */
  GroupsState(Member user, long firstId) {
    this.createdType = WORKSPACE_GROUP;
    this.nextId = firstId;
    add(new Group(nextId(), "admins", null, WORKSPACE_GROUP, List.of(user), List.of(), List.of()));
    add(
        new Group(
            nextId(),
            "users",
            null,
            WORKSPACE_GROUP,
            List.of(user),
            List.of("workspace-access", "databricks-sql-access"),
            List.of()));
  }

  /**
   * The groups of an account (its SCIM API): no built-in group, and a created group is an account
   * group.
   *
   * @param firstId the first id handed out
   */
  GroupsState(long firstId) {
    this.createdType = ACCOUNT_GROUP;
    this.nextId = firstId;
  }

  /**
   * Creates a workspace-local group (an account group in an account's state); 409 when the display
   * name is taken.
   */
  public synchronized Group create(
      String displayName,
      String externalId,
      List<Member> members,
      List<String> entitlements,
      List<String> roles) {
    requireName(displayName);
    requireFree(displayName, null);
    return add(
        new Group(nextId(), displayName, externalId, createdType, members, entitlements, roles));
  }

  /**
   * Assigns an account group to the workspace: it appears with its account id and members. The
   * account's workspace assignments ({@link AccountState#assign}) call it; tests may call it
   * directly to seed a workspace without the account.
   */
  public synchronized Group assignAccountGroup(
      String id, String displayName, List<Member> members) {
    requireName(displayName);
    requireFree(displayName, id);
    return add(
        new Group(
            id,
            displayName,
            null,
            ACCOUNT_GROUP,
            members,
            List.of("workspace-access", "databricks-sql-access"),
            List.of()));
  }

  public synchronized Group get(String id) {
    Group group = id == null ? null : groups.get(id);
    if (group == null) {
      throw ScimError.notFound("Group with id " + id + " not found.");
    }
    return group;
  }

  /** The group with this display name, if the workspace has one. */
  public synchronized Optional<Group> named(String displayName) {
    return groups.values().stream().filter(g -> g.displayName().equals(displayName)).findFirst();
  }

  /** Every group, in id order. */
  public synchronized List<Group> list() {
    return new ArrayList<>(groups.values());
  }

  /**
   * Replaces a group with what {@code change} makes of it (a PUT or a PATCH); its id and resource
   * type stay. 409 when the new display name is another group's.
   */
  public synchronized Group update(String id, UnaryOperator<Group> change) {
    Group old = get(id);
    Group changed = change.apply(old);
    requireName(changed.displayName());
    if (BUILT_IN.contains(old.displayName()) && !old.displayName().equals(changed.displayName())) {
      throw ScimError.invalidValue(
          "The built-in group " + old.displayName() + " cannot be renamed.");
    }
    requireFree(changed.displayName(), id);
    Group kept =
        new Group(
            id,
            changed.displayName(),
            changed.externalId(),
            old.resourceType(),
            changed.members(),
            changed.entitlements(),
            changed.roles());
    groups.put(id, kept);
    return kept;
  }

  /**
   * Deletes a group (an account group is unassigned from the workspace); the built-in groups cannot
   * be deleted.
   */
  public void delete(String id) {
    Group group;
    java.util.function.Consumer<Group> listener;
    synchronized (this) {
      group = get(id);
      if (BUILT_IN.contains(group.displayName())) {
        throw ScimError.invalidValue(
            "The built-in group " + group.displayName() + " cannot be deleted.");
      }
      groups.remove(id);
      listener = deleted;
    }
    // Outside the lock: the listener takes the account's lock, which calls into this state.
    listener.accept(group);
  }

  /** Called after a group is deleted (an account removes its workspace assignments). */
  synchronized void onDelete(java.util.function.Consumer<Group> listener) {
    this.deleted = listener;
  }

  private Group add(Group group) {
    groups.put(group.id(), group);
    return group;
  }

  private String nextId() {
    return Long.toString(nextId++);
  }

  private static void requireName(String displayName) {
    if (displayName == null || displayName.isBlank()) {
      throw ScimError.invalidValue("displayName is required.");
    }
  }

  /** Display names are unique in a workspace, compared exactly. */
  private void requireFree(String displayName, String exceptId) {
    for (Group other : groups.values()) {
      if (other.displayName().equals(displayName) && !other.id().equals(exceptId)) {
        throw new ScimError(409, "Group with name " + displayName + " already exists.");
      }
    }
  }
}
