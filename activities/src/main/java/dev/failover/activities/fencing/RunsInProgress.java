package dev.failover.activities.fencing;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.BaseRun;
import com.databricks.sdk.service.jobs.CancelRun;
import com.databricks.sdk.service.jobs.GetRunRequest;
import com.databricks.sdk.service.jobs.ListRunsRequest;
import com.databricks.sdk.service.jobs.RunLifeCycleState;
import dev.failover.activities.errors.CallRetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The job runs in progress in a workspace: found with {@code runs/list?active_only=true}, cancelled
 * ({@code runs/cancel}, asynchronous: "it may still be running when this request completes", so the
 * fence then waits for each to end) or waited for, up to a bound.
 */
final class RunsInProgress {
  /** The life cycle states of a run that has ended ({@code RunLifeCycleState}). */
  private static final Set<RunLifeCycleState> ENDED =
      Set.of(
          RunLifeCycleState.TERMINATED,
          RunLifeCycleState.SKIPPED,
          RunLifeCycleState.INTERNAL_ERROR);

  /**
   * A run in progress.
   *
   * @param jobId its job, or null for a one-time run ({@code runs/submit})
   * @param label {@code run <id> of job <id> <name>}
   */
  record Active(Long jobId, String label) {}

  private final WorkspaceClient workspace;
  private final CallRetry retry;
  private final Pacing pacing;

  RunsInProgress(WorkspaceClient workspace, CallRetry retry, Pacing pacing) {
    this.workspace = workspace;
    this.retry = retry;
    this.pacing = pacing;
  }

  /** The runs that have not ended, by run id. */
  Map<Long, Active> active(String side) {
    List<BaseRun> runs =
        retry.databricks(
            "list the runs in progress in the " + side + " workspace",
            () -> {
              List<BaseRun> all = new ArrayList<>();
              workspace
                  .jobs()
                  .listRuns(new ListRunsRequest().setActiveOnly(true))
                  .forEach(all::add);
              return all;
            });
    Map<Long, Active> active = new LinkedHashMap<>();
    for (BaseRun run : runs) {
      String label =
          "run "
              + run.getRunId()
              + (run.getJobId() == null ? "" : " of job " + run.getJobId())
              + " "
              + run.getRunName();
      active.put(run.getRunId(), new Active(run.getJobId(), label));
    }
    return active;
  }

  /** Asks a run to stop; a run that has ended meanwhile is left as it is by the service. */
  void cancel(long runId) {
    retry.databricks(
        "cancel run " + runId,
        () -> {
          workspace.jobs().cancelRun(new CancelRun().setRunId(runId));
          return null;
        });
  }

  /** Waits until the runs have ended or the bound has passed; returns the runs still going. */
  List<Long> awaitEnded(List<Long> runIds, Duration bound) {
    return pacing.await(runIds, this::ended, bound);
  }

  private boolean ended(long runId) {
    RunLifeCycleState state =
        retry
            .databricks(
                "read run " + runId,
                () -> workspace.jobs().getRun(new GetRunRequest().setRunId(runId)))
            .getState()
            .getLifeCycleState();
    return ENDED.contains(state);
  }
}
