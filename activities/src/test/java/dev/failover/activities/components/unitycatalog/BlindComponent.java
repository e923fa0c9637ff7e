package dev.failover.activities.components.unitycatalog;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.DelegatingComponent;
import java.util.List;
import java.util.Map;

/**
 * A component that sees nothing in the target before it converges, as when another attempt creates
 * the objects between the read and the create: every item is created, and "already exists" must be
 * taken as success without a duplicate.
 */
final class BlindComponent<T> extends DelegatingComponent<T> {
  BlindComponent(Component<T> component) {
    super(component);
  }

  @Override
  public Map<String, T> current(ComponentContext target, List<T> wanted) {
    return Map.of();
  }

  /** Converges {@code captured} into DR through a blind copy of the harness's component. */
  static <T> ComponentConverger.Result converge(ComponentHarness<T> harness, List<T> captured) {
    return new ComponentConverger<>(
            new BlindComponent<>(harness.component),
            harness.context(SimulatedCloud.secondary(), null),
            done -> {})
        .converge(captured, null, false);
  }
}
