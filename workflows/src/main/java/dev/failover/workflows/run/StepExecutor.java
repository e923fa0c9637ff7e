package dev.failover.workflows.run;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Runs the plan's graph: each step starts once every step it needs has run, in the report's order
 * when several are ready, at most {@code steps.maxParallel} at once. Before a step starts, a paused
 * run waits and an aborted one stops. A step that fails after its activities' retries waits for an
 * operator's decision (when the runbook says so): retry, skip or abort. Once a step has ended the
 * run (a failure without a decision, an abort), no further step starts, and a failed run gives the
 * reason of the failed step that comes first in the plan.
 *
 * <p>An abort also stops the steps running: each step's body runs in a {@link CancellationScope} of
 * its own, which the abort cancels. The long activities wait for their cancellation to complete
 * ({@link Activities}): the step ends once they have heard it at a heartbeat and stopped, and its
 * row says aborted. The steps running when a failure ended the run finish.
 */
final class StepExecutor {
  private static final Logger log = Workflow.getLogger(StepExecutor.class);

  private final RunContext run;
  private final Function<PlanGraph.Node, StepBody> bodies;

  /** The cancellation scope of each step whose body runs now, by step name, in start order. */
  private final Map<String, CancellationScope> scopes = new LinkedHashMap<>();

  /** The steps an abort cancelled while they ran. */
  private final Set<String> cancelled = new HashSet<>();

  private boolean abortActedOn;

  private int slotsInUse;
  private int running;
  private int ends;

  /** What ended the run first: a {@link StepFailedException} or {@link RunAbortedException}. */
  private Exception ended;

  /** The failure of each step that ended the run, by step name. */
  private final Map<String, StepFailedException> failures = new LinkedHashMap<>();

  StepExecutor(RunContext run, Function<PlanGraph.Node, StepBody> bodies) {
    this.run = run;
    this.bodies = bodies;
  }

  /** Runs every step but the report; throws what ended the run, if a step did. */
  void runAll() throws StepFailedException, RunAbortedException {
    List<PlanGraph.Node> pending = new ArrayList<>(run.graph.nodes());
    pending.removeIf(node -> node.step() == Step.REPORT);
    while (true) {
      if (ended == null) {
        startReady(pending);
      }
      if (running == 0) {
        break;
      }
      int seen = ends;
      Workflow.await(() -> ends != seen || abortToAct());
      if (abortToAct()) {
        cancelRunning();
      }
    }
    if (ended instanceof StepFailedException) {
      throw firstInPlan();
    }
    if (ended instanceof RunAbortedException aborted) {
      throw aborted;
    }
  }

  /** Starts, in order, the pending steps whose needs have run, while slots are free. */
  private void startReady(List<PlanGraph.Node> pending) {
    for (PlanGraph.Node node : List.copyOf(pending)) {
      boolean slotFree = !node.takesSlot() || slotsInUse < run.graph.maxParallel();
      if (!slotFree || !run.stepsDone.containsAll(run.graph.startNeeds(node))) {
        continue;
      }
      try {
        run.controls.checkpoint();
      } catch (RunAbortedException e) {
        end(e);
      }
      if (ended != null) {
        // Aborted, or a step running during a pause ended the run.
        return;
      }
      pending.remove(node);
      start(node);
    }
  }

  private void start(PlanGraph.Node node) {
    running++;
    if (node.takesSlot()) {
      slotsInUse++;
    }
    Async.procedure(
        () -> {
          try {
            runStep(node);
            run.stepsDone.add(node.name());
          } catch (StepFailedException e) {
            failures.put(node.name(), e);
            end(e);
          } catch (RunAbortedException e) {
            end(e);
          } finally {
            running--;
            if (node.takesSlot()) {
              slotsInUse--;
            }
            ends++;
          }
        });
  }

  /**
   * The failure of the step that comes first in the plan, whichever failed first: a drill's capture
   * runs beside readiness, and when the primary is down the run should fail with what readiness
   * found, not with the read that failed with it.
   */
  private StepFailedException firstInPlan() {
    return run.graph.nodes().stream()
        .map(node -> failures.get(node.name()))
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElseThrow();
  }

