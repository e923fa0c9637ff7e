package dev.failover.activities.components.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One job: its identity across workspaces, its id where it was read, and its whole settings as the
 * Jobs API returns them (every task, also beyond the first 100).
 *
 * @param key the stable identity ({@link JobsComponent#KEY_TAG})
 * @param jobId the job's id in the workspace it was read from; differs between workspaces
 * @param settings {@code JobSettings} as JSON
 */
public record JobItem(String key, Long jobId, ObjectNode settings) {
  public String name() {
    return settings.path("name").asText();
  }
}
