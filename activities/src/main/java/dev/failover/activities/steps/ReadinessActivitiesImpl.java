package dev.failover.activities.steps;

import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.User;
import dev.failover.activities.clients.CloudClients;
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

  private static ApplicationFailure notReady(String message) {
    return ApplicationFailure.newFailure(message, FailureTypes.NOT_READY);
  }
}
