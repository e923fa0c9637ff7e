package dev.failover.activities.components;

import dev.failover.activities.components.unitycatalog.ExternalLocationsComponent;
import dev.failover.activities.components.unitycatalog.MetastoreComponent;
import dev.failover.activities.components.unitycatalog.RegisteredModelsComponent;
import dev.failover.activities.components.unitycatalog.StorageCredentialsComponent;
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
    return List.of(
        new MetastoreComponent(),
        new StorageCredentialsComponent(),
        new ExternalLocationsComponent(),
        new RegisteredModelsComponent());
  }

  public static Optional<Component<?>> named(String name) {
    return all().stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
