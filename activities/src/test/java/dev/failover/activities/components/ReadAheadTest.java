package dev.failover.activities.components;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void eachKeyIsHandedOutOnceAndAKeyWithoutACopyComesBackAbsent() {
    ReadAhead ahead = new ReadAhead(Clock.fixed(T0, ZoneOffset.UTC));
    ahead.put("run|dr|jobs", Set.of("a", "b", "c"), Map.of("a", "copy of a", "b", "copy of b"));

    assertThat(ahead.take("run|dr|jobs", Set.of("a", "c"), String.class))
        .contains(Map.of("a", "copy of a"));
    // A retry of that batch finds nothing: it reads the target itself.
    assertThat(ahead.take("run|dr|jobs", Set.of("a", "c"), String.class)).isEmpty();
    assertThat(ahead.take("run|dr|jobs", Set.of("a"), String.class)).isEmpty();
    assertThat(ahead.take("run|dr|jobs", Set.of("b"), String.class))
        .contains(Map.of("b", "copy of b"));
  }

  @Test
  void aBatchWithAKeyTheReadDidNotAskForReadsTheTarget() {
    ReadAhead ahead = new ReadAhead(Clock.fixed(T0, ZoneOffset.UTC));
    ahead.put("run|dr|jobs", Set.of("a"), Map.of("a", "copy of a"));

    assertThat(ahead.take("run|dr|jobs", Set.of("a", "z"), String.class)).isEmpty();
    assertThat(ahead.take("other-run|dr|jobs", Set.of("a"), String.class)).isEmpty();
    assertThat(ahead.take("run|dr|jobs", Set.of("a"), String.class)).isPresent();
  }

  @Test
  void aReadOfEveryCopyCoversAnyKeyButThoseItOnlyListed() {
    ReadAhead ahead = new ReadAhead(Clock.fixed(T0, ZoneOffset.UTC));
    ahead.putEvery("run|dr|jobs", Map.of("a", "copy of a", "b", "copy of b"), Set.of("dr#7"));

    // A key it did not find has no copy.
    assertThat(ahead.take("run|dr|jobs", Set.of("a", "new"), String.class))
        .contains(Map.of("a", "copy of a"));
    // Handed out once.
    assertThat(ahead.take("run|dr|jobs", Set.of("a"), String.class)).isEmpty();
    assertThat(ahead.take("run|dr|jobs", Set.of("new"), String.class)).isEmpty();
    // An object it only listed may be the one a key names: that batch reads the target.
    assertThat(ahead.take("run|dr|jobs", Set.of("b", "dr#7"), String.class)).isEmpty();
    assertThat(ahead.take("run|dr|jobs", Set.of("b"), String.class))
        .contains(Map.of("b", "copy of b"));
  }

  @Test
  void aReadOlderThanItsFreshnessIsNotUsed() {
    MutableClock clock = new MutableClock();
    ReadAhead ahead = new ReadAhead(clock);
    ahead.put("run|dr|jobs", Set.of("a"), Map.of("a", "copy of a"));
    clock.now = T0.plus(ReadAhead.FRESH).plusSeconds(1);

    assertThat(ahead.take("run|dr|jobs", Set.of("a"), String.class)).isEmpty();
  }

  @Test
  void onlyTheNewestReadsAreKept() {
    ReadAhead ahead = new ReadAhead(Clock.fixed(T0, ZoneOffset.UTC));
    for (int i = 0; i <= ReadAhead.KEPT; i++) {
      ahead.put("run-" + i, Set.of("a"), Map.of("a", "copy"));
    }

    assertThat(ahead.take("run-0", Set.of("a"), String.class)).isEmpty();
    assertThat(ahead.take("run-" + ReadAhead.KEPT, Set.of("a"), String.class)).isPresent();
  }

  private static final class MutableClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
