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
   * Converges one batch of one component (any of the worker's components, or {@code grants}):
   * creates what is missing, updates what differs, heartbeating its progress.
   */
  ComponentResult convergeBatch(ComponentBatch batch);

  /**
   * Read-only: checks one batch of one component against the target (the smoke test); counts what
   * converging would still change, and describes the first differences.
   */
  ComponentResult checkBatch(ComponentBatch batch);

  /**
   * Read-only: reads the target's copies of the snapshot's items of a component ahead of its
   * converge step, while the steps it needs still run, and keeps them in this worker for that
   * step's batches; a batch that finds none there (a retry, another worker) reads the target
   * itself. Returns how many copies it read.
   */
  int readAhead(ConvergeRequest request, String component);

  /**
   * Read-only: like {@link #readAhead}, before there is a snapshot ({@code request.snapshot()} is
   * null): reads every copy of a component the target holds, for a drill whose capture still runs.
   * Returns how many copies it read.
   */
  int readAheadAll(ConvergeRequest request, String component);

  /**
   * A drill's converge of the items capture hands on as it reads them (those that name no other
   * object, such as jobs that use no warehouse, cluster or policy), while capture, on this worker,
   * still reads the rest into the snapshot at {@code snapshotKey} in {@code store}: each that the
   * target can already hold is converged, recorded in the drill's ledger first like any create. The
   * batches that follow leave those items out. Returns what it did, and at once with nothing done
   * when capture does not run on this worker or has read the component already. A write the service
   * refuses ends it early; the batches converge what it left.
   */
  ComponentResult convergeAsCaptured(
      ConvergeRequest request, String component, BucketTarget store, String snapshotKey);

  /**
   * Removes from the target the objects of {@code component} that run {@code request.runId()}
   * recorded as created: a drill's clean-up of one component.
   */
  ChangeCounts removeComponentCreatedByRun(ConvergeRequest request, String component);

  /**
   * Sets each job's schedule, trigger or continuous run in the target to the pause status it had
   * when captured: converge creates jobs paused, and a failover or failback resumes them here.
   *
   * @param sourceFence where the fence of the side left recorded the schedules it paused (they
   *     count as running); null when the run did not fence it
   */
  ComponentResult restoreJobSchedules(ConvergeRequest request, FenceRequest sourceFence);

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
