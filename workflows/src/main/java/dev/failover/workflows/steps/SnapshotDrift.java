package dev.failover.workflows.steps;

import java.util.List;

/**
 * How a control plane changed between two snapshots, per component.
 *
 * @param previousKey the earlier snapshot's key, or null when there was none (all is added)
 * @param components one entry per component, in a fixed order
 */
public record SnapshotDrift(String previousKey, List<Component> components) {
  public SnapshotDrift {
    components = List.copyOf(components);
  }

  /**
   * One component's drift.
   *
   * @param component {@code catalogs}, {@code schemas}, {@code tables} or {@code grants}
   * @param added objects in the new snapshot only
   * @param changed objects in both, different
   * @param removed objects in the old snapshot only
   * @param examples up to five names of what changed, as {@code +name}, {@code ~name}, {@code
   *     -name}
   */
  public record Component(
      String component, int added, int changed, int removed, List<String> examples) {
    public Component {
      examples = List.copyOf(examples);
    }

    public boolean any() {
      return added + changed + removed > 0;
    }
  }

  public boolean any() {
    return components.stream().anyMatch(Component::any);
  }

  /** One line: {@code catalogs +1 ~0 -0, schemas ...}. */
  public String summary() {
    StringBuilder out = new StringBuilder();
    for (Component c : components) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(c.component())
          .append(" +")
          .append(c.added())
          .append(" ~")
          .append(c.changed())
          .append(" -")
          .append(c.removed());
    }
    return out.toString();
  }
}
