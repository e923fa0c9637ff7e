package dev.failover.activities.steps;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.storage.Buckets;
import dev.failover.activities.storage.CatchUpCopy;
import dev.failover.activities.storage.DeltaLogCheck;
import dev.failover.activities.storage.ReplicaPromotion;
import dev.failover.activities.storage.ReplicationMeter;
import dev.failover.activities.storage.ReverseRoleCheck;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.DeltaCheckRequest;
import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.StorageRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The data-plane steps over the AWS SDK; the logic lives in the {@code storage} package. */
public final class StorageActivitiesImpl implements StorageActivities {
  private final CloudClients clients;
  private final SnapshotStore snapshots;
  private final Clock clock;

  public StorageActivitiesImpl(CloudClients clients, SnapshotStore snapshots, Clock clock) {
    this.clients = clients;
    this.snapshots = snapshots;
    this.clock = clock;
  }

  @Override
  public ReplicationHealth measureReplication(
      BucketPairTarget pair, boolean reverse, int lookbackHours) {
    ActivityScope scope = ActivityScope.current();
    return meter(scope).measure(pair, reverse, lookbackHours);
  }

  @Override
  public StorageChange promoteReplica(StorageRequest request) {
    ActivityScope scope = ActivityScope.current();
    return promotion(scope).promote(request);
  }

  @Override
  public StorageChange restoreReplication(StorageRequest request) {
    ActivityScope scope = ActivityScope.current();
    Buckets buckets = new Buckets(clients, scope.retry());
    CatchUpCopy catchUp =
        new CatchUpCopy(buckets, scope.progress(), () -> tableNames(request, scope));
    return promotion(scope).restore(request, catchUp);
  }

  /**
   * The external tables of the run's newest snapshot by storage location, to name the tables of
   * keys a failback refuses to copy; empty when there is no snapshot or it cannot be read, since
   * the refusal must not depend on it.
   */
  private Map<String, String> tableNames(StorageRequest request, ActivityScope scope) {
    String prefix = "failover/" + request.pair().runbook() + "/snapshots/";
    try {
      return snapshots
          .latest(request.store(), prefix, null, scope.retry())
          .map(ref -> snapshots.read(ref, scope.retry()))
          .map(StorageActivitiesImpl::byLocation)
          .orElse(Map.of());
    } catch (ApplicationFailure e) {
      return Map.of();
    }
  }

  private static Map<String, String> byLocation(ControlPlaneSnapshot snapshot) {
    Map<String, String> names = new HashMap<>();
    for (ControlPlaneSnapshot.Table table : snapshot.allTables()) {
      if (table.storageLocation() != null) {
        names.put(withSlash(table.storageLocation()), table.fullName());
      }
    }
    return names;
  }

  @Override
  public List<DeltaTableCheck> checkDeltaTables(DeltaCheckRequest request) {
    ActivityScope scope = ActivityScope.current();
    ControlPlaneSnapshot snapshot = snapshots.read(request.snapshot(), scope.retry());
    DeltaLogCheck check = new DeltaLogCheck(new Buckets(clients, scope.retry()));
    List<ControlPlaneSnapshot.Table> tables =
        snapshot.allTables().stream()
            .filter(table -> table.externalDelta() && table.storageLocation() != null)
            .toList();
    // Each table's check is a few round trips one after another (its logs listed, its commits
    // read), so tables are checked side by side; the results keep the snapshot's order.
    return Concurrently.map(
        tables,
        Concurrently.IN_FLIGHT,
        table -> checkTable(check, table, request),
        scope.progress());
  }

  private DeltaTableCheck checkTable(
      DeltaLogCheck check, ControlPlaneSnapshot.Table table, DeltaCheckRequest request) {
    String source = withSlash(table.storageLocation());
    String location = Runbook.PathRewrite.apply(request.storagePathRewrites(), source);
    String bucket = DeltaLogCheck.bucketOf(location);
    BucketPairTarget pair =
        request.pairs().stream()
            .filter(p -> p.replica().bucket().equals(bucket) || p.primary().bucket().equals(bucket))
            .findFirst()
            .orElse(null);
    if (pair == null || !pair.replica().bucket().equals(bucket)) {
      return new DeltaTableCheck(
          table.fullName(),
          location,
          DeltaTableCheck.Status.MISSING,
          null,
          null,
          null,
          0,
          "its location is not in a replica bucket of the runbook: add a bucket pair and a"
              + " storagePathRewrites entry for it");
    }
    Long primaryVersion = null;
    if (request.comparePrimary()) {
      BucketTarget primary = pair.primary();
      try {
        primaryVersion = check.latestVersion(primary, DeltaLogCheck.prefixOf(source));
      } catch (ApplicationFailure e) {
        if (!Buckets.unreachable(e)) {
          throw e;
        }
      }
    }
    return check.check(table.fullName(), location, pair.replica(), primaryVersion);
  }

  private static String withSlash(String location) {
    return location.endsWith("/") ? location : location + "/";
  }

  private ReplicationMeter meter(ActivityScope scope) {
    return new ReplicationMeter(
        new Buckets(clients, scope.retry()),
        clock,
        scope.progress(),
        new ReverseRoleCheck(clients, scope.retry()));
  }

  private ReplicaPromotion promotion(ActivityScope scope) {
    Buckets buckets = new Buckets(clients, scope.retry());
    return new ReplicaPromotion(
        buckets, new ReplicationMeter(buckets, clock, scope.progress()), clock, scope::sleep);
  }
}
