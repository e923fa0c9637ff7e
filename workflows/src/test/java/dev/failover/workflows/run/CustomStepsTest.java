package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
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
import dev.failover.workflows.steps.FenceResult;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.ReportActivities;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.WebhookActivities;
import dev.failover.workflows.steps.WebhookRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runbook's plan changes: disabled steps and custom webhook steps with dependencies. */
class CustomStepsTest {
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final ReadinessActivities readiness = mockActivity(ReadinessActivities.class);
  private final CaptureActivities capture = mockActivity(CaptureActivities.class);
  private final ConvergeActivities converge = mockActivity(ConvergeActivities.class);
  private final SmokeTestActivities smokeTest = mockActivity(SmokeTestActivities.class);
  private final ReportActivities reports = mockActivity(ReportActivities.class);
  private final StorageActivities storage = mockActivity(StorageActivities.class);
  private final FenceActivities fencing = mockActivity(FenceActivities.class);
  private final WebhookActivities webhooks = mockActivity(WebhookActivities.class);
  private final List<String> called = Collections.synchronizedList(new ArrayList<>());

  private static <T> T mockActivity(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }

  private static Runbook.CustomStep hook(String name, List<String> modes, String... dependsOn) {
    return new Runbook.CustomStep(
        name,
        modes,
        List.of(dependsOn),
        new Runbook.Webhook("https://hooks.example.com/" + name, "POST", "{\"run\":1}", 200, 30));
  }

