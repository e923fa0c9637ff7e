package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.ReportActivities;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** The drill's step logic, with the activities mocked and Temporal's time-skipping test server. */
class RunbookWorkflowDrillTest {
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
          4);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final ReadinessActivities readiness = mockActivity(ReadinessActivities.class);
  private final CaptureActivities capture = mockActivity(CaptureActivities.class);
  private final ConvergeActivities converge = mockActivity(ConvergeActivities.class);
  private final SmokeTestActivities smokeTest = mockActivity(SmokeTestActivities.class);
  private final ReportActivities reports = mockActivity(ReportActivities.class);

  private static <T> T mockActivity(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(RunbookWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RunbookWorkflowImpl.class);
    worker.registerActivitiesImplementations(readiness, capture, converge, smokeTest, reports);
    client = env.getWorkflowClient();
    env.start();

    when(readiness.checkWorkspace(any())).thenReturn("answers as sre@acme.com");
    when(readiness.checkReplication(any(), any())).thenReturn("rule lakehouse-to-dr Enabled");
    when(capture.captureControlPlane(any(), anyList(), any(), anyString())).thenReturn(SNAPSHOT);
    when(converge.convergeCatalogs(any())).thenReturn(new ChangeCounts(3, 0, 0, 0));
    when(converge.convergeSchemas(any())).thenReturn(new ChangeCounts(7, 0, 0, 0));
    when(converge.convergeGrants(any())).thenReturn(new ChangeCounts(0, 10, 0, 0));
    when(smokeTest.verifyControlPlane(any())).thenReturn(22);
    when(reports.storeReport(any(), anyString(), any())).thenReturn("s3://x/y");
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private RunbookWorkflow newRun() {
    return client.newWorkflowStub(
        RunbookWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
            .setWorkflowId(RunbookWorkflow.workflowId("acme-lakehouse"))
            .build());
  }

  private static RunRequest drill() {
    return new RunRequest(TestRunbooks.example(), Mode.DRILL, "INC-1", "sre@acme.com");
  }

  @Test
  void drillRunsEveryStepInPlanOrderAndReportsSuccess() {
    RunReport report = newRun().run(drill());

    InOrder order = inOrder(readiness, capture, converge, smokeTest, reports);
    order.verify(readiness, times(2)).checkWorkspace(any(WorkspaceTarget.class));
    order.verify(capture).captureControlPlane(any(), anyList(), any(), anyString());
    order.verify(converge).convergeCatalogs(any());
    order.verify(converge).convergeSchemas(any());
    order.verify(converge).convergeGrants(any());
    order.verify(smokeTest).verifyControlPlane(any());
    order.verify(reports).storeReport(any(), anyString(), any());
    verify(readiness).checkReplication(any(), any());

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps())
        .extracting(StepReport::name)
        .containsExactly(
            "readiness",
            "capture",
            "converge-catalogs",
            "converge-schemas",
            "converge-grants",
            "smoke-test",
            "report");
    assertThat(report.steps()).allMatch(s -> s.status() == StepStatus.SUCCEEDED);
    assertThat(report.steps()).allMatch(s -> s.startedAt() != null && s.endedAt() != null);
    assertThat(report.steps().get(2).counts()).isEqualTo(new ChangeCounts(3, 0, 0, 0));
    assertThat(report.snapshot()).isEqualTo(SNAPSHOT);
    assertThat(report.rtoSeconds()).isNotNull().isNotNegative();
    assertThat(report.rtoObjectiveSeconds()).isEqualTo(30 * 60);
    assertThat(report.reportLocation())
        .startsWith("s3://acme-lakehouse-usw2/failover/acme-lakehouse/reports/");
  }

  @Test
  void nonRetryableStepFailureFailsTheRunWithItsReasonAndKeepsTheReport() {
    when(readiness.checkReplication(any(), any()))
        .thenThrow(
            ApplicationFailure.newFailure(
                "bucket acme-lakehouse-use1 has no enabled replication rule to acme-lakehouse-usw2",
                FailureTypes.NOT_READY));

    assertThatThrownBy(() -> newRun().run(drill()))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getType()).isEqualTo(RunbookWorkflowImpl.RUN_FAILED);
              assertThat(failure.getOriginalMessage())
                  .startsWith("step readiness failed: CheckReplication: ")
                  .contains("has no enabled replication rule")
                  .contains("[" + FailureTypes.NOT_READY + "]");
              RunReport report = failure.getDetails().get(RunReport.class);
              assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
              assertThat(report.steps().get(0).status()).isEqualTo(StepStatus.FAILED);
              assertThat(report.steps().subList(1, 6))
                  .allMatch(s -> s.status() == StepStatus.NOT_RUN);
              assertThat(report.steps().get(6).status()).isEqualTo(StepStatus.SUCCEEDED);
              assertThat(report.rtoSeconds()).isNull();
            });

    verify(readiness, times(1)).checkReplication(any(), any());
    verify(capture, never()).captureControlPlane(any(), anyList(), any(), anyString());
    verify(converge, never()).convergeCatalogs(any());
    verify(reports).storeReport(any(), anyString(), any());
  }

  @Test
  void retryableStepFailureIsRetriedUntilItSucceeds() {
    when(converge.convergeSchemas(any()))
        .thenThrow(ApplicationFailure.newFailure("HTTP 503 from DR", FailureTypes.UNAVAILABLE))
        .thenThrow(ApplicationFailure.newFailure("HTTP 429 from DR", FailureTypes.THROTTLED))
        .thenReturn(new ChangeCounts(7, 0, 0, 0));

    RunReport report = newRun().run(drill());

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    verify(converge, times(3)).convergeSchemas(any());
    assertThat(report.steps().get(3).counts()).isEqualTo(new ChangeCounts(7, 0, 0, 0));
  }

  @Test
  void secondRunOfTheSameRunbookWhileOneIsActiveIsRefused() {
    when(smokeTest.verifyControlPlane(any()))
        .thenAnswer(
            invocation -> {
              Thread.sleep(500);
              return 22;
            });
    WorkflowClient.start(newRun()::run, drill());

    assertThatThrownBy(() -> WorkflowClient.start(newRun()::run, drill()))
        .isInstanceOf(io.temporal.client.WorkflowExecutionAlreadyStarted.class);
  }
}
