/** The runbook (version 1): its model and the validation of its tree, read from YAML by the CLI. */
package dev.failover.workflows.runbook;
