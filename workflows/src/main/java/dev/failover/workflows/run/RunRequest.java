package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;

/**
 * What starts a run: the validated runbook, the mode, an optional incident id, and who asked. It
 * holds no secrets: credentials are resolved by the worker from profile names.
 *
 * @param keep for a drill: keep what it created in DR instead of removing it at the end
 * @param searchAttributes whether the run keeps its phase and outcome in search attributes (they
 *     must be registered on the namespace; see {@link RunSearchAttributes})
 */
public record RunRequest(
    Runbook runbook,
    Mode mode,
    String incidentId,
    String requestedBy,
    boolean keep,
    boolean searchAttributes) {

  /** A request that keeps nothing a drill created and sets no search attributes. */
  public RunRequest(Runbook runbook, Mode mode, String incidentId, String requestedBy) {
    this(runbook, mode, incidentId, requestedBy, false, false);
  }
}
