package dev.failover.activities.fencing;

import dev.failover.activities.errors.CallRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * How the fence waits for what ends asynchronously (a cancelled run, a stopping pipeline): it reads
 * each every {@code pollEvery}, up to a bound on {@code clock}; {@code sleeper} waits between reads
 * (the activity's heartbeat goes on meanwhile).
 */
record Pacing(Clock clock, Duration pollEvery, CallRetry.Sleeper sleeper) {
  /** Waits until {@code done} holds for every item or the bound has passed; returns the rest. */
  <T> List<T> await(List<T> items, Predicate<T> done, Duration bound) {
    Instant deadline = clock.instant().plus(bound);
    List<T> going = new ArrayList<>(items);
    while (true) {
      going.removeIf(done);
      if (going.isEmpty() || !clock.instant().isBefore(deadline)) {
        return going;
      }
      try {
        sleeper.sleep(pollEvery);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return going;
      }
    }
  }
}
