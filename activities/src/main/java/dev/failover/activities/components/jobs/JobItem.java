package dev.failover.activities.components.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One job: its identity across workspaces, its id where it was read, and its whole settings as the
 * Jobs API returns them (every task, also beyond the first 100).
 *
 * @param key the stable identity ({@link JobsComponent#KEY_TAG})
 * @param jobId the job's id in the workspace it was read from; differs between workspaces
 * @param settings {@code JobSettings} as JSON, without {@code run_as}, which the API does not show
 * @param references the workspace objects the settings name by id, as {@code <kind>:<id>} to the
 *     object's name ({@code warehouse}, {@code policy}, {@code cluster}), so that converge can
 *     point the copy at the objects of the same name in the other workspace, and {@code job:<id>}
 *     to the key of each job the settings run ({@link JobReferences}); empty when read from the
 *     target, null in snapshots from before
 * @param runAs the identity the job runs as where it was read ({@code run_as_user_name}: its {@code
 *     run_as}, else its owner); null in snapshots from before, which converge refuses
 * @param creator {@code creator_user_name} where it was read; the owner is the Permissions API's
 */
public record JobItem(
    String key,
    Long jobId,
    ObjectNode settings,
    java.util.Map<String, String> references,
    RunAs runAs,
    String creator) {
  public JobItem(
      String key, Long jobId, ObjectNode settings, java.util.Map<String, String> references) {
    this(key, jobId, settings, references, null, null);
  }

  public JobItem(String key, Long jobId, ObjectNode settings) {
    this(key, jobId, settings, java.util.Map.of());
  }

  public String name() {
    return settings.path("name").asText();
  }

  /** The same job with other settings. */
  public JobItem withSettings(ObjectNode other) {
    return new JobItem(key, jobId, other, references, runAs, creator);
  }

  /** The same job with other references. */
  public JobItem withReferences(java.util.Map<String, String> other) {
    return new JobItem(key, jobId, settings, other, runAs, creator);
  }

  /**
   * A job's run-as identity, as {@code JobRunAs} sets it: a user by {@code user_name} or a service
   * principal by its application id in {@code service_principal_name}.
   */
  public record RunAs(String userName, String servicePrincipalName) {
    public static RunAs user(String userName) {
      return new RunAs(userName, null);
    }

    public static RunAs servicePrincipal(String applicationId) {
      return new RunAs(null, applicationId);
    }

    /** The user name or application id, as {@code run_as_user_name} shows it. */
    public String name() {
      return userName != null ? userName : servicePrincipalName;
    }

    /** {@code user X} or {@code service principal X}. */
    public String describe() {
      return (userName != null ? "user " : "service principal ") + name();
    }
  }
}
