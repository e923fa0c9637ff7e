package dev.failover.activities.components;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WrittenAheadTest {
  private static final String AT = "acme-lakehouse/drill-1|dr-host|jobs";

  private final WrittenAhead written = new WrittenAhead();

  @Test
  void aBatchLeavesOutTheItemsConvergedAheadFromTheFormTheSnapshotHolds() {
    written.put(AT, "job-1", "{\"name\":\"a\"}");
    written.put(AT, "job-2", "{\"name\":\"b\"}");

    // job-2 was read again by a retried capture and changed in between: the batch converges it.
    assertThat(
            written.take(
                AT,
                Map.of(
                    "job-1", "{\"name\":\"a\"}",
                    "job-2", "{\"name\":\"b, changed\"}",
                    "job-3", "{\"name\":\"c\"}")))
        .containsExactly("job-1");
    assertThat(written.holds(AT)).isFalse();
  }

  @Test
  void eachKeyIsHandedOutOnce() {
    written.put(AT, "job-1", "{}");
    written.put(AT, "job-2", "{}");

    assertThat(written.take(AT, Map.of("job-1", "{}"))).containsExactly("job-1");
    // A retry of that batch converges job-1 itself.
    assertThat(written.take(AT, Map.of("job-1", "{}"))).isEmpty();
    assertThat(written.holds(AT)).isTrue();
    assertThat(written.take(AT, Map.of("job-2", "{}"))).containsExactly("job-2");
    assertThat(written.holds(AT)).isFalse();
  }

  @Test
  void whatIsForgottenIsConvergedByTheBatches() {
    written.put(AT, "job-1", "{}");

    written.forget(AT);

    assertThat(written.take(AT, Map.of("job-1", "{}"))).isEmpty();
  }

  @Test
  void anotherRunOrComponentTakesNothing() {
    written.put(AT, "job-1", "{}");

    assertThat(written.take("acme-lakehouse/drill-2|dr-host|jobs", Map.of("job-1", "{}")))
        .isEmpty();
    assertThat(written.holds(AT)).isTrue();
  }
}
