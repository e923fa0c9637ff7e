package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.FenceActivities;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.FenceResult;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.ReportActivities;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator controls of a run in flight, with mocked activities: a failed step waits for retry,
 * skip or abort; pause and resume between steps; abort while waiting for an approval; and a
 * decision that never comes.
 */
class OperatorControlsTest {
  private static final SnapshotRef SNAPSHOT =
      new SnapshotRef(
          new BucketTarget("secondary", "acme-lakehouse-usw2", "us-west-2", "acme-dr"),
          "failover/acme-lakehouse/snapshots/r.json.gz",
          "v1",
          "ab12",
          100,
          "2026-11-25T00:00:00Z",
          3,
          7,
          12,
          4,
          TestRunbooks.allComponents());
  private static final ReplicationHealth HEALTHY =
      new ReplicationHealth(
          "lakehouse",
          "acme-lakehouse-use1",
          "acme-lakehouse-usw2",
          true,
          "lakehouse-to-dr",
          10,
          0,
          0,
          null,
          List.of(),
          "2026-11-25T00:00:00Z",
          "healthy",
          List.of(),
          null);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final ReadinessActivities readiness = mockActivity(ReadinessActivities.class);
  private final CaptureActivities capture = mockActivity(CaptureActivities.class);
  private final ConvergeActivities converge = mockActivity(ConvergeActivities.class);
  private final SmokeTestActivities smokeTest = mockActivity(SmokeTestActivities.class);
  private final ReportActivities reports = mockActivity(ReportActivities.class);
  private final StorageActivities storage = mockActivity(StorageActivities.class);
  private final FenceActivities fencing = mockActivity(FenceActivities.class);

