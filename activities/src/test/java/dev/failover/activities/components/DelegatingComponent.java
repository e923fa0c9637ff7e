package dev.failover.activities.components;

import java.util.List;
import java.util.Map;

/** A component that does what another does; a test overrides the part it wants to change. */
public class DelegatingComponent<T> implements Component<T> {
  private final Component<T> delegate;

  public DelegatingComponent(Component<T> delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Class<T> type() {
    return delegate.type();
  }

  @Override
  public String key(T item) {
    return delegate.key(item);
  }

  @Override
  public List<T> read(ComponentContext workspace) {
    return delegate.read(workspace);
  }

  @Override
  public Map<String, T> current(ComponentContext target, List<T> wanted) {
    return delegate.current(target, wanted);
  }

  @Override
  public T expected(T captured, ComponentContext target) {
    return delegate.expected(captured, target);
  }

  @Override
  public List<String> differences(T want, T have) {
    return delegate.differences(want, have);
  }

  @Override
  public void create(T want, ComponentContext target) {
    delegate.create(want, target);
  }

  @Override
  public void update(T want, T have, List<String> differences, ComponentContext target) {
    delegate.update(want, have, differences, target);
  }

  @Override
  public void beforeCreating(List<T> missing, ComponentContext target) {
    delegate.beforeCreating(missing, target);
  }

  @Override
  public void settle(List<T> wanted, ComponentContext target) {
    delegate.settle(wanted, target);
  }

  @Override
  public void delete(T have, ComponentContext target) {
    delegate.delete(have, target);
  }

  @Override
  public boolean ownerGivenLast() {
    return delegate.ownerGivenLast();
  }

  @Override
  public String skipReason(T captured) {
    return delegate.skipReason(captured);
  }

  @Override
  public List<Securable> securables(T item) {
    return delegate.securables(item);
  }
}
