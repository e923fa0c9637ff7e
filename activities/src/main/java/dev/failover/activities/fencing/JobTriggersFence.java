package dev.failover.activities.fencing;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.PauseStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.components.jobs.JobsJson;
import dev.failover.activities.errors.CallRetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pausing and resuming whatever starts a job's runs by itself: its {@code schedule}, its {@code
 * trigger} (file arrival, table update, periodic, ...) and its {@code continuous} runs, each with a
 * {@code pause_status} (the SDK's {@code CronSchedule}, {@code TriggerSettings}, {@code
 * Continuous}), and each entry of the [Beta] list {@code triggers}, which has a {@code
 * pause_status} of its own ("A run starts when any active trigger evaluates to true", the
 * Databricks CLI's {@code bundle/schema/jsonschema.json} on {@code JobSettings.triggers}). SDK
 * 0.141.0 has no {@code triggers} and drops it on reading, so jobs are read and updated as JSON
 * ({@link JobsJson}). {@code jobs/update} replaces a top-level field whole, so each is sent back
 * complete with only pause statuses changed, the list of triggers too (its entries have no key to
 * merge them by).
 */
final class JobTriggersFence {
  /** The legacy fields of {@code JobSettings} that start runs, as the Jobs API names them. */
  static final List<String> FIELDS = List.of("schedule", "trigger", "continuous");

  /** The kinds of a {@code triggers} entry ({@code TriggerConfiguration} in the CLI's schema). */
  static final List<String> ENTRY_KINDS =
      List.of("periodic", "schedule", "continuous", "file_arrival", "table_update", "model");

  /**
   * How an entry of {@code triggers} is named in what the fence records and reports: its index and
   * kind, {@code triggers[0]:periodic}; the kind lets unfencing tell that the entry at that index
   * is still the one it paused. An entry of a kind not in {@link #ENTRY_KINDS} (one added since) is
   * paused all the same, named by its index alone.
   */
  private static final Pattern ENTRY = Pattern.compile("triggers\\[(\\d+)](?::(\\w+))?");

  private final WorkspaceClient workspace;
  private final CallRetry retry;

  JobTriggersFence(WorkspaceClient workspace, CallRetry retry) {
    this.workspace = workspace;
    this.retry = retry;
  }

  /** The jobs with at least one field or entry that starts runs and is not paused, with those. */
  Map<BaseJob, List<String>> unpaused(String side) {
    Map<BaseJob, List<String>> found = new LinkedHashMap<>();
    List<ObjectNode> jobs =
        retry.databricks(
            "list the jobs of the " + side + " workspace", () -> JobsJson.list(workspace, null));
    for (ObjectNode job : jobs) {
      List<String> fields = unpausedFields(job.path("settings"));
      if (!fields.isEmpty()) {
        found.put(JobsJson.SDK_JSON.convertValue(job, BaseJob.class), fields);
      }
    }
    return found;
  }

  /** The legacy fields, and the entries of {@code triggers} by label, that are not paused. */
  static List<String> unpausedFields(JsonNode settings) {
    List<String> fields = new ArrayList<>();
    for (String field : FIELDS) {
      if (pauseStatus(settings, field) == PauseStatus.UNPAUSED) {
        fields.add(field);
      }
    }
    JsonNode triggers = settings.path("triggers");
    for (int i = 0; i < triggers.size(); i++) {
      String label = label(i, triggers.get(i));
      if (pauseStatus(settings, label) == PauseStatus.UNPAUSED) {
        fields.add(label);
      }
    }
    return fields;
  }

  /** {@code triggers[i]:kind}, or {@code triggers[i]} for an entry of no known kind. */
  private static String label(int index, JsonNode entry) {
    return ENTRY_KINDS.stream()
        .filter(kind -> entry.path(kind).isObject())
        .findFirst()
        .map(kind -> "triggers[" + index + "]:" + kind)
        .orElse("triggers[" + index + "]");
  }

  /** Whether a recorded field is continuous runs: {@code continuous} or such an entry. */
  static boolean continuous(String field) {
    return field.equals("continuous") || field.endsWith("]:continuous");
  }

  /**
   * Sets the pause status of the job's fields and entries; returns those the job no longer has. One
   * already so is left alone, so a retry after a lost answer changes nothing more.
   */
  List<String> set(long jobId, List<String> fields, PauseStatus status) {
    JsonNode current =
        retry
            .databricks("read job " + jobId, () -> JobsJson.get(workspace, jobId, null))
            .path("settings");
    ObjectNode changes = JobsJson.SDK_JSON.createObjectNode();
    ArrayNode triggers =
        current.path("triggers").isArray()
            ? ((ArrayNode) current.get("triggers")).deepCopy()
            : null;
    List<String> missing = new ArrayList<>();
    for (String field : fields) {
      PauseStatus has = pauseStatus(current, field);
      if (has == null) {
        missing.add(field);
      } else if (has != status) {
        Matcher entry = ENTRY.matcher(field);
        if (entry.matches()) {
          ((ObjectNode) triggers.get(Integer.parseInt(entry.group(1))))
              .put("pause_status", status.name());
          changes.set("triggers", triggers);
        } else {
          ObjectNode changed = current.get(field).deepCopy();
          changes.set(field, changed.put("pause_status", status.name()));
        }
      }
    }
    if (!changes.isEmpty()) {
      retry.databricks(
          (status == PauseStatus.PAUSED ? "pause " : "unpause ") + fields + " of job " + jobId,
          () -> {
            JobsJson.update(workspace, jobId, changes);
            return null;
          });
    }
    return missing;
  }

  /**
   * The pause status of a legacy field or a labelled entry of {@code triggers} (absent: {@code
   * UNPAUSED}, the service's default); null when the job has no such field, or the entry at that
   * index is gone or of another kind.
   */
  static PauseStatus pauseStatus(JsonNode settings, String field) {
    Matcher entry = ENTRY.matcher(field);
    JsonNode holder;
    if (entry.matches()) {
      holder = settings.path("triggers").path(Integer.parseInt(entry.group(1)));
      if (!holder.isObject() || entry.group(2) != null && !holder.path(entry.group(2)).isObject()) {
        return null;
      }
    } else if (FIELDS.contains(field)) {
      holder = settings.path(field);
      if (!holder.isObject()) {
        return null;
      }
    } else {
      throw new IllegalArgumentException("not a trigger field: " + field);
    }
    return holder.path("pause_status").asText("").equals("PAUSED")
        ? PauseStatus.PAUSED
        : PauseStatus.UNPAUSED;
  }
}
