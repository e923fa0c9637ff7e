package dev.failover.workflows.run;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.FenceActivities;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.FenceResult;
import dev.failover.workflows.steps.GroupReadiness;
import dev.failover.workflows.steps.ManagedDrActivities;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.ReportActivities;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.WebhookActivities;
import io.grpc.ClientInterceptor;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link RunbookWorkflowImpl} on Temporal's time-skipping test server, with every activity
 * mocked: the shared fixture of the tests that run the workflow without a real workspace.
 *
 * <p>It provides:
 *
 * <ul>
 *   <li>the started test environment ({@link #env}) and its client ({@link #client});
 *   <li>one Mockito mock per activity interface, registered with the worker: {@link #readiness},
 *       {@link #capture}, {@link #converge}, {@link #smokeTest}, {@link #reports}, {@link
 *       #storage}, {@link #fencing} and {@link #webhooks};
 *   <li>default stubs with which a drill, a failover and a failback of the example runbook succeed:
 *       every workspace answers, replication is healthy both ways, fencing and unfencing stop one
 *       job and one warehouse, storage changes succeed, capture returns {@link #SNAPSHOT}, the
 *       Delta check finds {@link #ORDERS}, every converge step and the smoke test succeed and the
 *       report is stored. {@link #webhooks} has no stub;
 *   <li>stubs for starting a run, following it and waiting for its result, and the values the tests
 *       share ({@link #SNAPSHOT}, {@link #ORDERS}, {@link #health}, {@link #change}, {@link
 *       #batchResult}, {@link #step}).
 * </ul>
 *
 * <p>The worker's activity results wait for its workflow tasks in flight ({@link
 * ActivityResultsAfterWorkflowTasks}): the workaround for a defect of the test server, which stops
 * a run for good when an abort cancels an activity that ends at the same moment. The test classes
 * that use this fixture carry a {@code @Timeout}, so a run that still stands still fails the test
 * (with a thread dump, {@code junit-platform.properties}) instead of hanging the build.
 *
 * <p>Create one per test (in {@code @BeforeEach}) and {@link #close} it after. A test may stub a
 * method again after the defaults; a default that answers from its argument (fence, unfence,
 * checkBatch) has to be stubbed again with {@code doReturn(...).when(mock)}, since {@code
 * when(mock.call(any()))} would call that answer with a null argument.
 */
final class MockedRun implements AutoCloseable {
  /** The runbook of the runs: the example's. */
  static final String RUNBOOK = "acme-lakehouse";

  /** What the default capture returns: a snapshot of every component, stored in DR. */
  static final SnapshotRef SNAPSHOT =
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

  /** What the default Delta check finds: one table, consistent with the primary. */
  static final DeltaTableCheck ORDERS =
      new DeltaTableCheck(
          "sales.bronze.orders",
          "s3://acme-lakehouse-usw2/uc/sales/bronze/orders",
          DeltaTableCheck.Status.CONSISTENT,
          2L,
          2L,
          2L,
          0,
          "complete at version 2, as the primary");

  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  final ReadinessActivities readiness = mockActivity(ReadinessActivities.class);
  final CaptureActivities capture = mockActivity(CaptureActivities.class);
  final ConvergeActivities converge = mockActivity(ConvergeActivities.class);
  final SmokeTestActivities smokeTest = mockActivity(SmokeTestActivities.class);
  final ReportActivities reports = mockActivity(ReportActivities.class);
  final StorageActivities storage = mockActivity(StorageActivities.class);
  final FenceActivities fencing = mockActivity(FenceActivities.class);
  final WebhookActivities webhooks = mockActivity(WebhookActivities.class);
  final ManagedDrActivities managedDr = mockActivity(ManagedDrActivities.class);

  /** Starts the test environment with the workflow and the mocks registered, and stubs them. */
  MockedRun() {
    this(TestEnvironmentOptions.getDefaultInstance(), WorkerOptions.getDefaultInstance());
  }

  /** Like {@link #MockedRun()}, on a test server and a worker of those options. */
  MockedRun(TestEnvironmentOptions environment, WorkerOptions workerOptions) {
    env = TestWorkflowEnvironment.newInstance(withActivityResultsAfterWorkflowTasks(environment));
    Worker worker = env.newWorker(RunbookWorkflow.TASK_QUEUE, workerOptions);
    worker.registerWorkflowImplementationTypes(RunbookWorkflowImpl.class, PlanWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        readiness, capture, converge, smokeTest, reports, storage, fencing, webhooks, managedDr);
    client = env.getWorkflowClient();
    env.start();
    stubDefaults();
  }

  /**
   * The options with {@link ActivityResultsAfterWorkflowTasks} added to the service stubs' gRPC
   * interceptors: the workaround for the test server's defect that stops a run when an abort
   * cancels an activity ending at the same moment.
   */
  private static TestEnvironmentOptions withActivityResultsAfterWorkflowTasks(
      TestEnvironmentOptions environment) {
    WorkflowServiceStubsOptions stubs = environment.getWorkflowServiceStubsOptions();
    List<ClientInterceptor> interceptors = new ArrayList<>();
    if (stubs != null && stubs.getGrpcClientInterceptors() != null) {
      interceptors.addAll(stubs.getGrpcClientInterceptors());
    }
    interceptors.add(new ActivityResultsAfterWorkflowTasks());
    WorkflowServiceStubsOptions.Builder builder =
        stubs == null
            ? WorkflowServiceStubsOptions.newBuilder()
            : WorkflowServiceStubsOptions.newBuilder(stubs);
    return TestEnvironmentOptions.newBuilder(environment)
        .setWorkflowServiceStubsOptions(builder.setGrpcClientInterceptors(interceptors).build())
        .build();
  }

  private void stubDefaults() {
    when(managedDr.checkGroup(any()))
        .thenReturn(new GroupReadiness("failover group is ACTIVE in the source", 42L));
    when(managedDr.failoverGroup(any())).thenReturn("failed the group over");
    when(readiness.checkWorkspace(any())).thenReturn("answers as sre@acme.com");
    when(readiness.checkAccountWorkspace(any(), any())).thenReturn("in the account, RUNNING");
    when(readiness.checkStorageCredentials(any()))
        .thenReturn("storage credentials reach the replica URLs");
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
    when(converge.convergeAsCaptured(any(), anyString(), any(), anyString()))
        .thenReturn(ComponentResult.NONE);
    when(converge.removeComponentCreatedByRun(any(), anyString())).thenReturn(ChangeCounts.NONE);
    when(converge.convergeBatch(any())).thenReturn(batchResult(new ChangeCounts(0, 10, 0, 0)));
    when(smokeTest.verifyControlPlane(any())).thenReturn(22);
    when(reports.storeReport(any(), anyString(), any())).thenReturn("s3://x/y");
  }

  @Override
  public void close() {
    env.close();
  }

  /** A stub that starts a new run of {@link #RUNBOOK} (one at a time: the workflow id is fixed). */
  /** A dry run on the same worker. */
  PlanWorkflow newPlan() {
    return client.newWorkflowStub(
        PlanWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
            .setWorkflowId(PlanWorkflow.workflowId(RUNBOOK))
            .build());
  }

  RunbookWorkflow newRun() {
    return client.newWorkflowStub(
        RunbookWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
            .setWorkflowId(RunbookWorkflow.workflowId(RUNBOOK))
            .build());
  }

  /** A stub of the run of {@link #RUNBOOK} in flight, for its queries and updates. */
  RunbookWorkflow inFlight() {
    return client.newWorkflowStub(RunbookWorkflow.class, RunbookWorkflow.workflowId(RUNBOOK));
  }

  /** Waits for the run of {@link #RUNBOOK} to end and returns its report. */
  RunReport result() {
    return client
        .newUntypedWorkflowStub(RunbookWorkflow.workflowId(RUNBOOK))
        .getResult(RunReport.class);
  }

  /** Polls the progress query until the run reaches a state (real time; the run is blocked). */
  static RunReport awaitProgress(RunbookWorkflow run, Predicate<RunReport> until)
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

  /** The step of the report with that name. */
  static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** Healthy replication of pair lakehouse; a backlog when {@code oldestPending} is given. */
  static ReplicationHealth health(String source, String destination, Long oldestPending) {
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

  /** A promotion or restoration of pair lakehouse; without the primary's part if unreachable. */
  static StorageChange change(boolean primaryReachable) {
    return new StorageChange(
        "lakehouse",
        primaryReachable,
        List.of("disabled rule(s) [lakehouse-to-dr]", "tagged acme-lakehouse-usw2 active"),
        primaryReachable ? List.of() : List.of("mark acme-lakehouse-use1 standby: unreachable"),
        null);
  }

  static ComponentResult batchResult(ChangeCounts counts) {
    return new ComponentResult(counts, List.of(), List.of());
  }

  private static <T> T mockActivity(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }
}
