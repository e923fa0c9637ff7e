package dev.failover.workflows.runbook;

/**
 * The Databricks account both workspaces belong to, reached through the account API. Optional: when
 * a runbook has it, readiness checks the target workspace in the account (RUNNING, at the runbook's
 * host) and the groups step checks the groups in the account and assigns them to the target
 * workspace; without it, both work from the workspaces' own APIs only.
 *
 * @param host the account console's URL, such as {@code https://accounts.cloud.databricks.com}
 * @param accountId the account's id, a UUID
 * @param credentialProfile the profile (in the Databricks config file) that authenticates to the
 *     account API, never a secret
 * @param primaryWorkspaceId the primary workspace's id in the account
 * @param secondaryWorkspaceId the secondary workspace's id in the account
 */
public record AccountSettings(
    String host,
    String accountId,
    String credentialProfile,
    long primaryWorkspaceId,
    long secondaryWorkspaceId) {}
