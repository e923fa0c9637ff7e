package dev.failover.activities.steps;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.fencing.WorkspaceFence;
import dev.failover.activities.storage.StateObjects;
import dev.failover.workflows.steps.FenceActivities;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.FenceResult;

/** Fencing over the Databricks SDK; the logic lives in the {@code fencing} package. */
public final class FenceActivitiesImpl implements FenceActivities {
  private final CloudClients clients;

  public FenceActivitiesImpl(CloudClients clients) {
    this.clients = clients;
  }

  @Override
  public FenceResult fence(FenceRequest request) {
    ActivityScope scope = ActivityScope.current();
    return fenceOf(request, scope).fence(request);
  }

  @Override
  public FenceResult unfence(FenceRequest request) {
    ActivityScope scope = ActivityScope.current();
    return fenceOf(request, scope).unfence(request);
  }

  private WorkspaceFence fenceOf(FenceRequest request, ActivityScope scope) {
    return new WorkspaceFence(
        clients.workspace(request.workspace()),
        new StateObjects(clients, scope.retry()),
        scope.retry(),
        scope.progress());
  }
}
