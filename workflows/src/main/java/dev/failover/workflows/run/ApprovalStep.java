package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;

/**
 * {@code approval}: waits for an operator's approval signal; a run not approved in time ends
 * without changing anything. The time spent waiting is reported beside the RTO.
 */
final class ApprovalStep implements StepBody {
  private final RunContext run;

  ApprovalStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    Runbook.Approval settings = run.runbook.approval();
    long waitStart = Workflow.currentTimeMillis();
    boolean approved;
    try {
      approved = run.controls.awaitApproval(settings);
    } finally {
      run.ledger.approvalWait((Workflow.currentTimeMillis() - waitStart) / 1000);
    }
    if (!approved) {
      throw ApplicationFailure.newFailure(
          "not approved within " + settings.timeoutMinutes() + " minutes; nothing was changed",
          FailureTypes.NOT_APPROVED);
    }
    Approval approval = run.controls.approval();
    return StepResult.message(
        "approved by "
            + approval.by()
            + (approval.comment() == null || approval.comment().isBlank()
                ? ""
                : ": " + approval.comment()));
  }
}
