package dev.failover.workflows.run;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A dry run of a mode ({@code failover plan}): readiness and, per component, what converging would
 * create, update, remove or leave unchanged. It only reads: no snapshot stored, no change made.
 */
@WorkflowInterface
public interface PlanWorkflow {
  @WorkflowMethod
  PlanReport plan(RunRequest request);

  static String workflowId(String runbookName) {
    return "failover-plan-" + runbookName;
  }
}
