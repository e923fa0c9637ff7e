package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.Runbook;

/**
 * One call of a custom step.
 *
 * @param step the custom step's name
 * @param webhook what to call
 * @param idempotencyKey the same for every attempt of this step in this run
 */
public record WebhookRequest(String step, Runbook.Webhook webhook, String idempotencyKey) {}
