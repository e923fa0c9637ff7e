package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;

/**
 * What starts a run: the validated runbook, the mode, an optional incident id, and who asked. It
 * holds no secrets: credentials are resolved by the worker from profile names.
 *
 * @param keep for a drill: keep what it created in DR instead of removing it at the end
 * @param searchAttributes whether the run keeps its phase and outcome in search attributes (they
 *     must be registered on the namespace; see {@link RunSearchAttributes})
 * @param compareAll for a failover: compare every object of DR with the snapshot even when a drill
 *     or failover recorded the snapshot DR last matched ({@code VerifiedTarget}); without it only
 *     what changed since is converged and checked
 * @param fromNewestSnapshot for a failover: converge DR from the primary's newest snapshot in the
 *     replica bucket, as the outage path does, instead of reading the primary, even when it
 *     answers; what changed on the primary since that snapshot is not carried over, and the
 *     snapshot's age is the run's control-plane RPO
 */
public record RunRequest(
    Runbook runbook,
    Mode mode,
    String incidentId,
    String requestedBy,
    boolean keep,
    boolean searchAttributes,
    boolean compareAll,
    boolean fromNewestSnapshot) {

  /** A request that converges a failover from the snapshot DR last matched, when there is one. */
  public RunRequest(
      Runbook runbook,
      Mode mode,
      String incidentId,
      String requestedBy,
      boolean keep,
      boolean searchAttributes) {
    this(runbook, mode, incidentId, requestedBy, keep, searchAttributes, false, false);
  }

  /** A request that keeps nothing a drill created and sets no search attributes. */
  public RunRequest(Runbook runbook, Mode mode, String incidentId, String requestedBy) {
    this(runbook, mode, incidentId, requestedBy, false, false, false, false);
  }
}
