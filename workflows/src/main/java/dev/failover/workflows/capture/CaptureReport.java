package dev.failover.workflows.capture;

import dev.failover.workflows.steps.SnapshotDrift;
import dev.failover.workflows.steps.SnapshotRef;

/**
 * The result of a capture.
 *
 * @param runbook the runbook
 * @param snapshot the new snapshot
 * @param previous the snapshot it was compared with, or null for the first one
 * @param drift what changed since the previous snapshot, per component
 * @param skipped why nothing was captured (the DR side serves as the active side), or null
 */
public record CaptureReport(
    String runbook,
    SnapshotRef snapshot,
    SnapshotRef previous,
    SnapshotDrift drift,
    String skipped) {}
