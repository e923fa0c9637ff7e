package dev.failover.activities.components;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The target's copies of a component's items, read ahead of converging them (while capture and the
 * steps the component needs still run), kept in the worker for the batches that follow. Each key is
 * handed out once: a batch that takes its keys converges from them, and a retry of that batch, or a
 * batch on another worker, finds nothing here and reads the target itself, so nothing it may have
 * written since is missed. A read older than {@link #FRESH} is not used.
 *
 * <p>A read either asked for the snapshot's keys, or, made before the snapshot existed, read every
 * copy the target holds ({@link #putEvery}); then a key it did not find has no copy, except the
 * keys of objects it only listed, which a batch reads itself.
 *
 * <p>Between the read and the batch, only this run writes the copies (the key is the run's, and a
 * runbook has one run at a time); a change made by hand in that window is what the smoke test,
 * which reads the target again, reports.
 */
public final class ReadAhead {
  /** How long a read ahead may be used. */
  public static final Duration FRESH = Duration.ofMinutes(10);

  /** Reads kept at once: one per run and component; a worker serves few runs at a time. */
  static final int KEPT = 4;

  /**
   * @param asked the keys the read asked for; null when it read every copy
   * @param handedOut keys a batch reads itself: handed out already, or only listed
   */
  private record Entry(
      Instant readAt, Set<String> asked, Set<String> handedOut, Map<String, Object> found) {
    boolean covers(Set<String> keys) {
      return (asked == null || asked.containsAll(keys)) && Collections.disjoint(handedOut, keys);
    }

    boolean allHandedOut() {
      return asked != null && handedOut.containsAll(asked);
    }
  }

  private final Clock clock;

  private final Map<String, Entry> entries =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > KEPT;
        }
      };

  public ReadAhead(Clock clock) {
    this.clock = clock;
  }

  /**
   * Keeps what a read of the target found for the keys it asked for ({@code found} holds the keys
   * the target has; a key asked for and not found has no copy).
   */
  public synchronized void put(String at, Set<String> asked, Map<String, ?> found) {
    keep(at, new HashSet<>(asked), Set.of(), found);
  }

  /**
   * Keeps what a read of every copy in the target found: any key not in {@code found} has no copy,
   * but those in {@code onlyListed}, objects the read listed without reading them in full.
   */
  public synchronized void putEvery(String at, Map<String, ?> found, Set<String> onlyListed) {
    keep(at, null, onlyListed, found);
  }

  private void keep(String at, Set<String> asked, Set<String> onlyListed, Map<String, ?> found) {
    // A run that ended before its batches took their keys leaves nothing behind for long.
    entries.values().removeIf(this::stale);
    entries.put(
        at,
        new Entry(
            clock.instant(), asked, new HashSet<>(onlyListed), new HashMap<String, Object>(found)));
  }

  /**
   * The copies read ahead for these keys, handed out once; empty when the read is missing, stale,
   * did not cover every key, or already handed out one of them.
   */
  public synchronized <T> Optional<Map<String, T>> take(
      String at, Set<String> keys, Class<T> type) {
    Entry entry = entries.get(at);
    if (entry == null || stale(entry) || !entry.covers(keys)) {
      return Optional.empty();
    }
    Map<String, T> taken = new HashMap<>();
    for (String key : keys) {
      Object copy = entry.found().remove(key);
      if (copy != null) {
        taken.put(key, type.cast(copy));
      }
    }
    entry.handedOut().addAll(keys);
    if (entry.allHandedOut()) {
      entries.remove(at);
    }
    return Optional.of(taken);
  }

  private boolean stale(Entry entry) {
    return entry.readAt().plus(FRESH).isBefore(clock.instant());
  }
}
