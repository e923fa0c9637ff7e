package dev.failover.workflows.capture;

import dev.failover.workflows.runbook.Runbook;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Captures the primary's control plane into the replica bucket, next to the runs' snapshots, and
 * reports the drift against the previous snapshot of the primary. One capture per runbook at a time
 * ({@link #workflowId}); a failover whose primary does not answer converges from the newest.
 */
@WorkflowInterface
public interface CaptureWorkflow {
  @WorkflowMethod
  CaptureReport capture(CaptureRequest request);

  static String workflowId(String runbookName) {
    return "failover-capture-" + runbookName;
  }

  /** Where every snapshot of a runbook is kept: runs' and captures' alike. */
  static String snapshotPrefix(Runbook runbook) {
    return "failover/" + runbook.name() + "/snapshots/";
  }
}
