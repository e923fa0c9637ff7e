package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.Components;
import dev.failover.activities.snapshot.SnapshotCache;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The capture, converge and smoke-test activities as a worker registers them (one cache of loaded
 * snapshots shared by all three), over the real clients against a simulated cloud, with stubs to
 * call them through Temporal's test activity environment. One per test; close it after.
 */
final class ControlPlaneActivities implements AutoCloseable {
  final SimulatedCloud cloud;
  final CaptureActivities capture;
  final ConvergeActivities converge;
  final SmokeTestActivities smokeTest;

  /** The store the three share, as a worker's do, with the feed of what capture reads. */
  final SnapshotStore store;

  private final TestActivityEnvironment env;

  /** Activities retried as Temporal's defaults retry them. */
  ControlPlaneActivities(Path dir) {
    this(dir, null);
  }

  /** Activities retried by {@code retry} (null: Temporal's defaults). */
  ControlPlaneActivities(Path dir, RetryOptions retry) {
    cloud = new SimulatedCloud(dir);
    store = new SnapshotStore(cloud.clients, new SnapshotCache());
    env = ActivityEnvironments.withHeartbeats();
    env.registerActivitiesImplementations(
        new CaptureActivitiesImpl(cloud.clients, store),
        new ConvergeActivitiesImpl(cloud.clients, store),
        new SmokeTestActivitiesImpl(cloud.clients, store));
    ActivityOptions.Builder options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setHeartbeatTimeout(Duration.ofSeconds(30));
    if (retry != null) {
      options.setRetryOptions(retry);
    }
    capture = env.newActivityStub(CaptureActivities.class, options.build());
    converge = env.newActivityStub(ConvergeActivities.class, options.build());
    smokeTest = env.newActivityStub(SmokeTestActivities.class, options.build());
  }

  /** A request to converge the secondary from {@code snapshot} with the example's mappings. */
  static ConvergeRequest request(SnapshotRef snapshot) {
    return request(snapshot, null);
  }

  /** The same, of the drill {@code runId} (null: not a drill). */
  static ConvergeRequest request(SnapshotRef snapshot, String runId) {
    return new ConvergeRequest(
        SimulatedCloud.secondary(),
        snapshot,
        SimulatedCloud.REWRITES,
        "acme-lakehouse",
        runId,
        null,
        SimulatedCloud.COMPUTE,
        SimulatedCloud.STORAGE_CREDENTIALS);
  }

  /** One batch holding every captured item of the component. */
  static ComponentBatch batch(ConvergeRequest request, String component) {
    return new ComponentBatch(request, component, 0, request.snapshot().count(component));
  }

  /** Catalogs and schemas, every component in one batch each, then the grants. */
  ChangeCounts convergeAll(ConvergeRequest request) {
    return convergeAll(converge, request);
  }

  /**
   * Catalogs and schemas, every component in one batch each in the registry's order, then the
   * grants, through {@code converge} (a worker's stubs); fails on an item a component refuses.
   */
  static ChangeCounts convergeAll(ConvergeActivities converge, ConvergeRequest request) {
    ChangeCounts counts =
        converge.convergeCatalogs(request).plus(converge.convergeSchemas(request));
    for (var component : Components.all()) {
      ComponentResult result = converge.convergeBatch(batch(request, component.name()));
      assertThat(result.refused()).as(component.name() + " refused").isEmpty();
      counts = counts.plus(result.counts());
    }
    return counts.plus(converge.convergeGrants(request));
  }

  @Override
  public void close() {
    env.close();
    cloud.close();
  }
}
