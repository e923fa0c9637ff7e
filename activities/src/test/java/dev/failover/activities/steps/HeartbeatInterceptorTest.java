package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.StorageRequest;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heartbeat interceptor on Temporal's test server, in real time: a long activity (a replica
 * promotion waiting for the replication backlog to drain) is kept alive by its heartbeats, and
 * stops soon after its workflow cancels it, within the heartbeat timeout.
 */
class HeartbeatInterceptorTest {
  private static final String QUEUE = "heartbeats";
  private static final BucketPairTarget PAIR =
      new BucketPairTarget(
          "lakehouse",
          SimulatedCloud.primaryBucket(),
          SimulatedCloud.replicaBucket(),
          "arn:aws:iam::123456789012:role/s3-replication-dr",
          "acme-lakehouse");

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private S3State s3;
  private TestWorkflowEnvironment env;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    s3 = cloud.simulator.s3();
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new HeartbeatInterceptor(Duration.ofMillis(200)))
                        .build())
                .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(PromoteImpl.class);
    worker.registerActivitiesImplementations(
        new StorageActivitiesImpl(
            cloud.clients, new SnapshotStore(cloud.clients), Clock.systemUTC()));
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
    cloud.close();
  }

  @Test
  void aCancelledPromotionStopsWithinTheHeartbeatTimeout() {
    // A backlog that would keep the promotion waiting for its whole drain bound (15 minutes).
    s3.setReplicationLag(DemoWorkspace.PRIMARY_BUCKET, Duration.ofHours(1));
    s3.putObject(DemoWorkspace.PRIMARY_BUCKET, "uc/sales/bronze/orders/late.parquet", new byte[1]);
    long heartbeatTimeout = 5_000;

    Outcome outcome = promote(new Plan(request(900), heartbeatTimeout, 2_000));

    assertThat(outcome.ended()).isEqualTo("CanceledFailure");
    assertThat(outcome.stoppedAfterCancelMillis()).isLessThan(heartbeatTimeout);
    // It stopped in the drain wait, before it changed any rule.
    assertThat(s3.replication(DemoWorkspace.PRIMARY_BUCKET).rules())
        .allMatch(rule -> rule.status().equals("Enabled"));
  }

  @Test
  void heartbeatsKeepAnActivityAliveFarPastItsHeartbeatTimeout() {
    // The backlog drains after 3 s, three heartbeat timeouts.
    s3.setReplicationLag(DemoWorkspace.PRIMARY_BUCKET, Duration.ofSeconds(3));
    s3.putObject(DemoWorkspace.PRIMARY_BUCKET, "uc/sales/bronze/orders/late.parquet", new byte[1]);

    Outcome outcome = promote(new Plan(request(60), 1_000, 0));

    assertThat(outcome.ended()).isEqualTo("completed");
    assertThat(outcome.ranMillis()).isGreaterThan(3_000);
    assertThat(
            s3.replicationStatus(
                DemoWorkspace.REPLICA_BUCKET, "uc/sales/bronze/orders/late.parquet"))
        .isEqualTo("REPLICA");
  }

  private Outcome promote(Plan plan) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            Promote.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(2))
                .build())
        .run(plan);
  }

  private static StorageRequest request(long drainSeconds) {
    return new StorageRequest(
        PAIR,
        drainSeconds,
        24,
        SimulatedCloud.replicaBucket(),
        "failover/acme-lakehouse/replication/lakehouse.json",
        "run-1",
        60);
  }

  /** What to run: the request, the activity's heartbeat timeout, and when to cancel (0: never). */
  public record Plan(StorageRequest request, long heartbeatTimeoutMillis, long cancelAfterMillis) {}

  /** How the activity ended, how long it ran, and how long it took to stop once cancelled. */
  public record Outcome(String ended, long ranMillis, long stoppedAfterCancelMillis) {}

  @WorkflowInterface
  public interface Promote {
    @WorkflowMethod
    Outcome run(Plan plan);
  }

  /** Starts the promotion in a cancellation scope, and cancels the scope when the plan says. */
  public static class PromoteImpl implements Promote {
    @Override
    public Outcome run(Plan plan) {
      StorageActivities storage =
          Workflow.newActivityStub(
              StorageActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(20))
                  .setHeartbeatTimeout(Duration.ofMillis(plan.heartbeatTimeoutMillis()))
                  .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      long started = Workflow.currentTimeMillis();
      AtomicReference<Promise<StorageChange>> promoted = new AtomicReference<>();
      CancellationScope scope =
          Workflow.newCancellationScope(
              () -> promoted.set(Async.function(storage::promoteReplica, plan.request())));
      scope.run();
      long cancelledAt = 0;
      if (plan.cancelAfterMillis() > 0) {
        Workflow.sleep(Duration.ofMillis(plan.cancelAfterMillis()));
        scope.cancel();
        cancelledAt = Workflow.currentTimeMillis();
      }
      String ended = "completed";
      try {
        promoted.get().get();
      } catch (ActivityFailure e) {
        ended = e.getCause().getClass().getSimpleName();
      }
      long now = Workflow.currentTimeMillis();
      return new Outcome(ended, now - started, cancelledAt == 0 ? -1 : now - cancelledAt);
    }
  }
}
