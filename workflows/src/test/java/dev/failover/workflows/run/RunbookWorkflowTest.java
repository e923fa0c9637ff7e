package dev.failover.workflows.run;

import static dev.failover.workflows.run.MockedRun.ORDERS;
import static dev.failover.workflows.run.MockedRun.SNAPSHOT;
import static dev.failover.workflows.run.MockedRun.awaitProgress;
import static dev.failover.workflows.run.MockedRun.batchResult;
import static dev.failover.workflows.run.MockedRun.change;
import static dev.failover.workflows.run.MockedRun.health;
import static dev.failover.workflows.run.MockedRun.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.DeltaCheckRequest;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.StorageRequest;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * The step logic of drill, failover and failback, with the activities mocked and Temporal's
 * time-skipping test server.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // see MockedRun: a run that stands still fails
class RunbookWorkflowTest {
  private MockedRun mocked;

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

  @BeforeEach
  void start() {
    mocked = new MockedRun();
  }

  @AfterEach
  void stop() {
    mocked.close();
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
    when(mocked.converge.convergeBatch(any()))
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

    RunReport report =
        mocked.newRun().run(new RunRequest(unattended(2), Mode.DRILL, "INC-1", "sre@acme.com"));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(together).containsExactly(true, true);
    // The runbook allows 2 steps at once; each step here converges one batch.
    assertThat(mostAtOnce.get()).isEqualTo(2);
    // The report keeps the plan's order.
    assertThat(report.steps())
        .extracting(StepReport::name)
        .containsSubsequence("converge-catalogs", "converge-schemas", "converge-warehouses");
  }

  @Test
  void byDefaultEveryStepWhoseNeedsHaveRunStarts() throws Exception {
    // The seven component steps that need only capture each wait for all the others: with fewer
    // than seven steps at once, the first would wait in vain.
    Set<String> firstWave =
        Set.of(
            "groups",
            "metastore",
            "storage-credentials",
            "warehouses",
            "cluster-policies",
            "repos",
            "notebooks");
    java.util.concurrent.CountDownLatch all =
        new java.util.concurrent.CountDownLatch(firstWave.size());
    List<Boolean> together = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    when(mocked.converge.convergeBatch(any()))
        .thenAnswer(
            call -> {
              ComponentBatch batch = call.getArgument(0);
              if (firstWave.contains(batch.component())) {
                all.countDown();
                together.add(all.await(20, java.util.concurrent.TimeUnit.SECONDS));
              }
              return batchResult(new ChangeCounts(1, 0, 0, 0));
            });

    RunReport report = mocked.newRun().run(drill());

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(together).hasSize(firstWave.size()).containsOnly(true);
  }

  @Test
  void theSmokeTestChecksTheControlPlaneAndTheComponentsSideBySide() {
    // The control plane's check and the permissions' check each wait for the other: one after the
    // other, the first would wait in vain.
    java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
    List<Boolean> together = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    when(mocked.smokeTest.verifyControlPlane(any()))
        .thenAnswer(
            call -> {
              both.countDown();
              together.add(both.await(10, java.util.concurrent.TimeUnit.SECONDS));
              return 22;
            });
    org.mockito.Mockito.doAnswer(
            call -> {
              ComponentBatch batch = call.getArgument(0);
              if (batch.component().equals("permissions")) {
                both.countDown();
                together.add(both.await(10, java.util.concurrent.TimeUnit.SECONDS));
              }
              return batchResult(new ChangeCounts(0, 0, batch.to() - batch.from(), 0));
            })
        .when(mocked.converge)
        .checkBatch(any());

    RunReport report = mocked.newRun().run(drill());

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(together).containsExactly(true, true);
  }

