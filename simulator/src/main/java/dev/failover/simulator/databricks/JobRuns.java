package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs of one simulated workspace's jobs (Jobs API 2.2 {@code run-now}, {@code runs/submit},
 * {@code runs/get}, {@code runs/list}, {@code runs/cancel}), with the life cycle of the SDK's
 * {@code RunLifeCycleState} and {@code RunLifecycleStateV2State}: a run is {@code PENDING} when
 * created, {@code RUNNING} from the next read, and {@code TERMINATED} with a {@code RunResultState}
 * once its time is up. A cancel is asynchronous ({@code JobsAPI.cancelRun}: "The run is canceled
 * asynchronously, so it may still be running when this request completes"): the run is {@code
 * TERMINATING} until the next read, then {@code TERMINATED} with {@code CANCELED}. States advance
 * when read, from the clock, so tests decide when a run ends. Called by {@link JobsState} under its
 * lock.
 */
final class JobRuns {
  /** A run as the simulator keeps it. */
  static final class Run {
    final long runId;
    final Long jobId;
    final long numberInJob;
    final String runName;
    final String trigger;
    final long startTime;
    final long endsAt;
    final String idempotencyToken;
    String lifeCycle = "PENDING";
    String result;
    String message = "";
    long endTime;
    boolean cancelRequested;
    boolean terminatingSeen;

    Run(
        long runId,
        Long jobId,
        long numberInJob,
        String runName,
        String trigger,
        long startTime,
        long endsAt,
        String idempotencyToken) {
      this.runId = runId;
      this.jobId = jobId;
      this.numberInJob = numberInJob;
      this.runName = runName;
      this.trigger = trigger;
      this.startTime = startTime;
      this.endsAt = endsAt;
      this.idempotencyToken = idempotencyToken;
    }

    boolean active() {
      return !lifeCycle.equals("TERMINATED");
    }
  }

  /**
   * How long a run lasts when nothing says otherwise: long enough that a run started for the demo
   * is still going when a failover fences the workspace.
   */
  static final Duration DEFAULT_DURATION = Duration.ofHours(2);

  private final Clock clock;
  private final String userName;
  private final Map<Long, Run> runs = new TreeMap<>();
  private final Map<Long, Long> runsPerJob = new HashMap<>();
  private long nextRunId;

  JobRuns(Clock clock, String userName, long firstRunId) {
    this.clock = clock;
    this.userName = userName;
    this.nextRunId = firstRunId;
  }

  /**
   * Starts a run. A request whose {@code idempotency_token} an earlier run carries starts nothing
   * and answers that run ({@code RunNow.idempotency_token}: "If a run with the provided token
   * already exists, the request does not create a new run but returns the ID of the existing run
   * instead").
   */
  Run start(Long jobId, String runName, String trigger, Duration duration, String token) {
    if (token != null && !token.isEmpty()) {
      for (Run run : runs.values()) {
        if (token.equals(run.idempotencyToken)) {
          return run;
        }
      }
    }
    long now = clock.millis();
    long number = jobId == null ? 1 : runsPerJob.merge(jobId, 1L, Long::sum);
    long endsAt = duration == null ? Long.MAX_VALUE : now + duration.toMillis();
    Run run = new Run(nextRunId++, jobId, number, runName, trigger, now, endsAt, token);
    runs.put(run.runId, run);
    return run;
  }

  /** The run, its state brought up to date; 400 as the service answers for an unknown run id. */
  Run run(long runId) {
    Run run = runs.get(runId);
    if (run == null) {
      // The Jobs service answers unknown ids as INVALID_PARAMETER_VALUE; the SDK's ErrorOverrides
      // turn "Run .* does not exist" on runs/get into ResourceDoesNotExist.
      throw ApiError.invalid("Run " + runId + " does not exist.");
    }
    advance(run);
    return run;
  }

  /** Every run, newest first (as {@code runs/list} orders them), each brought up to date. */
  List<Run> runs() {
    List<Run> all = new ArrayList<>(runs.values());
    all.forEach(this::advance);
    all.sort(Comparator.comparingLong((Run r) -> r.runId).reversed());
    return all;
  }

  /** The job's runs that have not terminated. */
  List<Run> active(long jobId) {
    return runs().stream().filter(r -> r.active() && Long.valueOf(jobId).equals(r.jobId)).toList();
  }

  /**
   * Asks a run to stop. Cancelling a run that has already ended changes nothing and is no error:
   * the API reference documents no error for it, and the harsher reading for a caller whose answer
   * was lost (an error on its retry) is not supported by any public transcript either way.
   */
  void cancel(long runId) {
    Run run = run(runId);
    if (run.active()) {
      run.cancelRequested = true;
      run.lifeCycle = "TERMINATING";
      run.message = "Run cancellation requested by " + userName;
    }
  }

  /** The run's work is done now: it ends {@code SUCCESS} at its next read. */
  void finish(long runId) {
    Run run = run(runId);
    if (run.lifeCycle.equals("RUNNING") || run.lifeCycle.equals("PENDING")) {
      end(run, "SUCCESS", clock.millis());
    }
  }

  private void advance(Run run) {
    long now = clock.millis();
    switch (run.lifeCycle) {
      case "PENDING" -> run.lifeCycle = "RUNNING";
      case "TERMINATING" -> {
        if (run.terminatingSeen) {
          end(run, "CANCELED", now);
        }
        run.terminatingSeen = true;
      }
      case "RUNNING" -> {
        if (now >= run.endsAt) {
          end(run, "SUCCESS", now);
        }
      }
      default -> {
        // TERMINATED stays so.
      }
    }
  }

  private static void end(Run run, String result, long now) {
    run.lifeCycle = "TERMINATED";
    run.result = result;
    run.endTime = now;
    run.message = result.equals("CANCELED") ? "Run was canceled" : "";
  }

  /**
   * A run as {@code runs/get} and {@code runs/list} answer it: the SDK's {@code Run}/{@code
   * BaseRun} with {@code state} ({@code RunState}) and {@code status} ({@code RunStatus}, whose
   * {@code TerminationDetails} says {@code SUCCESS} or {@code USER_CANCELED}).
   */
  static ObjectNode json(Run run) {
    ObjectNode node = JSON.createObjectNode();
    if (run.jobId != null) {
      node.put("job_id", run.jobId);
    }
    node.put("run_id", run.runId);
    node.put("number_in_job", run.numberInJob);
    node.put("original_attempt_run_id", run.runId);
    node.put("run_name", run.runName);
    node.put("run_type", run.jobId == null ? "SUBMIT_RUN" : "JOB_RUN");
    node.put("trigger", run.trigger);
    node.put("start_time", run.startTime);
    node.put("end_time", run.endTime);
    ObjectNode state = node.putObject("state");
    state.put("life_cycle_state", run.lifeCycle);
    if (run.result != null) {
      state.put("result_state", run.result);
    }
    state.put("state_message", run.message);
    state.put("user_cancelled_or_timedout", run.cancelRequested);
    ObjectNode status = node.putObject("status");
    status.put("state", run.lifeCycle);
    if (run.result != null) {
      ObjectNode details = status.putObject("termination_details");
      details.put("code", run.result.equals("CANCELED") ? "USER_CANCELED" : "SUCCESS");
      details.put("type", "SUCCESS");
      details.put("message", run.message);
    }
    return node;
  }
}
