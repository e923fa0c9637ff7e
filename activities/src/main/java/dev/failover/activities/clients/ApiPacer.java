package dev.failover.activities.clients;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spaces the requests of each workspace and API family evenly at the family's rate: each request
 * takes the next free slot, so the rate holds without bursts whatever the number of threads, and
 * the server's own bucket (which allows a second's burst) is never emptied. A 429 pushes the
 * family's next slot back by its Retry-After, so every thread of the worker backs off, not only the
 * one that was refused.
 */
public final class ApiPacer {
  private final ApiLimits limits;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong waitedNanos = new AtomicLong();

  public ApiPacer(ApiLimits limits) {
    this.limits = limits;
  }

  /** Waits for the next slot of the request's family on this workspace. */
  public void acquire(String workspace, String method, String path) throws InterruptedException {
    long waitNanos = reserve(workspace, method, path);
    if (waitNanos > 0) {
      waitedNanos.addAndGet(waitNanos);
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
  }

  /** Takes the next slot of the request's family; returns how long to wait for it, in ns. */
  long reserve(String workspace, String method, String path) {
    ApiLimits.Family family = limits.familyOf(method, path);
    return family == null ? 0 : slot(workspace, family).next();
  }

  /** A request was refused with 429: nobody of its family sends before Retry-After has passed. */
  public void throttled(String workspace, String method, String path, long retryAfterSeconds) {
    throttled.incrementAndGet();
    ApiLimits.Family family = limits.familyOf(method, path);
    if (family != null) {
      slot(workspace, family).pushBack(retryAfterSeconds * 1_000_000_000L);
    }
  }

  /** 429s this worker has received. */
  public long throttledCount() {
    return throttled.get();
  }

  /** Total time requests waited for their slot, in milliseconds. */
  public long waitedMillis() {
    return waitedNanos.get() / 1_000_000;
  }

  private Slot slot(String workspace, ApiLimits.Family family) {
    return slots.computeIfAbsent(
        workspace + "|" + family.name(), k -> new Slot((long) (1e9 / limits.rateOf(family))));
  }

  /** The next free send time of one workspace's family. */
  private static final class Slot {
    private final long intervalNanos;
    private long nextNanos = System.nanoTime();

    Slot(long intervalNanos) {
      this.intervalNanos = intervalNanos;
    }

    /** Takes the next slot; returns how long to wait for it. */
    synchronized long next() {
      long now = System.nanoTime();
      long at = Math.max(now, nextNanos);
      nextNanos = at + intervalNanos;
      return at - now;
    }

    synchronized void pushBack(long nanos) {
      nextNanos = Math.max(nextNanos, System.nanoTime() + nanos);
    }
  }
}
