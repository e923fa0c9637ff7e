package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What operators do to a run: approve it, decide on a failed step (retry, skip, abort), pause,
 * resume and abort it; the validators that refuse an action the run cannot take now; and what the
 * run waits for. Every action is kept as an {@link OperatorEvent} for the report. The executor
 * ({@link StepExecutor}) acts on an abort: it cancels the steps running and starts no other.
 */
final class OperatorControls {
  private final List<OperatorEvent> events = new ArrayList<>();
  private final WorkflowLock decisionLock = Workflow.newWorkflowLock();
  private Approval approval;
  private String waitingFor;
  private boolean paused;
  private OperatorAction abortRequest;
  private Outcome outcome = Outcome.RUNNING;

  /** The step that failed and waits for an operator's decision, or null. */
  private String awaitingDecision;

  private boolean awaitingSkippable;
  private Decision decision;

  /** Set when another step ended the run: a wait for an approval ends with it. */
  private boolean runEnding;

  /**
   * A wait inside a step (the approval, a smoke test waiting for the rest of its needs) ended
   * because the run stops.
   */
  static final class WaitEnded extends RuntimeException {
    WaitEnded(String reason) {
      super(reason);
    }
  }

  List<OperatorEvent> events() {
    return List.copyOf(events);
  }

  Approval approval() {
    return approval;
  }

  String waitingFor() {
    return waitingFor;
  }

  void ended(Outcome outcome) {
    this.outcome = outcome;
  }

  void runEnding() {
    runEnding = true;
  }

  /** Whether another step has ended the run. */
  boolean ending() {
    return runEnding;
  }

  // Signals and updates.

  void approve(Approval given) {
    if (approval == null && given != null && given.by() != null) {
      approval = given;
      events.add(
          new OperatorEvent(
              RunLedger.now(), given.by(), "approve", Step.APPROVAL.stepName(), given.comment()));
    }
  }

  void validateDecide(Decision d) {
    requireOperator(d == null ? null : d.by());
    if (d.action() == null) {
      throw new IllegalArgumentException("action: must be RETRY, SKIP or ABORT");
    }
    if (awaitingDecision == null || decision != null) {
      throw new IllegalArgumentException(
          "no step waits for a decision"
              + (waitingFor == null ? "" : " (the run waits for " + waitingFor + ")"));
    }
    if (d.action() == Decision.Action.SKIP && !awaitingSkippable) {
      throw new IllegalArgumentException(
          "step "
              + awaitingDecision
              + " cannot be skipped: later steps need what it establishes; retry or abort");
    }
  }

  String decide(Decision d) {
    decision = d;
    return switch (d.action()) {
      case RETRY -> "step " + awaitingDecision + " will run again";
      case SKIP -> "step " + awaitingDecision + " is skipped; the run goes on";
      case ABORT -> "the run stops; its report is being stored";
    };
  }

  void validatePause(OperatorAction action) {
    requireOperator(action == null ? null : action.by());
    requireActive();
    if (paused) {
      throw new IllegalArgumentException("the run is already paused");
    }
  }

  String pause(OperatorAction action) {
    paused = true;
    events.add(new OperatorEvent(RunLedger.now(), action.by(), "pause", null, action.reason()));
    return "the run pauses before its next step";
  }

  void validateResume(OperatorAction action) {
    requireOperator(action == null ? null : action.by());
    requireActive();
    if (!paused) {
      throw new IllegalArgumentException("the run is not paused");
    }
  }

  String resume(OperatorAction action) {
    paused = false;
    events.add(new OperatorEvent(RunLedger.now(), action.by(), "resume", null, action.reason()));
    return "the run goes on";
  }

  void validateAbort(OperatorAction action) {
    requireOperator(action == null ? null : action.by());
    requireActive();
    if (abortRequest != null) {
      throw new IllegalArgumentException("the run is already stopping: " + abortRequest.by());
    }
  }

  String abort(OperatorAction action) {
    abortRequest = action;
    events.add(new OperatorEvent(RunLedger.now(), action.by(), "abort", null, action.reason()));
    return "the run stops: the steps running are cancelled and stop within seconds, no further"
        + " step starts, and the report is stored";
  }

