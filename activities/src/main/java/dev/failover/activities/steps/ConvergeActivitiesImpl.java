package dev.failover.activities.steps;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.unitycatalog.ExpectedState;
import dev.failover.activities.unitycatalog.UnityCatalogConverger;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;

/** Converges the DR workspace onto the snapshot, one component per activity. */
public final class ConvergeActivitiesImpl implements ConvergeActivities {
  private final CloudClients clients;
  private final SnapshotStore store;

  public ConvergeActivitiesImpl(CloudClients clients, SnapshotStore store) {
    this.clients = clients;
    this.store = store;
  }

  @Override
  public ChangeCounts convergeCatalogs(ConvergeRequest request) {
    try (ActivityScope scope = ActivityScope.start()) {
      ControlPlaneSnapshot snapshot = store.read(request.snapshot(), scope.retry());
      return converger(request, scope).catalogs(snapshot.catalogs()).withRetries(scope.retries());
    }
  }

  @Override
  public ChangeCounts convergeSchemas(ConvergeRequest request) {
    try (ActivityScope scope = ActivityScope.start()) {
      ControlPlaneSnapshot snapshot = store.read(request.snapshot(), scope.retry());
      return converger(request, scope).schemas(snapshot.schemas()).withRetries(scope.retries());
    }
  }

  @Override
  public ChangeCounts convergeGrants(ConvergeRequest request) {
    try (ActivityScope scope = ActivityScope.start()) {
      ControlPlaneSnapshot snapshot = store.read(request.snapshot(), scope.retry());
      return converger(request, scope).grants(snapshot.grants()).withRetries(scope.retries());
    }
  }

  @Override
  public ChangeCounts removeCreatedByRun(ConvergeRequest request) {
    try (ActivityScope scope = ActivityScope.start()) {
      return converger(request, scope)
          .removeCreatedBy(request.runId())
          .withRetries(scope.retries());
    }
  }

  @Override
  public java.util.List<dev.failover.workflows.steps.ComponentPreview> preview(
      dev.failover.workflows.steps.PreviewRequest request) {
    try (ActivityScope scope = ActivityScope.start()) {
      return new dev.failover.activities.unitycatalog.ConvergePreview(
              new dev.failover.activities.unitycatalog.UnityCatalogReader(
                  clients.workspace(request.source()), request.source().host(), scope.retry()),
              new dev.failover.activities.unitycatalog.UnityCatalogReader(
                  clients.workspace(request.target()), request.target().host(), scope.retry()),
              new ExpectedState(request.storagePathRewrites()))
          .preview(request.catalogs(), request.source().host());
    }
  }

  private UnityCatalogConverger converger(ConvergeRequest request, ActivityScope scope) {
    return new UnityCatalogConverger(
        clients.workspace(request.target()),
        request.target().host(),
        new ExpectedState(request.storagePathRewrites()),
        request.runbook(),
        request.runId(),
        scope.progress(),
        scope.retry());
  }
}
