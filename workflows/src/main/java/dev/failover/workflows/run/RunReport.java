package dev.failover.workflows.run;

import dev.failover.workflows.steps.SnapshotRef;
import java.util.List;

/**
 * The evidence of a run: what was done, when, with what result. It is the workflow's result, the
 * answer to the progress query while the run goes on, and the details of the failure when a run
 * fails, so a failed run's report is never lost.
 */
public record RunReport(
    String runbook,
    String workflowId,
    String runId,
    Mode mode,
    String incidentId,
    String requestedBy,
    Outcome outcome,
    String startedAt,
    String endedAt,
    Long rtoSeconds,
    long rtoObjectiveSeconds,
    List<StepReport> steps,
    SnapshotRef snapshot,
    String reportLocation,
    String failure) {}
