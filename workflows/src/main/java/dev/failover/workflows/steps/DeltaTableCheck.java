package dev.failover.workflows.steps;

/**
 * Whether an external Delta table's replica can be read at its latest version.
 *
 * @param table the table's full name
 * @param replicaLocation the table's location in the replica bucket
 * @param status what was found
 * @param replicaVersion the latest commit in the replica's {@code _delta_log}, or null
 * @param primaryVersion the latest commit in the primary's log, or null when not read
 * @param newestConsistentVersion the newest version whose data files are all in the replica, or
 *     null when there is none
 * @param missingFiles data files the latest replica version needs that the replica lacks
 * @param detail one line for the report: what is missing or what was not checked
 */
public record DeltaTableCheck(
    String table,
    String replicaLocation,
    Status status,
    Long replicaVersion,
    Long primaryVersion,
    Long newestConsistentVersion,
    int missingFiles,
    String detail) {

  /** The result of the check. */
  public enum Status {
    /** The latest replica commit is complete and no older than the primary's. */
    CONSISTENT,
    /** Complete, but the primary has newer commits that have not arrived. */
    BEHIND,
    /** The latest replica commit names data files that are not in the replica: restore needed. */
    TORN,
    /** No {@code _delta_log} at the replica location. */
    MISSING
  }
}
