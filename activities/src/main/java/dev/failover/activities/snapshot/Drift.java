package dev.failover.activities.snapshot;

import dev.failover.workflows.steps.SnapshotDrift;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** Compares two snapshots component by component: what was added, changed and removed. */
public final class Drift {
  private static final int EXAMPLES = 5;

  private Drift() {}

  /** The drift from {@code previous} (null: none, everything is added) to {@code current}. */
  public static SnapshotDrift between(
      String previousKey, ControlPlaneSnapshot previous, ControlPlaneSnapshot current) {
    List<SnapshotDrift.Component> components = new ArrayList<>();
    components.add(
        compare(
            "catalogs",
            previous == null ? List.of() : previous.catalogs(),
            current.catalogs(),
            ControlPlaneSnapshot.Catalog::fullName));
    components.add(
        compare(
            "schemas",
            previous == null ? List.of() : previous.schemas(),
            current.schemas(),
            ControlPlaneSnapshot.Schema::fullName));
    components.add(
        compare(
            "tables",
            previous == null ? List.of() : previous.allTables(),
            current.allTables(),
            ControlPlaneSnapshot.Table::fullName));
    components.add(
        compare(
            "grants",
            previous == null ? List.of() : assignments(previous),
            assignments(current),
            Grant::name));
    return new SnapshotDrift(previousKey, components);
  }

  /** One principal's privileges on one securable, the unit grants are compared by. */
  private record Grant(String name, List<String> privileges) {}

  private static List<Grant> assignments(ControlPlaneSnapshot snapshot) {
    List<Grant> all = new ArrayList<>();
    for (ControlPlaneSnapshot.Grants grants : snapshot.grants()) {
      for (ControlPlaneSnapshot.Assignment assignment : grants.assignments()) {
        all.add(
            new Grant(
                grants.securableType() + " " + grants.fullName() + " to " + assignment.principal(),
                assignment.privileges()));
      }
    }
    return all;
  }

  private static <T> SnapshotDrift.Component compare(
      String component, List<T> before, List<T> after, Function<T, String> name) {
    Map<String, T> old = index(before, name);
    Map<String, T> now = index(after, name);
    int added = 0;
    int changed = 0;
    int removed = 0;
    List<String> examples = new ArrayList<>();
    for (Map.Entry<String, T> entry : now.entrySet()) {
      T was = old.get(entry.getKey());
      if (was == null) {
        added++;
        example(examples, "+" + entry.getKey());
      } else if (!Objects.equals(was, entry.getValue())) {
        changed++;
        example(examples, "~" + entry.getKey());
      }
    }
    for (String key : old.keySet()) {
      if (!now.containsKey(key)) {
        removed++;
        example(examples, "-" + key);
      }
    }
    return new SnapshotDrift.Component(component, added, changed, removed, examples);
  }

  private static void example(List<String> examples, String example) {
    if (examples.size() < EXAMPLES) {
      examples.add(example);
    }
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> name) {
    Map<String, T> map = new LinkedHashMap<>();
    items.forEach(item -> map.put(name.apply(item), item));
    return map;
  }
}
