package dev.failover.workflows.run;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One run of a runbook. Its workflow id is {@link #workflowId(String)}, fixed per runbook, so that
 * Temporal itself refuses a second concurrent run of the same runbook on any server.
 */
@WorkflowInterface
public interface RunbookWorkflow {
  /** Task queue the worker polls. */
  String TASK_QUEUE = "failover-runbooks";

  /**
   * The failure type of a run that ended failed; its details hold the run's report, so that a
   * client reads the report of a failed run as of a successful one.
   */
  String RUN_FAILED = "RunFailed";

  /** Runs the plan and returns the report; a failed run fails with the report as its details. */
  @WorkflowMethod
  RunReport run(RunRequest request);

  /** Approves a run that waits at its approval step; later approvals are ignored. */
  @SignalMethod
  void approve(Approval approval);

  /**
   * Decides what happens to the step that failed after its retries and waits for an operator: retry
   * it, skip it, or abort the run. Rejected when no step waits, or the step cannot be skipped.
   * Returns what the run will do.
   */
  @UpdateMethod
  String decide(Decision decision);

  @UpdateValidatorMethod(updateName = "decide")
  void validateDecide(Decision decision);

  /** Pauses the run before its next step; a step already running finishes first. */
  @UpdateMethod
  String pause(OperatorAction action);

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause(OperatorAction action);

  /** Lets a paused run go on. */
  @UpdateMethod
  String resume(OperatorAction action);

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume(OperatorAction action);

  /**
   * Aborts the run: the steps running are cancelled and stop at their activities' next heartbeat
   * (each is recorded aborted), no later step starts, the report is stored and says what was done.
   * Also ends a wait for approval, a decision or a resume.
   */
  @UpdateMethod
  String abort(OperatorAction action);

  @UpdateValidatorMethod(updateName = "abort")
  void validateAbort(OperatorAction action);

  /** The report so far: each step's status, times and counts. */
  @QueryMethod
  RunReport progress();

  static String workflowId(String runbookName) {
    return "failover-" + runbookName;
  }
}
