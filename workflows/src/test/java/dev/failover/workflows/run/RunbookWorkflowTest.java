package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
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
import dev.failover.workflows.steps.DeltaCheckRequest;
import dev.failover.workflows.steps.DeltaTableCheck;
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
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.StorageRequest;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * The step logic of drill, failover and failback, with the activities mocked and Temporal's
 * time-skipping test server.
 */
class RunbookWorkflowTest {
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

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final ReadinessActivities readiness = mockActivity(ReadinessActivities.class);
  private final CaptureActivities capture = mockActivity(CaptureActivities.class);
  private final ConvergeActivities converge = mockActivity(ConvergeActivities.class);
  private final SmokeTestActivities smokeTest = mockActivity(SmokeTestActivities.class);
  private final ReportActivities reports = mockActivity(ReportActivities.class);
  private final StorageActivities storage = mockActivity(StorageActivities.class);
  private final FenceActivities fencing = mockActivity(FenceActivities.class);

  private static ReplicationHealth health(String source, String destination, Long oldestPending) {
    return new ReplicationHealth(
        "lakehouse",
        source,
        destination,
        true,
        "lakehouse-to-dr",
        40,
        oldestPending == null ? 0 : 2,
        0,
        oldestPending,
        List.of(),
        "2026-11-25T00:00:00Z",
        "bucket " + source + " replicates to " + destination,
        List.of(),
        null);
  }

  private static ReplicationHealth unreachablePrimary(String summary) {
    return new ReplicationHealth(
        "lakehouse",
        "acme-lakehouse-use1",
        "acme-lakehouse-usw2",
        false,
        null,
        0,
        0,
        0,
        null,
        List.of(),
        "2026-11-25T00:00:00Z",
        summary,
        List.of(),
        null);
  }

  private static final DeltaTableCheck ORDERS =
      new DeltaTableCheck(
          "sales.bronze.orders",
          "s3://acme-lakehouse-usw2/uc/sales/bronze/orders",
          DeltaTableCheck.Status.CONSISTENT,
          2L,
          2L,
          2L,
          0,
          "complete at version 2, as the primary");

  private static StorageChange change(boolean primaryReachable) {
    return new StorageChange(
        "lakehouse",
        primaryReachable,
        List.of("disabled rule(s) [lakehouse-to-dr]", "tagged acme-lakehouse-usw2 active"),
        primaryReachable ? List.of() : List.of("tag acme-lakehouse-use1 as standby: unreachable"),
        null);
  }

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

    when(readiness.checkWorkspace(any())).thenReturn("answers as sre@acme.com");
    when(readiness.checkAccountWorkspace(any(), any())).thenReturn("in the account, RUNNING");
    when(storage.measureReplication(any(), eq(false), anyInt()))
        .thenReturn(health("acme-lakehouse-use1", "acme-lakehouse-usw2", null));
    when(storage.measureReplication(any(), eq(true), anyInt()))
        .thenReturn(health("acme-lakehouse-usw2", "acme-lakehouse-use1", null));
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
    when(storage.checkDeltaTables(any())).thenReturn(List.of(ORDERS));
    when(storage.promoteReplica(any())).thenReturn(change(true));
    when(storage.restoreReplication(any())).thenReturn(change(true));
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
    when(converge.convergeBatch(any())).thenReturn(batchResult(new ChangeCounts(0, 10, 0, 0)));
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
  void independentComponentsConvergeInParallelWithinTheRunbooksBound() throws Exception {
    // The first two steps of the first wave (groups, metastore) each wait for the other: if they
    // ran one after the other, the first would wait in vain.
    java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
    List<Boolean> together = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.atomic.AtomicInteger running =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger mostAtOnce =
        new java.util.concurrent.atomic.AtomicInteger();
    when(converge.convergeBatch(any()))
        .thenAnswer(
            call -> {
              ComponentBatch batch = call.getArgument(0);
              mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
              try {
                if (batch.component().equals("groups") || batch.component().equals("metastore")) {
                  both.countDown();
                  together.add(both.await(20, java.util.concurrent.TimeUnit.SECONDS));
                }
                return batchResult(new ChangeCounts(1, 0, 0, 0));
              } finally {
                running.decrementAndGet();
              }
            });

    RunReport report = newRun().run(drill());

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(together).containsExactly(true, true);
    // The example runbook allows 2 steps at once; each step here converges one batch.
    assertThat(mostAtOnce.get()).isEqualTo(2);
    // The report keeps the plan's order.
    assertThat(report.steps())
        .extracting(StepReport::name)
        .containsSubsequence("converge-catalogs", "converge-schemas", "converge-warehouses");
  }

