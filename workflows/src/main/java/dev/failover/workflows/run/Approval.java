package dev.failover.workflows.run;

/**
 * An operator's approval of a run, as sent by {@code failover approve}; it is recorded in the
 * workflow history and the report.
 *
 * @param by who approves
 * @param comment why, or a reference to the incident channel
 */
public record Approval(String by, String comment) {}
