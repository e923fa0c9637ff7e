package dev.failover.activities.fencing;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.CronSchedule;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.PauseStatus;
import com.databricks.sdk.service.jobs.UpdateJob;
import com.databricks.sdk.service.sql.EndpointInfo;
import com.databricks.sdk.service.sql.ListWarehousesRequest;
import com.databricks.sdk.service.sql.StartRequest;
import com.databricks.sdk.service.sql.State;
import com.databricks.sdk.service.sql.StopRequest;
import dev.failover.activities.errors.CallRetry;
import dev.failover.activities.storage.StateObjects;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.FenceResult;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Fences a workspace and lifts the fence. The record of what a fence changed is written before the
 * change (merged with any earlier record, so a retried fence after a crash loses nothing), and
 * unfencing touches only what the record names: a schedule an operator had paused before the
 * failover stays paused.
 */
public final class WorkspaceFence {
  /**
   * What a fence changed: job ids with their names and warehouse ids with their names.
   *
   * @param jobs paused job schedules, by job id
   * @param warehouses stopped warehouses, by id
   * @param runId the run that fenced
   */
  public record Record(Map<Long, String> jobs, Map<String, String> warehouses, String runId) {
    public Record {
      jobs = jobs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(jobs);
      warehouses = warehouses == null ? new LinkedHashMap<>() : new LinkedHashMap<>(warehouses);
    }
  }

  private final WorkspaceClient workspace;
  private final StateObjects state;
  private final CallRetry retry;
  private final IntConsumer progress;

  public WorkspaceFence(
      WorkspaceClient workspace, StateObjects state, CallRetry retry, IntConsumer progress) {
    this.workspace = workspace;
    this.state = state;
    this.retry = retry;
    this.progress = progress;
  }

  public FenceResult fence(FenceRequest request) {
    String side = request.workspace().side();
    Map<Long, BaseJob> active = new LinkedHashMap<>();
    for (BaseJob job :
        retry.databricks(
            "list the jobs of the " + side + " workspace",
            () -> listAll(workspace.jobs().list(new ListJobsRequest().setLimit(100L))))) {
      CronSchedule schedule = job.getSettings() == null ? null : job.getSettings().getSchedule();
      if (schedule != null && schedule.getPauseStatus() != PauseStatus.PAUSED) {
        active.put(job.getJobId(), job);
      }
    }
    Map<String, EndpointInfo> running = new LinkedHashMap<>();
    for (EndpointInfo warehouse :
        retry.databricks(
            "list the SQL warehouses of the " + side + " workspace",
            () -> listAll(workspace.warehouses().list(new ListWarehousesRequest())))) {
      if (warehouse.getState() == State.RUNNING || warehouse.getState() == State.STARTING) {
        running.put(warehouse.getId(), warehouse);
      }
    }
    // Recorded first: a worker that dies between two changes leaves a record a retry completes.
    Record record =
        state
            .load(request.store(), request.stateKey(), Record.class)
            .orElse(new Record(Map.of(), Map.of(), request.runId()));
    active.forEach((id, job) -> record.jobs().put(id, job.getSettings().getName()));
    running.forEach((id, warehouse) -> record.warehouses().put(id, warehouse.getName()));
    if (!active.isEmpty() || !running.isEmpty()) {
      state.save(request.store(), request.stateKey(), record);
    }
    List<String> jobs = new ArrayList<>();
    int done = 0;
    for (BaseJob job : active.values()) {
      CronSchedule schedule = job.getSettings().getSchedule();
      setPause(job.getJobId(), schedule, PauseStatus.PAUSED, "pause");
      jobs.add(job.getJobId() + " " + job.getSettings().getName());
      progress.accept(++done);
    }
    List<String> warehouses = new ArrayList<>();
    for (EndpointInfo warehouse : running.values()) {
      retry.databricks(
          "stop SQL warehouse " + warehouse.getName() + " in the " + side + " workspace",
          () -> workspace.warehouses().stop(new StopRequest().setId(warehouse.getId())));
      warehouses.add(warehouse.getId() + " " + warehouse.getName());
      progress.accept(++done);
    }
    return new FenceResult(side, jobs, warehouses, List.of());
  }

  public FenceResult unfence(FenceRequest request) {
    String side = request.workspace().side();
    Optional<Record> found = state.load(request.store(), request.stateKey(), Record.class);
    if (found.isEmpty()) {
      return new FenceResult(
          side, List.of(), List.of(), List.of("no fence recorded for the " + side + " workspace"));
    }
    Record record = found.get();
    List<String> jobs = new ArrayList<>();
    List<String> warehouses = new ArrayList<>();
    List<String> notDone = new ArrayList<>();
    int done = 0;
    for (Map.Entry<Long, String> entry : record.jobs().entrySet()) {
      long id = entry.getKey();
      try {
        CronSchedule schedule =
            retry
                .databricks(
                    "read job " + id + " in the " + side + " workspace",
                    () -> workspace.jobs().get(id))
                .getSettings()
                .getSchedule();
        if (schedule == null) {
          notDone.add("job " + id + " " + entry.getValue() + " has no schedule any more");
        } else if (schedule.getPauseStatus() == PauseStatus.PAUSED) {
          setPause(id, schedule, PauseStatus.UNPAUSED, "resume");
        }
        jobs.add(id + " " + entry.getValue());
      } catch (ApplicationFailure e) {
        if (!FailureTypes.NOT_FOUND.equals(e.getType())) {
          throw e;
        }
        notDone.add("job " + id + " " + entry.getValue() + " no longer exists");
      }
      progress.accept(++done);
    }
    for (Map.Entry<String, String> entry : record.warehouses().entrySet()) {
      try {
        retry.databricks(
            "start SQL warehouse " + entry.getValue() + " in the " + side + " workspace",
            () -> workspace.warehouses().start(new StartRequest().setId(entry.getKey())));
        warehouses.add(entry.getKey() + " " + entry.getValue());
      } catch (ApplicationFailure e) {
        if (!FailureTypes.NOT_FOUND.equals(e.getType())) {
          throw e;
        }
        notDone.add("SQL warehouse " + entry.getValue() + " no longer exists");
      }
      progress.accept(++done);
    }
    state.delete(request.store(), request.stateKey());
    return new FenceResult(side, jobs, warehouses, notDone);
  }

  /** Sets a schedule's pause status, keeping its cron expression and time zone. */
  private void setPause(long jobId, CronSchedule schedule, PauseStatus status, String verb) {
    CronSchedule changed =
        new CronSchedule()
            .setQuartzCronExpression(schedule.getQuartzCronExpression())
            .setTimezoneId(schedule.getTimezoneId())
            .setPauseStatus(status);
    retry.databricks(
        verb + " the schedule of job " + jobId,
        () -> {
          workspace
              .jobs()
              .update(
                  new UpdateJob()
                      .setJobId(jobId)
                      .setNewSettings(new JobSettings().setSchedule(changed)));
          return null;
        });
  }

  private static <T> List<T> listAll(Iterable<T> pages) {
    List<T> all = new ArrayList<>();
    pages.forEach(all::add);
    return all;
  }
}
