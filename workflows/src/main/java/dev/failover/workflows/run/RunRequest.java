package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;

/**
 * What starts a run: the validated runbook, the mode, an optional incident id, and who asked. It
 * holds no secrets: credentials are resolved by the worker from profile names.
 */
public record RunRequest(Runbook runbook, Mode mode, String incidentId, String requestedBy) {}