  /** Whether an operator asked the run to stop (an abort, or a decision to abort). */
  boolean abortRequested() {
    return abortRequest != null;
  }

  private static void requireOperator(String by) {
    if (by == null || by.isBlank()) {
      throw new IllegalArgumentException("by: must name who acts");
    }
  }

  private void requireActive() {
    if (outcome != Outcome.RUNNING) {
      throw new IllegalArgumentException("the run has ended: " + outcome);
    }
  }

  // Waits of the run.

  /**
   * Waits for an approval signal; returns whether one came in time. An abort, or another step
   * ending the run, ends the wait with {@link WaitEnded}.
   */
  boolean awaitApproval(Runbook.Approval settings) {
    waitingFor = "approval";
    Workflow.setCurrentDetails(
        "Waiting for an approval: `failover approve "
            + Workflow.getInfo().getWorkflowId()
            + " --by NAME`"
            + (settings.approvers().isEmpty() ? "" : " (approvers: " + settings.approvers() + ")"));
    boolean approved =
        Workflow.await(
            Duration.ofMinutes(settings.timeoutMinutes()),
            () -> approval != null || abortRequest != null || runEnding);
    waitingFor = null;
    if (approval == null && abortRequest != null) {
      throw new WaitEnded("aborted");
    }
    if (approval == null && runEnding) {
      throw new WaitEnded("not run: another step ended the run");
    }
    return approved;
  }

  /**
   * Waits for retry, skip or abort on a failed step, one step at a time; without one in time, or
   * with an abort request, the run ends.
   */
  Decision awaitDecision(String step, boolean skippable, String failed, int timeoutMinutes)
      throws StepFailedException, RunAbortedException {
    decisionLock.lock();
    try {
      Decision chosen = awaitDecisionLocked(step, skippable, failed, timeoutMinutes);
      events.add(
          new OperatorEvent(
              RunLedger.now(),
              chosen.by(),
              chosen.action().name().toLowerCase(Locale.ROOT),
              step,
              chosen.reason()));
      if (chosen.action() == Decision.Action.ABORT) {
        abortRequest = new OperatorAction(chosen.by(), chosen.reason());
        throw aborted();
      }
      return chosen;
    } finally {
      decisionLock.unlock();
    }
  }

  private Decision awaitDecisionLocked(
      String step, boolean skippable, String failed, int timeoutMinutes)
      throws StepFailedException, RunAbortedException {
    awaitingDecision = step;
    awaitingSkippable = skippable;
    decision = null;
    waitingFor = "a decision on step " + step + " (retry, skip or abort)";
    Workflow.setCurrentDetails(
        "Step `"
            + step
            + "` failed and waits for an operator: `failover retry|skip|abort "
            + Workflow.getInfo().getWorkflowId()
            + " --by NAME`\n\n"
            + failed);
    boolean decided =
        Workflow.await(
            Duration.ofMinutes(timeoutMinutes), () -> decision != null || abortRequest != null);
    awaitingDecision = null;
    waitingFor = null;
    if (!decided) {
      throw new StepFailedException(failed + "; no decision within " + timeoutMinutes + " minutes");
    }
    if (decision == null) {
      throw aborted();
    }
    Decision chosen = decision;
    decision = null;
    return chosen;
  }

  /** Between steps: a paused run waits to be resumed; an aborted run stops here. */
  void checkpoint() throws RunAbortedException {
    if (paused && abortRequest == null) {
      waitingFor = "resume (paused)";
      Workflow.await(() -> !paused || abortRequest != null);
      waitingFor = null;
    }
    if (abortRequest != null) {
      throw aborted();
    }
  }

  RunAbortedException aborted() {
    if (abortRequest == null) {
      return new RunAbortedException("stopped: another step ended the run");
    }
    return new RunAbortedException(
        "aborted by "
            + abortRequest.by()
            + (abortRequest.reason() == null || abortRequest.reason().isBlank()
                ? ""
                : ": " + abortRequest.reason()));
  }
}
