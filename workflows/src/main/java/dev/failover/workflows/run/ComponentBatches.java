package dev.failover.workflows.run;

import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.SnapshotRef;
import io.temporal.workflow.Async;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * A component's items in batches of {@link #BATCH}, at most {@link #PARALLEL_BATCHES} at once: each
 * batch is one activity that loads its slice of the snapshot and heartbeats, so the history grows
 * by a few events per batch, not per object. Converge, the smoke test and the clean-up use it.
 */
final class ComponentBatches {
  /** Items of a component converged or checked by one activity. */
  static final int BATCH = 250;

  /** Batches of one component that run at once. */
  static final int PARALLEL_BATCHES = 4;

  private ComponentBatches() {}

  /** Whether the snapshot holds the component (the worker that captured it knows it). */
  static boolean captured(SnapshotRef snapshot, String component) {
    return snapshot.components() != null && snapshot.components().containsKey(component);
  }

  static String notCaptured(String component) {
    return "the snapshot holds no "
        + component
        + ": the worker that captured it does not manage them, or it was taken before they were"
        + " captured";
  }

  /** Runs the activity on every batch of the component; returns the sum of their results. */
  static ComponentResult each(
      String component,
      ConvergeRequest request,
      Functions.Func1<ComponentBatch, ComponentResult> activity) {
    int count = request.snapshot().count(component);
    ComponentResult total = ComponentResult.NONE;
    for (int wave = 0; wave < count; wave += BATCH * PARALLEL_BATCHES) {
      List<Promise<ComponentResult>> running = new ArrayList<>();
      int waveEnd = Math.min(count, wave + BATCH * PARALLEL_BATCHES);
      for (int from = wave; from < waveEnd; from += BATCH) {
        ComponentBatch batch =
            new ComponentBatch(request, component, from, Math.min(count, from + BATCH));
        running.add(Async.function(activity, batch));
      }
      for (Promise<ComponentResult> batch : running) {
        total = total.plus(SideBySide.get(batch, running));
      }
    }
    return total;
  }
}
