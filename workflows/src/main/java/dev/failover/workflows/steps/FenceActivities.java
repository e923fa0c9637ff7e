package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;

/**
 * Fencing: keeping the side a run moves away from from writing while the other side takes over, so
 * the two never both write the same data. Idempotent; what a fence changed is kept in the state
 * bucket so that unfencing restores exactly that, and nothing an operator had paused on purpose.
 */
@ActivityInterface
public interface FenceActivities {
  /**
   * Pauses the schedules of the workspace's jobs whose schedule is active and stops its running or
   * starting SQL warehouses; records them (merged with an earlier record) before changing them.
   */
  FenceResult fence(FenceRequest request);

  /**
   * Undoes a recorded fence of the workspace: unpauses the schedules and starts the warehouses it
   * recorded (those since deleted are reported), then deletes the record. No record: no change.
   */
  FenceResult unfence(FenceRequest request);
}
