package dev.failover.activities.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The backlog sample's bound, its strata and its interval, without S3. */
class BacklogSampleTest {
  @Test
  void aMillionVersionsFitTheTwoThousandRequestTarget() {
    assertThat(Backlog.requestBound(1_000_000, BacklogSample.DEFAULT_BUDGET))
        .isLessThanOrEqualTo(2_000 - 20);
  }

  @Test
  void theSampleKeepsTheNewestAndAUniformRestInBoundedMemory() {
    BacklogSample sample = new BacklogSample(8, new SplittableRandom(7));
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 1_000; i++) {
      sample.offer(
          software.amazon.awssdk.services.s3.model.ObjectVersion.builder()
              .key("k" + i)
              .versionId("v" + i)
              .lastModified(base.plusSeconds(i))
              .build());
    }
    assertThat(sample.window()).isEqualTo(1_000);
    assertThat(sample.exact()).isFalse();
    assertThat(sample.newest().stream().map(v -> v.key()).sorted().toList())
        .isEqualTo(List.of("k996", "k997", "k998", "k999"));
    assertThat(sample.older()).hasSize(4);
    assertThat(sample.olderPopulation()).isEqualTo(996);
  }

  @Test
  void theIntervalHoldsWhatTheSampleProves() {
    // 0 of 400 seen: at least 0, at most the Wilson bound (about 0.95%) of the population.
    long[] none = BacklogSample.interval(0, 400, 100_000);
    assertThat(none[0]).isZero();
    assertThat(none[1]).isBetween(900L, 1_000L);
    long[] some = BacklogSample.interval(40, 400, 100_000);
    assertThat(some[0]).isLessThan(10_000L).isGreaterThan(7_000L);
    assertThat(some[1]).isGreaterThan(10_000L).isLessThan(14_000L);
    assertThat(BacklogSample.interval(3, 10, 10)).containsExactly(3L, 3L);
  }
}
