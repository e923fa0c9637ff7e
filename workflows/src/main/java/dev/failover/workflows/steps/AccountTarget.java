package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.AccountSettings;
import dev.failover.workflows.runbook.Runbook;

/**
 * The Databricks account a step talks to through the account API, and the workspace of that account
 * the step is about: the account console's host, the account id, the name of the credential profile
 * the worker resolves (never the credential itself), and the workspace's id in the account. The
 * client is the same for every workspace of the account; only the requests name the workspace.
 */
public record AccountTarget(
    String host, String accountId, String credentialProfile, long workspaceId) {

  /** The runbook's account, about the workspace on {@code side} (primary or secondary). */
  public static AccountTarget of(Runbook runbook, String side) {
    AccountSettings account = runbook.account();
    return new AccountTarget(
        account.host(),
        account.accountId(),
        account.credentialProfile(),
        runbook.workspaceId(side));
  }
}
