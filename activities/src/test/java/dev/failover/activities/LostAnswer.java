package dev.failover.activities;

import dev.failover.simulator.Faults;
import dev.failover.simulator.Simulator;
import java.util.List;

/**
 * Makes the simulator handle the next request to a route only after the client has given up on it
 * (a slow response past the timeout of {@link SimulatedCloud}'s clients), once: the call took
 * effect, its answer is lost, and the client retries. What a retry's idempotence is tested with.
 */
public final class LostAnswer implements AutoCloseable {
  private final Faults faults;
  private final Thread clearer;
  private final long heldMillis;
  private final java.util.concurrent.atomic.AtomicLong cameAtNanos;

  private LostAnswer(
      Faults faults,
      Thread clearer,
      long heldMillis,
      java.util.concurrent.atomic.AtomicLong cameAtNanos) {
    this.faults = faults;
    this.clearer = clearer;
    this.heldMillis = heldMillis;
    this.cameAtNanos = cameAtNanos;
  }

  /** Loses the answer to the next request whose path starts with {@code path}. */
  public static LostAnswer once(Simulator simulator, String service, String path) {
    return once(simulator, service, path, 500);
  }

  /**
   * Loses the answer to the next request whose path starts with {@code path}; the request takes
   * effect {@code lateMillis} after the client gave up on it.
   */
  public static LostAnswer once(Simulator simulator, String service, String path, long lateMillis) {
    Faults faults = simulator.faults();
    int before = faults.injected();
    long heldMillis = SimulatedCloud.HTTP_TIMEOUT_SECONDS * 1_000L + lateMillis;
    faults.add(new Faults.Rule(service, path, 1.0, List.of(Faults.Kind.SLOW), heldMillis));
    java.util.concurrent.atomic.AtomicLong cameAtNanos =
        new java.util.concurrent.atomic.AtomicLong();
    Thread clearer =
        new Thread(
            () -> {
              while (faults.injected() == before) {
                Thread.onSpinWait();
              }
              cameAtNanos.set(System.nanoTime());
              faults.clear();
            });
    clearer.setDaemon(true);
    clearer.start();
    return new LostAnswer(faults, clearer, heldMillis, cameAtNanos);
  }

  /**
   * Waits until the request whose answer was lost has taken effect, so that a test sees what it
   * did: a retry that finishes first would otherwise hide a duplicate the late request makes.
   */
  public void awaitLanded() throws InterruptedException {
    clearer.join();
    long landsAt = cameAtNanos.get() + (heldMillis + 500) * 1_000_000;
    long wait = landsAt - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000);
    }
  }

  /** How many answers were lost: 1 once the request came. */
  public int lost() {
    return clearer.isAlive() ? 0 : 1;
  }

  @Override
  public void close() {
    faults.clear();
    clearer.interrupt();
  }
}
