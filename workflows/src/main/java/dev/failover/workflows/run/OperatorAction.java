package dev.failover.workflows.run;

/**
 * An operator's control of a run in flight (pause, resume, abort), recorded in the history and the
 * report.
 *
 * @param by who acts
 * @param reason why, or null
 */
public record OperatorAction(String by, String reason) {}
