package dev.failover.worker;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.clients.CloudClientsConfig;
import dev.failover.activities.metrics.EngineMetrics;
import dev.failover.activities.snapshot.SnapshotCache;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.steps.CaptureActivitiesImpl;
import dev.failover.activities.steps.ConvergeActivitiesImpl;
import dev.failover.activities.steps.FenceActivitiesImpl;
import dev.failover.activities.steps.HeartbeatInterceptor;
import dev.failover.activities.steps.ReadinessActivitiesImpl;
import dev.failover.activities.steps.ReportActivitiesImpl;
import dev.failover.activities.steps.SmokeTestActivitiesImpl;
import dev.failover.activities.steps.StorageActivitiesImpl;
import dev.failover.activities.steps.WebhookActivitiesImpl;
import dev.failover.workflows.capture.CaptureWorkflowImpl;
import dev.failover.workflows.run.PlanWorkflowImpl;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.run.RunbookWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

/** Registers the runbook workflow and its activities on a task queue and polls it. */
public final class FailoverWorker implements AutoCloseable {
  private final WorkerFactory factory;
  private final CloudClients clients;

  private FailoverWorker(WorkerFactory factory, CloudClients clients) {
    this.factory = factory;
    this.clients = clients;
  }

  /** Activities one worker runs at once, by default. */
  public static final int MAX_CONCURRENT_ACTIVITIES = 8;

  /** Creates and starts a worker polling {@link RunbookWorkflow#TASK_QUEUE}. */
  public static FailoverWorker start(WorkflowClient client, CloudClientsConfig cloud) {
    return start(client, cloud, MAX_CONCURRENT_ACTIVITIES);
  }

  /**
   * Like {@link #start(WorkflowClient, CloudClientsConfig)}, running at most {@code
   * maxConcurrentActivities} activities at once (1: one request in flight, as the benchmark's
   * sequential run needs).
   */
  public static FailoverWorker start(
      WorkflowClient client, CloudClientsConfig cloud, int maxConcurrentActivities) {
    return start(client, cloud, maxConcurrentActivities, EngineMetrics.none());
  }

  /**
   * Like {@link #start(WorkflowClient, CloudClientsConfig, int)}, its activities recording the
   * engine's metrics (requests, converged items, DR posture) into {@code metrics}.
   */
  public static FailoverWorker start(
      WorkflowClient client,
      CloudClientsConfig cloud,
      int maxConcurrentActivities,
      EngineMetrics metrics) {
    CloudClients clients = new CloudClients(cloud, metrics);
    // One cache per worker: the batches of a run read the snapshot from S3 once, not once each.
    SnapshotStore snapshots = new SnapshotStore(clients, new SnapshotCache());
    WorkerFactory factory = WorkerFactory.newInstance(client, factoryOptions());
    Worker worker =
        factory.newWorker(
            RunbookWorkflow.TASK_QUEUE,
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(maxConcurrentActivities)
                // The SDK sends a heartbeat at most every 0.8 x the heartbeat timeout (16 s of
                // 20 s); the cancellation of an aborted step comes back with one. Sending at the
                // interceptor's beat lets a running step hear an abort within 3 s.
                .setMaxHeartbeatThrottleInterval(HeartbeatInterceptor.BEAT)
                .build());
    worker.registerWorkflowImplementationTypes(
        RunbookWorkflowImpl.class, CaptureWorkflowImpl.class, PlanWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new ReadinessActivitiesImpl(clients),
        new CaptureActivitiesImpl(clients, snapshots),
        new ConvergeActivitiesImpl(clients, snapshots),
        new SmokeTestActivitiesImpl(clients, snapshots),
        new StorageActivitiesImpl(clients, snapshots, java.time.Clock.systemUTC()),
        new FenceActivitiesImpl(clients),
        new WebhookActivitiesImpl(),
        new dev.failover.activities.steps.ManagedDrActivitiesImpl(clients),
        new ReportActivitiesImpl(clients));
    factory.start();
    return new FailoverWorker(factory, clients);
  }

  /** Every activity heartbeats, and hears its cancellation, through the interceptor. */
  private static WorkerFactoryOptions factoryOptions() {
    return WorkerFactoryOptions.newBuilder()
        .setWorkerInterceptors(new HeartbeatInterceptor())
        .build();
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    clients.close();
  }
}
