/** The runbook's custom steps: HTTP calls with a JSON body and an expected status. */
package dev.failover.activities.webhook;
