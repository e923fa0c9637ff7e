package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;

/**
 * Makes the target workspace match the snapshot, one component at a time. Each method reads before
 * it writes and treats "already exists" as success, so a retry or a resumed run never duplicates.
 */
@ActivityInterface
public interface ConvergeActivities {
  ChangeCounts convergeCatalogs(ConvergeRequest request);

  ChangeCounts convergeSchemas(ConvergeRequest request);

  /** Sets the exact privilege set per principal on every captured catalog and schema. */
  ChangeCounts convergeGrants(ConvergeRequest request);
}
