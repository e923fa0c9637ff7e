package dev.failover.activities.steps;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.time.Duration;

/**
 * Heartbeats every activity of the worker from a background thread and lets a cancellation reach
 * it: each activity method runs inside an {@link ActivityScope}. When Temporal answers a heartbeat
 * with "stop" (the workflow cancelled the activity, the server no longer knows it, the worker is
 * shutting down), the activity's thread is interrupted and the activity ends with that reason,
 * which Temporal records as the activity cancelled; what the method threw while stopping is kept as
 * a suppressed exception.
 *
 * <p>Every worker that runs these activities registers it ({@code
 * WorkerFactoryOptions.setWorkerInterceptors}); an activity run without it fails at once, naming
 * the interceptor.
 */
public final class HeartbeatInterceptor extends WorkerInterceptorBase {
  /**
   * How often an activity heartbeats: well inside the workflows' heartbeat timeouts (20 s). The
   * worker sends heartbeats at this pace too (its heartbeat throttle), so an abort's cancellation
   * reaches a running activity within about one beat.
   */
  public static final Duration BEAT = Duration.ofSeconds(3);

  private final Duration beat;

  public HeartbeatInterceptor() {
    this(BEAT);
  }

  /** With another beat, for tests whose heartbeat timeout is shorter than {@link #BEAT}. */
  public HeartbeatInterceptor(Duration beat) {
    if (beat.isZero() || beat.isNegative()) {
      throw new IllegalArgumentException("beat must be positive: " + beat);
    }
    this.beat = beat;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new Beating(next);
  }

  private final class Beating extends ActivityInboundCallsInterceptorBase {
    private ActivityExecutionContext context;

    Beating(ActivityInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(ActivityExecutionContext context) {
      this.context = context;
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      try (ActivityScope scope = ActivityScope.open(context, beat)) {
        try {
          ActivityOutput output = super.execute(input);
          // A result made after the stop may be partial (a loop cut short by the interrupt).
          scope.throwIfStopped();
          return output;
        } catch (RuntimeException e) {
          throw stoppedOr(scope, e);
        }
      }
    }

    private static RuntimeException stoppedOr(ActivityScope scope, RuntimeException thrown) {
      ActivityCompletionException stop = scope.stopReason();
      if (stop == null || stop == thrown) {
        return thrown;
      }
      stop.addSuppressed(thrown);
      return stop;
    }
  }
}
