package dev.failover.activities.steps;

import dev.failover.activities.errors.CallRetry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * What an activity execution shares: a heartbeat that keeps beating while the activity works (also
 * during a slow SDK call or a retry's wait), the progress it reports, and the call retry.
 *
 * <p>The heartbeat comes from a background thread so that the workflow's heartbeat timeout can be
 * short: when a worker dies, Temporal notices within that timeout and retries the activity on
 * another worker, instead of waiting for the start-to-close timeout.
 */
final class ActivityScope implements AutoCloseable {
  /** How often the background heartbeat beats; well inside the workflow's heartbeat timeout. */
  static final Duration BEAT = Duration.ofSeconds(3);

  private final ActivityExecutionContext context;
  private final AtomicInteger done = new AtomicInteger();
  private final ScheduledExecutorService beats;
  private final CallRetry retry;

  private ActivityScope(ActivityExecutionContext context) {
    this.context = context;
    this.beats =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread =
                  new Thread(runnable, "heartbeat-" + context.getInfo().getActivityId());
              thread.setDaemon(true);
              return thread;
            });
    this.retry =
        new CallRetry(
            6, Duration.ofMillis(250), Duration.ofSeconds(5), d -> Thread.sleep(d.toMillis()));
    beats.scheduleAtFixedRate(this::beat, 0, BEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts the scope of the current activity execution. */
  static ActivityScope start() {
    return new ActivityScope(Activity.getExecutionContext());
  }

  /** Records how many objects are done; the next heartbeat carries it. */
  IntConsumer progress() {
    return done::set;
  }

  CallRetry retry() {
    return retry;
  }

  /** Retries so far: calls retried in this attempt, plus the earlier attempts of the activity. */
  int retries() {
    // Attempts count from 1 on a server; Temporal's activity test environment reports 0.
    return retry.retries() + Math.max(0, context.getInfo().getAttempt() - 1);
  }

  private void beat() {
    try {
      context.heartbeat(done.get());
    } catch (RuntimeException e) {
      // A heartbeat that fails (for example, the activity was cancelled) must not kill the beat
      // thread; the activity itself learns of the cancellation on its next heartbeat.
    }
  }

  @Override
  public void close() {
    beats.shutdownNow();
  }
}