  @Test
  void theSmokeTestChecksTheJobsWhilePermissionsStillConverge() {
    // Permissions converge until the jobs' check has started: if the smoke test waited for them
    // before it checked the jobs, the permissions would wait in vain.
    java.util.concurrent.CountDownLatch jobsChecked = new java.util.concurrent.CountDownLatch(1);
    List<Boolean> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    countDownWhenChecked(jobsChecked, "jobs");
    when(mocked.converge.convergeBatch(argThat(b -> b.component().equals("permissions"))))
        .thenAnswer(
            call -> {
              seen.add(jobsChecked.await(10, java.util.concurrent.TimeUnit.SECONDS));
              return batchResult(new ChangeCounts(0, 10, 0, 0));
            });

    RunReport report = mocked.newRun().run(drill());

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(seen).isNotEmpty().containsOnly(true);
    // The other checks wait for every step the smoke test needs.
    InOrder order = inOrder(mocked.converge);
    order.verify(mocked.converge).convergeBatch(argThat(b -> b.component().equals("permissions")));
    order.verify(mocked.converge).checkBatch(argThat(b -> b.component().equals("notebooks")));
    InOrder permissions = inOrder(mocked.converge);
    permissions
        .verify(mocked.converge)
        .convergeBatch(argThat(b -> b.component().equals("permissions")));
    permissions
        .verify(mocked.converge)
        .checkBatch(argThat(b -> b.component().equals("permissions")));
  }

  @Test
  void aFailoverChecksTheAccessListsAndUnityCatalogWhileStorageIsStillPromoted() {
    // The promotion runs until the checks of the access lists, the models and the control plane
    // have started: if the smoke test waited for the storage steps before it checked them, the
    // promotion would wait in vain.
    java.util.concurrent.CountDownLatch accessListsChecked =
        new java.util.concurrent.CountDownLatch(3);
    List<Boolean> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    countDownWhenChecked(accessListsChecked, "permissions", "models");
    when(mocked.smokeTest.verifyControlPlane(any()))
        .thenAnswer(
            call -> {
              accessListsChecked.countDown();
              return 22;
            });
    when(mocked.storage.promoteReplica(any()))
        .thenAnswer(
            call -> {
              seen.add(accessListsChecked.await(10, java.util.concurrent.TimeUnit.SECONDS));
              return change(true);
            });

    RunbookWorkflow run = mocked.newRun();
    WorkflowClient.start(run::run, run(Mode.FAILOVER));
    run.approve(new Approval("oncall-sre", "go"));
    RunReport report = mocked.result();

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(seen).isNotEmpty().containsOnly(true);
    // The control plane's check waits for the grants; the other checks for every step the smoke
    // test needs.
    InOrder grants = inOrder(mocked.converge, mocked.smokeTest);
    grants.verify(mocked.converge).convergeBatch(argThat(b -> b.component().equals("grants")));
    grants.verify(mocked.smokeTest).verifyControlPlane(any());
    InOrder order = inOrder(mocked.storage, mocked.converge);
    order.verify(mocked.storage).promoteReplica(any());
    order.verify(mocked.converge).checkBatch(argThat(b -> b.component().equals("notebooks")));
  }

  @Test
  void aDrillReadsDrsJobsWhileCaptureStillRuns() {
    // Capture runs until DR's jobs have been read ahead: if converge-jobs waited for it before it
    // read, capture would wait in vain.
    java.util.concurrent.CountDownLatch readAhead = new java.util.concurrent.CountDownLatch(1);
    List<Boolean> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    when(mocked.converge.readAheadAll(argThat(r -> r.snapshot() == null), eq("jobs")))
        .thenAnswer(
            call -> {
              readAhead.countDown();
              return 3;
            });
    when(mocked.capture.captureControlPlane(any(), anyList(), any(), anyString()))
        .thenAnswer(
            call -> {
              seen.add(readAhead.await(10, java.util.concurrent.TimeUnit.SECONDS));
              return SNAPSHOT;
            });

    RunReport report = mocked.newRun().run(drill());

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(seen).containsExactly(true);
    verify(mocked.converge, never()).readAhead(any(), any());
    // Its batches still wait for every step it needs.
    InOrder order = inOrder(mocked.converge);
    order.verify(mocked.converge).convergeBatch(argThat(b -> b.component().equals("clusters")));
    order.verify(mocked.converge).convergeBatch(argThat(b -> b.component().equals("jobs")));
  }

  @Test
  void aDrillConvergesTheJobsCaptureHandsOnAndCountsThemInItsStep() {
    when(mocked.converge.convergeAsCaptured(any(), eq("jobs"), any(), anyString()))
        .thenReturn(batchResult(new ChangeCounts(5, 0, 0, 0)));

    RunReport report = mocked.newRun().run(drill());

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    // Under the key capture stores the snapshot at, which the worker's feed is kept by.
    org.mockito.ArgumentCaptor<String> key = org.mockito.ArgumentCaptor.forClass(String.class);
    verify(mocked.capture).captureControlPlane(any(), anyList(), any(), key.capture());
    verify(mocked.converge).convergeAsCaptured(any(), eq("jobs"), any(), eq(key.getValue()));
    // The five written ahead of capture, and the batch's ten updates.
    assertThat(step(report, "converge-jobs").counts()).isEqualTo(new ChangeCounts(5, 10, 0, 0));
  }

