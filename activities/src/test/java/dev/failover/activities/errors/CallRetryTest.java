package dev.failover.activities.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.core.DatabricksError;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How a create without an idempotency key is retried when its outcome is unknown. */
class CallRetryTest {
  private final CallRetry retry =
      new CallRetry(4, Duration.ofMillis(10), Duration.ofMillis(50), d -> {});

  @Test
  void onlyAnswersThatProveNothingHappenedLeaveTheOutcomeKnown() {
    assertThat(CallRetry.outcomeUnknown(new DatabricksError("REQUEST_LIMIT_EXCEEDED", "", 429)))
        .isFalse();
    assertThat(CallRetry.outcomeUnknown(new DatabricksError("TEMPORARILY_UNAVAILABLE", "", 503)))
        .isFalse();
    assertThat(CallRetry.outcomeUnknown(new DatabricksError("INTERNAL_ERROR", "", 500))).isTrue();
    assertThat(
            CallRetry.outcomeUnknown(
                new DatabricksError("Read timed out", 0, new SocketTimeoutException())))
        .isTrue();
    assertThat(
            CallRetry.outcomeUnknown(
                new DatabricksError("Connection refused", 0, new ConnectException())))
        .isFalse();
  }

  @Test
  void aTimedOutCreateIsNotRepeatedWhenWhatItMadeAppears() {
    AtomicInteger creates = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();

    String id =
        retry.databricksCreateWithoutKey(
            "create thing",
            () -> looks.incrementAndGet() < 2 ? Optional.empty() : Optional.of("made-by-the-lost"),
            () -> {
              creates.incrementAndGet();
              throw new DatabricksError("Read timed out", 0, new SocketTimeoutException());
            },
            Duration.ofSeconds(3));

    assertThat(id).isEqualTo("made-by-the-lost");
    assertThat(creates).hasValue(1);
    assertThat(looks).hasValue(2);
  }

  @Test
  void aThrottledCreateIsRepeatedWithoutLooking() {
    AtomicInteger creates = new AtomicInteger();

    String id =
        retry.databricksCreateWithoutKey(
            "create thing",
            () -> {
              throw new AssertionError("a throttled create made nothing; there is nothing to find");
            },
            () -> {
              if (creates.incrementAndGet() == 1) {
                throw new DatabricksError("REQUEST_LIMIT_EXCEEDED", "slow down", 429);
              }
              return "made";
            },
            Duration.ofSeconds(3));

    assertThat(id).isEqualTo("made");
    assertThat(creates).hasValue(2);
  }
}
