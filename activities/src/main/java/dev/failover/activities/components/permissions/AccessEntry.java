package dev.failover.activities.components.permissions;

import com.databricks.sdk.service.iam.AccessControlRequest;
import com.databricks.sdk.service.iam.PermissionLevel;
import java.util.Comparator;

/**
 * One direct entry of an access control list: a principal, by the field that names it, and its
 * level. Principals are named the same in both workspaces (users by user name, groups by display
 * name, service principals by application id), so an entry needs no mapping.
 *
 * @param principalType {@code user}, {@code group} or {@code service_principal}
 * @param principal the user name, group name or application id
 * @param level the permission level ({@code CAN_MANAGE}, {@code IS_OWNER}, ...)
 */
public record AccessEntry(String principalType, String principal, String level)
    implements Comparable<AccessEntry> {
  static final String USER = "user";
  static final String GROUP = "group";
  static final String SERVICE_PRINCIPAL = "service_principal";

  private static final Comparator<AccessEntry> ORDER =
      Comparator.comparing(AccessEntry::principalType)
          .thenComparing(AccessEntry::principal)
          .thenComparing(AccessEntry::level);

  @Override
  public int compareTo(AccessEntry other) {
    return ORDER.compare(this, other);
  }

  /** The entry as the Permissions API takes it. */
  AccessControlRequest request() {
    AccessControlRequest request =
        new AccessControlRequest().setPermissionLevel(PermissionLevel.valueOf(level));
    return switch (principalType) {
      case USER -> request.setUserName(principal);
      case GROUP -> request.setGroupName(principal);
      default -> request.setServicePrincipalName(principal);
    };
  }

  @Override
  public String toString() {
    return principalType + " " + principal + " " + level;
  }
}
