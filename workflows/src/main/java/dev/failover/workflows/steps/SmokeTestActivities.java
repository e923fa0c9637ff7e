package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;

/** Checks, read-only, that the target workspace now matches the snapshot. */
@ActivityInterface
public interface SmokeTestActivities {
  /**
   * Compares catalogs, schemas and grants in the target with the snapshot; returns how many objects
   * were checked, or fails with type {@link FailureTypes#SMOKE_TEST_FAILED} naming the differences.
   */
  int verifyControlPlane(ConvergeRequest request);

  /**
   * Stores at {@code key} that the target matched the snapshot, once the smoke test passed, for the
   * next failover to converge only what changed since ({@link VerifiedTarget}).
   */
  void recordVerifiedTarget(BucketTarget store, String key, VerifiedTarget verified);
}
