package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Reads the active side's control plane into a snapshot kept in the replica bucket. */
@ActivityInterface
public interface CaptureActivities {
  /**
   * Captures catalogs, schemas, tables, every further component the worker knows (jobs, SQL
   * warehouses, ...) and their grants from {@code source} (never writing to it), and stores the
   * snapshot at {@code key} in {@code store}.
   *
   * @param catalogs the catalogs to capture; empty means every non-system catalog
   */
  SnapshotRef captureControlPlane(
      WorkspaceTarget source, List<String> catalogs, BucketTarget store, String key);

  /**
   * Read-only. The newest snapshot under {@code prefix} captured from {@code source}, its digest
   * checked, or null when there is none. The outage path converges from it when the primary does
   * not answer.
   */
  SnapshotRef latestSnapshot(WorkspaceTarget source, BucketTarget store, String prefix);

  /**
   * Read-only. The bucket's role as the runbook's failover and failback marked it: {@code active}
   * once a failover promoted it, {@code standby} once a failback restored the primary, or null when
   * it was never marked. The marker object in the bucket decides; the {@code failover:role} tag
   * only when there is no marker object.
   */
  String bucketRole(BucketTarget bucket, String runbook);

  /**
   * The record at {@code key} of the snapshot the target last matched, deleted as it is read, or
   * null when there is none. Every run claims it before converging: a run that changes the target
   * makes the record stale until its own smoke test writes a new one. A lost answer loses the
   * record, which costs the next failover a full comparison, never a wrong one.
   */
  VerifiedTarget claimVerifiedTarget(BucketTarget store, String key);

  /** Read-only. How {@code current} differs from {@code previous} (null: all is added). */
  SnapshotDrift drift(SnapshotRef previous, SnapshotRef current);
}
