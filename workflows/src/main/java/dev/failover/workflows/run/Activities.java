package dev.failover.workflows.run;

import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.FenceActivities;
import dev.failover.workflows.steps.ManagedDrActivities;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.ReportActivities;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.WebhookActivities;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** The activity stubs a run calls, each with the timeouts and retries of what it does. */
final class Activities {
  static final RetryOptions STEP_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(10)
          .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(new String[0]))
          .build();

  /**
   * Activities that work through many objects heartbeat every few seconds; a worker that dies is
   * noticed within this timeout and the step is retried elsewhere.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);

  final ReadinessActivities readiness =
      Workflow.newActivityStub(ReadinessActivities.class, options(Duration.ofMinutes(2), null));

  /**
   * Probes of the side being failed away from: during a regional outage they must give up soon, so
   * the run can take the outage path instead of retrying for minutes.
   */
  final ReadinessActivities probe =
      Workflow.newActivityStub(
          ReadinessActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(1))
              .setRetryOptions(STEP_RETRY.toBuilder().setMaximumAttempts(2).build())
              .build());

  final CaptureActivities capture =
      Workflow.newActivityStub(
          CaptureActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  final ConvergeActivities converge =
      Workflow.newActivityStub(
          ConvergeActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  final StorageActivities storage =
      Workflow.newActivityStub(
          StorageActivities.class, options(Duration.ofHours(2), HEARTBEAT_TIMEOUT));
  final FenceActivities fencing =
      Workflow.newActivityStub(
          FenceActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  final SmokeTestActivities smokeTest =
      Workflow.newActivityStub(
          SmokeTestActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));

  /**
   * The managed DR failover group: its failover waits up to the runbook's timeout (at most 12 h)
   * while heartbeating, so a dead worker is noticed within the heartbeat timeout.
   */
  final ManagedDrActivities managedDr =
      Workflow.newActivityStub(
          ManagedDrActivities.class, options(Duration.ofHours(13), HEARTBEAT_TIMEOUT));

  final ReportActivities reports =
      Workflow.newActivityStub(ReportActivities.class, options(Duration.ofMinutes(2), null));
  final WebhookActivities webhooks =
      Workflow.newActivityStub(WebhookActivities.class, options(Duration.ofMinutes(10), null));

  /**
   * A long activity heartbeats (every {@code HeartbeatInterceptor.BEAT}, 3 s, sent at that pace by
   * the worker's heartbeat throttle): when an abort cancels its step, the workflow waits until it
   * heard the cancellation at a heartbeat and stopped, so that the step is recorded aborted only
   * once nothing of it runs. A short one (no heartbeat timeout) is let go at once: it is bounded by
   * its start-to-close timeout of minutes: a check changes nothing, and a webhook's request, once
   * sent, cannot be called back anyway.
   */
  private static ActivityOptions options(Duration startToClose, Duration heartbeat) {
    ActivityOptions.Builder builder =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(startToClose)
            .setRetryOptions(STEP_RETRY);
    if (heartbeat != null) {
      builder
          .setHeartbeatTimeout(heartbeat)
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED);
    }
    return builder.build();
  }
}
