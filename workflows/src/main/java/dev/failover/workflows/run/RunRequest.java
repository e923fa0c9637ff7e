package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;

/**
 * What starts a run: the validated runbook, the mode, an optional incident id, and who asked. It
 * holds no secrets: credentials are resolved by the worker from profile names.
 *
 * @param keep for a drill: keep what it created in DR instead of removing it at the end
 */
public record RunRequest(
    Runbook runbook, Mode mode, String incidentId, String requestedBy, boolean keep) {

  /** A request that keeps nothing a drill created. */
  public RunRequest(Runbook runbook, Mode mode, String incidentId, String requestedBy) {
    this(runbook, mode, incidentId, requestedBy, false);
  }
}
