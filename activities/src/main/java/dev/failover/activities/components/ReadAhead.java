package dev.failover.activities.components;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * <p>Between the read and the batch, only this run writes the copies (the key is the run's
 * snapshot, and a runbook has one run at a time); a change made by hand in that window is what the
 * smoke test, which reads the target again, reports.
 */
public final class ReadAhead {
  /** How long a read ahead may be used. */
  public static final Duration FRESH = Duration.ofMinutes(10);

  /** Reads kept at once: one per run and component; a worker serves few runs at a time. */
  static final int KEPT = 4;

  private record Entry(Instant readAt, Set<String> asked, Map<String, Object> found) {}

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
    // A run that ended before its batches took their keys leaves nothing behind for long.
    entries.values().removeIf(this::stale);
    entries.put(
        at, new Entry(clock.instant(), new HashSet<>(asked), new HashMap<String, Object>(found)));
  }

  /**
   * The copies read ahead for these keys, handed out once; empty when the read is missing, stale,
   * did not ask for every key, or already handed out one of them.
   */
  public synchronized <T> Optional<Map<String, T>> take(
      String at, Set<String> keys, Class<T> type) {
    Entry entry = entries.get(at);
    if (entry == null || stale(entry) || !entry.asked().containsAll(keys)) {
      return Optional.empty();
    }
    Map<String, T> taken = new HashMap<>();
    for (String key : keys) {
      Object copy = entry.found().remove(key);
      if (copy != null) {
        taken.put(key, type.cast(copy));
      }
    }
    entry.asked().removeAll(keys);
    if (entry.asked().isEmpty()) {
      entries.remove(at);
    }
    return Optional.of(taken);
  }

  private boolean stale(Entry entry) {
    return entry.readAt().plus(FRESH).isBefore(clock.instant());
  }
}
