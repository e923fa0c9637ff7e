package dev.failover.activities;

import dev.failover.simulator.Faults;
import dev.failover.simulator.Simulator;
import java.util.List;

/**
 * Makes the simulator handle the next request to a route only after the client has given up on it
 * (a slow response past the 10 s timeout of {@link SimulatedCloud}'s clients), once: the call took
 * effect, its answer is lost, and the client retries. What a retry's idempotence is tested with.
 */
public final class LostAnswer implements AutoCloseable {
  private final Faults faults;
  private final Thread clearer;

  private LostAnswer(Faults faults, Thread clearer) {
    this.faults = faults;
    this.clearer = clearer;
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
    faults.add(new Faults.Rule(service, path, 1.0, List.of(Faults.Kind.SLOW), 10_000 + lateMillis));
    Thread clearer =
        new Thread(
            () -> {
              while (faults.injected() == before) {
                Thread.onSpinWait();
              }
              faults.clear();
            });
    clearer.setDaemon(true);
    clearer.start();
    return new LostAnswer(faults, clearer);
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
