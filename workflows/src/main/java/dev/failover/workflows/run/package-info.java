/** The runbook workflow: its request, its progress and report, and the order of its steps. */
package dev.failover.workflows.run;
