package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/** Reads the active side's control plane into a snapshot kept in the replica bucket. */
@ActivityInterface
public interface CaptureActivities {
  /**
   * Captures catalogs, schemas and grants from {@code source} (never writing to it) and stores the
   * snapshot at {@code key} in {@code store}.
   *
   * @param catalogs the catalogs to capture; empty means every non-system catalog
   */
  SnapshotRef captureControlPlane(
      WorkspaceTarget source, List<String> catalogs, BucketTarget store, String key);
}