  private static Runbook runbook(List<String> disable, List<Runbook.CustomStep> custom) {
    return TestRunbooks.example()
        .withApproval(new Runbook.Approval(false, false, List.of(), 60))
        .withSteps(new Runbook.Steps(disable, custom, 2));
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(RunbookWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RunbookWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        readiness, capture, converge, smokeTest, reports, storage, fencing, webhooks);
    client = env.getWorkflowClient();
    env.start();
    when(readiness.checkWorkspace(any())).thenReturn("answers");
    when(readiness.checkAccountWorkspace(any(), any())).thenReturn("in the account, RUNNING");
    when(storage.measureReplication(any(), eq(false), anyInt()))
        .thenReturn(
            new ReplicationHealth(
                "lakehouse",
                "a",
                "b",
                true,
                "r",
                1,
                0,
                0,
                null,
                List.of(),
                "t",
                "ok",
                List.of(),
                null));
    when(storage.promoteReplica(any()))
        .thenReturn(new StorageChange("lakehouse", true, List.of(), List.of(), null));
    when(fencing.fence(any()))
        .thenReturn(new FenceResult("primary", List.of(), List.of(), List.of()));
    when(storage.checkDeltaTables(any())).thenReturn(List.of());
    when(capture.captureControlPlane(any(), anyList(), any(), anyString()))
        .thenReturn(
            new SnapshotRef(
                new BucketTarget("secondary", "b", "us-west-2", "p"),
                "k",
                "v",
                "s",
                1,
                "2026-11-25T00:00:00Z",
                1,
                1,
                1,
                1,
                TestRunbooks.allComponents()));
    when(converge.convergeCatalogs(any())).thenReturn(new ChangeCounts(0, 0, 1, 0));
    when(converge.convergeSchemas(any())).thenReturn(new ChangeCounts(0, 0, 1, 0));
    when(converge.removeCreatedByRun(any())).thenReturn(new ChangeCounts(0, 0, 0, 3));
    when(converge.checkBatch(any()))
        .thenAnswer(
            call -> {
              ComponentBatch batch = call.getArgument(0);
              return batchResult(new ChangeCounts(0, 0, batch.to() - batch.from(), 0));
            });
    when(converge.restoreJobSchedules(any(), any())).thenReturn(ComponentResult.NONE);
    when(converge.removeComponentCreatedByRun(any(), anyString())).thenReturn(ChangeCounts.NONE);
    when(converge.convergeBatch(any())).thenReturn(batchResult(new ChangeCounts(0, 0, 1, 0)));
    when(smokeTest.verifyControlPlane(any())).thenReturn(3);
    when(reports.storeReport(any(), anyString(), any())).thenReturn("s3://x/y");
    when(webhooks.call(any()))
        .thenAnswer(
            call -> {
              WebhookRequest request = call.getArgument(0);
              called.add(request.step());
              return "POST answered 200";
            });
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private RunReport run(Runbook runbook, Mode mode) {
    return client
        .newWorkflowStub(
            RunbookWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
                .setWorkflowId(RunbookWorkflow.workflowId(runbook.name()))
                .build())
        .run(new RunRequest(runbook, mode, "INC-5", "sre"));
  }

  @Test
  void customStepsRunAfterTheirDependenciesInTheirModesAndDisabledStepsAreLeftOut() {
    Runbook runbook =
        runbook(
            List.of("check-delta-tables"),
            List.of(
                hook("switch-dns", List.of("failover", "failback"), "smoke-test"),
                hook("notify-after-dns", List.of("drill", "failover"), "switch-dns"),
                hook("page-dba", List.of("drill", "failover"), "promote-storage")));

    RunReport failover = run(runbook, Mode.FAILOVER);

    assertThat(failover.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(failover.steps())
        .extracting(StepReport::name)
        .containsExactly(
            "readiness",
            "fence-source",
            "promote-storage",
            "page-dba",
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
            "smoke-test",
            "switch-dns",
            "notify-after-dns",
            "restore-schedules",
            "report");
    assertThat(failover.steps()).allMatch(s -> s.status() == StepStatus.SUCCEEDED);
    assertThat(called).containsExactly("page-dba", "switch-dns", "notify-after-dns");
    org.mockito.Mockito.verify(storage, never()).checkDeltaTables(any());

    called.clear();
    RunReport drill = run(runbook, Mode.DRILL);
    // In a drill there is no promotion: page-dba has no dependency left and runs last; the
    // custom step it depends on does not exist in a drill, so notify-after-dns runs last too.
    assertThat(drill.steps())
        .extracting(StepReport::name)
        .doesNotContain("switch-dns", "check-delta-tables")
        .contains("page-dba", "notify-after-dns");
    assertThat(called).containsExactlyInAnyOrder("page-dba", "notify-after-dns");
  }

  @Test
  void aFailedCustomStepWaitsForADecisionLikeAnyStep() throws Exception {
    org.mockito.Mockito.doThrow(
            ApplicationFailure.newFailure(
                "step switch-dns: POST https://hooks.example.com/switch-dns answered 403,"
                    + " expected 200",
                FailureTypes.INVALID_REQUEST))
        .when(webhooks)
        .call(any());
    Runbook runbook =
        runbook(List.of(), List.of(hook("switch-dns", List.of("drill"), "smoke-test")));
    RunbookWorkflow stub =
        client.newWorkflowStub(
            RunbookWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
                .setWorkflowId(RunbookWorkflow.workflowId(runbook.name()))
                .build());
    WorkflowClient.start(stub::run, new RunRequest(runbook, Mode.DRILL, null, "sre"));
    RunbookWorkflow run =
        client.newWorkflowStub(RunbookWorkflow.class, RunbookWorkflow.workflowId(runbook.name()));
    for (int i = 0; i < 200; i++) {
      RunReport report = run.progress();
      if (report != null && report.waitingFor() != null) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(run.progress().waitingFor()).contains("switch-dns");

    run.decide(new Decision(Decision.Action.SKIP, "oncall-sre", "DNS switched by hand"));
    RunReport report =
        client
            .newUntypedWorkflowStub(RunbookWorkflow.workflowId(runbook.name()))
            .getResult(RunReport.class);

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    StepReport dns =
        report.steps().stream().filter(s -> s.name().equals("switch-dns")).findFirst().get();
    assertThat(dns.status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(dns.message()).contains("answered 403");
  }

  private static ComponentResult batchResult(ChangeCounts counts) {
    return new ComponentResult(counts, List.of(), List.of());
  }
}
