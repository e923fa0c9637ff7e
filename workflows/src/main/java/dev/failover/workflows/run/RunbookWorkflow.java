package dev.failover.workflows.run;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
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

  /** Runs the plan and returns the report; a failed run fails with the report as its details. */
  @WorkflowMethod
  RunReport run(RunRequest request);

  /** Approves a run that waits at its approval step; later approvals are ignored. */
  @SignalMethod
  void approve(Approval approval);

  /** The report so far: each step's status, times and counts. */
  @QueryMethod
  RunReport progress();

  static String workflowId(String runbookName) {
    return "failover-" + runbookName;
  }
}