  @Test
  void aDrillWritesNoJobAheadOfAnApprovalPlacedBeforeConvergeJobs() {
    Runbook runbook = approvalBeforeConvergeJobs(true);
    RunbookWorkflow run = mocked.newRun();
    WorkflowClient.start(run::run, new RunRequest(runbook, Mode.DRILL, "INC-9", "sre@acme.com"));
    mocked.env.sleep(Duration.ofMinutes(5));

    assertThat(run.progress().waitingFor()).isEqualTo("approval");
    verify(mocked.converge, never()).readAheadAll(any(), any());
    verify(mocked.converge, never()).convergeAsCaptured(any(), any(), any(), any());

    run.approve(new Approval("oncall-sre", "go"));
    RunReport report = mocked.result();
    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void aReadAheadOrAConvergeAheadThatFailsOnlyCostsTime() {
    ApplicationFailure denied =
        ApplicationFailure.newNonRetryableFailure(
            "HTTP 403 from DR", FailureTypes.PERMISSION_DENIED);
    when(mocked.converge.readAheadAll(any(), eq("jobs"))).thenThrow(denied);
    when(mocked.converge.convergeAsCaptured(any(), eq("jobs"), any(), anyString()))
        .thenThrow(denied);

    RunReport report = mocked.newRun().run(drill());

    // Each failed and was let go; the batches converged every job.
    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    verify(mocked.converge).readAheadAll(any(), eq("jobs"));
    verify(mocked.converge).convergeAsCaptured(any(), eq("jobs"), any(), anyString());
    verify(mocked.converge).convergeBatch(argThat(b -> b.component().equals("jobs")));
  }

  @Test
  void aFailureWhileTheSmokeTestWaitsForItsOtherNeedsEndsItsWait() {
    // The permissions fail once the smoke test's jobs and control plane checks have answered, and
    // a moment later: on Temporal's test server, a run that ends while an activity's result is in
    // flight cancels that activity and stands still (sdk-java#2391, see
    // ActivityResultsAfterWorkflowTasks).
    java.util.concurrent.CountDownLatch jobsChecked = new java.util.concurrent.CountDownLatch(2);
    when(mocked.smokeTest.verifyControlPlane(any()))
        .thenAnswer(
            call -> {
              jobsChecked.countDown();
              return 22;
            });
    countDownWhenChecked(jobsChecked, "jobs");
    when(mocked.converge.convergeBatch(argThat(b -> b.component().equals("permissions"))))
        .thenAnswer(
            call -> {
              jobsChecked.await(10, java.util.concurrent.TimeUnit.SECONDS);
              Thread.sleep(500);
              throw ApplicationFailure.newNonRetryableFailure(
                  "PERMISSION_DENIED on job 12", FailureTypes.PERMISSION_DENIED);
            });
    RunRequest drill =
        new RunRequest(
            TestRunbooks.example(new Runbook.OnStepFailure(false, 60)),
            Mode.DRILL,
            "INC-1",
            "sre@acme.com");

    assertThatThrownBy(() -> mocked.newRun().run(drill))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getOriginalMessage())
                  .startsWith("step converge-permissions failed: ");
              RunReport report = failure.getDetails().get(RunReport.class);
              StepReport smoke = MockedRun.step(report, "smoke-test");
              assertThat(smoke.status()).isEqualTo(StepStatus.NOT_RUN);
              assertThat(smoke.message()).isEqualTo("another step ended the run");
            });
    // The checks that wait for every need never started.
    verify(mocked.converge, never()).checkBatch(argThat(b -> b.component().equals("notebooks")));
  }

  @Test
  void aComponentThatDiffersFailsTheSmokeTestOnceEveryCheckHasEnded() {
    java.util.Set<String> checked =
        java.util.Collections.synchronizedSet(new java.util.TreeSet<>());
    org.mockito.Mockito.doAnswer(
            call -> {
              ComponentBatch batch = call.getArgument(0);
              checked.add(batch.component());
              if (batch.component().equals("jobs")) {
                return new dev.failover.workflows.steps.ComponentResult(
                    new ChangeCounts(0, 1, 0, 0),
                    List.of("job nightly differs in schedule"),
                    List.of());
              }
              return batchResult(new ChangeCounts(0, 0, batch.to() - batch.from(), 0));
            })
        .when(mocked.converge)
        .checkBatch(any());

    assertThatThrownBy(() -> mocked.newRun().run(drill()))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getOriginalMessage())
                  .startsWith("step smoke-test failed")
                  .contains("does not match the snapshot: jobs: job nightly differs in schedule")
                  .contains("type='" + FailureTypes.SMOKE_TEST_FAILED + "'");
            });
    // Every component the plan converged was checked, not only those before the one that differs.
    assertThat(checked).contains("jobs", "models", "permissions", "notebooks", "warehouses");
  }

  @Test
  void drillRunsEveryStepInPlanOrderAndReportsSuccess() {
    RunReport report = mocked.newRun().run(drill());

    InOrder order =
        inOrder(
            mocked.readiness, mocked.capture, mocked.converge, mocked.smokeTest, mocked.reports);
    // Capture only reads, beside readiness; what converges waits for both.
    order.verify(mocked.readiness, times(2)).checkWorkspace(any(WorkspaceTarget.class));
    order.verify(mocked.converge).convergeCatalogs(any());
    order.verify(mocked.converge).convergeSchemas(any());
    order.verify(mocked.converge).convergeBatch(argThat(b -> b.component().equals("grants")));
    order.verify(mocked.smokeTest).verifyControlPlane(any());
    order.verify(mocked.reports).storeReport(any(), anyString(), any());
    InOrder beforeConverging = inOrder(mocked.capture, mocked.converge);
    beforeConverging
        .verify(mocked.capture)
        .captureControlPlane(any(), anyList(), any(), anyString());
    beforeConverging.verify(mocked.converge).convergeCatalogs(any());
    // Jobs need none of the Unity Catalog steps: they run beside them, after capture.
    InOrder jobs = inOrder(mocked.capture, mocked.converge);
    jobs.verify(mocked.capture).captureControlPlane(any(), anyList(), any(), anyString());
    jobs.verify(mocked.converge).convergeBatch(argThat(b -> b.component().equals("jobs")));
    jobs.verify(mocked.converge).convergeBatch(argThat(b -> b.component().equals("permissions")));
    jobs.verify(mocked.converge).checkBatch(argThat(b -> b.component().equals("notebooks")));
    // The Delta check runs beside the converge steps: after the capture that names the tables,
    // before the smoke test's checks that wait for every need.
    InOrder delta = inOrder(mocked.capture, mocked.storage, mocked.converge);
    delta.verify(mocked.capture).captureControlPlane(any(), anyList(), any(), anyString());
    delta.verify(mocked.storage).checkDeltaTables(any());
    delta.verify(mocked.converge).checkBatch(argThat(b -> b.component().equals("notebooks")));
    verify(mocked.storage).measureReplication(any(), eq(false), eq(24));
    // A drill never changes storage.
    verify(mocked.storage, never()).promoteReplica(any());
    verify(mocked.storage, never()).restoreReplication(any());

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
            "converge-permissions",
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
    when(mocked.storage.measureReplication(any(), eq(false), anyInt()))
        .thenThrow(
            ApplicationFailure.newFailure(
                "bucket acme-lakehouse-use1 has no enabled replication rule to acme-lakehouse-usw2",
                FailureTypes.NOT_READY));

    assertThatThrownBy(() -> mocked.newRun().run(drill()))
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
              // A drill's capture only reads, beside readiness; nothing after them ran.
              assertThat(report.steps().get(1).name()).isEqualTo("capture");
              int last = report.steps().size() - 1;
              assertThat(report.steps().subList(2, last))
                  .allMatch(s -> s.status() == StepStatus.NOT_RUN);
              assertThat(report.steps().get(last).status()).isEqualTo(StepStatus.SUCCEEDED);
              assertThat(report.rtoSeconds()).isNull();
            });

    verify(mocked.storage, times(1)).measureReplication(any(), eq(false), anyInt());
    verify(mocked.capture, never()).claimVerifiedTarget(any(), anyString());
    verify(mocked.converge, never()).convergeCatalogs(any());
    verify(mocked.reports).storeReport(any(), anyString(), any());
  }

  @Test
  void whenReadinessAndTheCaptureBesideItBothFailTheRunGivesReadinessesReason() {
    when(mocked.capture.captureControlPlane(any(), anyList(), any(), anyString()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "connect to the primary workspace: timed out", FailureTypes.UNAVAILABLE));
    when(mocked.storage.measureReplication(any(), eq(false), anyInt()))
        .thenAnswer(
            call -> {
              // Readiness ends after the capture beside it has failed.
              Thread.sleep(300);
              throw ApplicationFailure.newNonRetryableFailure(
                  "bucket acme-lakehouse-use1 is unreachable", FailureTypes.NOT_READY);
            });

    assertThatThrownBy(() -> mocked.newRun().run(drill()))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getOriginalMessage())
                  .startsWith("step readiness failed: ")
                  .contains("is unreachable");
              RunReport report = failure.getDetails().get(RunReport.class);
              assertThat(report.steps().get(1).status()).isEqualTo(StepStatus.FAILED);
            });
    verify(mocked.converge, never()).convergeCatalogs(any());
  }

  @Test
  void retryableStepFailureIsRetriedUntilItSucceeds() {
    when(mocked.converge.convergeSchemas(any()))
        .thenThrow(ApplicationFailure.newFailure("HTTP 503 from DR", FailureTypes.UNAVAILABLE))
        .thenThrow(ApplicationFailure.newFailure("HTTP 429 from DR", FailureTypes.THROTTLED))
        .thenReturn(new ChangeCounts(7, 0, 0, 0));

    RunReport report = mocked.newRun().run(drill());

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    verify(mocked.converge, times(3)).convergeSchemas(any());
    assertThat(report.steps())
        .filteredOn(s -> s.name().equals("converge-schemas"))
        .singleElement()
        .extracting(StepReport::counts)
        .isEqualTo(new ChangeCounts(7, 0, 0, 0));
  }

  @Test
  void secondRunOfTheSameRunbookWhileOneIsActiveIsRefused() {
    when(mocked.smokeTest.verifyControlPlane(any()))
        .thenAnswer(
            invocation -> {
              Thread.sleep(500);
              return 22;
            });
    WorkflowClient.start(mocked.newRun()::run, drill());

    assertThatThrownBy(() -> WorkflowClient.start(mocked.newRun()::run, drill()))
        .isInstanceOf(io.temporal.client.WorkflowExecutionAlreadyStarted.class);
  }

  private static RunRequest run(Mode mode) {
    return new RunRequest(TestRunbooks.example(), mode, "INC-7", "sre@acme.com");
  }

  @Test
  void aDrillIsRefusedWhileDrServesAsTheActiveSide() {
    ReplicationHealth h = health("acme-lakehouse-use1", "acme-lakehouse-usw2", null);
    when(mocked.storage.measureReplication(any(), eq(false), anyInt()))
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

    assertThatThrownBy(() -> mocked.newRun().run(drill))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .contains("acme-lakehouse-usw2 is marked failover:role=active")
                    .contains("fail back first"));
    assertNothingConverged();
  }

  @Test
  void aBacklogOlderThanTheRpoObjectiveIsAWarningNotAFailure() {
    when(mocked.storage.measureReplication(any(), eq(false), anyInt()))
        .thenReturn(health("acme-lakehouse-use1", "acme-lakehouse-usw2", 1_200L));

    RunReport report = mocked.newRun().run(drill());

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.dataRpoSeconds()).isEqualTo(1_200L);
    assertThat(report.rpoObjectiveSeconds()).isEqualTo(15 * 60);
    assertThat(report.steps().get(0).message())
        .contains("WARNING: data RPO of pair lakehouse is 1200 s, over the objective of 900 s");
  }

  @Test
  void anApprovalPlacedAmongTheConvergeStepsHoldsBackEveryStepButTheWayToIt() {
    List<String> converged = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    when(mocked.converge.convergeBatch(any()))
        .thenAnswer(
            call -> {
              converged.add(((ComponentBatch) call.getArgument(0)).component());
              return batchResult(new ChangeCounts(1, 0, 0, 0));
            });
    Runbook runbook =
        approvalBeforeConvergeJobs(TestRunbooks.example().approval().requiredForDrill());
    RunbookWorkflow run = mocked.newRun();
    WorkflowClient.start(run::run, new RunRequest(runbook, Mode.FAILOVER, "INC-8", "sre@acme.com"));
    mocked.env.sleep(Duration.ofMinutes(5));

    assertThat(run.progress().waitingFor()).isEqualTo("approval");
    // What converge-jobs needs ran; every other converge step waits too.
    assertThat(converged)
        .contains("groups", "warehouses", "clusters")
        .doesNotContain("jobs", "repos", "notebooks", "tables", "models");

    run.approve(new Approval("oncall-sre", "go"));
    RunReport report = mocked.result();
    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(converged).contains("jobs", "notebooks", "tables", "models", "grants");
  }

  @Test
  void failoverWaitsForApprovalThenPromotesStorageBesideConverging() {
    RunbookWorkflow run = mocked.newRun();
    WorkflowClient.start(run::run, run(Mode.FAILOVER));
    mocked.env.sleep(Duration.ofMinutes(5));
    RunReport waiting = run.progress();
    assertThat(waiting.waitingFor()).isEqualTo("approval");
    verify(mocked.storage, never()).promoteReplica(any());

    run.approve(new Approval("oncall-sre", "region us-east-1 down, INC-7"));
    RunReport report = mocked.result();

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
            "converge-permissions",
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
    InOrder order = inOrder(mocked.fencing, mocked.storage, mocked.converge);
    order.verify(mocked.fencing).fence(argThat(f -> f.workspace().side().equals("primary")));
    order.verify(mocked.storage).promoteReplica(promoted.capture());
    order.verify(mocked.converge).checkBatch(argThat(b -> b.component().equals("notebooks")));
    InOrder controlPlane = inOrder(mocked.fencing, mocked.capture, mocked.smokeTest);
    controlPlane.verify(mocked.fencing).fence(any());
    controlPlane.verify(mocked.capture).captureControlPlane(any(), anyList(), any(), anyString());
    controlPlane.verify(mocked.smokeTest).verifyControlPlane(any());
    assertThat(promoted.getValue().drainTimeoutSeconds()).isEqualTo(10 * 60);
    assertThat(promoted.getValue().stateKey())
        .isEqualTo("failover/acme-lakehouse/replication/lakehouse.json");
    verify(mocked.storage, never()).restoreReplication(any());
  }

  /** The example runbook with its approval placed before converge-jobs. */
  private static Runbook approvalBeforeConvergeJobs(boolean forDrills) {
    Runbook example = TestRunbooks.example();
    Runbook.Approval approval = example.approval();
    return example.withApproval(
        new Runbook.Approval(
            approval.required(),
            forDrills,
            approval.approvers(),
            approval.timeoutMinutes(),
            "converge-jobs"));
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
    List<String> details = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.CountDownLatch queried = new java.util.concurrent.CountDownLatch(1);
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
              if (method.equals("promoteReplica")) {
                // Promotion ends only once the capture has seen what Temporal UI shows.
                queried.await(20, java.util.concurrent.TimeUnit.SECONDS);
              }
              if (method.equals("captureControlPlane")) {
                // What Temporal UI shows while both run.
                details.add(
                    mocked
                        .client
                        .newUntypedWorkflowStub(RunbookWorkflow.workflowId("acme-lakehouse"))
                        .query(
                            "__temporal_workflow_metadata",
                            io.temporal.api.sdk.v1.WorkflowMetadata.class)
                        .getCurrentDetails());
                queried.countDown();
              }
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
    when(mocked.storage.promoteReplica(any())).thenAnswer(counted);
    when(mocked.capture.captureControlPlane(any(), anyList(), any(), anyString()))
        .thenAnswer(counted);
    when(mocked.storage.checkDeltaTables(any())).thenAnswer(counted);
    when(mocked.converge.convergeBatch(any())).thenAnswer(counted);

    RunReport report =
        mocked.newRun().run(new RunRequest(unattended(2), Mode.FAILOVER, "INC-9", "sre@acme.com"));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(together).containsExactly(true, true);
    assertThat(details)
        .containsExactly(
            "Running side by side: step 3 of 24: `promote-storage`, step 4 of 24: `capture`");
    // The runbook allows 2 steps at once: promotion beside capture, never a third.
    assertThat(mostAtOnce.get()).isEqualTo(2);
    assertThat(report.steps())
        .extracting(StepReport::name)
        .containsSubsequence("promote-storage", "capture", "converge-groups", "smoke-test");
    InOrder order = inOrder(mocked.storage, mocked.smokeTest);
    order.verify(mocked.storage).promoteReplica(any());
    order.verify(mocked.storage).checkDeltaTables(any());
    order.verify(mocked.smokeTest).verifyControlPlane(any());
  }

  @Test
  void withOneStepAtATimeTheFailoverRunsInPlanOrder() {
    RunReport report =
        mocked.newRun().run(new RunRequest(unattended(1), Mode.FAILOVER, "INC-10", "sre@acme.com"));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    InOrder order =
        inOrder(mocked.fencing, mocked.storage, mocked.capture, mocked.converge, mocked.smokeTest);
    order.verify(mocked.fencing).fence(any());
    order.verify(mocked.storage).promoteReplica(any());
    order.verify(mocked.capture).captureControlPlane(any(), anyList(), any(), anyString());
    order.verify(mocked.converge).convergeBatch(argThat(b -> b.component().equals("grants")));
    order.verify(mocked.storage).checkDeltaTables(any());
    order.verify(mocked.smokeTest).verifyControlPlane(any());
  }

  @Test
  void aPromotionThatFailsStopsTheControlPlaneBranchBetweenSteps() {
    java.util.concurrent.CountDownLatch promotionFailed =
        new java.util.concurrent.CountDownLatch(1);
    when(mocked.storage.promoteReplica(any()))
        .thenAnswer(
            call -> {
              promotionFailed.countDown();
              throw ApplicationFailure.newFailure(
                  "acme-lakehouse-usw2: AccessDenied", FailureTypes.NOT_READY);
            });
    when(mocked.capture.captureControlPlane(any(), anyList(), any(), anyString()))
        .thenAnswer(
            call -> {
              // The capture ends after the promotion failed.
              promotionFailed.await(20, java.util.concurrent.TimeUnit.SECONDS);
              Thread.sleep(500);
              return SNAPSHOT;
            });
    Runbook runbook = unattended(2).withOnStepFailure(new Runbook.OnStepFailure(false, 60));

    assertThatThrownBy(
            () ->
                mocked
                    .newRun()
                    .run(new RunRequest(runbook, Mode.FAILOVER, "INC-11", "sre@acme.com")))
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
    verify(mocked.converge, never()).convergeCatalogs(any());
    verify(mocked.smokeTest, never()).verifyControlPlane(any());
  }

  @Test
  void theRunbookCanPlaceTheApprovalBeforeALaterStep() throws Exception {
    Runbook runbook = TestRunbooks.example();
    Runbook approveBeforePromotion =
        runbook.withApproval(
            new Runbook.Approval(true, false, List.of("oncall-sre"), 60, "promote-storage"));
    RunbookWorkflow run = mocked.newRun();
    WorkflowClient.start(
        run::run, new RunRequest(approveBeforePromotion, Mode.FAILOVER, "INC-8", "sre"));
    RunReport waiting = awaitProgress(run, r -> r.waitingFor() != null);
    assertThat(waiting.waitingFor()).isEqualTo("approval");
    // The primary was fenced before the approval; storage waits for it.
    verify(mocked.fencing).fence(any());
    verify(mocked.storage, never()).promoteReplica(any());

    run.approve(new Approval("oncall-sre", "fenced, go"));
    RunReport report = mocked.result();
    assertThat(report.steps())
        .extracting(StepReport::name)
        .startsWith("readiness", "fence-source", "approval", "promote-storage");
    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void failoverNotApprovedInTimeChangesNothing() {
    assertThatThrownBy(() -> mocked.newRun().run(run(Mode.FAILOVER)))
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
    verify(mocked.storage, never()).promoteReplica(any());
    verify(mocked.converge, never()).convergeCatalogs(any());
  }

  @Test
  void failoverGoesOnWhenThePrimaryRegionIsDownAndComparesNothingWithIt() {
    when(mocked.readiness.checkWorkspace(argThat(t -> t != null && t.side().equals("primary"))))
        .thenThrow(
            ApplicationFailure.newFailure(
                "dbc-acme-prod.cloud.databricks.com: connection refused",
                FailureTypes.UNAVAILABLE));
    ReplicationHealth unreachable = unreachablePrimary("bucket acme-lakehouse-use1 unreachable");
    when(mocked.storage.measureReplication(any(), eq(false), anyInt())).thenReturn(unreachable);
    when(mocked.storage.promoteReplica(any())).thenReturn(change(false));
    when(mocked.capture.latestSnapshot(any(), any(), anyString())).thenReturn(SNAPSHOT);

    RunbookWorkflow run = mocked.newRun();
    WorkflowClient.start(run::run, run(Mode.FAILOVER));
    run.approve(new Approval("oncall-sre", null));
    RunReport report = mocked.result();

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps().get(0).message())
        .contains("primary workspace unreachable")
        .contains("bucket acme-lakehouse-use1 unreachable");
    assertThat(report.dataRpoSeconds()).isNull();
    assertThat(report.storage().get(0).notRun()).isNotEmpty();
    StepReport fence = step(report, "fence-source");
    assertThat(fence.status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(fence.message()).startsWith("the primary does not answer");
    verify(mocked.fencing, never()).fence(any());
    verify(mocked.capture, never()).captureControlPlane(any(), anyList(), any(), anyString());
    assertThat(step(report, "capture").message())
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
    verify(mocked.storage).checkDeltaTables(checked.capture());
    assertThat(checked.getValue().comparePrimary()).isFalse();
  }

  @Test
  void aDrillFailsWhenThePrimaryIsDown() {
    when(mocked.storage.measureReplication(any(), eq(false), anyInt()))
        .thenReturn(unreachablePrimary("unreachable"));
    assertThatThrownBy(() -> mocked.newRun().run(drill()))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .contains("bucket acme-lakehouse-use1 is unreachable"));
    assertNothingConverged();
  }

  /**
   * A drill that readiness stops changes nothing: its capture may have read the primary beside
   * readiness, but nothing converged and the record that DR matched a snapshot is kept.
   */
  private void assertNothingConverged() {
    verify(mocked.capture, never()).claimVerifiedTarget(any(), anyString());
    verify(mocked.converge, never()).convergeBatch(any());
    verify(mocked.converge, never()).convergeCatalogs(any());
  }

  @Test
  void failbackReadsTheDrSideRestoresReplicationAndConvergesThePrimary() {
    RunbookWorkflow run = mocked.newRun();
    WorkflowClient.start(run::run, run(Mode.FAILBACK));
    run.approve(new Approval("oncall-sre", "us-east-1 healthy again"));
    RunReport report = mocked.result();

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps())
        .extracting(StepReport::name)
        .contains("restore-replication")
        .doesNotContain("promote-storage");
    verify(mocked.storage).measureReplication(any(), eq(true), anyInt());
    verify(mocked.storage).restoreReplication(any());
    verify(mocked.storage, never()).promoteReplica(any());
    verify(mocked.fencing).fence(argThat(f -> f.workspace().side().equals("secondary")));
    verify(mocked.fencing)
        .unfence(
            argThat(
                f ->
                    f.workspace().side().equals("primary")
                        && f.stateKey().equals("failover/acme-lakehouse/fence/primary.json")));
    assertThat(report.steps().get(report.steps().size() - 2).name()).isEqualTo("unfence-target");
    verify(mocked.capture)
        .captureControlPlane(
            argThat(source -> source.side().equals("secondary")), anyList(), any(), anyString());
    ArgumentCaptor<dev.failover.workflows.steps.ConvergeRequest> converged =
        ArgumentCaptor.forClass(dev.failover.workflows.steps.ConvergeRequest.class);
    verify(mocked.converge).convergeCatalogs(converged.capture());
    assertThat(converged.getValue().target().side()).isEqualTo("primary");
    assertThat(converged.getValue().storagePathRewrites())
        .singleElement()
        .satisfies(
            rewrite -> {
              assertThat(rewrite.from()).isEqualTo("s3://acme-lakehouse-usw2/");
              assertThat(rewrite.to()).isEqualTo("s3://acme-lakehouse-use1/");
            });
  }

  /**
   * Checks answer that every item matches; each check of these components counts the latch down.
   */
  private void countDownWhenChecked(
      java.util.concurrent.CountDownLatch latch, String... components) {
    List<String> counted = List.of(components);
    org.mockito.Mockito.doAnswer(
            call -> {
              ComponentBatch batch = call.getArgument(0);
              if (counted.contains(batch.component())) {
                latch.countDown();
              }
              return batchResult(new ChangeCounts(0, 0, batch.to() - batch.from(), 0));
            })
        .when(mocked.converge)
        .checkBatch(any());
  }
}
