package dev.failover.activities.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fence's polls: soon at first, then backing off to their interval. */
class PacingTest {
  @Test
  void pollsSoonAtFirstThenBackOffToTheInterval() {
    List<Duration> sleeps = new ArrayList<>();
    AtomicInteger reads = new AtomicInteger();
    Pacing pacing =
        new Pacing(
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            Duration.ofSeconds(2),
            sleeps::add);

    // The item is seen ended at the seventh read.
    List<String> going = pacing.await(List.of("run"), r -> reads.incrementAndGet() >= 7, bound());

    assertThat(going).isEmpty();
    assertThat(sleeps)
        .containsExactly(
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2));
  }

  @Test
  void anIntervalShorterThanTheFirstIsKept() {
    List<Duration> sleeps = new ArrayList<>();
    AtomicInteger reads = new AtomicInteger();
    Pacing pacing =
        new Pacing(
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            Duration.ofMillis(20),
            sleeps::add);

    pacing.await(List.of("run"), r -> reads.incrementAndGet() >= 3, bound());

    assertThat(sleeps).containsExactly(Duration.ofMillis(20), Duration.ofMillis(20));
  }

  private static Duration bound() {
    return Duration.ofMinutes(1);
  }
}