  private static <T> T mockActivity(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(RunbookWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RunbookWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        readiness, capture, converge, smokeTest, reports, storage, fencing);
    client = env.getWorkflowClient();
    env.start();
    when(readiness.checkWorkspace(any())).thenReturn("answers");
    when(readiness.checkAccountWorkspace(any(), any())).thenReturn("in the account, RUNNING");
    when(storage.measureReplication(any(), eq(false), anyInt())).thenReturn(HEALTHY);
    when(fencing.fence(any()))
        .thenAnswer(
            call ->
                new FenceResult(
                    ((FenceRequest) call.getArgument(0)).workspace().side(),
                    List.of("101 nightly-orders-etl"),
                    List.of("abc bi-warehouse"),
                    List.of()));
    when(fencing.unfence(any()))
        .thenAnswer(
            call ->
                new FenceResult(
                    ((FenceRequest) call.getArgument(0)).workspace().side(),
                    List.of("101 nightly-orders-etl"),
                    List.of(),
                    List.of()));
    when(storage.checkDeltaTables(any())).thenReturn(List.of());
    when(capture.captureControlPlane(any(), anyList(), any(), anyString())).thenReturn(SNAPSHOT);
    when(converge.convergeCatalogs(any())).thenReturn(new ChangeCounts(3, 0, 0, 0));
    when(converge.convergeSchemas(any())).thenReturn(new ChangeCounts(7, 0, 0, 0));
    when(converge.removeCreatedByRun(any())).thenReturn(new ChangeCounts(0, 0, 0, 3));
    when(converge.checkBatch(any()))
        .thenAnswer(
            call -> {
              ComponentBatch batch = call.getArgument(0);
              return batchResult(new ChangeCounts(0, 0, batch.to() - batch.from(), 0));
            });
    when(converge.restoreJobSchedules(any(), any())).thenReturn(ComponentResult.NONE);
    when(converge.removeComponentCreatedByRun(any(), anyString())).thenReturn(ChangeCounts.NONE);
    when(converge.convergeBatch(any())).thenReturn(batchResult(new ChangeCounts(10, 0, 0, 0)));
    when(smokeTest.verifyControlPlane(any())).thenReturn(20);
    when(reports.storeReport(any(), anyString(), any())).thenReturn("s3://x/y");
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private RunbookWorkflow stub() {
    return client.newWorkflowStub(
        RunbookWorkflow.class, RunbookWorkflow.workflowId("acme-lakehouse"));
  }

  private RunbookWorkflow start(Mode mode, Runbook runbook) {
    RunbookWorkflow run =
        client.newWorkflowStub(
            RunbookWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
                .setWorkflowId(RunbookWorkflow.workflowId("acme-lakehouse"))
                .build());
    WorkflowClient.start(run::run, new RunRequest(runbook, mode, "INC-9", "sre@acme.com"));
    return stub();
  }

  private RunReport result() {
    return client
        .newUntypedWorkflowStub(RunbookWorkflow.workflowId("acme-lakehouse"))
        .getResult(RunReport.class);
  }

  /** Polls the progress query until the run reaches a state (real time; the run is blocked). */
  private RunReport awaitProgress(RunbookWorkflow run, Predicate<RunReport> until)
      throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      RunReport report = run.progress();
      if (report != null && until.test(report)) {
        return report;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the run never reached the expected state: " + run.progress());
  }

  private static Predicate<RunReport> waitingForDecision() {
    return r -> r.waitingFor() != null && r.waitingFor().startsWith("a decision");
  }

  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aFailedStepWaitsForAnOperatorAndARetryCompletesTheRun() throws Exception {
    when(converge.convergeSchemas(any()))
        .thenThrow(
            ApplicationFailure.newFailure(
                "HTTP 403 PERMISSION_DENIED on schema sales.bronze",
                FailureTypes.PERMISSION_DENIED))
        .thenReturn(new ChangeCounts(7, 0, 0, 0));
    RunbookWorkflow run = start(Mode.DRILL, TestRunbooks.example());

    RunReport waiting = awaitProgress(run, waitingForDecision());
    assertThat(waiting.waitingFor()).contains("converge-schemas");
    assertThat(step(waiting, "converge-schemas").status()).isEqualTo(StepStatus.FAILED);
    assertThat(step(waiting, "converge-schemas").message()).contains("PERMISSION_DENIED");
    verify(converge, never())
        .convergeBatch(org.mockito.ArgumentMatchers.argThat(b -> b.component().equals("grants")));

    String answer =
        run.decide(new Decision(Decision.Action.RETRY, "oncall-sre", "grant fixed in DR"));
    assertThat(answer).contains("converge-schemas will run again");
    RunReport report = result();

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(step(report, "converge-schemas").status()).isEqualTo(StepStatus.SUCCEEDED);
    verify(converge, times(2)).convergeSchemas(any());
    assertThat(report.operatorEvents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.by()).isEqualTo("oncall-sre");
              assertThat(e.action()).isEqualTo("retry");
              assertThat(e.step()).isEqualTo("converge-schemas");
              assertThat(e.reason()).isEqualTo("grant fixed in DR");
            });
  }

  @Test
  void aSkippedStepIsRecordedAndTheRunGoesOn() throws Exception {
    when(smokeTest.verifyControlPlane(any()))
        .thenThrow(
            ApplicationFailure.newFailure("grants differ on main", FailureTypes.SMOKE_TEST_FAILED));
    RunbookWorkflow run = start(Mode.DRILL, TestRunbooks.example());
    awaitProgress(run, waitingForDecision());

    run.decide(new Decision(Decision.Action.SKIP, "oncall-sre", "known drift, ticket OPS-7"));
    RunReport report = result();

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    StepReport skipped = step(report, "smoke-test");
    assertThat(skipped.status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(skipped.message())
        .startsWith("skipped by oncall-sre after: ")
        .contains("grants differ on main");
    assertThat(report.operatorEvents()).extracting(OperatorEvent::action).containsExactly("skip");
  }

  @Test
  void captureCannotBeSkippedAndAnAbortStopsTheRunWithItsReport() throws Exception {
    when(capture.captureControlPlane(any(), anyList(), any(), anyString()))
        .thenThrow(ApplicationFailure.newFailure("HTTP 403", FailureTypes.PERMISSION_DENIED));
    RunbookWorkflow run = start(Mode.DRILL, TestRunbooks.example());
    awaitProgress(run, waitingForDecision());

    assertThatThrownBy(
            () -> run.decide(new Decision(Decision.Action.SKIP, "oncall-sre", "try without")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("capture cannot be skipped");
    assertThatThrownBy(() -> run.decide(new Decision(Decision.Action.RETRY, " ", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("by: must name who acts");

    run.abort(new OperatorAction("oncall-sre", "DR workspace admin rights missing"));
    RunReport report = result();

    assertThat(report.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(report.failure())
        .isEqualTo("aborted by oncall-sre: DR workspace admin rights missing");
    assertThat(step(report, "capture").status()).isEqualTo(StepStatus.FAILED);
    assertThat(step(report, "converge-catalogs").status()).isEqualTo(StepStatus.NOT_RUN);
    assertThat(step(report, "report").status()).isEqualTo(StepStatus.SUCCEEDED);
    verify(converge, never()).convergeCatalogs(any());
    verify(reports).storeReport(any(), anyString(), any());
  }

  @Test
  void aPausedRunWaitsBetweenStepsUntilResumed() throws Exception {
    when(converge.convergeCatalogs(any()))
        .thenAnswer(
            invocation -> {
              Thread.sleep(300);
              return new ChangeCounts(3, 0, 0, 0);
            });
    RunbookWorkflow run = start(Mode.DRILL, TestRunbooks.example());
    awaitProgress(run, r -> step(r, "converge-catalogs").status() == StepStatus.RUNNING);

    run.pause(new OperatorAction("oncall-sre", "hold for the change window"));
    RunReport paused = awaitProgress(run, r -> "resume (paused)".equals(r.waitingFor()));
    // The running step finished; the next one did not start.
    assertThat(step(paused, "converge-catalogs").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(step(paused, "converge-schemas").status()).isEqualTo(StepStatus.PENDING);
    assertThatThrownBy(() -> run.pause(new OperatorAction("someone", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("already paused");

    run.resume(new OperatorAction("oncall-sre", null));
    RunReport report = result();

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.operatorEvents())
        .extracting(OperatorEvent::action)
        .containsExactly("pause", "resume");
  }

  @Test
  void anAbortWhileWaitingForApprovalChangesNothing() throws Exception {
    RunbookWorkflow run = start(Mode.FAILOVER, TestRunbooks.example());
    awaitProgress(run, r -> "approval".equals(r.waitingFor()));

    run.abort(new OperatorAction("incident-commander", "primary recovered"));
    RunReport report = result();

    assertThat(report.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(step(report, "approval").status()).isEqualTo(StepStatus.NOT_RUN);
    assertThat(step(report, "promote-storage").status()).isEqualTo(StepStatus.NOT_RUN);
    verify(storage, never()).promoteReplica(any());
    verify(capture, never()).captureControlPlane(any(), anyList(), any(), anyString());
    assertThatThrownBy(() -> stub().abort(new OperatorAction("x", null)))
        .isInstanceOf(Exception.class);
  }

  @Test
  void withoutADecisionInTimeTheRunFails() {
    when(converge.convergeBatch(
            org.mockito.ArgumentMatchers.argThat(b -> b.component().equals("grants"))))
        .thenThrow(ApplicationFailure.newFailure("HTTP 400", FailureTypes.INVALID_REQUEST));
    start(Mode.DRILL, TestRunbooks.example());

    assertThatThrownBy(this::result)
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .startsWith("step converge-grants failed: ConvergeBatch: HTTP 400")
                    .contains("no decision within 60 minutes"));
  }

  @Test
  void aRunbookThatDoesNotWaitFailsAtOnce() {
    when(converge.convergeBatch(
            org.mockito.ArgumentMatchers.argThat(b -> b.component().equals("grants"))))
        .thenThrow(ApplicationFailure.newFailure("HTTP 400", FailureTypes.INVALID_REQUEST));
    start(Mode.DRILL, TestRunbooks.example(new Runbook.OnStepFailure(false, 60)));

    assertThatThrownBy(this::result)
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .doesNotContain("no decision"));
    verify(smokeTest, never()).verifyControlPlane(any());
  }

  private static ComponentResult batchResult(ChangeCounts counts) {
    return new ComponentResult(counts, List.of(), List.of());
  }
}
