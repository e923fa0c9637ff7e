package dev.failover.activities.snapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The items of snapshots still being captured on this worker, handed on as capture reads them: a
 * drill's converge on the same worker writes them in the target while capture still reads the rest
 * (see {@code ConvergeActivities.convergeAsCaptured}). Capture opens a feed per snapshot key and
 * component, publishes the items a component hands on ({@code Component.read} with a consumer),
 * closes it when the component's read ends, and {@linkplain #drop drops} the snapshot's feeds when
 * the capture ends; a consumer that found a feed drains what is left. So a capture that no converge
 * follows (scheduled, or on another worker) holds its items no longer than it holds them anyway.
 *
 * <p>A converge on another worker, or one that starts after capture ended, finds no feed and
 * converges from the stored snapshot alone: the feed only saves time.
 */
public final class CaptureFeed {
  private final Map<String, Feed> open = new ConcurrentHashMap<>();

  /**
   * Opens the feed of a component of the snapshot at {@code key}; a feed a failed attempt of the
   * same capture left is closed first, so its consumer stops.
   */
  public Feed open(String key, String component) {
    Feed feed = new Feed(key, id(key, component));
    Feed earlier = open.put(feed.id, feed);
    if (earlier != null) {
      earlier.close();
    }
    return feed;
  }

  /** The feed of a component of the snapshot at {@code key}, while capture runs here. */
  public Optional<Feed> find(String key, String component) {
    return Optional.ofNullable(open.get(id(key, component)));
  }

  /** The capture of the snapshot at {@code key} ended: its feeds close and are let go. */
  public void drop(String key) {
    open.values()
        .removeIf(
            feed -> {
              if (!feed.key.equals(key)) {
                return false;
              }
              feed.close();
              return true;
            });
  }

  private static String id(String key, String component) {
    return key + "|" + component;
  }

  /** One component's items, in the order capture read them. */
  public final class Feed {
    private final String key;
    private final String id;
    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private Feed(String key, String id) {
      this.key = key;
      this.id = id;
    }

    /** Hands on an item exactly as the snapshot will store it. */
    public void publish(Object item) {
      if (!closed) {
        items.add(item);
      }
    }

    /** Capture's read of the component ended, read in full or not: nothing more comes. */
    public void close() {
      closed = true;
    }

    /**
     * The items published since the last call, at most {@code max}, waiting up to {@code wait} for
     * the first; empty when none came in that time or the feed is {@linkplain #finished()
     * finished}.
     */
    public <T> List<T> next(Class<T> type, int max, Duration wait) throws InterruptedException {
      List<T> taken = new ArrayList<>();
      Object first = items.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (first == null) {
        return taken;
      }
      taken.add(type.cast(first));
      List<Object> more = new ArrayList<>();
      items.drainTo(more, max - 1);
      more.forEach(item -> taken.add(type.cast(item)));
      return taken;
    }

    /** Closed, and every item taken. */
    public boolean finished() {
      return closed && items.isEmpty();
    }
  }
}
