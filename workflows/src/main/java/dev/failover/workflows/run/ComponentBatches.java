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
 * A component's items in batches of {@link #BATCH} ({@link #LISTING_BATCH} for jobs and access
 * lists), at most {@link #PARALLEL_BATCHES} at once: each batch is one activity that loads its
 * slice of the snapshot and heartbeats, so the history grows by a few events per batch, not per
 * object. Converge, the smoke test and the clean-up use it.
 */
final class ComponentBatches {
  /** Items of a component converged or checked by one activity. */
  static final int BATCH = 250;

  /**
   * Items of jobs and of access lists converged or checked by one activity. Each such batch lists
   * every job DR holds (every page, in the Jobs API's family) to find the ids of the ones it wants,
   * since a copy is known by its tag; at 1,000 jobs that is 10 pages a batch, which also wait
   * behind the jobs check's reads in the family. Fewer, larger batches list less, and one batch, 8
   * requests in flight, keeps either family at its rate.
   */
  static final int LISTING_BATCH = 1000;

  /** The components whose batches list DR's jobs. */
  private static final java.util.Set<String> LISTING = java.util.Set.of("jobs", "permissions");

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

  /** How many of the component's items one batch takes. */
  static int batchOf(String component) {
    return LISTING.contains(component) ? LISTING_BATCH : BATCH;
  }

  /** Runs the activity on every batch of the component; returns the sum of their results. */
  static ComponentResult each(
      String component,
      ConvergeRequest request,
      Functions.Func1<ComponentBatch, ComponentResult> activity) {
    int count = request.snapshot().count(component);
    int size = batchOf(component);
    ComponentResult total = ComponentResult.NONE;
    for (int wave = 0; wave < count; wave += size * PARALLEL_BATCHES) {
      List<Promise<ComponentResult>> running = new ArrayList<>();
      int waveEnd = Math.min(count, wave + size * PARALLEL_BATCHES);
      for (int from = wave; from < waveEnd; from += size) {
        ComponentBatch batch =
            new ComponentBatch(request, component, from, Math.min(count, from + size));
        running.add(Async.function(activity, batch));
      }
      for (Promise<ComponentResult> batch : running) {
        total = total.plus(SideBySide.get(batch, running));
      }
    }
    return total;
  }
}
