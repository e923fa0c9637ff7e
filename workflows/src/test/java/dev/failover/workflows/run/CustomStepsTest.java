package dev.failover.workflows.run;

import static dev.failover.workflows.run.MockedRun.awaitProgress;
import static dev.failover.workflows.run.MockedRun.batchResult;
import static dev.failover.workflows.run.MockedRun.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.when;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.FenceResult;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.WebhookRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runbook's plan changes: disabled steps and custom webhook steps with dependencies. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // see MockedRun: a run that stands still fails
class CustomStepsTest {
  private MockedRun mocked;
  private final List<String> called = Collections.synchronizedList(new ArrayList<>());

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
    mocked = new MockedRun();
    // This class's own defaults, in place of MockedRun's.
    when(mocked.readiness.checkWorkspace(any())).thenReturn("answers");
    when(mocked.storage.measureReplication(any(), eq(false), anyInt()))
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
    when(mocked.storage.promoteReplica(any()))
        .thenReturn(new StorageChange("lakehouse", true, List.of(), List.of(), null));
    // doReturn: the default fence answers from its argument.
    doReturn(new FenceResult("primary", List.of(), List.of(), List.of()))
        .when(mocked.fencing)
        .fence(any());
    when(mocked.storage.checkDeltaTables(any())).thenReturn(List.of());
    when(mocked.capture.captureControlPlane(any(), anyList(), any(), anyString()))
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
    when(mocked.converge.convergeCatalogs(any())).thenReturn(new ChangeCounts(0, 0, 1, 0));
    when(mocked.converge.convergeSchemas(any())).thenReturn(new ChangeCounts(0, 0, 1, 0));
    when(mocked.converge.convergeBatch(any()))
        .thenReturn(batchResult(new ChangeCounts(0, 0, 1, 0)));
    when(mocked.smokeTest.verifyControlPlane(any())).thenReturn(3);
    when(mocked.webhooks.call(any()))
        .thenAnswer(
            call -> {
              WebhookRequest request = call.getArgument(0);
              called.add(request.step());
              return "POST answered 200";
            });
  }

  @AfterEach
  void stop() {
    mocked.close();
  }

  private RunReport run(Runbook runbook, Mode mode) {
    return mocked.newRun().run(new RunRequest(runbook, mode, "INC-5", "sre"));
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
            "converge-permissions",
            "converge-grants",
            "smoke-test",
            "switch-dns",
            "notify-after-dns",
            "restore-schedules",
            "report");
    assertThat(failover.steps()).allMatch(s -> s.status() == StepStatus.SUCCEEDED);
    assertThat(called).containsExactly("page-dba", "switch-dns", "notify-after-dns");
    org.mockito.Mockito.verify(mocked.storage, never()).checkDeltaTables(any());

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
        .when(mocked.webhooks)
        .call(any());
    Runbook runbook =
        runbook(List.of(), List.of(hook("switch-dns", List.of("drill"), "smoke-test")));
    RunbookWorkflow stub = mocked.newRun();
    WorkflowClient.start(stub::run, new RunRequest(runbook, Mode.DRILL, null, "sre"));
    RunbookWorkflow run = mocked.inFlight();
    awaitProgress(run, r -> r.waitingFor() != null);
    assertThat(run.progress().waitingFor()).contains("switch-dns");

    run.decide(new Decision(Decision.Action.SKIP, "oncall-sre", "DNS switched by hand"));
    RunReport report = mocked.result();

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    StepReport dns = step(report, "switch-dns");
    assertThat(dns.status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(dns.message()).contains("answered 403");
  }
}