  @Test
  void drillRunsEveryStepInPlanOrderAndReportsSuccess() {
    RunReport report = newRun().run(drill());

    InOrder order = inOrder(readiness, capture, converge, smokeTest, reports);
    order.verify(readiness, times(2)).checkWorkspace(any(WorkspaceTarget.class));
    order.verify(capture).captureControlPlane(any(), anyList(), any(), anyString());
    order.verify(converge).convergeCatalogs(any());
    order.verify(converge).convergeSchemas(any());
    order.verify(converge).convergeBatch(argThat(b -> b.component().equals("jobs")));
    order.verify(converge).convergeBatch(argThat(b -> b.component().equals("grants")));
    order.verify(smokeTest).verifyControlPlane(any());
    order.verify(reports).storeReport(any(), anyString(), any());
    // The Delta check runs beside the converge steps: after the capture that names the tables,
    // before the smoke test.
    InOrder delta = inOrder(capture, storage, smokeTest);
    delta.verify(capture).captureControlPlane(any(), anyList(), any(), anyString());
    delta.verify(storage).checkDeltaTables(any());
    delta.verify(smokeTest).verifyControlPlane(any());
    verify(storage).measureReplication(any(), eq(false), eq(24));
    // A drill never changes storage.
    verify(storage, never()).promoteReplica(any());
    verify(storage, never()).restoreReplication(any());

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps())
        .extracting(StepReport::name)
        .containsExactly(
            "readiness",
            "capture",
            "converge-groups",
            "converge-metastore",
            "converge-storage-credentials",
            "converge-external-locations",
            "converge-catalogs",
            "converge-schemas",
            "converge-warehouses",
            "converge-tables",
            "converge-cluster-policies",
            "converge-clusters",
            "converge-repos",
            "converge-notebooks",
            "converge-jobs",
            "converge-models",
            "converge-grants",
            "check-delta-tables",
            "smoke-test",
            "clean-up",
            "report");
    assertThat(report.steps()).allMatch(s -> s.status() == StepStatus.SUCCEEDED);
    assertThat(report.steps())
        .filteredOn(s -> s.name().equals("clean-up"))
        .singleElement()
        .extracting(s -> s.counts().deleted())
        .isEqualTo(3);
    assertThat(report.replication())
        .singleElement()
        .extracting(ReplicationHealth::pair)
        .isEqualTo("lakehouse");
    assertThat(report.dataRpoSeconds()).isZero();
    assertThat(report.deltaTables()).containsExactly(ORDERS);
    assertThat(report.approval()).isNull();
    assertThat(report.steps()).allMatch(s -> s.startedAt() != null && s.endedAt() != null);
    assertThat(report.steps())
        .filteredOn(s -> s.name().equals("converge-catalogs"))
        .singleElement()
        .extracting(StepReport::counts)
        .isEqualTo(new ChangeCounts(3, 0, 0, 0));
    assertThat(report.snapshot()).isEqualTo(SNAPSHOT);
    assertThat(report.rtoSeconds()).isNotNull().isNotNegative();
    assertThat(report.rtoObjectiveSeconds()).isEqualTo(30 * 60);
    assertThat(report.reportLocation())
        .startsWith("s3://acme-lakehouse-usw2/failover/acme-lakehouse/reports/");
  }

  @Test
  void nonRetryableStepFailureFailsTheRunWithItsReasonAndKeepsTheReport() {
    when(storage.measureReplication(any(), eq(false), anyInt()))
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
                  .startsWith("step readiness failed: MeasureReplication: ")
                  .contains("has no enabled replication rule")
                  .contains("[" + FailureTypes.NOT_READY + "]");
              RunReport report = failure.getDetails().get(RunReport.class);
              assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
              assertThat(report.steps().get(0).status()).isEqualTo(StepStatus.FAILED);
              int last = report.steps().size() - 1;
              assertThat(report.steps().subList(1, last))
                  .allMatch(s -> s.status() == StepStatus.NOT_RUN);
              assertThat(report.steps().get(last).status()).isEqualTo(StepStatus.SUCCEEDED);
              assertThat(report.rtoSeconds()).isNull();
            });

    verify(storage, times(1)).measureReplication(any(), eq(false), anyInt());
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
    assertThat(report.steps())
        .filteredOn(s -> s.name().equals("converge-schemas"))
        .singleElement()
        .extracting(StepReport::counts)
        .isEqualTo(new ChangeCounts(7, 0, 0, 0));
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

  private static RunRequest run(Mode mode) {
    return new RunRequest(TestRunbooks.example(), mode, "INC-7", "sre@acme.com");
  }

  @Test
  void aDrillIsRefusedWhileDrServesAsTheActiveSide() {
    ReplicationHealth h = health("acme-lakehouse-use1", "acme-lakehouse-usw2", null);
    when(storage.measureReplication(any(), eq(false), anyInt()))
        .thenReturn(
            new ReplicationHealth(
                h.pair(),
                h.source(),
                h.destination(),
                true,
                h.ruleId(),
                h.versionsScanned(),
                h.pending(),
                h.failed(),
                null,
                List.of(),
                h.measuredAt(),
                h.summary(),
                List.of(),
                "active"));
    RunRequest drill =
        new RunRequest(
            TestRunbooks.example(new Runbook.OnStepFailure(false, 60)),
            Mode.DRILL,
            "INC-1",
            "sre@acme.com");

    assertThatThrownBy(() -> newRun().run(drill))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .contains("acme-lakehouse-usw2 is tagged failover:role=active")
                    .contains("fail back first"));
    verify(capture, never()).captureControlPlane(any(), anyList(), any(), anyString());
  }

  @Test
  void aBacklogOlderThanTheRpoObjectiveIsAWarningNotAFailure() {
    when(storage.measureReplication(any(), eq(false), anyInt()))
        .thenReturn(health("acme-lakehouse-use1", "acme-lakehouse-usw2", 1_200L));

    RunReport report = newRun().run(drill());

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.dataRpoSeconds()).isEqualTo(1_200L);
    assertThat(report.rpoObjectiveSeconds()).isEqualTo(15 * 60);
    assertThat(report.steps().get(0).message())
        .contains("WARNING: data RPO of pair lakehouse is 1200 s, over the objective of 900 s");
  }

  @Test
  void anApprovalPlacedAmongTheConvergeStepsHoldsBackEveryWaveWithAStepAfterIt() {
    List<String> converged = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    when(converge.convergeBatch(any()))
        .thenAnswer(
            call -> {
              converged.add(((ComponentBatch) call.getArgument(0)).component());
              return batchResult(new ChangeCounts(1, 0, 0, 0));
            });
    Runbook example = TestRunbooks.example();
    Runbook.Approval approval = example.approval();
    Runbook runbook =
        example.withApproval(
            new Runbook.Approval(
                approval.required(),
                approval.requiredForDrill(),
                approval.approvers(),
                approval.timeoutMinutes(),
                "converge-jobs"));
    RunbookWorkflow run = newRun();
    WorkflowClient.start(run::run, new RunRequest(runbook, Mode.FAILOVER, "INC-8", "sre@acme.com"));
    env.sleep(Duration.ofMinutes(5));

    assertThat(run.progress().waitingFor()).isEqualTo("approval");
    // The waves before the one holding converge-jobs ran; tables shares its wave and waits too.
    assertThat(converged)
        .contains("repos", "notebooks", "clusters")
        .doesNotContain("jobs", "tables", "models");

    run.approve(new Approval("oncall-sre", "go"));
    RunReport report =
        client
            .newUntypedWorkflowStub(RunbookWorkflow.workflowId("acme-lakehouse"))
            .getResult(RunReport.class);
    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(converged).contains("jobs", "tables", "models", "grants");
  }

  @Test
  void failoverWaitsForApprovalThenPromotesStorageBesideConverging() {
    RunbookWorkflow run = newRun();
    WorkflowClient.start(run::run, run(Mode.FAILOVER));
    env.sleep(Duration.ofMinutes(5));
    RunReport waiting = run.progress();
    assertThat(waiting.waitingFor()).isEqualTo("approval");
    verify(storage, never()).promoteReplica(any());

    run.approve(new Approval("oncall-sre", "region us-east-1 down, INC-7"));
    RunReport report =
        client
            .newUntypedWorkflowStub(RunbookWorkflow.workflowId("acme-lakehouse"))
            .getResult(RunReport.class);

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps())
        .extracting(StepReport::name)
        .containsExactly(
            "readiness",
            "approval",
            "fence-source",
            "promote-storage",
            "capture",
            "converge-groups",
            "converge-metastore",
            "converge-storage-credentials",
            "converge-external-locations",
            "converge-catalogs",
            "converge-schemas",
            "converge-warehouses",
            "converge-tables",
            "converge-cluster-policies",
            "converge-clusters",
            "converge-repos",
            "converge-notebooks",
            "converge-jobs",
            "converge-models",
            "converge-grants",
            "check-delta-tables",
            "smoke-test",
            "restore-schedules",
            "report");
    assertThat(report.approval())
        .isEqualTo(new Approval("oncall-sre", "region us-east-1 down, INC-7"));
    assertThat(report.approvalWaitSeconds()).isBetween(240L, 300L);
    assertThat(report.rtoSeconds()).isGreaterThanOrEqualTo(report.approvalWaitSeconds());
    assertThat(report.storage()).containsExactly(change(true));
    // Fencing comes first; promotion then runs beside capture and converge, before the smoke test.
    ArgumentCaptor<StorageRequest> promoted = ArgumentCaptor.forClass(StorageRequest.class);
    InOrder order = inOrder(fencing, storage, smokeTest);
    order.verify(fencing).fence(argThat(f -> f.workspace().side().equals("primary")));
    order.verify(storage).promoteReplica(promoted.capture());
    order.verify(smokeTest).verifyControlPlane(any());
    InOrder controlPlane = inOrder(fencing, capture, smokeTest);
    controlPlane.verify(fencing).fence(any());
    controlPlane.verify(capture).captureControlPlane(any(), anyList(), any(), anyString());
    controlPlane.verify(smokeTest).verifyControlPlane(any());
    assertThat(promoted.getValue().drainTimeoutSeconds()).isEqualTo(10 * 60);
    assertThat(promoted.getValue().stateKey())
        .isEqualTo("failover/acme-lakehouse/replication/lakehouse.json");
    verify(storage, never()).restoreReplication(any());
  }

  /** The example runbook without an approval, and with the given bound on parallel steps. */
  private static Runbook unattended(int maxParallel) {
    Runbook runbook = TestRunbooks.example();
    return runbook
        .withApproval(new Runbook.Approval(false, false, List.of(), 60, null))
        .withSteps(new Runbook.Steps(List.of(), List.of(), maxParallel));
  }

  @Test
  void promotionRunsBesideCaptureAndConvergeWithinTheBound() throws Exception {
    // Promotion and capture each wait for the other: run one after the other, the first would
    // wait in vain.
    java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
    List<Boolean> together = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.atomic.AtomicInteger running =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger mostAtOnce =
        new java.util.concurrent.atomic.AtomicInteger();
    org.mockito.stubbing.Answer<Object> counted =
        call -> {
          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            String method = call.getMethod().getName();
            if (method.equals("promoteReplica") || method.equals("captureControlPlane")) {
              both.countDown();
              together.add(both.await(20, java.util.concurrent.TimeUnit.SECONDS));
              return method.equals("promoteReplica") ? change(true) : SNAPSHOT;
            }
            if (call.getMethod().getName().equals("checkDeltaTables")) {
              return List.of(ORDERS);
            }
            return batchResult(new ChangeCounts(1, 0, 0, 0));
          } finally {
            running.decrementAndGet();
          }
        };
    when(storage.promoteReplica(any())).thenAnswer(counted);
    when(capture.captureControlPlane(any(), anyList(), any(), anyString())).thenAnswer(counted);
    when(storage.checkDeltaTables(any())).thenAnswer(counted);
    when(converge.convergeBatch(any())).thenAnswer(counted);

    RunReport report =
        newRun().run(new RunRequest(unattended(2), Mode.FAILOVER, "INC-9", "sre@acme.com"));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(together).containsExactly(true, true);
    // The runbook allows 2 steps at once: promotion beside capture, never a third.
    assertThat(mostAtOnce.get()).isEqualTo(2);
    assertThat(report.steps())
        .extracting(StepReport::name)
        .containsSubsequence("promote-storage", "capture", "converge-groups", "smoke-test");
    InOrder order = inOrder(storage, smokeTest);
    order.verify(storage).promoteReplica(any());
    order.verify(storage).checkDeltaTables(any());
    order.verify(smokeTest).verifyControlPlane(any());
  }

  @Test
  void withOneStepAtATimeTheFailoverRunsInPlanOrder() {
    RunReport report =
        newRun().run(new RunRequest(unattended(1), Mode.FAILOVER, "INC-10", "sre@acme.com"));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    InOrder order = inOrder(fencing, storage, capture, converge, smokeTest);
    order.verify(fencing).fence(any());
    order.verify(storage).promoteReplica(any());
    order.verify(capture).captureControlPlane(any(), anyList(), any(), anyString());
    order.verify(converge).convergeBatch(argThat(b -> b.component().equals("grants")));
    order.verify(storage).checkDeltaTables(any());
    order.verify(smokeTest).verifyControlPlane(any());
  }

  @Test
  void aPromotionThatFailsStopsTheControlPlaneBranchBetweenSteps() {
    java.util.concurrent.CountDownLatch promotionFailed =
        new java.util.concurrent.CountDownLatch(1);
    when(storage.promoteReplica(any()))
        .thenAnswer(
            call -> {
              promotionFailed.countDown();
              throw ApplicationFailure.newFailure(
                  "acme-lakehouse-usw2: AccessDenied", FailureTypes.NOT_READY);
            });
    when(capture.captureControlPlane(any(), anyList(), any(), anyString()))
        .thenAnswer(
            call -> {
              // The capture ends after the promotion failed.
              promotionFailed.await(20, java.util.concurrent.TimeUnit.SECONDS);
              Thread.sleep(500);
              return SNAPSHOT;
            });
    Runbook runbook = unattended(2).withOnStepFailure(new Runbook.OnStepFailure(false, 60));

    assertThatThrownBy(
            () -> newRun().run(new RunRequest(runbook, Mode.FAILOVER, "INC-11", "sre@acme.com")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getOriginalMessage())
                  .startsWith("step promote-storage failed: ")
                  .contains("AccessDenied");
              RunReport report = failure.getDetails().get(RunReport.class);
              java.util.Map<String, StepStatus> status = new java.util.HashMap<>();
              report.steps().forEach(step -> status.put(step.name(), step.status()));
              assertThat(status)
                  .containsEntry("promote-storage", StepStatus.FAILED)
                  .containsEntry("capture", StepStatus.SUCCEEDED)
                  .containsEntry("converge-catalogs", StepStatus.NOT_RUN)
                  .containsEntry("converge-grants", StepStatus.NOT_RUN)
                  .containsEntry("check-delta-tables", StepStatus.NOT_RUN)
                  .containsEntry("smoke-test", StepStatus.NOT_RUN)
                  .containsEntry("restore-schedules", StepStatus.NOT_RUN);
            });
    verify(converge, never()).convergeCatalogs(any());
    verify(smokeTest, never()).verifyControlPlane(any());
  }

  @Test
  void theRunbookCanPlaceTheApprovalBeforeALaterStep() throws Exception {
    Runbook runbook = TestRunbooks.example();
    Runbook approveBeforePromotion =
        runbook.withApproval(
            new Runbook.Approval(true, false, List.of("oncall-sre"), 60, "promote-storage"));
    RunbookWorkflow run = newRun();
    WorkflowClient.start(
        run::run, new RunRequest(approveBeforePromotion, Mode.FAILOVER, "INC-8", "sre"));
    RunReport waiting = null;
    for (int i = 0; i < 200 && (waiting == null || waiting.waitingFor() == null); i++) {
      Thread.sleep(50);
      waiting = run.progress();
    }
    assertThat(waiting.waitingFor()).isEqualTo("approval");
    // The primary was fenced before the approval; storage waits for it.
    verify(fencing).fence(any());
    verify(storage, never()).promoteReplica(any());

    run.approve(new Approval("oncall-sre", "fenced, go"));
    RunReport report =
        client
            .newUntypedWorkflowStub(RunbookWorkflow.workflowId("acme-lakehouse"))
            .getResult(RunReport.class);
    assertThat(report.steps())
        .extracting(StepReport::name)
        .startsWith("readiness", "fence-source", "approval", "promote-storage");
    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void failoverNotApprovedInTimeChangesNothing() {
    assertThatThrownBy(() -> newRun().run(run(Mode.FAILOVER)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getOriginalMessage())
                  .contains("not approved within 60 minutes")
                  .contains(FailureTypes.NOT_APPROVED);
              RunReport report = failure.getDetails().get(RunReport.class);
              assertThat(report.steps().get(1).status()).isEqualTo(StepStatus.FAILED);
              assertThat(report.steps().get(2).status()).isEqualTo(StepStatus.NOT_RUN);
            });
    verify(storage, never()).promoteReplica(any());
    verify(converge, never()).convergeCatalogs(any());
  }

  @Test
  void failoverGoesOnWhenThePrimaryRegionIsDownAndComparesNothingWithIt() {
    when(readiness.checkWorkspace(argThat(t -> t != null && t.side().equals("primary"))))
        .thenThrow(
            ApplicationFailure.newFailure(
                "dbc-acme-prod.cloud.databricks.com: connection refused",
                FailureTypes.UNAVAILABLE));
    ReplicationHealth unreachable = unreachablePrimary("bucket acme-lakehouse-use1 unreachable");
    when(storage.measureReplication(any(), eq(false), anyInt())).thenReturn(unreachable);
    when(storage.promoteReplica(any())).thenReturn(change(false));
    when(capture.latestSnapshot(any(), any(), anyString())).thenReturn(SNAPSHOT);

    RunbookWorkflow run = newRun();
    WorkflowClient.start(run::run, run(Mode.FAILOVER));
    run.approve(new Approval("oncall-sre", null));
    RunReport report =
        client
            .newUntypedWorkflowStub(RunbookWorkflow.workflowId("acme-lakehouse"))
            .getResult(RunReport.class);

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps().get(0).message())
        .contains("primary workspace unreachable")
        .contains("bucket acme-lakehouse-use1 unreachable");
    assertThat(report.dataRpoSeconds()).isNull();
    assertThat(report.storage().get(0).notRun()).isNotEmpty();
    StepReport fence =
        report.steps().stream().filter(st -> st.name().equals("fence-source")).findFirst().get();
    assertThat(fence.status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(fence.message()).startsWith("the primary does not answer");
    verify(fencing, never()).fence(any());
    verify(capture, never()).captureControlPlane(any(), anyList(), any(), anyString());
    assertThat(
            report.steps().stream()
                .filter(st -> st.name().equals("capture"))
                .findFirst()
                .get()
                .message())
        .startsWith("the primary does not answer: using its newest snapshot")
        // Captured at midnight, hours before this run, with the runbook capturing hourly.
        .endsWith(
            "; the snapshot is older than twice the capture interval of 60 min: scheduled captures"
                + " were failing or paused (see 'failover capture-schedule show acme-lakehouse')");
    assertThat(report.controlPlaneRpoSeconds()).isGreaterThan(2 * 3600L);
    assertThat(report.captureIntervalSeconds()).isEqualTo(3600L);
    assertThat(report.snapshotStale()).isTrue();
    assertThat(ReportMarkdown.render(report))
        .contains("**older than twice the capture interval of 3600 s: scheduled captures were");
    ArgumentCaptor<DeltaCheckRequest> checked = ArgumentCaptor.forClass(DeltaCheckRequest.class);
    verify(storage).checkDeltaTables(checked.capture());
    assertThat(checked.getValue().comparePrimary()).isFalse();
  }

  @Test
  void aDrillFailsWhenThePrimaryIsDown() {
    when(storage.measureReplication(any(), eq(false), anyInt()))
        .thenReturn(unreachablePrimary("unreachable"));
    assertThatThrownBy(() -> newRun().run(drill()))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .contains("bucket acme-lakehouse-use1 is unreachable"));
    verify(capture, never()).captureControlPlane(any(), anyList(), any(), anyString());
  }

  @Test
  void failbackReadsTheDrSideRestoresReplicationAndConvergesThePrimary() {
    RunbookWorkflow run = newRun();
    WorkflowClient.start(run::run, run(Mode.FAILBACK));
    run.approve(new Approval("oncall-sre", "us-east-1 healthy again"));
    RunReport report =
        client
            .newUntypedWorkflowStub(RunbookWorkflow.workflowId("acme-lakehouse"))
            .getResult(RunReport.class);

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps())
        .extracting(StepReport::name)
        .contains("restore-replication")
        .doesNotContain("promote-storage");
    verify(storage).measureReplication(any(), eq(true), anyInt());
    verify(storage).restoreReplication(any());
    verify(storage, never()).promoteReplica(any());
    verify(fencing).fence(argThat(f -> f.workspace().side().equals("secondary")));
    verify(fencing)
        .unfence(
            argThat(
                f ->
                    f.workspace().side().equals("primary")
                        && f.stateKey().equals("failover/acme-lakehouse/fence/primary.json")));
    assertThat(report.steps().get(report.steps().size() - 2).name()).isEqualTo("unfence-target");
    verify(capture)
        .captureControlPlane(
            argThat(source -> source.side().equals("secondary")), anyList(), any(), anyString());
    ArgumentCaptor<dev.failover.workflows.steps.ConvergeRequest> converged =
        ArgumentCaptor.forClass(dev.failover.workflows.steps.ConvergeRequest.class);
    verify(converge).convergeCatalogs(converged.capture());
    assertThat(converged.getValue().target().side()).isEqualTo("primary");
    assertThat(converged.getValue().storagePathRewrites())
        .singleElement()
        .satisfies(
            rewrite -> {
              assertThat(rewrite.from()).isEqualTo("s3://acme-lakehouse-usw2/");
              assertThat(rewrite.to()).isEqualTo("s3://acme-lakehouse-use1/");
            });
  }

  private static ComponentResult batchResult(ChangeCounts counts) {
    return new ComponentResult(counts, List.of(), List.of());
  }
}
