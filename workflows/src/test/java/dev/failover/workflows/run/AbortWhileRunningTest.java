package dev.failover.workflows.run;

import static dev.failover.workflows.run.MockedRun.awaitProgress;
import static dev.failover.workflows.run.MockedRun.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.SnapshotRef;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * An abort while a long step runs, on Temporal's test server in real time: the workflow cancels the
 * step's activity, the activity hears it at its next heartbeat and stops, the workflow waits for
 * that before it stores the report, and the step's row says aborted. The activities are mocks that
 * heartbeat as the worker's interceptor does; the worker sends heartbeats at most every 500 ms (the
 * production worker: every 3 s, {@code FailoverWorker}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // see MockedRun: a run that stands still fails
class AbortWhileRunningTest {
  private static final Duration THROTTLE = Duration.ofMillis(500);

  private MockedRun mocked;

  /** Activity executions that heard their cancellation, and when the last one stopped. */
  private final AtomicInteger heardCancel = new AtomicInteger();

  private final AtomicLong stoppedAt = new AtomicLong();
  private final CountDownLatch longStepStarted = new CountDownLatch(1);

  /** Whether the long activity had stopped when the report was stored. */
  private final AtomicBoolean stoppedBeforeReport = new AtomicBoolean();

  private void start(WorkerOptions.Builder worker) {
    mocked =
        new MockedRun(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build(),
            worker.setMaxHeartbeatThrottleInterval(THROTTLE).build());
    when(mocked.reports.storeReport(any(), anyString(), any()))
        .thenAnswer(
            call -> {
              stoppedBeforeReport.set(stoppedAt.get() > 0);
              return "s3://x/y";
            });
  }

  @AfterEach
  void stop() {
    mocked.close();
  }

