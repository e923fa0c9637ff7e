package dev.failover.activities.steps;

import dev.failover.activities.clients.RequestCaller;
import dev.failover.activities.errors.CallRetry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.CancellationToken;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * What one activity execution shares: a heartbeat that keeps beating while the activity works (also
 * during a slow SDK call or a retry's wait), the progress it reports, the call retry, and whether
 * Temporal wants the activity to stop.
 *
 * <p>{@link HeartbeatInterceptor} opens a scope around every activity method; the method reaches it
 * with {@link #current()}. The heartbeat comes from a background thread so that the workflow's
 * heartbeat timeout can be short: when a worker dies, Temporal notices within that timeout and
 * retries the activity on another worker.
 *
 * <p>A heartbeat is also how the activity hears that it should stop: its workflow cancelled it (an
 * abort), the server no longer knows it (timed out), or the worker is shutting down. The scope then
 * interrupts the activity's thread, so that a wait or a retry's sleep ends at once, and makes
 * {@link #progress()} and {@link #sleep(Duration)} throw; the interceptor reports the activity
 * stopped for that reason, whatever the method threw or returned after it.
 */
final class ActivityScope implements AutoCloseable {
  private static final ThreadLocal<ActivityScope> CURRENT = new ThreadLocal<>();

  private final ActivityExecutionContext context;
  private final Thread activityThread;
  private final AtomicInteger done = new AtomicInteger();
  private final ScheduledExecutorService beats;
  private final CallRetry retry;
  private final Object lock = new Object();
  private CancellationToken.Registration onCancel;
  private ActivityCompletionException stop;
  private boolean interrupted;
  private boolean closed;

  private ActivityScope(ActivityExecutionContext context, Duration beat) {
    this.context = context;
    this.activityThread = Thread.currentThread();
    this.beats =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread =
                  new Thread(runnable, "heartbeat-" + context.getInfo().getActivityId());
              thread.setDaemon(true);
              return thread;
            });
    this.retry = new CallRetry(6, Duration.ofMillis(250), Duration.ofSeconds(5), this::sleep);
    beats.scheduleAtFixedRate(this::beat, 0, beat.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Opens the scope of the activity execution running on this thread. */
  static ActivityScope open(ActivityExecutionContext context, Duration beat) {
    ActivityScope scope = new ActivityScope(context, beat);
    // The cancellation reaches the context with the heartbeat response that carries it; reacting
    // to it there, not at the next beat, saves up to one beat.
    scope.onCancel =
        context
            .getCancellationToken()
            .onCancel(() -> scope.stop(new ActivityCanceledException(context.getInfo())));
    CURRENT.set(scope);
    RequestCaller.set(context.getInfo().getActivityType());
    return scope;
  }

  /** The scope of the activity running on this thread, opened by {@link HeartbeatInterceptor}. */
  static ActivityScope current() {
    ActivityScope scope = CURRENT.get();
    if (scope == null) {
      throw new IllegalStateException(
          "no activity scope on this thread: register HeartbeatInterceptor on the worker");
    }
    return scope;
  }

  /**
   * Records how many objects are done; the next heartbeat carries it. Throws once the activity must
   * stop, so that every loop that reports progress stops with it.
   */
  IntConsumer progress() {
    return count -> {
      done.set(count);
      throwIfStopped();
    };
  }

  CallRetry retry() {
    return retry;
  }

  /** Retries so far: calls retried in this attempt, plus the earlier attempts of the activity. */
  int retries() {
    // Attempts count from 1 on a server; Temporal's activity test environment reports 0.
    return retry.retries() + Math.max(0, context.getInfo().getAttempt() - 1);
  }

  /** Waits, unless the activity must stop: then throws why, also when stopped while waiting. */
  void sleep(Duration duration) throws InterruptedException {
    throwIfStopped();
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      throwIfStopped();
      throw e;
    }
  }

  /** Throws why the activity must stop, once Temporal has said so. */
  void throwIfStopped() {
    ActivityCompletionException reason = stopReason();
    if (reason != null) {
      throw reason;
    }
  }

  /** Why Temporal wants the activity to stop, or null while it may go on. */
  ActivityCompletionException stopReason() {
    synchronized (lock) {
      return stop;
    }
  }

  private void beat() {
    try {
      context.heartbeat(done.get());
    } catch (ActivityCompletionException e) {
      stop(e);
    } catch (RuntimeException e) {
      // Anything else is the heartbeat's own trouble, not a verdict on the activity; the SDK
      // retries the send and, past the heartbeat timeout, answers with a cancellation.
    }
  }

  private void stop(ActivityCompletionException reason) {
    synchronized (lock) {
      if (closed || stop != null) {
        return;
      }
      stop = reason;
      interrupted = true;
      activityThread.interrupt();
    }
    beats.shutdown();
  }

  @Override
  public void close() {
    boolean clearInterrupt;
    synchronized (lock) {
      closed = true;
      clearInterrupt = interrupted;
    }
    // No interrupt: a heartbeat in flight finishes (an interrupted one made the SDK log a warning
    // with its stack trace at the end of every short activity); no further beat starts.
    beats.shutdown();
    if (onCancel != null) {
      onCancel.close();
    }
    CURRENT.remove();
    RequestCaller.clear();
    if (clearInterrupt) {
      // The interrupt was meant for this activity only; the worker reuses the thread.
      Thread.interrupted();
    }
  }
}
