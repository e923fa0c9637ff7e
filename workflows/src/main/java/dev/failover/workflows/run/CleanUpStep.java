package dev.failover.workflows.run;

import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ConvergeRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code clean-up}: a drill removes from DR what it created, the batched components in the reverse
 * of the plan's order, then catalogs and schemas by their run mark; skipped with {@code --keep}.
 */
final class CleanUpStep implements StepBody {
  private final RunContext run;

  CleanUpStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    if (run.request.keep()) {
      return StepResult.skipped("kept: the drill was started with --keep");
    }
    ConvergeRequest request = run.convergeRequest();
    ChangeCounts removed = ChangeCounts.NONE;
    List<Step> reversed = new ArrayList<>(run.graph.steps());
    Collections.reverse(reversed);
    for (Step step : reversed) {
      if (step.component() != null
          && ComponentBatches.captured(request.snapshot(), step.component())) {
        removed =
            removed.plus(
                run.activities.converge.removeComponentCreatedByRun(request, step.component()));
      }
    }
    removed = removed.plus(run.activities.converge.removeCreatedByRun(request));
    return new StepResult(
        removed, removed.deleted() + " object(s) this drill created removed from the target");
  }
}
