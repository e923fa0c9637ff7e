package dev.failover.workflows.steps;

/**
 * Which workspace to fence or unfence, and where the record of a fence is kept.
 *
 * @param workspace the workspace
 * @param store the state bucket
 * @param stateKey the key of the fence record, {@code failover/<runbook>/fence/<side>.json}
 * @param runId the run that fences, recorded with what it changed
 */
public record FenceRequest(
    WorkspaceTarget workspace, BucketTarget store, String stateKey, String runId) {}
