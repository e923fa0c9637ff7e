package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;

/** Read-only checks that the DR side can take over before anything changes. */
@ActivityInterface
public interface ReadinessActivities {
  /** Verifies that a workspace answers with the profile's credentials; returns who we are. */
  String checkWorkspace(WorkspaceTarget workspace);

  /**
   * Verifies through the account API that the account has the workspace, that it is RUNNING, and
   * that its deployment is the workspace's host in the runbook; read-only, never creates it. Fails
   * with {@link FailureTypes#NOT_READY} and a one-line reason otherwise.
   *
   * @param account the account, with the workspace's id in it
   * @param workspace the workspace as the runbook names it
   */
  String checkAccountWorkspace(AccountTarget account, WorkspaceTarget workspace);

  /**
   * Validates, read-only, each storage credential of the target that the source's external
   * locations will use there (mapped, or of the same name) against the location's replica URL, with
   * Unity Catalog's validate-storage-credentials API. Fails with {@link FailureTypes#NOT_READY}
   * naming every credential whose IAM role does not trust its external id, and the id to add, and
   * every mapped credential the target lacks. A credential the target lacks and the run will create
   * is only reported: its external id does not exist yet.
   */
  String checkStorageCredentials(StorageCredentialCheck check);
}
