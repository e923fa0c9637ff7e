package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.WebhookRequest;
import io.temporal.workflow.Workflow;

/**
 * A custom step of the runbook: one HTTP call, with an idempotency key made of the run and the step
 * so that a retried call is recognised by the receiver.
 */
final class WebhookStep implements StepBody {
  private final RunContext run;
  private final Runbook.CustomStep custom;

  WebhookStep(RunContext run, Runbook.CustomStep custom) {
    this.run = run;
    this.custom = custom;
  }

  @Override
  public StepResult run() {
    String key = Workflow.getInfo().getWorkflowId() + "/" + run.runId + "/" + custom.name();
    return StepResult.message(
        run.activities.webhooks.call(new WebhookRequest(custom.name(), custom.webhook(), key)));
  }
}
