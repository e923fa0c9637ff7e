package dev.failover.activities.components;

import dev.failover.activities.components.compute.ClusterPoliciesComponent;
import dev.failover.activities.components.compute.ClustersComponent;
import dev.failover.activities.components.identity.GroupsComponent;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.activities.components.permissions.PermissionsComponent;
import dev.failover.activities.components.tables.TablesComponent;
import dev.failover.activities.components.unitycatalog.ExternalLocationsComponent;
import dev.failover.activities.components.unitycatalog.MetastoreComponent;
import dev.failover.activities.components.unitycatalog.RegisteredModelsComponent;
import dev.failover.activities.components.unitycatalog.StorageCredentialsComponent;
import dev.failover.activities.components.warehouses.WarehousesComponent;
import dev.failover.activities.components.workspace.NotebooksComponent;
import dev.failover.activities.components.workspace.ReposComponent;
import java.util.List;
import java.util.Optional;

/**
 * Every component the worker captures and converges beyond catalogs, schemas and grants: the
 * registry the activities look components up in by name. The order in which a run converges them is
 * not decided here but by the needs each {@code converge-<name>} step declares in the workflow's
 * {@code Step} (what an object refers to is converged before it); this list only orders the dry
 * run's preview.
 */
public final class Components {
  private Components() {}

  /** The registered components. */
  public static List<Component<?>> all() {
    return List.of(
        new GroupsComponent(),
        new MetastoreComponent(),
        new StorageCredentialsComponent(),
        new ExternalLocationsComponent(),
        new WarehousesComponent(),
        new TablesComponent(),
        new ClusterPoliciesComponent(),
        new ClustersComponent(),
        new ReposComponent(),
        new NotebooksComponent(),
        new JobsComponent(),
        new RegisteredModelsComponent(),
        new PermissionsComponent());
  }

  public static Optional<Component<?>> named(String name) {
    return all().stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
