package dev.failover.activities.steps;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.EffectivePermissionsList;
import com.databricks.sdk.service.catalog.EffectivePrivilege;
import com.databricks.sdk.service.catalog.EffectivePrivilegeAssignment;
import com.databricks.sdk.service.catalog.GetEffectiveRequest;
import com.databricks.sdk.service.catalog.GetMetastoreSummaryResponse;
import com.databricks.sdk.service.iam.ComplexValue;
import com.databricks.sdk.service.iam.User;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.errors.CallRetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rights the worker's principal needs in a workspace it may converge, checked read-only before
 * any write (README, "Least privilege"): workspace admin, and in Unity Catalog either metastore
 * admin or the metastore-level privileges to create catalogs, storage credentials and external
 * locations. A principal holds what is granted to it and to its groups, so the effective
 * permissions are read for it and for each group {@code Me} lists.
 */
final class WorkerRights {
  /** The metastore privileges converge uses to create what DR lacks. */
  static final List<String> METASTORE_PRIVILEGES =
      List.of("CREATE_CATALOG", "CREATE_EXTERNAL_LOCATION", "CREATE_STORAGE_CREDENTIAL");

  private final WorkspaceClient workspace;
  private final String host;
  private final CallRetry retry;

  WorkerRights(WorkspaceClient workspace, String host, CallRetry retry) {
    this.workspace = workspace;
    this.host = host;
    this.retry = retry;
  }

  /** Every right {@code me} lacks, as a phrase naming it; empty when it has them all. */
  List<String> missing(User me) {
    return missing(me, metastore());
  }

  /**
   * Every right {@code me} lacks, given the workspace's metastore ({@link #metastore}, read side by
   * side with {@code me}); empty when it has them all.
   */
  List<String> missing(User me, GetMetastoreSummaryResponse metastore) {
    Set<String> identities = new TreeSet<>();
    identities.add(me.getUserName());
    Set<String> groups = new TreeSet<>();
    if (me.getGroups() != null) {
      me.getGroups().stream().map(ComplexValue::getDisplay).forEach(groups::add);
    }
    identities.addAll(groups);
    List<String> missing = new ArrayList<>();
    if (!groups.contains("admins")) {
      missing.add("workspace admin (a member of the workspace's admins group)");
    }
    if (metastore == null || identities.contains(metastore.getOwner())) {
      return missing; // none assigned yet (converge assigns it), or the worker is its admin
    }
    Set<String> held = new TreeSet<>();
    // One read per identity, a few at a time.
    Concurrently.map(
            List.copyOf(identities),
            Concurrently.IN_FLIGHT,
            principal -> effective(metastore.getMetastoreId(), principal),
            n -> {})
        .forEach(held::addAll);
    for (String privilege : METASTORE_PRIVILEGES) {
      if (!held.contains(privilege)) {
        missing.add(privilege + " on metastore " + metastore.getName());
      }
    }
    return missing;
  }

  /** The workspace's metastore, or null when none is assigned. */
  GetMetastoreSummaryResponse metastore() {
    return retry.databricks(
        "read the metastore summary of " + host,
        () -> {
          try {
            return workspace.metastores().summary();
          } catch (NotFound noneAssigned) {
            return null;
          }
        });
  }

  private Set<String> effective(String metastoreId, String principal) {
    EffectivePermissionsList list =
        retry.databricks(
            "read the effective privileges of " + principal + " on the metastore of " + host,
            () ->
                workspace
                    .grants()
                    .getEffective(
                        new GetEffectiveRequest()
                            .setSecurableType("metastore")
                            .setFullName(metastoreId)
                            .setPrincipal(principal)));
    Set<String> privileges = new TreeSet<>();
    if (list.getPrivilegeAssignments() != null) {
      for (EffectivePrivilegeAssignment assignment : list.getPrivilegeAssignments()) {
        if (assignment.getPrivileges() != null) {
          for (EffectivePrivilege p : assignment.getPrivileges()) {
            privileges.add(p.getPrivilege().name());
          }
        }
      }
    }
    if (privileges.contains("ALL_PRIVILEGES")) {
      privileges.addAll(METASTORE_PRIVILEGES);
    }
    return privileges;
  }
}
