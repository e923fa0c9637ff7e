package dev.failover.workflows.run;

import dev.failover.workflows.steps.DeltaCheckRequest;
import dev.failover.workflows.steps.DeltaTableCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code check-delta-tables}: each external Delta table the snapshot names, checked in the replica
 * for a complete latest commit; the report lists every table with its status.
 */
final class CheckDeltaTablesStep implements StepBody {
  private final RunContext run;

  CheckDeltaTablesStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    List<DeltaTableCheck> checks =
        run.activities.storage.checkDeltaTables(
            new DeltaCheckRequest(
                run.ledger.snapshot(), run.rewrites(), run.pairs, run.primaryReachable()));
    run.ledger.deltaTables(checks);
    Map<DeltaTableCheck.Status, Long> byStatus = new TreeMap<>();
    for (DeltaTableCheck check : checks) {
      byStatus.merge(check.status(), 1L, Long::sum);
    }
    List<String> parts = new ArrayList<>();
    byStatus.forEach(
        (status, count) -> parts.add(count + " " + status.name().toLowerCase(Locale.ROOT)));
    return StepResult.message(
        checks.size()
            + " external Delta table(s)"
            + (parts.isEmpty() ? "" : ": " + String.join(", ", parts)));
  }
}
