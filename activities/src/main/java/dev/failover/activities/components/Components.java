package dev.failover.activities.components;

import dev.failover.activities.components.compute.ClusterPoliciesComponent;
import dev.failover.activities.components.compute.ClustersComponent;
import dev.failover.activities.components.tables.TablesComponent;
import java.util.List;
import java.util.Optional;

/**
 * Every component the worker captures and converges beyond catalogs, schemas and grants, in the
 * order converge visits them: what an object refers to is converged before it (credentials before
 * the external locations that use them, warehouses and policies before the jobs that run on them).
 */
public final class Components {
  private Components() {}

  /** The registered components, in converge order. */
  public static List<Component<?>> all() {
    return List.of(new ClusterPoliciesComponent(), new ClustersComponent(), new TablesComponent());
  }

  public static Optional<Component<?>> named(String name) {
    return all().stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
