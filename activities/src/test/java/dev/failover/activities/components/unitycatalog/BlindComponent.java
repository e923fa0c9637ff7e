package dev.failover.activities.components.unitycatalog;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import java.util.List;
import java.util.Map;

/**
 * A component that sees nothing in the target before it converges, as when another attempt creates
 * the objects between the read and the create: every item is created, and "already exists" must be
 * taken as success without a duplicate.
 */
final class BlindComponent<T> implements Component<T> {
  private final Component<T> component;

  BlindComponent(Component<T> component) {
    this.component = component;
  }

  @Override
  public Map<String, T> current(ComponentContext target, List<T> wanted) {
    return Map.of();
  }

  @Override
  public String name() {
    return component.name();
  }

  @Override
  public Class<T> type() {
    return component.type();
  }

  @Override
  public String key(T item) {
    return component.key(item);
  }

  @Override
  public List<T> read(ComponentContext workspace) {
    return component.read(workspace);
  }

  @Override
  public T expected(T captured, ComponentContext target) {
    return component.expected(captured, target);
  }

  @Override
  public List<String> differences(T want, T have) {
    return component.differences(want, have);
  }

  @Override
  public void create(T want, ComponentContext target) {
    component.create(want, target);
  }

  @Override
  public void update(T want, T have, List<String> differences, ComponentContext target) {
    component.update(want, have, differences, target);
  }

  @Override
  public void delete(T have, ComponentContext target) {
    component.delete(have, target);
  }

  @Override
  public String skipReason(T captured) {
    return component.skipReason(captured);
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
