package dev.failover.activities.fencing;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.ResourceConflict;
import com.databricks.sdk.service.pipelines.GetPipelineResponse;
import com.databricks.sdk.service.pipelines.ListPipelinesRequest;
import com.databricks.sdk.service.pipelines.PipelineState;
import com.databricks.sdk.service.pipelines.PipelineStateInfo;
import com.databricks.sdk.service.pipelines.StartUpdate;
import com.databricks.sdk.service.pipelines.StopRequest;
import dev.failover.activities.errors.CallRetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stopping the pipelines that are running (a continuous pipeline's endless update, or a triggered
 * pipeline's update under way) and starting the continuous ones again. A stop cancels the active
 * update and is a no-op without one (the SDK's {@code PipelinesAPI.stop}), so a retried stop is
 * safe; a start is refused while an update is under way, which a retried start whose answer was
 * lost meets and counts as done.
 */
final class PipelinesFence {
  /** The states of a pipeline that has an update under way ({@code PipelineState}). */
  static final Set<PipelineState> ACTIVE =
      Set.of(
          PipelineState.RUNNING,
          PipelineState.STARTING,
          PipelineState.DEPLOYING,
          PipelineState.RECOVERING,
          PipelineState.RESETTING);

  private final WorkspaceClient workspace;
  private final CallRetry retry;

  PipelinesFence(WorkspaceClient workspace, CallRetry retry) {
    this.workspace = workspace;
    this.retry = retry;
  }

  /** The pipelines with an update under way, by id: their name and whether they are continuous. */
  Map<String, WorkspaceFence.Pipeline> running(String side) {
    List<PipelineStateInfo> all =
        retry.databricks(
            "list the pipelines of the " + side + " workspace",
            () -> {
              List<PipelineStateInfo> list = new ArrayList<>();
              workspace
                  .pipelines()
                  .listPipelines(new ListPipelinesRequest().setMaxResults(100L))
                  .forEach(list::add);
              return list;
            });
    Map<String, WorkspaceFence.Pipeline> running = new LinkedHashMap<>();
    for (PipelineStateInfo info : all) {
      if (ACTIVE.contains(info.getState())) {
        GetPipelineResponse pipeline = get(info.getPipelineId());
        boolean continuous =
            pipeline.getSpec() != null && Boolean.TRUE.equals(pipeline.getSpec().getContinuous());
        running.put(info.getPipelineId(), new WorkspaceFence.Pipeline(info.getName(), continuous));
      }
    }
    return running;
  }

  void stop(String id, String name) {
    retry.databricks(
        "stop pipeline " + name,
        () -> workspace.pipelines().stop(new StopRequest().setPipelineId(id)));
  }

  /** Whether the pipeline has stopped (a stop takes effect asynchronously). */
  boolean stopped(String id) {
    PipelineState state = get(id).getState();
    return !ACTIVE.contains(state) && state != PipelineState.STOPPING;
  }

  /**
   * Starts the pipeline unless it is running already; returns false when it was running (started by
   * someone else, or by an earlier attempt whose answer was lost).
   */
  boolean start(String id, String name) {
    if (ACTIVE.contains(get(id).getState())) {
      return false;
    }
    return retry.databricksCreate(
        "start pipeline " + name,
        () -> workspace.pipelines().startUpdate(new StartUpdate().setPipelineId(id)),
        error -> error instanceof ResourceConflict);
  }

  private GetPipelineResponse get(String id) {
    return retry.databricks("read pipeline " + id, () -> workspace.pipelines().get(id));
  }
}
