package dev.failover.activities.fencing;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.Continuous;
import com.databricks.sdk.service.jobs.CronSchedule;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.PauseStatus;
import com.databricks.sdk.service.jobs.TriggerSettings;
import com.databricks.sdk.service.jobs.UpdateJob;
import dev.failover.activities.errors.CallRetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pausing and resuming whatever starts a job's runs by itself: its {@code schedule}, its {@code
 * trigger} (file arrival, table update, periodic, ...) and its {@code continuous} runs, each with a
 * {@code pause_status} (the SDK's {@code CronSchedule}, {@code TriggerSettings}, {@code
 * Continuous}). {@code jobs/update} replaces a top-level field whole, so each is sent back complete
 * with only its pause status changed.
 */
final class JobTriggersFence {
  /** The fields of {@code JobSettings} that start runs, as the Jobs API names them. */
  static final List<String> FIELDS = List.of("schedule", "trigger", "continuous");

  private final WorkspaceClient workspace;
  private final CallRetry retry;

  JobTriggersFence(WorkspaceClient workspace, CallRetry retry) {
    this.workspace = workspace;
    this.retry = retry;
  }

  /** The jobs with at least one field that starts runs and is not paused, with those fields. */
  Map<BaseJob, List<String>> unpaused(String side) {
    Map<BaseJob, List<String>> found = new LinkedHashMap<>();
    List<BaseJob> jobs =
        retry.databricks(
            "list the jobs of the " + side + " workspace",
            () -> {
              List<BaseJob> all = new ArrayList<>();
              workspace.jobs().list(new ListJobsRequest().setLimit(100L)).forEach(all::add);
              return all;
            });
    for (BaseJob job : jobs) {
      List<String> fields =
          FIELDS.stream()
              .filter(f -> pauseStatus(job.getSettings(), f) == PauseStatus.UNPAUSED)
              .toList();
      if (!fields.isEmpty()) {
        found.put(job, fields);
      }
    }
    return found;
  }

  /**
   * Sets the pause status of the job's fields; returns the fields the job no longer has. A field
   * already so is left alone, so a retry after a lost answer changes nothing more.
   */
  List<String> set(long jobId, List<String> fields, PauseStatus status) {
    JobSettings current =
        retry.databricks("read job " + jobId, () -> workspace.jobs().get(jobId)).getSettings();
    JobSettings changes = new JobSettings();
    List<String> missing = new ArrayList<>();
    for (String field : fields) {
      PauseStatus has = pauseStatus(current, field);
      if (has == null) {
        missing.add(field);
      } else if (has != status) {
        withPause(current, changes, field, status);
      }
    }
    if (changes.getSchedule() != null
        || changes.getTrigger() != null
        || changes.getContinuous() != null) {
      retry.databricks(
          (status == PauseStatus.PAUSED ? "pause " : "unpause ") + fields + " of job " + jobId,
          () -> {
            workspace.jobs().update(new UpdateJob().setJobId(jobId).setNewSettings(changes));
            return null;
          });
    }
    return missing;
  }

  /** The field's pause status (absent: {@code UNPAUSED}, the service's default); null: no field. */
  static PauseStatus pauseStatus(JobSettings settings, String field) {
    if (settings == null) {
      return null;
    }
    PauseStatus status =
        switch (field) {
          case "schedule" ->
              settings.getSchedule() == null
                  ? null
                  : pause(settings.getSchedule().getPauseStatus());
          case "trigger" ->
              settings.getTrigger() == null ? null : pause(settings.getTrigger().getPauseStatus());
          case "continuous" ->
              settings.getContinuous() == null
                  ? null
                  : pause(settings.getContinuous().getPauseStatus());
          default -> throw new IllegalArgumentException("not a trigger field: " + field);
        };
    return status;
  }

  private static PauseStatus pause(PauseStatus status) {
    return status == null ? PauseStatus.UNPAUSED : status;
  }

  private static void withPause(
      JobSettings current, JobSettings changes, String field, PauseStatus status) {
    switch (field) {
      case "schedule" -> {
        CronSchedule schedule = current.getSchedule();
        changes.setSchedule(schedule.setPauseStatus(status));
      }
      case "trigger" -> {
        TriggerSettings trigger = current.getTrigger();
        changes.setTrigger(trigger.setPauseStatus(status));
      }
      default -> {
        Continuous continuous = current.getContinuous();
        changes.setContinuous(continuous.setPauseStatus(status));
      }
    }
  }
}
