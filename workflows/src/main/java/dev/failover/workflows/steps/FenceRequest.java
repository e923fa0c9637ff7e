package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.FenceSettings;

/**
 * Which workspace to fence or unfence, and where the record of a fence is kept.
 *
 * @param workspace the workspace
 * @param store the state bucket
 * @param stateKey the key of the fence record, {@code failover/<runbook>/fence/<side>.json}
 * @param runId the run that fences, recorded with what it changed
 * @param settings the runbook's {@code fence} section: what to do with runs in progress
 */
public record FenceRequest(
    WorkspaceTarget workspace,
    BucketTarget store,
    String stateKey,
    String runId,
    FenceSettings settings) {
  public FenceRequest {
    if (settings == null) {
      settings = FenceSettings.DEFAULT;
    }
  }

  /** A request with the default settings (an unfence needs none). */
  public FenceRequest(
      WorkspaceTarget workspace, BucketTarget store, String stateKey, String runId) {
    this(workspace, store, stateKey, runId, FenceSettings.DEFAULT);
  }
}
