package dev.failover.activities.components.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One job: its identity across workspaces, its id where it was read, and its whole settings as the
 * Jobs API returns them (every task, also beyond the first 100).
 *
 * @param key the stable identity ({@link JobsComponent#KEY_TAG})
 * @param jobId the job's id in the workspace it was read from; differs between workspaces
 * @param settings {@code JobSettings} as JSON
 * @param references the workspace objects the settings name by id, as {@code <kind>:<id>} to the
 *     object's name ({@code warehouse}, {@code policy}, {@code cluster}), so that converge can
 *     point the copy at the objects of the same name in the other workspace, and {@code job:<id>}
 *     to the key of each job the settings run ({@link JobReferences}); empty when read from the
 *     target, null in snapshots from before
 */
public record JobItem(
    String key, Long jobId, ObjectNode settings, java.util.Map<String, String> references) {
  public JobItem(String key, Long jobId, ObjectNode settings) {
    this(key, jobId, settings, java.util.Map.of());
  }

  public String name() {
    return settings.path("name").asText();
  }
}
