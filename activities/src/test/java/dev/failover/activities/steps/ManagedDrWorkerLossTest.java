package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.databricks.DisasterRecoveryState;
import dev.failover.workflows.steps.ManagedDrActivities;
import dev.failover.workflows.steps.ManagedDrRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group's failover when the worker running it goes away while the group is FAILING_OVER: on
 * Temporal's test server in real time, the first worker is shut down at once mid-wait, a second,
 * fresh worker on the same task queue takes the retried attempt, and the run completes with the
 * group failed over by exactly one failover request (the simulator's request log).
 */
class ManagedDrWorkerLossTest {
  private static final String WORKFLOWS = "managed-dr-workflows";
  private static final String ACTIVITIES = "managed-dr-activities";

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private DisasterRecoveryState dr;
  private TestWorkflowEnvironment env;
  private WorkerFactory first;
  private WorkerFactory second;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    dr = cloud.simulator.disasterRecovery();
    // Long enough for the first worker to be lost while the group is FAILING_OVER.
    dr.setFailoverDuration(Duration.ofSeconds(4));
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    env.newWorker(WORKFLOWS).registerWorkflowImplementationTypes(FailGroupOverImpl.class);
    env.start();
    first = activityWorker();
    first.start();
  }

  @AfterEach
  void stop() {
    first.shutdownNow();
    if (second != null) {
      second.shutdownNow();
    }
    env.close();
    cloud.close();
  }

  /** A worker process of its own: its own factory, interceptor and activity instance. */
  private WorkerFactory activityWorker() {
    WorkerFactory factory =
        WorkerFactory.newInstance(
            env.getWorkflowClient(),
            WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new HeartbeatInterceptor(Duration.ofMillis(200)))
                .build());
    factory
        .newWorker(ACTIVITIES)
        .registerActivitiesImplementations(
            new ManagedDrActivitiesImpl(cloud.clients, Clock.systemUTC(), Duration.ofMillis(100)));
    return factory;
  }

  private long failoverPosts() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.method().equals("POST") && r.path().endsWith("/failover"))
        .count();
  }

  @Test
  void aWorkerLostWhileTheGroupIsFailingOverLeavesOneFailoverAndTheRunCompletes() throws Exception {
    String group = dr.groupName(DemoWorkspace.FAILOVER_GROUP_ID);
    String stableUrl = dr.stableUrlName(DemoWorkspace.STABLE_URL_ID);
    long primary = Long.parseLong(cloud.simulator.workspace("primary").workspaceId());
    long secondary = Long.parseLong(cloud.simulator.workspace("secondary").workspaceId());
    ManagedDrRequest request =
        new ManagedDrRequest(
            cloud.account("secondary"),
            group,
            List.of(stableUrl),
            "us-east-1",
            "us-west-2",
            primary,
            secondary,
            15,
            1,
            false);
    FailGroupOver run =
        env.getWorkflowClient()
            .newWorkflowStub(
                FailGroupOver.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(WORKFLOWS)
                    .setWorkflowExecutionTimeout(Duration.ofMinutes(2))
                    .build());
    CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> run.run(request));

    awaitFailingOver(group);
    first.shutdownNow();
    first.awaitTermination(10, TimeUnit.SECONDS);
    assertThat(first.isTerminated()).as("the first worker is gone").isTrue();
    assertThat(dr.group(group).state()).isEqualTo("FAILING_OVER");
    second = activityWorker();
    second.start();

    String done = result.get(90, TimeUnit.SECONDS);

    assertThat(done).startsWith("found " + group + " already ACTIVE in us-west-2");
    assertThat(failoverPosts()).isEqualTo(1);
    assertThat(dr.failoversAccepted(group)).isEqualTo(1);
    assertThat(dr.group(group).effectivePrimaryRegion()).isEqualTo("us-west-2");
  }

  /** Waits until the first worker's failover request was accepted and the group is moving. */
  private void awaitFailingOver(String group) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(failoverPosts() == 1 && "FAILING_OVER".equals(dr.group(group).state()))) {
      assertThat(System.nanoTime()).as("the failover never started").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @WorkflowInterface
  public interface FailGroupOver {
    @WorkflowMethod
    String run(ManagedDrRequest request);
  }

  /** The group's failover with the run's retry policy: a lost attempt is retried. */
  public static class FailGroupOverImpl implements FailGroupOver {
    @Override
    public String run(ManagedDrRequest request) {
      return Workflow.newActivityStub(
              ManagedDrActivities.class,
              ActivityOptions.newBuilder()
                  .setTaskQueue(ACTIVITIES)
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setHeartbeatTimeout(Duration.ofSeconds(2))
                  .setRetryOptions(
                      RetryOptions.newBuilder()
                          .setInitialInterval(Duration.ofMillis(200))
                          .setMaximumAttempts(5)
                          .build())
                  .build())
          .failoverGroup(request);
    }
  }
}
