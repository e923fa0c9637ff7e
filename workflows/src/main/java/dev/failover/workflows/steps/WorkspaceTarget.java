package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.Runbook;

/**
 * A Databricks workspace a step talks to: its role in the runbook, host, region, and the name of
 * the credential profile the worker resolves (never the credential itself).
 */
public record WorkspaceTarget(String side, String host, String region, String credentialProfile) {
  public static WorkspaceTarget of(String side, Runbook.Side runbookSide) {
    return new WorkspaceTarget(
        side, runbookSide.workspaceHost(), runbookSide.region(), runbookSide.credentialProfile());
  }
}
