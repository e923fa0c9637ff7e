/**
 * The activity interfaces the workflow calls, one per family of steps, with the small values they
 * exchange. Large state (the snapshot) never travels through these: only a {@link
 * dev.failover.workflows.steps.SnapshotRef} does.
 */
package dev.failover.workflows.steps;
