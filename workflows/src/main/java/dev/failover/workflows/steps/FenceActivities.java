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
   * Pauses every active schedule, trigger and continuous job of the workspace, stops its running or
   * starting SQL warehouses and its pipelines with an update under way, then cancels, waits for or
   * leaves the job runs in progress as {@link FenceRequest#settings()} says; records what it is
   * about to change (merged with an earlier record) before changing it. Runs left running or still
   * going at the bound are reported as risks.
   */
  FenceResult fence(FenceRequest request);

  /**
   * Undoes a recorded fence of the workspace: unpauses the schedules, triggers and continuous jobs
   * and starts the warehouses and continuous pipelines it recorded (those since deleted are
   * reported; cancelled runs are listed, not run again), then deletes the record. No record: no
   * change.
   */
  FenceResult unfence(FenceRequest request);
}
