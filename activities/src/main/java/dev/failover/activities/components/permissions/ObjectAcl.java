package dev.failover.activities.components.permissions;

import java.util.List;

/**
 * The direct entries of one object's access control list, as captured. Inherited entries (the
 * admins' from the type's root, a folder's on what it holds) are left out: they come with the
 * object's place in the target, not with the object.
 *
 * @param type the Permissions API's {@code request_object_type} ({@code jobs}, {@code clusters},
 *     {@code cluster-policies}, {@code warehouses}, {@code notebooks}, {@code directories}, {@code
 *     repos})
 * @param objectKey the object's key in its own component (a job's identity tag, a cluster's or
 *     policy's or warehouse's name, a path), which finds the same object in the other workspace
 * @param name what the object is called, for messages
 * @param objectId the object's id where it was read; differs between workspaces
 * @param acl the direct entries, sorted
 */
public record ObjectAcl(
    String type, String objectKey, String name, String objectId, List<AccessEntry> acl) {
  public ObjectAcl {
    acl = acl.stream().sorted().toList();
  }

  /** The object this list belongs to, without its entries. */
  AclObjects.Found object() {
    return new AclObjects.Found(type, objectKey, name, objectId);
  }
}
