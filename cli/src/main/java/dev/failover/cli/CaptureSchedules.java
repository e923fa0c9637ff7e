package dev.failover.cli;

import dev.failover.workflows.capture.CaptureRequest;
import dev.failover.workflows.capture.CaptureWorkflow;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.runbook.Runbook;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Temporal Schedule that captures a runbook's primary on the interval of the runbook's {@code
 * capture} section, so that a failover during an outage of the primary region converges from a
 * recent snapshot. One schedule per runbook, {@link #scheduleId}; it starts {@link CaptureWorkflow}
 * on the run's task queue, skips a capture while the previous one still runs, and catches up one
 * missed capture after the server was unavailable.
 *
 * <p>Schedules need a full Temporal server (1.20 or later) or Temporal Cloud. A server without them
 * (such as the test server the sandbox embeds) is said to be so, in one line, with the alternative.
 */
public final class CaptureSchedules {
  /** The memo key holding the runbook's name, so a schedule says whose it is. */
  public static final String MEMO_RUNBOOK = "runbook";

  private final ScheduleClient schedules;
  private final String target;

  /**
   * @param schedules the server's schedules
   * @param target where the server is, for messages
   */
  public CaptureSchedules(ScheduleClient schedules, String target) {
    this.schedules = schedules;
    this.target = target;
  }

  /** The id of a runbook's capture schedule. */
  public static String scheduleId(String runbookName) {
    return CaptureWorkflow.workflowId(runbookName);
  }

  /** How often the runbook asks for captures; refuses a runbook without a capture section. */
  public static Duration interval(Runbook runbook) {
    if (runbook.capture() == null) {
      throw new CliException(
          ExitCodes.USAGE,
          "capture.everyMinutes: runbook "
              + runbook.name()
              + " has no capture section; add 'capture: {everyMinutes: 60}' to it to schedule"
              + " captures");
    }
    return Duration.ofMinutes(runbook.capture().everyMinutes());
  }

  /**
   * What the schedule holds for the runbook: an interval spec, the capture to start, and its
   * policies. The runbook travels in the action's input (it holds names of profiles, never
   * secrets), so a changed runbook needs the schedule applied again.
   */
  public static Schedule schedule(Runbook runbook, String appliedBy) {
    Duration every = interval(runbook);
    ScheduleActionStartWorkflow action =
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(CaptureWorkflow.class)
            .setArguments(
                new CaptureRequest(
                    runbook,
                    "schedule " + scheduleId(runbook.name()) + " (applied by " + appliedBy + ")"))
            .setOptions(
                WorkflowOptions.newBuilder()
                    // The server appends the scheduled time to the id of each capture it starts.
                    .setWorkflowId(CaptureWorkflow.workflowId(runbook.name()))
                    .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
                    // A capture stuck without a worker must not hold back every later one.
                    .setWorkflowExecutionTimeout(max(every, Duration.ofHours(2)))
                    .setStaticSummary(
                        "scheduled capture of runbook " + runbook.name() + "'s primary")
                    .build())
            .build();
    return Schedule.newBuilder()
        .setAction(action)
        .setSpec(
            ScheduleSpec.newBuilder()
                .setIntervals(java.util.List.of(new ScheduleIntervalSpec(every)))
                .build())
        .setPolicy(
            SchedulePolicy.newBuilder()
                .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                .setCatchupWindow(every)
                .setPauseOnFailure(false)
                .build())
        .setState(ScheduleState.newBuilder().setNote(note(runbook, appliedBy)).build())
        .build();
  }

  private static String note(Runbook runbook, String appliedBy) {
    return "captures runbook "
        + runbook.name()
        + "'s primary every "
        + runbook.capture().everyMinutes()
        + " min into s3://"
        + runbook.stateBucket().bucket()
        + "/"
        + CaptureWorkflow.snapshotPrefix(runbook)
        + "; applied by "
        + appliedBy;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Whether {@link #apply} created the schedule or updated the one there was. */
  public enum Applied {
    CREATED,
    UPDATED
  }

  /**
   * Creates the runbook's capture schedule, or updates it to the runbook as it is now. An update
   * keeps a schedule an operator paused paused, with the operator's note.
   */
  public Applied apply(Runbook runbook, String appliedBy) {
    Schedule desired = schedule(runbook, appliedBy);
    String id = scheduleId(runbook.name());
    try {
      schedules.createSchedule(
          id,
          desired,
          ScheduleOptions.newBuilder().setMemo(Map.of(MEMO_RUNBOOK, runbook.name())).build());
      return Applied.CREATED;
    } catch (ScheduleAlreadyRunningException exists) {
      call(
          runbook.name(),
          "update",
          () ->
              schedules
                  .getHandle(id)
                  .update(
                      input -> {
                        ScheduleState current = input.getDescription().getSchedule().getState();
                        Schedule next =
                            current.isPaused()
                                ? Schedule.newBuilder(desired).setState(current).build()
                                : desired;
                        return new ScheduleUpdate(next);
                      }));
      return Applied.UPDATED;
    } catch (RuntimeException e) {
      throw failure(runbook.name(), "create", e);
    }
  }

  /** What the server says of the runbook's capture schedule. */
  public ScheduleDescription describe(String runbookName) {
    ScheduleDescription[] description = new ScheduleDescription[1];
    call(runbookName, "describe", () -> description[0] = handle(runbookName).describe());
    return description[0];
  }

  /** Deletes the runbook's capture schedule; snapshots already taken stay in the bucket. */
  public void delete(String runbookName) {
    call(runbookName, "delete", () -> handle(runbookName).delete());
  }

  /** Starts a capture now, through the schedule (skipped when one is running). */
  public void trigger(String runbookName) {
    call(runbookName, "trigger", () -> handle(runbookName).trigger());
  }

  /** Pauses or unpauses the schedule, with the reason as its note. */
  public void pause(String runbookName, boolean paused, String note) {
    call(
        runbookName,
        paused ? "pause" : "unpause",
        () -> {
          ScheduleHandle handle = handle(runbookName);
          if (paused) {
            handle.pause(note);
          } else {
            handle.unpause(note);
          }
        });
  }

  private ScheduleHandle handle(String runbookName) {
    return schedules.getHandle(scheduleId(runbookName));
  }

  private void call(String runbookName, String action, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      throw failure(runbookName, action, e);
    }
  }

  private CliException failure(String runbookName, String action, RuntimeException e) {
    StatusRuntimeException status = status(e);
    Status.Code code = status == null ? null : status.getStatus().getCode();
    if (code == Status.Code.UNIMPLEMENTED) {
      return new CliException(
          ExitCodes.FAILED,
          "the Temporal server at "
              + target
              + " does not support schedules (UNIMPLEMENTED); a capture schedule needs a full"
              + " Temporal server (1.20 or later) or Temporal Cloud. Meanwhile run 'failover"
              + " capture -f FILE' from cron",
          e);
    }
    if (code == Status.Code.NOT_FOUND) {
      return new CliException(
          ExitCodes.FAILED,
          "runbook "
              + runbookName
              + " has no capture schedule on "
              + target
              + " (schedule id "
              + scheduleId(runbookName)
              + "); create it with 'failover capture-schedule apply -f FILE'",
          e);
    }
    return new CliException(
        ExitCodes.FAILED,
        "cannot "
            + action
            + " the capture schedule of runbook "
            + runbookName
            + " on "
            + target
            + ": "
            + rootMessage(e),
        e);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static StatusRuntimeException status(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException s) {
        return s;
      }
    }
    return null;
  }

  /** Prints a description for people. */
  static void print(ScheduleDescription description, Consumer<String> out) {
    Schedule schedule = description.getSchedule();
    out.accept("Capture schedule " + description.getId());
    for (ScheduleIntervalSpec interval : orEmpty(schedule.getSpec().getIntervals())) {
      out.accept("  every " + minutes(interval.getEvery()));
    }
    for (String cron : orEmpty(schedule.getSpec().getCronExpressions())) {
      out.accept("  cron " + cron);
    }
    ScheduleState state = schedule.getState();
    out.accept(
        "  "
            + (state.isPaused() ? "PAUSED" : "active")
            + (state.getNote() == null || state.getNote().isEmpty() ? "" : ": " + state.getNote()));
    if (schedule.getPolicy() != null) {
      out.accept(
          "  overlap "
              + schedule
                  .getPolicy()
                  .getOverlap()
                  .name()
                  .replace("SCHEDULE_OVERLAP_POLICY_", "")
                  .toLowerCase(java.util.Locale.ROOT)
              + ", catch-up window "
              + (schedule.getPolicy().getCatchupWindow() == null
                  ? "the server's default"
                  : minutes(schedule.getPolicy().getCatchupWindow())));
    }
    var info = description.getInfo();
    out.accept(
        "  captures started: "
            + info.getNumActions()
            + ", skipped while one ran: "
            + info.getNumActionsSkippedOverlap()
            + ", missed the catch-up window: "
            + info.getNumActionsMissedCatchupWindow());
    for (var running : orEmpty(info.getRunningActions())) {
      if (running instanceof io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow w) {
        out.accept("  running: " + w.getWorkflowId() + " run " + w.getFirstExecutionRunId());
      }
    }
    for (var recent : orEmpty(info.getRecentActions())) {
      String what =
          recent.getAction()
                  instanceof io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow w
              ? w.getWorkflowId() + " run " + w.getFirstExecutionRunId()
              : String.valueOf(recent.getAction());
      out.accept(
          "  recent: scheduled "
              + recent.getScheduledAt()
              + ", started "
              + recent.getStartedAt()
              + ": "
              + what);
    }
    for (var next : orEmpty(info.getNextActionTimes())) {
      out.accept("  next: " + next);
    }
  }

  private static <T> java.util.List<T> orEmpty(java.util.List<T> list) {
    return list == null ? java.util.List.of() : list;
  }

  private static String minutes(Duration d) {
    return d.toMinutes() + " min";
  }
}
