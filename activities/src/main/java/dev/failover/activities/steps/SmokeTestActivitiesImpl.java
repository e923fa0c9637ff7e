package dev.failover.activities.steps;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.activities.snapshot.SinceVerified;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.storage.StateObjects;
import dev.failover.activities.unitycatalog.ControlPlaneVerifier;
import dev.failover.activities.unitycatalog.ExpectedState;
import dev.failover.activities.unitycatalog.UnityCatalogReader;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.VerifiedTarget;
import io.temporal.failure.ApplicationFailure;
import java.util.List;

/** Proves, read-only, that the DR workspace matches the snapshot. */
public final class SmokeTestActivitiesImpl implements SmokeTestActivities {
  private static final int MAX_LISTED = 10;
  private final CloudClients clients;
  private final SnapshotStore store;

  public SmokeTestActivitiesImpl(CloudClients clients, SnapshotStore store) {
    this.clients = clients;
    this.store = store;
  }

  @Override
  public int verifyControlPlane(ConvergeRequest request) {
    ControlPlaneSnapshot snapshot;
    List<String> differences;
    ActivityScope scope = ActivityScope.current();
    snapshot = sinceVerified(store.read(request.snapshot(), scope.retry()), request, scope);
    ControlPlaneVerifier verifier =
        new ControlPlaneVerifier(
            new UnityCatalogReader(
                clients.workspace(request.target()), request.target().host(), scope.retry()),
            new ExpectedState(request.storagePathRewrites(), request.drillKeepingOwnership()),
            scope.progress());
    differences = verifier.differences(snapshot);
    if (!differences.isEmpty()) {
      throw ApplicationFailure.newFailure(
          differences.size()
              + " difference(s) between "
              + request.target().host()
              + " and the snapshot: "
              + String.join("; ", differences.subList(0, Math.min(MAX_LISTED, differences.size())))
              + (differences.size() > MAX_LISTED ? "; ..." : ""),
          FailureTypes.SMOKE_TEST_FAILED);
    }
    return snapshot.catalogs().size() + snapshot.schemas().size() + snapshot.grants().size();
  }

  /**
   * The snapshot with only the grants that changed since the snapshot the target last matched, when
   * the request has one; catalogs and schemas are always compared (a drill leaves their owners to
   * the worker, which a failover changes).
   */
  private ControlPlaneSnapshot sinceVerified(
      ControlPlaneSnapshot snapshot, ConvergeRequest request, ActivityScope scope) {
    if (request.verifiedSnapshot() == null) {
      return snapshot;
    }
    ControlPlaneSnapshot verified = store.read(request.verifiedSnapshot(), scope.retry());
    return snapshot.withGrants(
        SinceVerified.changed(snapshot.grants(), verified.grants(), SinceVerified::securable));
  }

  @Override
  public void recordVerifiedTarget(BucketTarget storeAt, String key, VerifiedTarget verified) {
    new StateObjects(clients, ActivityScope.current().retry()).save(storeAt, key, verified);
  }
}
