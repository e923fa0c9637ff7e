package dev.failover.activities.components.permissions;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.iam.AccessControlResponse;
import com.databricks.sdk.service.iam.ObjectPermissions;
import com.databricks.sdk.service.iam.Permission;
import com.databricks.sdk.service.iam.SetObjectPermissions;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Workspace object permissions: the direct entries of the access control list of every job,
 * all-purpose cluster, cluster policy, SQL warehouse, notebook, folder holding notebooks and Git
 * folder (the Permissions API, {@code /api/2.0/permissions/{type}/{id}}), converged exactly: an
 * object whose entries differ gets one PUT with the captured list, which replaces its direct
 * entries (adds what is missing, removes what is extra); an object that matches gets none.
 *
 * <p>The objects are found in the target by the keys their own components use, so primary ids
 * become DR ids as job references do. Converge runs after every object exists, and the PUT carries
 * the owner ({@code IS_OWNER}, for jobs and warehouses): ownership moves last, after the object's
 * other converge, so the worker keeps the rights it needed until then (as an admin it keeps {@code
 * CAN_MANAGE}, inherited from the type's root). A PUT is idempotent: a retry after a lost answer
 * sends the same list and leaves the same state. An object the target lacks, and a list the target
 * refuses (a principal it does not know, a level the type does not have), are refused by name while
 * the others converge. Inherited entries are not captured: they follow from where the object is in
 * the target. Nothing is deleted in a drill's clean-up: an access control list goes with its
 * object.
 */
public final class PermissionsComponent implements Component<ObjectAcl> {
  @Override
  public String name() {
    return "permissions";
  }

  /** Reads a request per object ({@link Component#readsEachObject}). */
  @Override
  public boolean readsEachObject() {
    return true;
  }

  /** The same in a drill and a failover, and converging it only makes items match. */
  @Override
  public boolean trustedWhenUnchanged() {
    return true;
  }

  @Override
  public Class<ObjectAcl> type() {
    return ObjectAcl.class;
  }

  @Override
  public String key(ObjectAcl item) {
    return item.type() + ":" + item.objectKey();
  }

  @Override
  public List<ObjectAcl> read(ComponentContext workspace) {
    // One GET per object, independent reads: a few at a time, within the family's pace.
    return Concurrently.map(
        AclObjects.all(workspace),
        Concurrently.IN_FLIGHT,
        object -> acl(workspace, object),
        n -> {});
  }

  /** The target's lists of the wanted objects it has; only those objects are read. */
  @Override
  public Map<String, ObjectAcl> current(ComponentContext target, List<ObjectAcl> wanted) {
    List<AclObjects.Found> objects = wanted.stream().map(ObjectAcl::object).toList();
    List<Map.Entry<String, AclObjects.Found>> found =
        new ArrayList<>(AclObjects.find(target, objects).entrySet());
    List<ObjectAcl> acls =
        Concurrently.map(
            found, Concurrently.IN_FLIGHT, entry -> acl(target, entry.getValue()), n -> {});
    Map<String, ObjectAcl> current = new LinkedHashMap<>();
    for (int i = 0; i < found.size(); i++) {
      current.put(found.get(i).getKey(), acls.get(i));
    }
    return current;
  }

  /** A drill's clean-up removes objects, and their lists with them; it never finds a list. */
  @Override
  public Map<String, ObjectAcl> withKeys(ComponentContext target, Set<String> keys) {
    return Map.of();
  }

  /** Principals are named alike in both workspaces: the captured list is what the target holds. */
  @Override
  public ObjectAcl expected(ObjectAcl captured, ComponentContext target) {
    return captured;
  }

  /** The entries to add ({@code +}) and to remove ({@code -}). */
  @Override
  public List<String> differences(ObjectAcl want, ObjectAcl have) {
    Set<AccessEntry> missing = new TreeSet<>(want.acl());
    have.acl().forEach(missing::remove);
    Set<AccessEntry> extra = new TreeSet<>(have.acl());
    want.acl().forEach(extra::remove);
    List<String> differences = new ArrayList<>();
    missing.forEach(entry -> differences.add("+" + entry));
    extra.forEach(entry -> differences.add("-" + entry));
    return differences;
  }

  /** The object is not in the target: its own converge step has not made it (or refused it). */
  @Override
  public void create(ObjectAcl want, ComponentContext target) {
    throw new Refused(
        "the "
            + want.type()
            + " object "
            + want.name()
            + " is not in "
            + target.host()
            + ": converge "
            + AclObjects.COMPONENTS.get(want.type())
            + " first, then retry");
  }

  /** Each object's list is its own PUT: several go at once. */
  @Override
  public int inFlight() {
    return Concurrently.IN_FLIGHT;
  }

  /** One PUT with the captured entries, the owner among them. */
  @Override
  public void update(
      ObjectAcl want, ObjectAcl have, List<String> differences, ComponentContext target) {
    String refusal =
        target
            .retry()
            .databricks(
                "set the permissions of "
                    + want.type()
                    + " "
                    + want.name()
                    + " in "
                    + target.host(),
                () -> put(want, have.objectId(), target));
    if (refusal != null) {
      throw new Refused(
          want.type() + " " + want.name() + ": " + target.host() + " refused the list: " + refusal);
    }
  }

  /** The PUT; the service's message when it refuses the list (400) or lost the object (404). */
  private static String put(ObjectAcl want, String id, ComponentContext target) {
    try {
      target
          .workspace()
          .permissions()
          .set(
              new SetObjectPermissions()
                  .setRequestObjectType(want.type())
                  .setRequestObjectId(id)
                  .setAccessControlList(want.acl().stream().map(AccessEntry::request).toList()));
      return null;
    } catch (DatabricksError e) {
      if (e.getStatusCode() == 400 || e.getStatusCode() == 404) {
        return e.getMessage();
      }
      throw e;
    }
  }

  @Override
  public void delete(ObjectAcl have, ComponentContext target) {}

  /** The object's direct entries, read with one GET. */
  private static ObjectAcl acl(ComponentContext workspace, AclObjects.Found object) {
    ObjectPermissions permissions =
        workspace
            .retry()
            .databricks(
                "read the permissions of "
                    + object.type()
                    + " "
                    + object.name()
                    + " in "
                    + workspace.host(),
                () -> workspace.workspace().permissions().get(object.type(), object.id()));
    return new ObjectAcl(
        object.type(), object.key(), object.name(), object.id(), direct(permissions));
  }

  private static List<AccessEntry> direct(ObjectPermissions permissions) {
    List<AccessEntry> entries = new ArrayList<>();
    if (permissions.getAccessControlList() == null) {
      return entries;
    }
    for (AccessControlResponse principal : permissions.getAccessControlList()) {
      if (principal.getAllPermissions() == null) {
        continue;
      }
      for (Permission permission : principal.getAllPermissions()) {
        if (!Boolean.TRUE.equals(permission.getInherited())) {
          entries.add(entry(principal, permission.getPermissionLevel().toString()));
        }
      }
    }
    return entries;
  }

  private static AccessEntry entry(AccessControlResponse principal, String level) {
    if (principal.getUserName() != null) {
      return new AccessEntry(AccessEntry.USER, principal.getUserName(), level);
    }
    if (principal.getGroupName() != null) {
      return new AccessEntry(AccessEntry.GROUP, principal.getGroupName(), level);
    }
    return new AccessEntry(
        AccessEntry.SERVICE_PRINCIPAL, principal.getServicePrincipalName(), level);
  }
}