  @RepeatedTest(2)
  void anAbortStopsTheRunningStepAndTheRunEndsAborted() throws Exception {
    start(WorkerOptions.newBuilder());
    when(mocked.converge.convergeCatalogs(any())).thenAnswer(call -> heartbeatUntilCancelled());
    RunbookWorkflow run = startDrill();
    assertThat(longStepStarted.await(30, TimeUnit.SECONDS)).isTrue();
    awaitProgress(run, AbortWhileRunningTest::onlyCatalogsRunning);

    long abortedAt = System.currentTimeMillis();
    String answer = run.abort(new OperatorAction("oncall-sre", "wrong change window"));
    RunReport report = mocked.result();

    assertThat(answer).contains("the steps running are cancelled");
    assertThat(heardCancel).hasValue(1);
    assertThat(stoppedAt.get() - abortedAt)
        .as("stopped within the heartbeat timeout")
        .isLessThan(Activities.HEARTBEAT_TIMEOUT.toMillis());
    assertThat(stoppedBeforeReport).isTrue();
    assertThat(report.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(report.failure()).isEqualTo("aborted by oncall-sre: wrong change window");
    StepReport catalogs = step(report, "converge-catalogs");
    assertThat(catalogs.status()).isEqualTo(StepStatus.ABORTED);
    assertThat(catalogs.message())
        .isEqualTo(
            "stopped while running, its activities cancelled: aborted by oncall-sre: wrong"
                + " change window");
    assertThat(step(report, "converge-schemas").status()).isEqualTo(StepStatus.NOT_RUN);
    assertThat(step(report, "report").status()).isEqualTo(StepStatus.SUCCEEDED);
    verify(mocked.converge, never()).convergeSchemas(any());
    assertThat(ReportMarkdown.render(report))
        .contains("- `converge-catalogs`: stopped while running, its activities cancelled");
  }

  /**
   * With one activity slot, the first batch of grants runs and the other three wait to start: the
   * abort cancels the running batch, which stops at a heartbeat, and the three never start. (The
   * one slot also keeps any other activity from completing while the abort is applied; see {@link
   * #onlyCatalogsRunning}.)
   */
  @RepeatedTest(2)
  void anAbortAlsoCancelsTheStepsActivitiesNotStartedYet() throws Exception {
    start(WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(1));
    when(mocked.capture.captureControlPlane(any(), anyList(), any(), anyString()))
        .thenReturn(snapshotWithGrants(1000));
    when(mocked.converge.convergeBatch(argThat(b -> b.component().equals(Step.GRANTS))))
        .thenAnswer(call -> heartbeatUntilCancelled());
    RunbookWorkflow run = startDrill();
    assertThat(longStepStarted.await(30, TimeUnit.SECONDS)).isTrue();

    run.abort(new OperatorAction("oncall-sre", null));
    RunReport report = mocked.result();

    assertThat(heardCancel).hasValue(1);
    verify(mocked.converge, times(1))
        .convergeBatch(argThat(b -> b.component().equals(Step.GRANTS)));
    assertThat(stoppedBeforeReport).isTrue();
    assertThat(report.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(report.steps())
        .filteredOn(s -> s.status() == StepStatus.ABORTED)
        .extracting(StepReport::name)
        .containsExactly("converge-grants");
    assertThat(step(report, "smoke-test").status()).isEqualTo(StepStatus.NOT_RUN);
  }

  /**
   * Whether converge-catalogs is the only step running. The abort waits for it: Temporal's test
   * server refuses a cancellation of an activity that completed while the workflow task carrying
   * the cancellation was in flight (ACTIVITY_UNKNOWN), and keeps a half-applied task behind; a
   * Temporal server accepts that race (its completion event is buffered; {@code
   * MutableStateImpl.AddActivityTaskCancelRequestedEvent}). With one step running, nothing
   * completes while the abort is applied.
   */
  private static boolean onlyCatalogsRunning(RunReport report) {
    return step(report, "converge-catalogs").status() == StepStatus.RUNNING
        && report.steps().stream().filter(s -> s.status() == StepStatus.RUNNING).count() == 1;
  }

  /**
   * A drill that runs one step at a time, so that the abort meets the long step alone (see {@link
   * #onlyCatalogsRunning}): with more, the smoke test would be running beside it, checking the jobs
   * and waiting for the other steps it needs.
   */
  private RunbookWorkflow startDrill() {
    RunbookWorkflow run = mocked.newRun();
    Runbook oneAtATime =
        TestRunbooks.example().withSteps(new Runbook.Steps(List.of(), List.of(), 1));
    WorkflowClient.start(run::run, new RunRequest(oneAtATime, Mode.DRILL, "INC-9", "sre@acme.com"));
    return mocked.inFlight();
  }

  /**
   * A long activity as the worker runs one: it heartbeats every 50 ms, and stops when a heartbeat
   * tells it that it was cancelled (bounded at one minute, so that a broken cancel fails the test).
   */
  private Object heartbeatUntilCancelled() throws InterruptedException {
    ActivityExecutionContext context = Activity.getExecutionContext();
    longStepStarted.countDown();
    long deadline = System.currentTimeMillis() + 60_000;
    try {
      while (System.currentTimeMillis() < deadline) {
        context.heartbeat(null);
        Thread.sleep(50);
      }
    } catch (ActivityCompletionException e) {
      heardCancel.incrementAndGet();
      stoppedAt.set(System.currentTimeMillis());
      throw e;
    }
    throw new AssertionError("the activity was never cancelled");
  }

  private static SnapshotRef snapshotWithGrants(int grants) {
    SnapshotRef s = MockedRun.SNAPSHOT;
    Map<String, Integer> counts = new TreeMap<>(s.components());
    counts.put(Step.GRANTS, grants);
    return new SnapshotRef(
        s.location(),
        s.key(),
        s.versionId(),
        s.sha256(),
        s.sizeBytes(),
        s.capturedAt(),
        s.catalogs(),
        s.schemas(),
        grants,
        s.tables(),
        counts);
  }
}
