package dev.failover.activities.components.jobs;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.iam.ListGroupsRequest;
import com.databricks.sdk.service.iam.ListServicePrincipalsRequest;
import com.databricks.sdk.service.iam.ListUsersRequest;
import com.databricks.sdk.service.iam.ServicePrincipal;
import com.databricks.sdk.service.jobs.Job;
import com.databricks.sdk.service.jobs.JobRunAs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Who a job runs as, read and written. A read shows an explicit identity in {@code settings.run_as}
 * as it was set, a user, service principal or group (the jobs/get API reference: "The user or
 * service principal that the job runs as, if specified in the request ... To find the value in all
 * cases, explicit or implicit, use {@code run_as_user_name}"), which is taken as it is, so a group
 * stays a group. A job without one runs as its owner, which only {@code run_as_user_name} shows, a
 * user name or a service principal's application id; which of the two it is comes from the
 * workspace's service principals (SCIM), not from the name's form (the Terraform provider's guess
 * from the form set {@code service_principal_name} for user ids that looked like one:
 * databricks/terraform-provider-databricks#2689).
 *
 * <p>A copy is written with {@code run_as} set explicitly to the identity the original ran as, so
 * it never runs as whoever created it (the worker). Who may set {@code run_as} to whom is the
 * service's rule ({@code JobRunAs}): a user only to themselves unless a workspace admin; a service
 * principal only with the {@code servicePrincipal.user} role on it; a group only as its member. A
 * create or reset the service refuses for its {@code run_as} ({@link #refusesRunAs}) is refused for
 * that job ({@link Component.Refused}), naming the job, the identity and the right the worker
 * lacks; nothing is written for it.
 */
final class JobIdentities {
  private final Map<String, Set<String>> servicePrincipals = new ConcurrentHashMap<>();
  private final Map<String, String> workers = new ConcurrentHashMap<>();

  /** The identity {@code job} runs as in {@code workspace}; null when the read shows none. */
  JobItem.RunAs runAs(ComponentContext workspace, Job job) {
    JobItem.RunAs explicit =
        explicit(job.getSettings() == null ? null : job.getSettings().getRunAs());
    if (explicit != null) {
      return explicit;
    }
    String name = job.getRunAsUserName();
    if (name == null || name.isEmpty()) {
      return null;
    }
    return servicePrincipals(workspace).contains(name)
        ? JobItem.RunAs.servicePrincipal(name)
        : JobItem.RunAs.user(name);
  }

  /** The identity {@code settings.run_as} names, or null when it names none. */
  static JobItem.RunAs explicit(JobRunAs runAs) {
    if (runAs == null) {
      return null;
    }
    if (present(runAs.getUserName())) {
      return JobItem.RunAs.user(runAs.getUserName());
    }
    if (present(runAs.getServicePrincipalName())) {
      return JobItem.RunAs.servicePrincipal(runAs.getServicePrincipalName());
    }
    return present(runAs.getGroupName()) ? JobItem.RunAs.group(runAs.getGroupName()) : null;
  }

  private static boolean present(String name) {
    return name != null && !name.isEmpty();
  }

  /** The application ids of the workspace's service principals, read once (every page). */
  private Set<String> servicePrincipals(ComponentContext workspace) {
    return servicePrincipals.computeIfAbsent(
        workspace.host(),
        host ->
            workspace
                .retry()
                .databricks(
                    "list the service principals of " + host,
                    () -> {
                      Set<String> ids = new HashSet<>();
                      for (ServicePrincipal sp :
                          workspace
                              .workspace()
                              .servicePrincipals()
                              .list(new ListServicePrincipalsRequest())) {
                        ids.add(sp.getApplicationId());
                      }
                      return ids;
                    }));
  }

  /**
   * Whether the workspace lists the identity: a service principal among its service principals, a
   * user by a SCIM filter on {@code userName}, a group by one on {@code displayName}; each read
   * once per workspace and identity.
   */
  boolean present(ComponentContext workspace, JobItem.RunAs runAs) {
    if (runAs.servicePrincipalName() != null) {
      return servicePrincipals(workspace).contains(runAs.servicePrincipalName());
    }
    if (runAs.groupName() != null) {
      return groupPresent(workspace, runAs.groupName());
    }
    return users.computeIfAbsent(
        workspace.host() + "|" + runAs.userName(),
        at ->
            workspace
                .retry()
                .databricks(
                    "look up user " + runAs.userName() + " in " + workspace.host(),
                    () ->
                        workspace
                            .workspace()
                            .users()
                            .list(
                                new ListUsersRequest()
                                    .setFilter("userName eq \"" + runAs.userName() + "\"")
                                    .setAttributes("id,userName"))
                            .iterator()
                            .hasNext()));
  }

  private final Map<String, Boolean> users = new ConcurrentHashMap<>();

  private final Map<String, Boolean> groups = new ConcurrentHashMap<>();

  private boolean groupPresent(ComponentContext workspace, String groupName) {
    return groups.computeIfAbsent(
        workspace.host() + "|" + groupName,
        at ->
            workspace
                .retry()
                .databricks(
                    "look up group " + groupName + " in " + workspace.host(),
                    () ->
                        workspace
                            .workspace()
                            .groups()
                            .list(
                                new ListGroupsRequest()
                                    .setFilter("displayName eq \"" + groupName + "\"")
                                    .setAttributes("id,displayName"))
                            .iterator()
                            .hasNext()));
  }

  /** The settings with {@code run_as} set to the captured identity. */
  static ObjectNode withRunAs(ObjectNode settings, JobItem want) {
    ObjectNode copy = settings.deepCopy();
    copy.putObject("run_as").put(want.runAs().field(), want.runAs().name());
    return copy;
  }

  /**
   * Refuses a job captured without its run-as identity (a snapshot from before it was captured): a
   * copy without {@code run_as} would run as the worker.
   */
  static void requireKnown(JobItem want) {
    if (want.runAs() == null) {
      throw new Component.Refused(
          "job "
              + want.name()
              + " was captured without the identity it runs as (a snapshot from before run-as"
              + " identities were captured); a copy would run as the worker: capture again");
    }
  }

  /**
   * Runs a write of a job's copy that sets its {@code run_as}; an answer that refuses the {@code
   * run_as} ({@link #refusesRunAs}) refuses the job, naming the identity and the right the worker's
   * principal lacks, and the rest of the batch goes on.
   */
  <T> T setting(JobItem want, ComponentContext target, Supplier<T> write) {
    try {
      return write.get();
    } catch (ApplicationFailure e) {
      if (!refusesRunAs(e)) {
        throw e;
      }
      throw refusal(want, target, e);
    }
  }

  /**
   * The job's refusal, naming the right the worker lacks; a 400 may also mean that the identity is
   * not active in the target, which the answer's code does not tell apart.
   */
  private Component.Refused refusal(JobItem want, ComponentContext target, ApplicationFailure e) {
    String inactive =
        FailureTypes.PERMISSION_DENIED.equals(e.getType())
            ? ""
            : "; or else " + want.runAs().describe() + " is not active there";
    return new Component.Refused(
        "job "
            + want.name()
            + " runs as "
            + want.runAs().describe()
            + ", and the worker ("
            + worker(target)
            + ") may not set run_as to it in "
            + target.host()
            + ": "
            + missingRight(want.runAs())
            + inactive
            + " ("
            + e.getOriginalMessage()
            + ")");
  }

  /**
   * Whether the service refused a write for its {@code run_as}: a 403 {@code PERMISSION_DENIED}, or
   * a 400 {@code INVALID_PARAMETER_VALUE} whose message names {@code run_as}. Which of the two the
   * service answers for a missing right is not documented (nothing public records one), and a 400
   * otherwise fails the whole batch as a bad request. A 400 of that form also answers an identity
   * the target does not have active, which refuses the job alike.
   */
  static boolean refusesRunAs(ApplicationFailure e) {
    if (FailureTypes.PERMISSION_DENIED.equals(e.getType())) {
      return true;
    }
    return e.getCause() instanceof DatabricksError error
        && error.getStatusCode() == 400
        && "INVALID_PARAMETER_VALUE".equals(error.getErrorCode())
        && error.getMessage() != null
        && error.getMessage().contains("run_as");
  }

  private static String missingRight(JobItem.RunAs runAs) {
    if (runAs.userName() != null) {
      return "it must be that user or a workspace admin";
    }
    return runAs.servicePrincipalName() != null
        ? "it needs the servicePrincipal.user role on " + runAs.servicePrincipalName()
        : "it must be a member of the group " + runAs.groupName();
  }

  /** The worker's principal in the target, as {@code Me} names it. */
  private String worker(ComponentContext target) {
    return workers.computeIfAbsent(
        target.host(),
        host ->
            target
                .retry()
                .databricks(
                    "read the worker's identity in " + host,
                    () ->
                        target
                            .workspace()
                            .currentUser()
                            .me(new com.databricks.sdk.service.iam.MeRequest())
                            .getUserName()));
  }
}
