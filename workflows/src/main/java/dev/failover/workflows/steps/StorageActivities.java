package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The data plane: S3 replication health, replica promotion, failback, Delta consistency. */
@ActivityInterface
public interface StorageActivities {
  /**
   * Read-only. Measures one direction of a pair's replication: versioning on both buckets, the
   * enabled rule, and the backlog. Fails with {@link FailureTypes#NOT_READY} when versioning or the
   * rule is missing; an unreachable source region is reported, not thrown.
   *
   * @param reverse false for primary-to-replica, true for replica-to-primary
   */
  ReplicationHealth measureReplication(BucketPairTarget pair, boolean reverse, int lookbackHours);

  /**
   * Failover: waits (up to the bound) for the primary-to-replica backlog to drain, stops that
   * direction, sets up replica-to-primary replication and tags both buckets with their new roles.
   * With the primary unreachable it tags the replica only and records what could not run.
   */
  StorageChange promoteReplica(StorageRequest request);

  /**
   * Failback: waits (up to the bound) for the replica-to-primary backlog to drain and fails when
   * data written on the replica would be lost; then removes the reverse rule, restores the
   * primary's original rules and swaps the tags back.
   */
  StorageChange restoreReplication(StorageRequest request);

  /** Read-only. Checks each external Delta table of the snapshot at its replica location. */
  List<DeltaTableCheck> checkDeltaTables(DeltaCheckRequest request);
}
