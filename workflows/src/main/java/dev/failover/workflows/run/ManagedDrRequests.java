package dev.failover.workflows.run;

import dev.failover.workflows.runbook.ManagedDr;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.AccountTarget;
import dev.failover.workflows.steps.ManagedDrRequest;

/** The managed DR request of a run or a dry run: the group, seen in the mode's direction. */
final class ManagedDrRequests {
  private ManagedDrRequests() {}

  /** The request for a run of the mode under the runbook; null without {@code managedDr}. */
  static ManagedDrRequest of(Runbook runbook, Mode mode) {
    ManagedDr managedDr = runbook.managedDr();
    if (managedDr == null) {
      return null;
    }
    boolean failback = mode == Mode.FAILBACK;
    String source = failback ? "secondary" : "primary";
    String target = failback ? "primary" : "secondary";
    return new ManagedDrRequest(
        AccountTarget.of(runbook, target),
        managedDr.failoverGroup(),
        managedDr.stableUrls(),
        (failback ? runbook.secondary() : runbook.primary()).region(),
        (failback ? runbook.primary() : runbook.secondary()).region(),
        runbook.workspaceId(source),
        runbook.workspaceId(target),
        runbook.objectives().rpoMinutes(),
        managedDr.failoverTimeoutMinutes(),
        mode == Mode.DRILL);
  }

  /** What readiness and the dry run say of the catalogs the group replicates. */
  static String coveredCatalogs(java.util.List<String> catalogs) {
    return catalogs.isEmpty()
        ? "the failover group replicates no catalogs: the engine converges every catalog"
        : "the failover group covers catalogs "
            + String.join(", ", catalogs)
            + " (their schemas, grants and owners too): converge verifies them, never writes them";
  }
}
