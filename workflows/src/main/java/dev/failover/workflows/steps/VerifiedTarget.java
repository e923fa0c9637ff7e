package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import java.util.List;

/**
 * A run's record that the target workspace matched a snapshot when its smoke test passed: the
 * baseline a later failover converges the drift from. Any run that converges the target first
 * claims (deletes) it, so a record exists only while nothing but people can have changed the target
 * since.
 *
 * @param snapshot the snapshot the target matched
 * @param targetHost the workspace checked
 * @param runId the run whose smoke test passed
 * @param mode that run's mode ({@code drill} with {@code --keep}, {@code failover})
 * @param verifiedAt when the smoke test passed (ISO-8601)
 * @param storagePathRewrites the runbook's rewrites the target was converged with
 * @param compute the compute rules it was converged with
 * @param storageCredentials the storage credential mappings it was converged with
 */
public record VerifiedTarget(
    SnapshotRef snapshot,
    String targetHost,
    String runId,
    String mode,
    String verifiedAt,
    List<Runbook.PathRewrite> storagePathRewrites,
    ComputeRules compute,
    Runbook.StorageCredentials storageCredentials) {

  /**
   * Whether a run converging {@code request}'s target with its settings may trust this record: the
   * same workspace, and the same rewrites, compute rules and credential mappings, since those shape
   * what every item must look like in the target.
   */
  public boolean holdsFor(ConvergeRequest request) {
    return request.target().host().equals(targetHost)
        && request.storagePathRewrites().equals(storagePathRewrites)
        && request.compute().equals(compute)
        && request.storageCredentials().equals(storageCredentials);
  }
}
