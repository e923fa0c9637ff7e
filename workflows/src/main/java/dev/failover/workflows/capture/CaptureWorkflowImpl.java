package dev.failover.workflows.capture;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.SnapshotDrift;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** See {@link CaptureWorkflow}. */
public class CaptureWorkflowImpl implements CaptureWorkflow {
  private final CaptureActivities capture =
      Workflow.newActivityStub(
          CaptureActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(30))
              .setHeartbeatTimeout(Duration.ofSeconds(20))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setMaximumInterval(Duration.ofSeconds(30))
                      .setMaximumAttempts(10)
                      .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(new String[0]))
                      .build())
              .build());

  @Override
  public CaptureReport capture(CaptureRequest request) {
    Runbook runbook = request.runbook();
    WorkspaceTarget primary = WorkspaceTarget.of("primary", runbook.primary());
    BucketTarget store = BucketTarget.of("secondary", runbook.secondary(), runbook.stateBucket());
    String prefix = snapshotPrefix(runbook);
    // While DR serves as the active side after a failover, the primary is fenced (or down) and a
    // snapshot of it is no use to a later failover.
    if ("active".equals(capture.bucketRole(store, runbook.name()))) {
      return new CaptureReport(
          runbook.name(),
          null,
          null,
          null,
          "bucket "
              + store.bucket()
              + " is marked failover:role=active: the DR side serves as the active side since a"
              + " failover, so the primary is not captured; captures resume after the failback");
    }
    SnapshotRef previous = capture.latestSnapshot(primary, store, prefix);
    SnapshotRef snapshot =
        capture.captureControlPlane(
            primary,
            runbook.scope().catalogs(),
            store,
            prefix + "capture-" + Workflow.getInfo().getRunId() + ".json.gz");
    SnapshotDrift drift = capture.drift(previous, snapshot);
    return new CaptureReport(runbook.name(), snapshot, previous, drift, null);
  }

  /** Where every snapshot of a runbook is kept: runs' and captures' alike. */
  public static String snapshotPrefix(Runbook runbook) {
    return "failover/" + runbook.name() + "/snapshots/";
  }
}