  /** An operator asked to abort, and the steps running have not been cancelled yet. */
  private boolean abortToAct() {
    return run.controls.abortRequested() && !abortActedOn;
  }

  /** Ends the run (unless a failure ended it first) and cancels every step running. */
  private void cancelRunning() {
    abortActedOn = true;
    end(run.controls.aborted());
    for (Map.Entry<String, CancellationScope> body : List.copyOf(scopes.entrySet())) {
      log.info("Abort: cancelling step {}", body.getKey());
      cancelled.add(body.getKey());
      body.getValue().cancel("aborted by an operator");
    }
  }

  private void end(Exception e) {
    if (ended == null) {
      ended = e;
      run.controls.runEnding();
    }
  }

  /** Runs one step until it succeeds or is skipped; records each attempt in the ledger. */
  private void runStep(PlanGraph.Node node) throws StepFailedException, RunAbortedException {
    String name = node.name();
    if (run.request.searchAttributes()) {
      Workflow.upsertTypedSearchAttributes(RunSearchAttributes.PHASE.valueSet(name));
    }
    StepBody body = bodies.apply(node);
    while (true) {
      run.ledger.running(name);
      String reason;
      try {
        run.ledger.succeeded(name, runCancellable(node, body));
        return;
      } catch (OperatorControls.WaitEnded e) {
        run.ledger.finished(name, StepStatus.NOT_RUN, e.getMessage());
        throw run.controls.aborted();
      } catch (ActivityFailure | ApplicationFailure | CanceledFailure e) {
        if (cancelled.contains(name)) {
          throw stoppedByAbort(name);
        }
        reason = e instanceof ActivityFailure af ? describe(af) : e.getMessage();
      }
      run.ledger.finished(name, StepStatus.FAILED, reason);
      log.warn("Step {} failed: {}", name, reason);
      if (!decide(node, reason)) {
        return;
      }
    }
  }

  /**
   * Runs a step's body in a cancellation scope of its own, which an abort cancels. The approval
   * runs no activity: its wait ends by itself on an abort, and the step was then not run.
   */
  private StepResult runCancellable(PlanGraph.Node node, StepBody body) {
    if (node.step() == Step.APPROVAL) {
      return body.run();
    }
    String name = node.name();
    List<StepResult> result = new ArrayList<>(1);
    CancellationScope scope = Workflow.newCancellationScope(() -> result.add(body.run()));
    scopes.put(name, scope);
    try {
      scope.run();
    } finally {
      scopes.remove(name);
    }
    return result.get(0);
  }

  /** Records a step the abort cancelled: its activities have stopped. */
  private RunAbortedException stoppedByAbort(String name) {
    RunAbortedException aborted = run.controls.aborted();
    run.ledger.finished(
        name,
        StepStatus.ABORTED,
        "stopped while running, its activities cancelled: " + aborted.getMessage());
    return aborted;
  }

  /**
   * What an operator decides on a failed step: true to run it again, false when it was skipped.
   * Without decisions (the approval, or a runbook that does not wait), the run ends.
   */
  private boolean decide(PlanGraph.Node node, String reason)
      throws StepFailedException, RunAbortedException {
    String failed = "step " + node.name() + " failed: " + reason;
    if (node.step() == Step.APPROVAL || !run.runbook.onStepFailure().waitForDecision()) {
      throw new StepFailedException(failed);
    }
    Decision chosen =
        run.controls.awaitDecision(
            node.name(), node.skippable(), failed, run.runbook.onStepFailure().timeoutMinutes());
    if (chosen.action() == Decision.Action.SKIP) {
      run.ledger.finished(
          node.name(), StepStatus.SKIPPED, "skipped by " + chosen.by() + " after: " + reason);
      return false;
    }
    return true;
  }

  /** A person-readable reason: the activity that failed and the root failure's own message. */
  static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String what = failure.getActivityType();
    if (cause instanceof ApplicationFailure app) {
      return what + ": " + app.getOriginalMessage() + " [" + app.getType() + "]";
    }
    if (cause instanceof TimeoutFailure timeout) {
      return what + ": timed out (" + timeout.getTimeoutType() + ")";
    }
    if (cause instanceof TemporalFailure temporal) {
      return what + ": " + temporal.getOriginalMessage();
    }
    return what + ": " + failure.getMessage();
  }
}
