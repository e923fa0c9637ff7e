package dev.failover.activities.components;

import dev.failover.activities.clients.Concurrently;
import dev.failover.workflows.steps.ChangeCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

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

  /** The target's copies read ahead by keys ({@link ReadAhead}), or none. */
  private Function<Set<String>, Optional<Map<String, T>>> readAhead = keys -> Optional.empty();

  public ComponentConverger(Component<T> component, ComponentContext target, IntConsumer progress) {
    this.component = component;
    this.target = target;
    this.progress = progress;
  }

  /**
   * Converges from the copies read ahead when they cover a batch's keys, instead of reading the
   * target; a batch they do not cover reads it as usual.
   */
  public ComponentConverger<T> readingAhead(
      Function<Set<String>, Optional<Map<String, T>>> readAhead) {
    this.readAhead = readAhead;
    return this;
  }

  /**
   * What converging did (or, in a dry run, would do), the first differences it found followed by
   * what creating and updating said they did ({@link Component#createDescribed}), the items it left
   * alone with the reason ({@link Component#skipReason}), those it refused with the reason, and the
   * keys of both: a key may hold ": " (a notebook's path can), so it is not parsed from a line.
   */
  public record Result(
      ChangeCounts counts,
      List<String> differences,
      List<String> skipped,
      List<String> refused,
      Set<String> notConverged) {}

  /**
   * Makes the target hold every item of {@code batch}: creates what is missing and updates what
   * differs. Before creating anything it records the keys it is about to create in {@code ledger}
   * (a drill's clean-up reads them back), so a crash between the two loses nothing.
   *
   * @param dryRun count and describe only; no mutating request
   */
  public Result converge(List<T> batch, CreatedLedger ledger, boolean dryRun) {
    return converge(batch, item -> false, ledger, dryRun);
  }

  /**
   * {@link #converge(List, CreatedLedger, boolean)}, leaving unread the items {@code trusted}
   * names: those the target held as they are when it last matched a snapshot ({@code
   * SinceVerified}). An item converge leaves alone is still reported, trusted or not.
   */
  public Result converge(
      List<T> batch, Predicate<T> trusted, CreatedLedger ledger, boolean dryRun) {
    List<String> skipped = new ArrayList<>();
    Set<String> notConverged = new java.util.HashSet<>();
    List<T> wanted = new ArrayList<>();
    for (T item : batch) {
      String reason = component.skipReason(item);
      if (reason != null) {
        skipped.add(component.key(item) + ": " + reason);
        notConverged.add(component.key(item));
      } else if (!trusted.test(item)) {
        wanted.add(component.expected(item, target));
      }
    }
    if (wanted.isEmpty()) {
      // Nothing to compare: the target is not read at all.
      return new Result(ChangeCounts.NONE, List.of(), skipped, List.of(), notConverged);
    }
    Map<String, T> current = current(wanted);
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
      if (!dryRun && component.ownerGivenLast()) {
        // The grants step's ownership pass gives it, once everything else is converged.
        differences = differences.stream().filter(d -> !d.equals(Component.OWNER)).toList();
      }
      if (differences.isEmpty()) {
        unchanged++;
      } else {
        differing.put(want, differences);
        describe(described, key + " differs in " + String.join(", ", differences));
      }
    }
    ChangeCounts counts = new ChangeCounts(missing.size(), differing.size(), unchanged, 0);
    if (dryRun) {
      return new Result(counts, described, skipped, List.of(), notConverged);
    }
    if (!missing.isEmpty()) {
      component.beforeCreating(missing, target);
    }
    if (!missing.isEmpty() && ledger != null) {
      ledger.willCreate(component.name(), missing.stream().map(component::key).toList());
    }
    int done = unchanged;
    List<String> refused = new ArrayList<>();
    List<Outcome> creates =
        inOrder(
            missing, done, want -> outcome(want, () -> component.createDescribed(want, target)));
    done += missing.size();
    List<Outcome> updates =
        inOrder(
            new ArrayList<>(differing.keySet()),
            done,
            want ->
                outcome(
                    want,
                    () ->
                        component.updateDescribed(
                            want, current.get(component.key(want)), differing.get(want), target)));
    int created = tally(creates, described, refused, notConverged);
    int updated = tally(updates, described, refused, notConverged);
    component.settle(wanted, target);
    return new Result(
        new ChangeCounts(created, updated, unchanged, 0),
        described,
        skipped,
        refused,
        notConverged);
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

  /** What creating or updating one item said: its notes, or why it was refused. */
  private record Outcome(String key, List<String> notes, String refused) {}

  private Outcome outcome(T want, java.util.function.Supplier<List<String>> change) {
    String key = component.key(want);
    try {
      return new Outcome(key, change.get(), null);
    } catch (Component.Refused e) {
      return new Outcome(key, List.of(), key + ": " + e.getMessage());
    }
  }

  /**
   * Changes the items, {@link Component#inFlight} at a time; those that {@link
   * Component#waitsForOthers} afterwards, in rounds: each round, side by side, the items that wait
   * for none still pending before them ({@link Component#waitsFor}; by default each waits for every
   * earlier one, so they go one after another). An item whose key an earlier item of the batch has
   * (names a workspace does not keep unique, such as a cluster's) waits too, and always for that
   * earlier item, so that its create finds the first one's object instead of racing it into a
   * duplicate. Outcomes come back in the items' order (the ones that waited last), progress counted
   * on from {@code doneBefore}.
   */
  private List<Outcome> inOrder(
      List<T> items, int doneBefore, java.util.function.Function<T, Outcome> change) {
    int inFlight = component.inFlight();
    List<T> free = new ArrayList<>();
    List<T> waiting = new ArrayList<>();
    Set<String> keys = new java.util.HashSet<>();
    for (T item : items) {
      boolean repeated = !keys.add(component.key(item));
      (inFlight > 1 && (repeated || component.waitsForOthers(item)) ? waiting : free).add(item);
    }
    List<Outcome> outcomes =
        new ArrayList<>(
            Concurrently.map(free, inFlight, change, n -> progress.accept(doneBefore + n)));
    Outcome[] waited = new Outcome[waiting.size()];
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < waiting.size(); i++) {
      pending.add(i);
    }
    int done = doneBefore + free.size();
    while (!pending.isEmpty()) {
      List<Integer> round = new ArrayList<>();
      for (int p = 0; p < pending.size(); p++) {
        T item = waiting.get(pending.get(p));
        boolean waits = false;
        for (int q = 0; q < p && !waits; q++) {
          T earlier = waiting.get(pending.get(q));
          waits =
              component.key(item).equals(component.key(earlier))
                  || component.waitsFor(item, earlier);
        }
        if (!waits) {
          round.add(pending.get(p));
        }
      }
      int before = done;
      List<Outcome> changed =
          Concurrently.map(
              round,
              inFlight,
              index -> change.apply(waiting.get(index)),
              n -> progress.accept(before + n));
      for (int r = 0; r < round.size(); r++) {
        waited[round.get(r)] = changed.get(r);
      }
      done += round.size();
      pending.removeAll(round);
    }
    outcomes.addAll(java.util.Arrays.asList(waited));
    return outcomes;
  }

  /**
   * Adds the outcomes' notes and refusals, and the refused items' keys to {@code notConverged};
   * returns how many items were changed.
   */
  private static int tally(
      List<Outcome> outcomes,
      List<String> described,
      List<String> refused,
      Set<String> notConverged) {
    int changed = 0;
    for (Outcome outcome : outcomes) {
      if (outcome.refused() == null) {
        outcome.notes().forEach(note -> describe(described, note));
        changed++;
      } else {
        refused.add(outcome.refused());
        notConverged.add(outcome.key());
      }
    }
    return changed;
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

  /** The target's objects for the wanted items: read ahead when that covers them, else read. */
  private Map<String, T> current(List<T> wanted) {
    Set<String> keys = new java.util.HashSet<>();
    wanted.forEach(item -> keys.add(component.key(item)));
    return readAhead.apply(keys).orElseGet(() -> component.current(target, wanted));
  }
}
