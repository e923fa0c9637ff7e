package dev.failover.activities.components;

import dev.failover.workflows.steps.ChangeCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Runs a {@link Component} the same way for every kind of object: converge a batch of captured
 * items into the target (read first, write only what differs), preview it without writing, prove
 * the target matches (the smoke test), and remove what a drill created.
 */
public final class ComponentConverger<T> {
  /** At most this many differences are described in a result; the counts cover them all. */
  static final int DESCRIBED = 20;

  private final Component<T> component;
  private final ComponentContext target;
  private final IntConsumer progress;

  public ComponentConverger(Component<T> component, ComponentContext target, IntConsumer progress) {
    this.component = component;
    this.target = target;
    this.progress = progress;
  }

  /**
   * What converging did (or, in a dry run, would do), the first differences it found followed by
   * what creating and updating said they did ({@link Component#createDescribed}), and the items it
   * left alone with the reason ({@link Component#skipReason}).
   */
  public record Result(
      ChangeCounts counts, List<String> differences, List<String> skipped, List<String> refused) {}

  /**
   * Makes the target hold every item of {@code batch}: creates what is missing and updates what
   * differs. Before creating anything it records the keys it is about to create in {@code ledger}
   * (a drill's clean-up reads them back), so a crash between the two loses nothing.
   *
   * @param dryRun count and describe only; no mutating request
   */
  public Result converge(List<T> batch, CreatedLedger ledger, boolean dryRun) {
    List<String> skipped = new ArrayList<>();
    List<T> wanted = new ArrayList<>();
    for (T item : batch) {
      String reason = component.skipReason(item);
      if (reason == null) {
        wanted.add(component.expected(item, target));
      } else {
        skipped.add(component.key(item) + ": " + reason);
      }
    }
    Map<String, T> current = component.current(target, wanted);
    List<T> missing = new ArrayList<>();
    Map<T, List<String>> differing = new LinkedHashMap<>();
    int unchanged = 0;
    List<String> described = new ArrayList<>();
    for (T want : wanted) {
      String key = component.key(want);
      T have = current.get(key);
      if (have == null) {
        missing.add(want);
        describe(described, key + " is missing");
        continue;
      }
      List<String> differences = component.differences(want, have);
      if (differences.isEmpty()) {
        unchanged++;
      } else {
        differing.put(want, differences);
        describe(described, key + " differs in " + String.join(", ", differences));
      }
    }
    ChangeCounts counts = new ChangeCounts(missing.size(), differing.size(), unchanged, 0);
    if (dryRun) {
      return new Result(counts, described, skipped, List.of());
    }
    if (!missing.isEmpty()) {
      component.beforeCreating(missing, target);
    }
    if (!missing.isEmpty() && ledger != null) {
      ledger.willCreate(component.name(), missing.stream().map(component::key).toList());
    }
    int done = unchanged;
    List<String> refused = new ArrayList<>();
    int created = 0;
    for (T want : missing) {
      try {
        component.createDescribed(want, target).forEach(note -> describe(described, note));
        created++;
      } catch (Component.Refused e) {
        refused.add(component.key(want) + ": " + e.getMessage());
      }
      progress.accept(++done);
    }
    int updated = 0;
    for (Map.Entry<T, List<String>> entry : differing.entrySet()) {
      T want = entry.getKey();
      try {
        component
            .updateDescribed(want, current.get(component.key(want)), entry.getValue(), target)
            .forEach(note -> describe(described, note));
        updated++;
      } catch (Component.Refused e) {
        refused.add(component.key(want) + ": " + e.getMessage());
      }
      progress.accept(++done);
    }
    component.settle(wanted, target);
    return new Result(
        new ChangeCounts(created, updated, unchanged, 0), described, skipped, refused);
  }

  /**
   * Deletes from the target the objects whose keys a drill recorded as created by it; objects that
   * are already gone are skipped. Counts what it deleted.
   */
  public ChangeCounts removeCreated(Set<String> keys) {
    if (keys.isEmpty()) {
      return ChangeCounts.NONE;
    }
    int deleted = 0;
    for (T have : component.withKeys(target, keys).values()) {
      component.delete(have, target);
      progress.accept(++deleted);
    }
    return new ChangeCounts(0, 0, 0, deleted);
  }

  private static void describe(List<String> described, String difference) {
    if (described.size() < DESCRIBED) {
      described.add(difference);
    }
  }

  /** Items by their key; a later item with the same key replaces an earlier one. */
  static <T> Map<String, T> index(Component<T> component, List<T> items) {
    Map<String, T> byKey = new LinkedHashMap<>();
    items.forEach(item -> byKey.put(component.key(item), item));
    return byKey;
  }
}
