package dev.failover.activities.components;

import dev.failover.activities.snapshot.SnapshotStore;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The items a drill's converge made the target hold while capture still read the rest ({@code
 * ConvergeActivities.convergeAsCaptured}), kept in the worker by run and component with the
 * captured form each was converged from. A batch of the stored snapshot leaves out an item whose
 * captured form is the one converged ahead, so it is neither read nor written twice; an item that
 * changed between them (a retried capture read it again) is converged as usual. Each key is handed
 * out once: a retried batch, or a batch on another worker, converges every item itself.
 *
 * <p>Between the write and the batch only this run writes the copies (a runbook has one run at a
 * time); a change made by hand in that window is what the smoke test, which reads the target again,
 * reports.
 */
public final class WrittenAhead {
  /** Runs and components kept at once; a worker serves few runs at a time. */
  static final int KEPT = 4;

  /** Per run and component: key to the digest of the captured form converged ahead. */
  private final Map<String, Map<String, String>> entries =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, String>> eldest) {
          return size() > KEPT;
        }
      };

  /**
   * Records that the target holds the item with this key as converged from {@code captured}, the
   * item's JSON as the snapshot stores it.
   */
  public synchronized void put(String at, String key, String captured) {
    entries.computeIfAbsent(at, run -> new HashMap<>()).put(key, digest(captured));
  }

  /** Whether anything converged ahead under {@code at} is still to be handed out. */
  public synchronized boolean holds(String at) {
    return entries.containsKey(at);
  }

  /** Forgets what was converged ahead under {@code at}: the batches converge all of it. */
  public synchronized void forget(String at) {
    entries.remove(at);
  }

  /**
   * The keys of {@code captured} (key to the item's JSON as the snapshot stores it) that were
   * converged ahead from exactly that form, handed out once.
   */
  public synchronized Set<String> take(String at, Map<String, String> captured) {
    Map<String, String> written = entries.get(at);
    Set<String> taken = new HashSet<>();
    if (written == null) {
      return taken;
    }
    captured.forEach(
        (key, item) -> {
          String from = written.remove(key);
          if (digest(item).equals(from)) {
            taken.add(key);
          }
        });
    if (written.isEmpty()) {
      entries.remove(at);
    }
    return taken;
  }

  /** Kept as a digest: thousands of jobs' settings need not stay in the worker's heap. */
  private static String digest(String json) {
    return SnapshotStore.sha256(json.getBytes(StandardCharsets.UTF_8));
  }
}
