package dev.failover.workflows.steps;

import io.temporal.activity.ActivityInterface;

/** The runbook's custom steps: HTTP calls to systems outside Databricks and AWS. */
@ActivityInterface
public interface WebhookActivities {
  /**
   * Makes the call and checks its status. The request carries an {@code Idempotency-Key} header
   * that stays the same across retries, so a receiver can tell a retry from a new call. Returns a
   * one-line description of the answer; fails with the status and the start of the body when the
   * status is not the expected one (retried for 429 and 5xx, not for the others).
   */
  String call(WebhookRequest request);
}
