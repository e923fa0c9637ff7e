package dev.failover.activities.steps;

import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.User;
import com.databricks.sdk.service.provisioning.Workspace;
import com.databricks.sdk.service.provisioning.WorkspaceStatus;
import dev.failover.activities.clients.CloudClients;
import dev.failover.workflows.steps.AccountTarget;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.failure.ApplicationFailure;

/** Read-only readiness checks over the Databricks and S3 APIs. */
public final class ReadinessActivitiesImpl implements ReadinessActivities {
  private final CloudClients clients;

  public ReadinessActivitiesImpl(CloudClients clients) {
    this.clients = clients;
  }

  @Override
  public String checkWorkspace(WorkspaceTarget workspace) {
    try (ActivityScope scope = ActivityScope.start()) {
      User me =
          scope
              .retry()
              .databricks(
                  "check that the "
                      + workspace.side()
                      + " workspace "
                      + workspace.host()
                      + " answers",
                  () -> clients.workspace(workspace).currentUser().me(new MeRequest()));
      return workspace.side()
          + " workspace "
          + workspace.host()
          + " answers as "
          + me.getUserName();
    }
  }

  /**
   * Looks the workspace up in the account ({@code WorkspacesAPI.get}): it must exist, be RUNNING,
   * and its deployment name must be the first label of the runbook's host ({@code
   * https://<deployment_name>.cloud.databricks.com}). Never creates or changes it.
   */
  @Override
  public String checkAccountWorkspace(AccountTarget account, WorkspaceTarget workspace) {
    try (ActivityScope scope = ActivityScope.start()) {
      String where =
          "the "
              + workspace.side()
              + " workspace (id "
              + account.workspaceId()
              + ") in account "
              + account.accountId();
      Workspace found;
      try {
        found =
            scope
                .retry()
                .databricks(
                    "look up " + where,
                    () -> clients.account(account).workspaces().get(account.workspaceId()));
      } catch (ApplicationFailure e) {
        if (FailureTypes.NOT_FOUND.equals(e.getType())) {
          throw notReady(
              "account "
                  + account.accountId()
                  + " has no workspace "
                  + account.workspaceId()
                  + ": check account."
                  + workspace.side()
                  + "WorkspaceId in the runbook (this tool never creates a workspace)");
        }
        throw e;
      }
      WorkspaceStatus status = found.getWorkspaceStatus();
      if (status != WorkspaceStatus.RUNNING) {
        throw notReady(
            where
                + " is "
                + status
                + (found.getWorkspaceStatusMessage() == null
                    ? ""
                    : " (" + found.getWorkspaceStatusMessage() + ")")
                + ", not RUNNING; it cannot take over until it runs");
      }
      String deployment = found.getDeploymentName();
      String hostLabel = firstLabel(workspace.host());
      if (deployment == null || !deployment.equalsIgnoreCase(hostLabel)) {
        throw notReady(
            where
                + " is deployment '"
                + deployment
                + "', but the runbook's "
                + workspace.side()
                + ".workspaceHost is "
                + workspace.host()
                + ": the workspace id or the host in the runbook is wrong");
      }
      return workspace.side()
          + " workspace is RUNNING in account "
          + account.accountId()
          + " as "
          + deployment
          + (found.getAwsRegion() == null ? "" : " in " + found.getAwsRegion());
    }
  }

  /** The first DNS label of a URL's host: {@code dbc-1234} of {@code https://dbc-1234.cloud...}. */
  private static String firstLabel(String url) {
    String host = java.net.URI.create(url).getHost();
    if (host == null) {
      return "";
    }
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }

  private static ApplicationFailure notReady(String message) {
    return ApplicationFailure.newFailure(message, FailureTypes.NOT_READY);
  }
}
