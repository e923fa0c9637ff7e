package dev.failover.activities.steps;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.catalog.ExternalLocationInfo;
import com.databricks.sdk.service.catalog.GetMetastoreSummaryResponse;
import com.databricks.sdk.service.catalog.ListExternalLocationsRequest;
import com.databricks.sdk.service.catalog.ListStorageCredentialsRequest;
import com.databricks.sdk.service.catalog.StorageCredentialInfo;
import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.User;
import com.databricks.sdk.service.provisioning.Workspace;
import com.databricks.sdk.service.provisioning.WorkspaceStatus;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.components.unitycatalog.CredentialValidation;
import dev.failover.workflows.runbook.Runbook.PathRewrite;
import dev.failover.workflows.steps.AccountTarget;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.StorageCredentialCheck;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Read-only readiness checks over the Databricks and S3 APIs. */
public final class ReadinessActivitiesImpl implements ReadinessActivities {
  private final CloudClients clients;

  public ReadinessActivitiesImpl(CloudClients clients) {
    this.clients = clients;
  }

  /**
   * The workspace answers, and the worker's principal holds the rights converge needs there ({@link
   * WorkerRights}), read-only: a missing right fails readiness, naming every one, before any write.
   * Both sides are checked, as a failback converges the primary.
   */
  @Override
  public String checkWorkspace(WorkspaceTarget workspace) {
    ActivityScope scope = ActivityScope.current();
    WorkerRights rights =
        new WorkerRights(clients.workspace(workspace), workspace.host(), scope.retry());
    // Who the worker is and the metastore, read side by side; an unanswered first read fails first.
    Concurrently.Both<User, GetMetastoreSummaryResponse> read =
        Concurrently.both(
            () ->
                scope
                    .retry()
                    .databricks(
                        "check that the "
                            + workspace.side()
                            + " workspace "
                            + workspace.host()
                            + " answers",
                        () -> clients.workspace(workspace).currentUser().me(new MeRequest())),
            rights::metastore);
    User me = read.first();
    List<String> missing = rights.missing(me, read.second());
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          me.getUserName()
              + " lacks in the "
              + workspace.side()
              + " workspace "
              + workspace.host()
              + ": "
              + String.join("; ", missing)
              + " (README, \"Least privilege\": grant them, then run again)",
          FailureTypes.PERMISSION_DENIED);
    }
    return workspace.side() + " workspace " + workspace.host() + " answers as " + me.getUserName();
  }

  /**
   * Looks the workspace up in the account ({@code WorkspacesAPI.get}): it must exist, be RUNNING,
   * and its deployment name must be the first label of the runbook's host ({@code
   * https://<deployment_name>.cloud.databricks.com}). Never creates or changes it.
   */
  @Override
  public String checkAccountWorkspace(AccountTarget account, WorkspaceTarget workspace) {
    ActivityScope scope = ActivityScope.current();
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

  @Override
  public String checkStorageCredentials(StorageCredentialCheck check) {
    ActivityScope scope = ActivityScope.current();
    WorkspaceClient source = clients.workspace(check.source());
    WorkspaceClient target = clients.workspace(check.target());
    String targetHost = check.target().host();
    // The source's locations and the target's credentials, read side by side.
    Concurrently.Both<List<ExternalLocationInfo>, Set<String>> read =
        Concurrently.both(
            () ->
                scope
                    .retry()
                    .databricks(
                        "list external locations in " + check.source().host(),
                        () ->
                            StreamSupport.stream(
                                    source
                                        .externalLocations()
                                        .list(new ListExternalLocationsRequest())
                                        .spliterator(),
                                    false)
                                .toList()),
            () ->
                scope
                    .retry()
                    .databricks(
                        "list storage credentials in " + targetHost,
                        () ->
                            StreamSupport.stream(
                                    target
                                        .storageCredentials()
                                        .list(new ListStorageCredentialsRequest())
                                        .spliterator(),
                                    false)
                                .map(StorageCredentialInfo::getName)
                                .collect(Collectors.toSet())));
    List<ExternalLocationInfo> locations = read.first();
    Set<String> existing = read.second();
    Set<String> toCreate = new TreeSet<>();
    List<ExternalLocationInfo> toValidate = new ArrayList<>();
    for (ExternalLocationInfo location : locations) {
      String credential = check.storageCredentials().target(location.getCredentialName());
      if (existing.contains(credential)) {
        toValidate.add(location);
      } else if (!check.storageCredentials().isMappedTarget(credential)) {
        toCreate.add(credential);
      }
    }
    // Read-only: a full validation writes and deletes a test object under the URL. A few
    // locations at a time.
    List<CredentialValidation.Outcome> outcomes =
        Concurrently.map(
            toValidate,
            Concurrently.IN_FLIGHT,
            location ->
                CredentialValidation.validate(
                    target,
                    targetHost,
                    scope.retry(),
                    check.storageCredentials().target(location.getCredentialName()),
                    PathRewrite.apply(check.storagePathRewrites(), location.getUrl()),
                    true),
            n -> {});
    // The problems in the locations' order.
    List<String> problems = new ArrayList<>();
    Set<String> validated = new TreeSet<>();
    java.util.Iterator<CredentialValidation.Outcome> outcome = outcomes.iterator();
    for (ExternalLocationInfo location : locations) {
      String credential = check.storageCredentials().target(location.getCredentialName());
      if (existing.contains(credential)) {
        CredentialValidation.Outcome validation = outcome.next();
        if (!validation.usable()) {
          problems.add(validation.describe());
        }
        validated.add(credential);
      } else if (check.storageCredentials().isMappedTarget(credential)) {
        problems.add(
            "storageCredentials.map names "
                + credential
                + " for "
                + location.getCredentialName()
                + ", missing in "
                + targetHost
                + ": create it there, with its IAM role trusting its external id");
      }
    }
    if (!problems.isEmpty()) {
      throw notReady(String.join("; ", problems));
    }
    return "storage credentials in "
        + targetHost
        + " reach the "
        + locations.size()
        + " external locations' replica URLs ("
        + String.join(", ", validated)
        + ")"
        + (toCreate.isEmpty()
            ? ""
            : "; WARNING: the run will create "
                + String.join(", ", toCreate)
                + ", whose new external ids their IAM roles must trust before external locations"
                + " on them are created (map them to credentials set up ahead of time in"
                + " storageCredentials.map)");
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
