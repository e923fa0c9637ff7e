package dev.failover.simulator.databricks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The access control lists of one simulated workspace's objects, as the Permissions API serves
 * them: each object's direct entries, which GET shows with {@code inherited: false}, and what the
 * object inherits, shown with {@code inherited: true} and {@code inherited_from_object}.
 *
 * <p>Rules, each with its source:
 *
 * <ul>
 *   <li>The {@code admins} group has {@code CAN_MANAGE} on every object, inherited from the type's
 *       root ({@code /jobs/}, {@code /clusters/}, ...; {@code /directories/} for notebooks, folders
 *       and Git folders): the Databricks CLI's test server adds exactly that entry "to match cloud
 *       environment" (databricks/cli {@code libs/testserver/permissions.go}). Cluster policies have
 *       no {@code CAN_MANAGE} level and show no admins entry.
 *   <li>Notebooks, folders and Git folders inherit the direct entries of every folder above them,
 *       each shown with the folder's object id ({@code /directories/123}), as
 *       terraform-provider-databricks read fixtures show them.
 *   <li>A new object's direct entries are its creator's: {@code IS_OWNER} on jobs and SQL
 *       warehouses, {@code CAN_MANAGE} on clusters (the Terraform provider's {@code
 *       AddCurrentUserAsManage} keeps the applying user's {@code CAN_MANAGE} on clusters and
 *       warehouses for this reason); none on policies and workspace objects, which inherit.
 *   <li>A type with owners (jobs, warehouses) has exactly one {@code IS_OWNER}, a user or a service
 *       principal. A PUT on a job without exactly one is 400 "The job must have exactly one owner."
 *       (databricks/cli#3849, #4466, #5682; terraform-provider-databricks#303). A PUT on a
 *       warehouse without one keeps the current owner; a warehouse with none refuses it with "PUT
 *       requests for warehouse ID with no existing owner must provide a new owner."
 *       (terraform-provider-databricks#2678, #2865). A group as owner is refused: the exact answer
 *       is not on public record, so the simulator refuses it with 400 {@code
 *       INVALID_PARAMETER_VALUE}, the harsher reading. A PATCH naming a new owner moves ownership
 *       to it (the previous owner's {@code IS_OWNER} goes, so there is still one): not documented,
 *       assumed.
 *   <li>A principal the workspace does not know is 404 {@code RESOURCE_DOES_NOT_EXIST} "Principal:
 *       UserName(x) does not exist" ({@code GroupName(...)}, {@code ServicePrincipalName(...)}):
 *       the message is quoted in databricks/cli#4488 and terraform-provider-databricks#1415, the
 *       status and code in a transcript of the permissions API's answer for a group.
 *   <li>A level the type does not have is 400 {@code INVALID_PARAMETER_VALUE} naming the level and
 *       the type's levels. The service's exact answer is not on public record (an old SQL endpoint
 *       answered 500 "Unhandled Permission level", DatabricksPS#69); the simulator answers a
 *       non-retryable 400, the harsher reading for a caller.
 *   <li>PUT replaces the direct entries; PATCH sets the level of each principal it names and keeps
 *       the others' (a principal holds one direct level per object: assumed).
 * </ul>
 */
public final class PermissionsState {
  /** How an entry names its principal: the field of {@code AccessControlRequest}. */
  public enum PrincipalKind {
    USER("user_name", "UserName"),
    GROUP("group_name", "GroupName"),
    SERVICE_PRINCIPAL("service_principal_name", "ServicePrincipalName");

    final String field;
    final String errorName;

    PrincipalKind(String field, String errorName) {
      this.field = field;
      this.errorName = errorName;
    }
  }

  /** One direct entry: a principal and its level. */
  public record Entry(PrincipalKind kind, String principal, String level) {
    boolean samePrincipal(Entry other) {
      return kind == other.kind && principal.equals(other.principal);
    }
  }

  /** One level a principal holds on an object, direct or inherited from {@code from}. */
  public record Held(Entry entry, String from) {
    public boolean inherited() {
      return from != null;
    }
  }

  private final WorkspaceState workspace;
  private final Map<String, List<Entry>> direct = new HashMap<>();
  private KnownPrincipals principals;

  PermissionsState(WorkspaceState workspace) {
    this.workspace = workspace;
    // Entries may name the workspace's SCIM users and service principals.
    this.principals = workspace.principals();
  }

  /** The users and service principals entries may name. */
  public synchronized KnownPrincipals principals() {
    return principals;
  }

  /** Uses another source of known users and service principals (the SCIM APIs, say). */
  public synchronized void usePrincipals(KnownPrincipals known) {
    this.principals = known;
  }

  /** What GET answers: the object's direct entries, then what it inherits. */
  public synchronized List<Held> get(String requestType, String id) {
    PermissionObjectType type = PermissionObjectType.of(requestType);
    String objectId = requireObject(type, id);
    List<Held> held = new ArrayList<>();
    directOf(type, id, objectId).forEach(entry -> held.add(new Held(entry, null)));
    held.addAll(inherited(type, id));
    return held;
  }

  /** PUT: replaces the object's direct entries. */
  public synchronized void set(String requestType, String id, List<Entry> entries) {
    PermissionObjectType type = PermissionObjectType.of(requestType);
    String objectId = requireObject(type, id);
    check(type, entries);
    List<Entry> next = new ArrayList<>(entries);
    if (type.hasOwner() && owners(next) == 0) {
      next = withoutOwner(type, id, objectId, next);
    }
    requireOneOwner(type, id, next);
    direct.put(objectId, next);
  }

  /** PATCH: sets the level of each principal named, keeping the other entries. */
  public synchronized void update(String requestType, String id, List<Entry> entries) {
    PermissionObjectType type = PermissionObjectType.of(requestType);
    String objectId = requireObject(type, id);
    check(type, entries);
    List<Entry> next = new ArrayList<>(directOf(type, id, objectId));
    for (Entry entry : entries) {
      next.removeIf(
          e -> e.samePrincipal(entry) || (isOwner(entry) && isOwner(e) && type.hasOwner()));
      next.add(entry);
    }
    requireOneOwner(type, id, next);
    direct.put(objectId, next);
  }

  /** The levels the object's type has; the object must exist. */
  public synchronized List<String> levels(String requestType, String id) {
    PermissionObjectType type = PermissionObjectType.of(requestType);
    requireObject(type, id);
    return type.levels;
  }

  /** The object id the API answers for the object. */
  static String objectId(String requestType, String id) {
    return PermissionObjectType.of(requestType).objectId(id);
  }

  /** The type's {@code object_type}. */
  static String objectType(String requestType) {
    return PermissionObjectType.of(requestType).objectType;
  }

  private List<Entry> directOf(PermissionObjectType type, String id, String objectId) {
    List<Entry> entries = direct.get(objectId);
    return entries != null ? entries : ObjectLookup.creatorEntries(workspace, type, id);
  }

  /** A PUT without an owner on a warehouse keeps its owner (see the class comment). */
  private List<Entry> withoutOwner(
      PermissionObjectType type, String id, String objectId, List<Entry> next) {
    if (type != PermissionObjectType.WAREHOUSES) {
      return next;
    }
    List<Entry> kept = new ArrayList<>(next);
    directOf(type, id, objectId).stream().filter(PermissionsState::isOwner).forEach(kept::add);
    if (owners(kept) == 0) {
      throw ApiError.invalid(
          "PUT requests for warehouse " + id + " with no existing owner must provide a new owner.");
    }
    return kept;
  }

  private static void requireOneOwner(PermissionObjectType type, String id, List<Entry> entries) {
    if (type.hasOwner() && owners(entries) != 1) {
      throw ApiError.invalid(
          "The "
              + (type == PermissionObjectType.JOBS ? "job" : "warehouse")
              + " must have exactly one owner.");
    }
  }

  private static long owners(List<Entry> entries) {
    return entries.stream().filter(PermissionsState::isOwner).count();
  }

  private static boolean isOwner(Entry entry) {
    return PermissionObjectType.OWNER.equals(entry.level());
  }

  /** Levels valid for the type, principals known, no group as owner. */
  private void check(PermissionObjectType type, List<Entry> entries) {
    for (Entry entry : entries) {
      if (!type.levels.contains(entry.level())) {
        throw ApiError.invalid(
            "Permission level "
                + entry.level()
                + " is not valid for object type "
                + type.objectType
                + "; valid levels are "
                + String.join(", ", type.levels));
      }
      if (isOwner(entry) && entry.kind() == PrincipalKind.GROUP) {
        throw ApiError.invalid(
            "Group " + entry.principal() + " cannot be the owner of a " + type.objectType);
      }
      if (!known(entry)) {
        throw new ApiError(
            404,
            "RESOURCE_DOES_NOT_EXIST",
            "Principal: " + entry.kind().errorName + "(" + entry.principal() + ") does not exist");
      }
    }
  }

  private boolean known(Entry entry) {
    return switch (entry.kind()) {
      case USER -> principals.hasUser(entry.principal());
      case SERVICE_PRINCIPAL -> principals.hasServicePrincipal(entry.principal());
      case GROUP -> workspace.groups().named(entry.principal()).isPresent();
    };
  }

  /** The object's id as answered; 404 when the object does not exist. */
  private String requireObject(PermissionObjectType type, String id) {
    if (!ObjectLookup.exists(workspace, type, id)) {
      throw new ApiError(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          // The real message is not on public record; the status and code are those of a missing
          // workspace object.
          type.objectType + " " + id + " does not exist.");
    }
    return type.objectId(id);
  }

  /** The admins' level from the type's root, and for tree objects every folder's above them. */
  private List<Held> inherited(PermissionObjectType type, String id) {
    List<Held> held = new ArrayList<>();
    if (type.inTree()) {
      for (Map.Entry<Long, String> folder : ObjectLookup.folders(workspace, id).entrySet()) {
        String from = PermissionObjectType.DIRECTORIES.objectId(folder.getKey().toString());
        for (Entry entry : direct.getOrDefault(from, List.of())) {
          held.add(new Held(entry, from));
        }
      }
    }
    if (type.levels.contains("CAN_MANAGE")) {
      String root = "/" + (type.inTree() ? "directories" : type.requestType) + "/";
      held.add(new Held(new Entry(PrincipalKind.GROUP, "admins", "CAN_MANAGE"), root));
    }
    return held;
  }

  /** Entries grouped by principal, in order of first appearance, as the API lists them. */
  static Map<String, List<Held>> byPrincipal(List<Held> held) {
    Map<String, List<Held>> grouped = new LinkedHashMap<>();
    for (Held h : held) {
      grouped
          .computeIfAbsent(h.entry().kind() + ":" + h.entry().principal(), k -> new ArrayList<>())
          .add(h);
    }
    return grouped;
  }
}
