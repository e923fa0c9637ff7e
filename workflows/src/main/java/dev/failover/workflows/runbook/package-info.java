/** The runbook file (YAML, version 1): its model and its validation. */
package dev.failover.workflows.runbook;
