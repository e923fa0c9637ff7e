package dev.failover.workflows.run;

import dev.failover.workflows.steps.ComponentPreview;
import dev.failover.workflows.steps.ReplicationHealth;
import java.util.List;

/**
 * What a dry run found: the plan a run of the mode would follow, what readiness says now, and what
 * converging would change per component. Nothing was changed to find it.
 *
 * @param runbook the runbook
 * @param mode the mode planned
 * @param steps the plan's steps, built-in and custom, in order
 * @param layout how a run walks them, one line per stage: what runs in order, what side by side
 * @param readiness one line per readiness check; a failed check starts with {@code FAILED}
 * @param replication per bucket pair, the replication measured now
 * @param components per component, what converging would do to the target; empty when a workspace
 *     did not answer
 */
public record PlanReport(
    String runbook,
    Mode mode,
    List<String> steps,
    List<String> layout,
    List<String> readiness,
    List<ReplicationHealth> replication,
    List<ComponentPreview> components) {}
