package dev.failover.activities.components.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One job: its identity across workspaces, its id where it was read, and its whole settings as the
 * Jobs API returns them (every task, also beyond the first 100).
 *
 * @param key the stable identity ({@link JobsComponent#KEY_TAG})
 * @param jobId the job's id in the workspace it was read from; differs between workspaces
 * @param settings {@code JobSettings} as JSON, without {@code run_as}: the identity is {@code
 *     runAs}, so that comparing settings never compares it
 * @param references the workspace objects the settings name by id, as {@code <kind>:<id>} to the
 *     object's name ({@code warehouse}, {@code policy}, {@code cluster}), so that converge can
 *     point the copy at the objects of the same name in the other workspace, and {@code job:<id>}
 *     to the key of each job the settings run ({@link JobReferences}); empty when read from the
 *     target, null in snapshots from before
 * @param runAs the identity the job runs as where it was read: its {@code settings.run_as} when set
 *     explicitly, else {@code run_as_user_name} (its owner); null in snapshots from before, which
 *     converge refuses
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
   * A job's run-as identity, as {@code JobRunAs} sets it: a user by {@code user_name}, a service
   * principal by its application id in {@code service_principal_name} or a group by {@code
   * group_name}; exactly one is set.
   */
  public record RunAs(String userName, String servicePrincipalName, String groupName) {
    public static RunAs user(String userName) {
      return new RunAs(userName, null, null);
    }

    public static RunAs servicePrincipal(String applicationId) {
      return new RunAs(null, applicationId, null);
    }

    public static RunAs group(String groupName) {
      return new RunAs(null, null, groupName);
    }

    /** The user name, application id or group name. */
    public String name() {
      return userName != null
          ? userName
          : servicePrincipalName != null ? servicePrincipalName : groupName;
    }

    /** The {@code JobRunAs} field that names the identity. */
    public String field() {
      return userName != null
          ? "user_name"
          : servicePrincipalName != null ? "service_principal_name" : "group_name";
    }

    /** {@code user X}, {@code service principal X} or {@code group X}. */
    public String describe() {
      return (userName != null
              ? "user "
              : servicePrincipalName != null ? "service principal " : "group ")
          + name();
    }
  }
}
