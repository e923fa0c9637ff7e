package dev.failover.activities.snapshot;

import dev.failover.workflows.steps.SnapshotRef;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The snapshots one worker has loaded, so that the many activities of a run that read the same
 * snapshot (every converge and check batch, the smoke test, the Delta check) fetch it from S3 once
 * instead of once each. One cache per worker process, shared by its {@link SnapshotStore}.
 *
 * <p>An entry is keyed by what pins the stored object: bucket, key, S3 version and the SHA-256 of
 * the stored bytes. It is filled only by a load whose digest matched the key's, so a hit returns
 * the snapshot those exact bytes decode to, which is what a load would return; a load that fails (a
 * digest that does not match, an object that cannot be decoded, S3 errors) leaves nothing behind,
 * and the next read tries S3 again. A reference without an S3 version (the bucket was not
 * versioned) is cached too: its digest still pins the bytes. What a hit does not notice is that the
 * object was overwritten or deleted after it was loaded; the run then goes on with the bytes it
 * captured, where a load from S3 would fail.
 *
 * <p>Bounded by a number of entries and by the total size of their JSON (uncompressed; the decoded
 * objects take a small multiple of it); past either bound the least recently used entries are
 * dropped, and a snapshot larger than the whole size bound is not kept. Thread-safe: concurrent
 * reads of a snapshot not yet loaded wait for one load instead of each fetching it.
 */
public final class SnapshotCache {
  /** Entries kept: a run reads one snapshot, so this covers a few runs at once. */
  public static final int DEFAULT_MAX_ENTRIES = 4;

  /** Total JSON kept, in bytes. */
  public static final long DEFAULT_MAX_JSON_BYTES = 64L * 1024 * 1024;

  /** What pins a stored snapshot. */
  record Key(String bucket, String key, String versionId, String sha256) {
    /** The key of a reference; null when it has no digest (no load of it can succeed). */
    static Key of(SnapshotRef ref) {
      if (ref.sha256() == null || ref.sha256().isBlank() || ref.location() == null) {
        return null;
      }
      return new Key(ref.location().bucket(), ref.key(), ref.versionId(), ref.sha256());
    }
  }

  /** A snapshot as a load produced it, checked against its digest, with the size of its JSON. */
  record Loaded(ControlPlaneSnapshot snapshot, long jsonBytes) {}

  private final int maxEntries;
  private final long maxJsonBytes;

  /** In access order: the first entry is the least recently used. Guarded by {@code this}. */
  private final LinkedHashMap<Key, Loaded> entries = new LinkedHashMap<>(16, 0.75f, true);

  /** One lock per snapshot being loaded, so that concurrent reads wait for a single load. */
  private final Map<Key, Object> loading = new HashMap<>();

  private long jsonBytes;

  public SnapshotCache() {
    this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_JSON_BYTES);
  }

  public SnapshotCache(int maxEntries, long maxJsonBytes) {
    if (maxEntries < 1 || maxJsonBytes < 1) {
      throw new IllegalArgumentException(
          "a snapshot cache needs room for at least one entry and one byte, not "
              + maxEntries
              + " entries and "
              + maxJsonBytes
              + " bytes");
    }
    this.maxEntries = maxEntries;
    this.maxJsonBytes = maxJsonBytes;
  }

  /**
   * The snapshot {@code ref} names: the cached one, or what {@code load} returns (kept if it fits).
   * A failure of {@code load} is thrown as it is and nothing is kept.
   */
  ControlPlaneSnapshot get(SnapshotRef ref, Supplier<Loaded> load) {
    Key key = Key.of(ref);
    if (key == null) {
      return load.get().snapshot();
    }
    ControlPlaneSnapshot hit = cached(key);
    if (hit != null) {
      return hit;
    }
    Object lock;
    synchronized (this) {
      lock = loading.computeIfAbsent(key, k -> new Object());
    }
    try {
      synchronized (lock) {
        // Another read may have loaded it while this one waited.
        hit = cached(key);
        if (hit != null) {
          return hit;
        }
        Loaded loaded = load.get();
        keep(key, loaded);
        return loaded.snapshot();
      }
    } finally {
      synchronized (this) {
        loading.remove(key, lock);
      }
    }
  }

  private synchronized ControlPlaneSnapshot cached(Key key) {
    Loaded entry = entries.get(key);
    return entry == null ? null : entry.snapshot();
  }

  private synchronized void keep(Key key, Loaded loaded) {
    if (loaded.jsonBytes() > maxJsonBytes) {
      return;
    }
    Loaded replaced = entries.put(key, loaded);
    if (replaced != null) {
      jsonBytes -= replaced.jsonBytes();
    }
    jsonBytes += loaded.jsonBytes();
    Iterator<Loaded> eldestFirst = entries.values().iterator();
    while (entries.size() > maxEntries || jsonBytes > maxJsonBytes) {
      // The entry just kept is the newest and fits on its own, so it is never reached.
      jsonBytes -= eldestFirst.next().jsonBytes();
      eldestFirst.remove();
    }
  }

  /** How many snapshots are kept. */
  public synchronized int size() {
    return entries.size();
  }

  /** The total size of the JSON of the snapshots kept, in bytes. */
  public synchronized long jsonBytes() {
    return jsonBytes;
  }
}
