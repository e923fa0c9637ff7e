package dev.failover.workflows.run;

import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * Activities a step runs side by side. When an abort cancels the step, its body stops at the first
 * activity that reports the cancellation; the others may still be stopping. Waiting for every one
 * of them before the body ends keeps the promise of an abort: once the step is recorded aborted,
 * nothing of it still runs.
 */
final class SideBySide {
  private SideBySide() {}

  /** The result of one of {@code all}; once the step is cancelled, throws only when all ended. */
  static <T> T get(Promise<T> promise, List<? extends Promise<?>> all) {
    try {
      return promise.get();
    } catch (RuntimeException e) {
      if (stepCancelled()) {
        Workflow.await(() -> all.stream().allMatch(Promise::isCompleted));
      }
      throw e;
    }
  }

  /** Whether an abort cancelled the step whose body runs on this workflow thread. */
  static boolean stepCancelled() {
    return CancellationScope.current().isCancelRequested();
  }
}
