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

  /**
   * Removes from the target what run {@code request.runId()} created there (by the run mark it put
   * on catalogs and schemas): a drill's clean-up. Counts what it removed.
   */
  ChangeCounts removeCreatedByRun(ConvergeRequest request);

  /**
   * Read-only: what converging would do to the target, per component, comparing the source read
   * live with the target (a dry run stores no snapshot, so nothing is written anywhere).
   */
  java.util.List<ComponentPreview> preview(PreviewRequest request);
}
