package dev.failover.activities.components.jobs;

import com.databricks.sdk.service.iam.ListServicePrincipalsRequest;
import com.databricks.sdk.service.iam.ListUsersRequest;
import com.databricks.sdk.service.iam.ServicePrincipal;
import com.databricks.sdk.service.jobs.Job;
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
 * Who a job runs as, read and written. A read shows the identity only as {@code run_as_user_name}
 * (the SDK's {@code Job}: its {@code run_as}, else its owner; {@code JobSettings.run_as} is
 * write-only), a user name or a service principal's application id; which of the two it is comes
 * from the workspace's service principals (SCIM), not from the name's form (the Terraform
 * provider's guess from the form set {@code service_principal_name} for user ids that looked like
 * one: databricks/terraform-provider-databricks#2689).
 *
 * <p>A copy is written with {@code run_as} set explicitly to the identity the original ran as, so
 * it never runs as whoever created it (the worker). Who may set {@code run_as} to whom is the
 * service's rule ({@code JobRunAs}): a user only to themselves unless a workspace admin; a service
 * principal only with the {@code servicePrincipal.user} role on it. A create or reset the service
 * refuses with {@code PERMISSION_DENIED} is refused for that job ({@link Component.Refused}),
 * naming the job, the identity and the right the worker lacks; nothing is written for it.
 */
final class JobIdentities {
  private final Map<String, Set<String>> servicePrincipals = new ConcurrentHashMap<>();
  private final Map<String, String> workers = new ConcurrentHashMap<>();

  /** The identity {@code job} runs as in {@code workspace}; null when the read shows none. */
  JobItem.RunAs runAs(ComponentContext workspace, Job job) {
    String name = job.getRunAsUserName();
    if (name == null || name.isEmpty()) {
      return null;
    }
    return servicePrincipals(workspace).contains(name)
        ? JobItem.RunAs.servicePrincipal(name)
        : JobItem.RunAs.user(name);
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
   * user by a SCIM filter on {@code userName}; each read once per workspace and identity.
   */
  boolean present(ComponentContext workspace, JobItem.RunAs runAs) {
    if (runAs.servicePrincipalName() != null) {
      return servicePrincipals(workspace).contains(runAs.servicePrincipalName());
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

  /** The settings with {@code run_as} set to the captured identity. */
  static ObjectNode withRunAs(ObjectNode settings, JobItem want) {
    ObjectNode copy = settings.deepCopy();
    ObjectNode runAs = copy.putObject("run_as");
    if (want.runAs().userName() != null) {
      runAs.put("user_name", want.runAs().userName());
    } else {
      runAs.put("service_principal_name", want.runAs().servicePrincipalName());
    }
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
   * Runs a write of a job's copy that sets its {@code run_as}; a {@code PERMISSION_DENIED} answer
   * refuses the job, naming the identity and the right the worker's principal lacks.
   */
  <T> T setting(JobItem want, ComponentContext target, Supplier<T> write) {
    try {
      return write.get();
    } catch (ApplicationFailure e) {
      if (!FailureTypes.PERMISSION_DENIED.equals(e.getType())) {
        throw e;
      }
      throw new Component.Refused(
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
              + " ("
              + e.getOriginalMessage()
              + ")");
    }
  }

  private static String missingRight(JobItem.RunAs runAs) {
    return runAs.userName() != null
        ? "it must be that user or a workspace admin"
        : "it needs the servicePrincipal.user role on " + runAs.servicePrincipalName();
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
