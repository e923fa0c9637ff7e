package dev.failover.activities.errors;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import dev.failover.activities.metrics.RetriedCall;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Retries one SDK call on transient failures (throttling, 5xx, timeouts, dropped connections) with
 * jittered exponential backoff, honouring {@code Retry-After}, before the activity's own retry
 * takes over. The SDKs retry only some of these (the Databricks SDK, for example, retries a POST
 * only on 429 and 503), and an activity retry repeats every call the activity made, so a call-level
 * retry keeps a step moving through a few faults. Errors a person must fix (401, 403, 400, 404) are
 * never retried.
 */
public final class CallRetry {
  /** How a retry waits; the activities heartbeat while they wait. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final int attempts;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;
  private final AtomicInteger retries = new AtomicInteger();

  /**
   * @param attempts how many times a call is tried in all (at least 1)
   * @param firstBackoff the wait after the first failure; it doubles per retry
   * @param maxBackoff the longest wait between two tries
   */
  public CallRetry(int attempts, Duration firstBackoff, Duration maxBackoff, Sleeper sleeper) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
    this.sleeper = sleeper;
  }

  /** How many calls were retried so far. */
  public int retries() {
    return retries.get();
  }

  /** A Databricks SDK call. */
  public <T> T databricks(String action, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      markRetry(attempt);
      try {
        return call.get();
      } catch (DatabricksException e) {
        ApplicationFailure failure = CloudFailures.databricks(action, e);
        waitOrThrow(failure, attempt, Optional.empty());
      } finally {
        RetriedCall.clear();
      }
    }
  }

  /**
   * A Databricks create call; returns false when the object already exists, which is success for a
   * converge step: another attempt (perhaps one whose response timed out) created it.
   */
  public boolean databricksCreate(String action, Runnable create) {
    return databricksCreate(action, create, CallRetry::alreadyExists);
  }

  /**
   * A Databricks create call for an API whose answer to a taken key is not an {@code
   * *_ALREADY_EXISTS} code; {@code taken} recognises that API's answer. The caller confirms what
   * holds the key, since such an answer names no object.
   */
  public boolean databricksCreate(
      String action, Runnable create, Predicate<DatabricksError> taken) {
    for (int attempt = 1; ; attempt++) {
      markRetry(attempt);
      try {
        create.run();
        return true;
      } catch (DatabricksException e) {
        if (e instanceof DatabricksError error && taken.test(error)) {
          return false;
        }
        waitOrThrow(CloudFailures.databricks(action, e), attempt, Optional.empty());
      } finally {
        RetriedCall.clear();
      }
    }
  }

  /**
   * A Databricks create that has no idempotency key and no unique name (registering a model
   * version, for one), so that a retry after a lost answer would make a second object. When an
   * attempt's outcome is unknown (see {@link #outcomeUnknown}), the next attempt first looks for
   * what it may have made, for up to {@code settle} (the client's timeout: how long the server may
   * still be handling a request the client gave up on, an assumption, since no API bounds it), and
   * creates again only when it has not appeared.
   *
   * @param find what a lost attempt would have made, if it is there; retried like any read
   */
  public <T> T databricksCreateWithoutKey(
      String action, Supplier<Optional<T>> find, Supplier<T> create, Duration settle) {
    boolean lastOutcomeUnknown = false;
    for (int attempt = 1; ; attempt++) {
      markRetry(attempt);
      if (lastOutcomeUnknown) {
        Optional<T> made = awaitLanded(action, find, settle);
        if (made.isPresent()) {
          return made.get();
        }
      }
      try {
        return create.get();
      } catch (DatabricksException e) {
        lastOutcomeUnknown = outcomeUnknown(e);
        waitOrThrow(CloudFailures.databricks(action, e), attempt, Optional.empty());
      } finally {
        RetriedCall.clear();
      }
    }
  }

  /** Looks for what a lost attempt made, a few times over {@code settle}. */
  private <T> Optional<T> awaitLanded(String action, Supplier<Optional<T>> find, Duration settle) {
    int looks = 4;
    for (int look = 1; ; look++) {
      Optional<T> made = databricks("look for what a lost attempt to " + action + " made", find);
      if (made.isPresent() || look == looks) {
        return made;
      }
      try {
        sleeper.sleep(settle.dividedBy(looks - 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return made;
      }
    }
  }

  /**
   * Whether a failed request may still have taken effect. The Databricks SDK retries a POST by
   * itself only where it knows nothing happened ({@code NonIdempotentRequestRetryStrategy}: HTTP
   * 429, 501, 503, and a connection that was never made); any other server error, a timeout or a
   * connection lost mid-request leaves the outcome unknown.
   */
  static boolean outcomeUnknown(DatabricksException e) {
    if (e instanceof DatabricksError error && error.getStatusCode() > 0) {
      int status = error.getStatusCode();
      return status >= 500 && status != 501 && status != 503;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.ConnectException
          || cause instanceof java.net.UnknownHostException) {
        return false;
      }
    }
    return true;
  }

  /** An AWS SDK call. */
  public <T> T aws(String action, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      markRetry(attempt);
      try {
        return call.get();
      } catch (SdkException e) {
        waitOrThrow(CloudFailures.aws(action, e), attempt, retryAfter(e));
      } finally {
        RetriedCall.clear();
      }
    }
  }

  /**
   * Tells the request metrics that the first request of this attempt repeats a failed call; the
   * attempt's {@code finally} clears the mark, so that an attempt that sent nothing leaves none
   * behind for an unrelated request on this thread.
   */
  private static void markRetry(int attempt) {
    if (attempt > 1) {
      RetriedCall.mark();
    }
  }

  private void waitOrThrow(ApplicationFailure failure, int attempt, Optional<Duration> retryAfter) {
    if (FailureTypes.NON_RETRYABLE.contains(failure.getType()) || attempt >= attempts) {
      throw failure;
    }
    Duration backoff = firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    if (backoff.compareTo(maxBackoff) > 0) {
      backoff = maxBackoff;
    }
    long jittered =
        backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1);
    Duration wait =
        retryAfter.filter(r -> r.toMillis() > jittered).orElse(Duration.ofMillis(jittered));
    retries.incrementAndGet();
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure;
    }
  }

  static boolean alreadyExists(DatabricksError error) {
    String code = error.getErrorCode() == null ? "" : error.getErrorCode();
    return code.endsWith("ALREADY_EXISTS");
  }

  private static Optional<Duration> retryAfter(SdkException e) {
    if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
      return s3.awsErrorDetails()
          .sdkHttpResponse()
          .firstMatchingHeader("Retry-After")
          .flatMap(CallRetry::seconds);
    }
    return Optional.empty();
  }

  private static Optional<Duration> seconds(String value) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
