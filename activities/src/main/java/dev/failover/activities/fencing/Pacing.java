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
 * each, first after {@link #FIRST}, then at twice the previous interval up to {@code pollEvery}, up
 * to a bound on {@code clock}; {@code sleeper} waits between reads (the activity's heartbeat goes
 * on meanwhile). A run cancelled a moment ago usually ends within a second: it is seen then, not a
 * whole {@code pollEvery} later, while one that takes minutes costs a read per {@code pollEvery}.
 */
record Pacing(Clock clock, Duration pollEvery, CallRetry.Sleeper sleeper) {
  /** The first interval, when {@code pollEvery} is longer. */
  static final Duration FIRST = Duration.ofMillis(250);

  /** Waits until {@code done} holds for every item or the bound has passed; returns the rest. */
  <T> List<T> await(List<T> items, Predicate<T> done, Duration bound) {
    Instant deadline = clock.instant().plus(bound);
    List<T> going = new ArrayList<>(items);
    Duration wait = FIRST.compareTo(pollEvery) < 0 ? FIRST : pollEvery;
    while (true) {
      going.removeIf(done);
      if (going.isEmpty() || !clock.instant().isBefore(deadline)) {
        return going;
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return going;
      }
      Duration doubled = wait.multipliedBy(2);
      wait = doubled.compareTo(pollEvery) < 0 ? doubled : pollEvery;
    }
  }
}
