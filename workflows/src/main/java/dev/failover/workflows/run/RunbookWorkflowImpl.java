package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.ReportActivities;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Runs a drill: readiness, capture, converge, smoke test, report. Each step is recorded in the
 * report as it starts and ends so the progress query shows it live; a failed step ends the run with
 * the report attached, so nothing already done is lost from the evidence.
 */
public class RunbookWorkflowImpl implements RunbookWorkflow {
  /** Failure type of a run that ended because a step failed. */
  public static final String RUN_FAILED = "RunFailed";

  private static final Logger log = Workflow.getLogger(RunbookWorkflowImpl.class);

  static final RetryOptions STEP_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(10)
          .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(new String[0]))
          .build();

  /**
   * Activities that work through many objects heartbeat every few seconds from a background thread;
   * a worker that dies is noticed within this timeout and the step is retried elsewhere.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);

  private final ReadinessActivities readiness =
      Workflow.newActivityStub(ReadinessActivities.class, options(Duration.ofMinutes(2), null));
  private final CaptureActivities capture =
      Workflow.newActivityStub(
          CaptureActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  private final ConvergeActivities converge =
      Workflow.newActivityStub(
          ConvergeActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  private final SmokeTestActivities smokeTest =
      Workflow.newActivityStub(
          SmokeTestActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  private final ReportActivities reports =
      Workflow.newActivityStub(ReportActivities.class, options(Duration.ofMinutes(2), null));

  private RunRequest request;
  private final List<StepReport> steps = new ArrayList<>();
  private String startedAt;
  private String endedAt;
  private Long rtoSeconds;
  private Outcome outcome = Outcome.RUNNING;
  private SnapshotRef snapshot;
  private String reportLocation;
  private String failure;

  private static ActivityOptions options(Duration startToClose, Duration heartbeat) {
    ActivityOptions.Builder builder =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(startToClose)
            .setRetryOptions(STEP_RETRY);
    if (heartbeat != null) {
      builder.setHeartbeatTimeout(heartbeat);
    }
    return builder.build();
  }

  @Override
  public RunReport run(RunRequest runRequest) {
    this.request = runRequest;
    this.startedAt = now();
    for (Step step : Step.values()) {
      steps.add(StepReport.pending(step));
    }
    Runbook runbook = runRequest.runbook();
    WorkspaceTarget primary = WorkspaceTarget.of("primary", runbook.primary());
    WorkspaceTarget secondary = WorkspaceTarget.of("secondary", runbook.secondary());
    BucketTarget store = BucketTarget.of("secondary", runbook.secondary(), runbook.stateBucket());
    String runPrefix = "failover/" + runbook.name() + "/";
    String runId = Workflow.getInfo().getRunId();
    log.info("Starting {} of runbook {}", runRequest.mode(), runbook.name());

    try {
      runStep(Step.READINESS, () -> checkReadiness(runbook, primary, secondary));
      runStep(
          Step.CAPTURE,
          () -> {
            snapshot =
                capture.captureControlPlane(
                    primary,
                    runbook.scope().catalogs(),
                    store,
                    runPrefix + "snapshots/" + runId + ".json.gz");
            return new StepResult(
                null,
                snapshot.catalogs()
                    + " catalogs, "
                    + snapshot.schemas()
                    + " schemas, "
                    + snapshot.grants()
                    + " grants captured");
          });
      ConvergeRequest convergeRequest =
          new ConvergeRequest(secondary, snapshot, runbook.storagePathRewrites(), runbook.name());
      runStep(
          Step.CONVERGE_CATALOGS,
          () -> StepResult.counts(converge.convergeCatalogs(convergeRequest)));
      runStep(
          Step.CONVERGE_SCHEMAS,
          () -> StepResult.counts(converge.convergeSchemas(convergeRequest)));
      runStep(
          Step.CONVERGE_GRANTS, () -> StepResult.counts(converge.convergeGrants(convergeRequest)));
      runStep(
          Step.SMOKE_TEST,
          () ->
              new StepResult(
                  null,
                  smokeTest.verifyControlPlane(convergeRequest) + " objects match the snapshot"));
      rtoSeconds = secondsSinceStart();
      outcome = Outcome.SUCCEEDED;
    } catch (StepFailedException e) {
      outcome = Outcome.FAILED;
      failure = e.getMessage();
      markRemainingNotRun();
    }
    storeReport(store, runPrefix + "reports/" + runId + ".json");
    RunReport report = progress();
    if (outcome == Outcome.FAILED) {
      throw ApplicationFailure.newNonRetryableFailure(failure, RUN_FAILED, report);
    }
    return report;
  }

  private StepResult checkReadiness(
      Runbook runbook, WorkspaceTarget primary, WorkspaceTarget secondary) {
    List<Promise<String>> checks = new ArrayList<>();
    checks.add(Async.function(readiness::checkWorkspace, primary));
    checks.add(Async.function(readiness::checkWorkspace, secondary));
    for (int i = 0; i < runbook.primary().buckets().size(); i++) {
      BucketTarget source =
          BucketTarget.of("primary", runbook.primary(), runbook.primary().buckets().get(i));
      BucketTarget replica =
          BucketTarget.of("secondary", runbook.secondary(), runbook.replicaOf(i));
      checks.add(Async.function(readiness::checkReplication, source, replica));
    }
    List<String> findings = new ArrayList<>();
    for (Promise<String> check : checks) {
      findings.add(check.get());
    }
    return new StepResult(null, String.join("; ", findings));
  }

  /**
   * Stores the final report. The report step is marked done before the report is written so that
   * the stored copy is complete; if the write fails, the run's own report says so.
   */
  private void storeReport(BucketTarget store, String key) {
    int index = Step.REPORT.ordinal();
    String location = "s3://" + store.bucket() + "/" + key;
    steps.set(index, steps.get(index).running(now()));
    endedAt = now();
    steps.set(
        index,
        steps.get(index).finished(StepStatus.SUCCEEDED, endedAt, null, "stored at " + location));
    reportLocation = location;
    try {
      reports.storeReport(store, key, progress());
    } catch (ActivityFailure e) {
      reportLocation = null;
      steps.set(index, steps.get(index).finished(StepStatus.FAILED, now(), null, describe(e)));
      if (outcome == Outcome.SUCCEEDED) {
        outcome = Outcome.FAILED;
        failure = "step report failed: " + describe(e);
      }
    }
  }

  @Override
  public RunReport progress() {
    if (request == null) {
      return null;
    }
    return new RunReport(
        request.runbook().name(),
        Workflow.getInfo().getWorkflowId(),
        Workflow.getInfo().getRunId(),
        request.mode(),
        request.incidentId(),
        request.requestedBy(),
        outcome,
        startedAt,
        endedAt,
        rtoSeconds,
        request.runbook().objectives().rtoMinutes() * 60L,
        List.copyOf(steps),
        snapshot,
        reportLocation,
        failure);
  }

  private void runStep(Step step, StepBody body) throws StepFailedException {
    int index = step.ordinal();
    steps.set(index, steps.get(index).running(now()));
    try {
      StepResult result = body.run();
      steps.set(
          index,
          steps
              .get(index)
              .finished(StepStatus.SUCCEEDED, now(), result.counts(), result.message()));
    } catch (ActivityFailure e) {
      String reason = describe(e);
      steps.set(index, steps.get(index).finished(StepStatus.FAILED, now(), null, reason));
      log.warn("Step {} failed: {}", step.stepName(), reason);
      throw new StepFailedException("step " + step.stepName() + " failed: " + reason);
    }
  }

  private void markRemainingNotRun() {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).status() == StepStatus.PENDING) {
        steps.set(i, steps.get(i).finished(StepStatus.NOT_RUN, null, null, null));
      }
    }
  }

  /** A person-readable reason: the activity that failed and the root failure's own message. */
  static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String what = failure.getActivityType();
    if (cause instanceof ApplicationFailure app) {
      return what + ": " + app.getOriginalMessage() + " [" + app.getType() + "]";
    }
    if (cause instanceof TimeoutFailure timeout) {
      return what + ": timed out (" + timeout.getTimeoutType() + ")";
    }
    if (cause instanceof TemporalFailure temporal) {
      return what + ": " + temporal.getOriginalMessage();
    }
    return what + ": " + failure.getMessage();
  }

  private long secondsSinceStart() {
    return Duration.between(Instant.parse(startedAt), Instant.parse(now())).toSeconds();
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  /** The outcome of a step's body: optional counts and a one-line message. */
  private record StepResult(ChangeCounts counts, String message) {
    static StepResult counts(ChangeCounts counts) {
      return new StepResult(
          counts,
          counts.created()
              + " created, "
              + counts.updated()
              + " updated, "
              + counts.unchanged()
              + " unchanged, "
              + counts.deleted()
              + " removed"
              + (counts.retries() == 0 ? "" : ", " + counts.retries() + " retries"));
    }
  }

  @FunctionalInterface
  private interface StepBody {
    StepResult run();
  }

  /** Internal control flow: a step failed after its retries; the run stops. */
  private static final class StepFailedException extends Exception {
    StepFailedException(String message) {
      super(message);
    }
  }
}
