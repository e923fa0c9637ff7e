package dev.failover.workflows.capture;

import dev.failover.workflows.runbook.Runbook;

/**
 * What to capture.
 *
 * @param runbook the runbook whose primary is captured
 * @param requestedBy who asked (recorded)
 */
public record CaptureRequest(Runbook runbook, String requestedBy) {}
