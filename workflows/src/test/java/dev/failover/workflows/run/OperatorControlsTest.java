package dev.failover.workflows.run;

import static dev.failover.workflows.run.MockedRun.awaitProgress;
import static dev.failover.workflows.run.MockedRun.batchResult;
import static dev.failover.workflows.run.MockedRun.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReplicationHealth;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator controls of a run in flight, with mocked activities: a failed step waits for retry,
 * skip or abort; pause and resume between steps; abort while waiting for an approval; and a
 * decision that never comes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // see MockedRun: a run that stands still fails
class OperatorControlsTest {
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

  private MockedRun mocked;

  @BeforeEach
  void start() {
    mocked = new MockedRun();
    // This class's own defaults, in place of MockedRun's.
    when(mocked.readiness.checkWorkspace(any())).thenReturn("answers");
    when(mocked.storage.measureReplication(any(), eq(false), anyInt())).thenReturn(HEALTHY);
    when(mocked.storage.checkDeltaTables(any())).thenReturn(List.of());
    when(mocked.converge.convergeBatch(any()))
        .thenReturn(batchResult(new ChangeCounts(10, 0, 0, 0)));
    when(mocked.smokeTest.verifyControlPlane(any())).thenReturn(20);
  }

  @AfterEach
  void stop() {
    mocked.close();
  }

  /** Starts a run and returns a stub of it in flight. */
  private RunbookWorkflow start(Mode mode, Runbook runbook) {
    RunbookWorkflow run = mocked.newRun();
    WorkflowClient.start(run::run, new RunRequest(runbook, mode, "INC-9", "sre@acme.com"));
    return mocked.inFlight();
  }

  private static Predicate<RunReport> waitingForDecision() {
    return r -> r.waitingFor() != null && r.waitingFor().startsWith("a decision");
  }

  @Test
  void aFailedStepWaitsForAnOperatorAndARetryCompletesTheRun() throws Exception {
    when(mocked.converge.convergeSchemas(any()))
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
    verify(mocked.converge, never())
        .convergeBatch(org.mockito.ArgumentMatchers.argThat(b -> b.component().equals("grants")));

    String answer =
        run.decide(new Decision(Decision.Action.RETRY, "oncall-sre", "grant fixed in DR"));
    assertThat(answer).contains("converge-schemas will run again");
    RunReport report = mocked.result();

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(step(report, "converge-schemas").status()).isEqualTo(StepStatus.SUCCEEDED);
    verify(mocked.converge, times(2)).convergeSchemas(any());
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
    when(mocked.smokeTest.verifyControlPlane(any()))
        .thenThrow(
            ApplicationFailure.newFailure("grants differ on main", FailureTypes.SMOKE_TEST_FAILED));
    RunbookWorkflow run = start(Mode.DRILL, TestRunbooks.example());
    awaitProgress(run, waitingForDecision());

    run.decide(new Decision(Decision.Action.SKIP, "oncall-sre", "known drift, ticket OPS-7"));
    RunReport report = mocked.result();

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
    when(mocked.capture.captureControlPlane(any(), anyList(), any(), anyString()))
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
    RunReport report = mocked.result();

    assertThat(report.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(report.failure())
        .isEqualTo("aborted by oncall-sre: DR workspace admin rights missing");
    assertThat(step(report, "capture").status()).isEqualTo(StepStatus.FAILED);
    assertThat(step(report, "converge-catalogs").status()).isEqualTo(StepStatus.NOT_RUN);
    assertThat(step(report, "report").status()).isEqualTo(StepStatus.SUCCEEDED);
    verify(mocked.converge, never()).convergeCatalogs(any());
    verify(mocked.reports).storeReport(any(), anyString(), any());
  }

  @Test
  void aPausedRunWaitsBetweenStepsUntilResumed() throws Exception {
    when(mocked.converge.convergeCatalogs(any()))
        .thenAnswer(
            invocation -> {
              Thread.sleep(300);
              return new ChangeCounts(3, 0, 0, 0);
            });
    RunbookWorkflow run = start(Mode.DRILL, TestRunbooks.example());
    awaitProgress(run, r -> step(r, "converge-catalogs").status() == StepStatus.RUNNING);

    run.pause(new OperatorAction("oncall-sre", "hold for the change window"));
    // Steps running when the pause came finish; no step starts until the run is resumed. The steps
    // that start early (converge-jobs reads DR's jobs once capture has run) wait for their needs.
    RunReport paused =
        awaitProgress(
            run,
            r ->
                "resume (paused)".equals(r.waitingFor())
                    && r.steps().stream()
                        .filter(s -> s.status() == StepStatus.RUNNING)
                        .allMatch(s -> Set.of("converge-jobs", "smoke-test").contains(s.name())));
    assertThat(step(paused, "converge-catalogs").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(step(paused, "converge-schemas").status()).isEqualTo(StepStatus.PENDING);
    assertThatThrownBy(() -> run.pause(new OperatorAction("someone", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("already paused");

    run.resume(new OperatorAction("oncall-sre", null));
    RunReport report = mocked.result();

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
    RunReport report = mocked.result();

    assertThat(report.outcome()).isEqualTo(Outcome.ABORTED);
    StepReport approval = step(report, "approval");
    assertThat(approval.status()).as(approval.message()).isEqualTo(StepStatus.NOT_RUN);
    assertThat(step(report, "promote-storage").status()).isEqualTo(StepStatus.NOT_RUN);
    verify(mocked.storage, never()).promoteReplica(any());
    verify(mocked.capture, never()).captureControlPlane(any(), anyList(), any(), anyString());
    assertThatThrownBy(() -> mocked.inFlight().abort(new OperatorAction("x", null)))
        .isInstanceOf(Exception.class);
  }

  @Test
  void withoutADecisionInTimeTheRunFails() {
    when(mocked.converge.convergeBatch(
            org.mockito.ArgumentMatchers.argThat(b -> b.component().equals("grants"))))
        .thenThrow(ApplicationFailure.newFailure("HTTP 400", FailureTypes.INVALID_REQUEST));
    start(Mode.DRILL, TestRunbooks.example());

    assertThatThrownBy(mocked::result)
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .startsWith("step converge-grants failed: ConvergeBatch: HTTP 400")
                    .contains("no decision within 60 minutes"));
  }

  @Test
  void aRunbookThatDoesNotWaitFailsAtOnce() {
    when(mocked.converge.convergeBatch(
            org.mockito.ArgumentMatchers.argThat(b -> b.component().equals("grants"))))
        .thenThrow(ApplicationFailure.newFailure("HTTP 400", FailureTypes.INVALID_REQUEST));
    start(Mode.DRILL, TestRunbooks.example(new Runbook.OnStepFailure(false, 60)));

    assertThatThrownBy(mocked::result)
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .doesNotContain("no decision"));
    verify(mocked.smokeTest, never()).verifyControlPlane(any());
  }
}
