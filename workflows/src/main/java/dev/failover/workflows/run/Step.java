package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import java.util.List;

/** The steps a run can take. Their names are what the CLI and report show. */
public enum Step {
  READINESS("readiness", "workspaces answer; buckets versioned; replication rule and backlog"),
  APPROVAL("approval", "wait for an operator to approve the change"),
  FENCE_SOURCE(
      "fence-source", "pause the job schedules and stop the SQL warehouses of the side being left"),
  PROMOTE_STORAGE(
      "promote-storage", "drain the backlog, reverse replication, tag the replica as active"),
  RESTORE_REPLICATION(
      "restore-replication", "drain the reverse backlog, restore the original direction and tags"),
  CAPTURE("capture", "read the active side's catalogs, schemas, tables and grants into a snapshot"),
  CONVERGE_CATALOGS("converge-catalogs", "create or update catalogs in the target workspace"),
  CONVERGE_SCHEMAS("converge-schemas", "create or update schemas in the target workspace"),
  CONVERGE_GRANTS("converge-grants", "set exact privileges per principal in the target workspace"),
  CHECK_DELTA_TABLES(
      "check-delta-tables", "each external Delta table's latest commit is complete in the replica"),
  SMOKE_TEST("smoke-test", "target catalogs, schemas and grants equal the snapshot"),
  CLEAN_UP(
      "clean-up",
      "remove from DR what this drill created (by its run mark), unless the drill keeps it"),
  UNFENCE_TARGET(
      "unfence-target",
      "resume the job schedules and SQL warehouses an earlier failover fenced on the target"),
  REPORT("report", "store the run report next to the snapshot");

  private final String stepName;
  private final String description;

  Step(String stepName, String description) {
    this.stepName = stepName;
    this.description = description;
  }

  public String stepName() {
    return stepName;
  }

  public String description() {
    return description;
  }

  /**
   * Whether an operator may skip this step after it failed. Readiness, approval and capture may
   * not: later steps depend on what they establish. Report is the run's own bookkeeping.
   */
  public boolean skippable() {
    return this != READINESS && this != APPROVAL && this != CAPTURE && this != REPORT;
  }

  /**
   * The steps of a mode, in order. A drill only reads storage; a failover promotes the replicas
   * before the control plane is converged into DR; a failback restores replication's direction and
   * converges the primary from the DR side.
   */
  /** Whether a run of the mode waits for an approval under this runbook. */
  public static boolean approvalRequired(Runbook runbook, Mode mode) {
    return mode == Mode.DRILL
        ? runbook.approval().requiredForDrill()
        : runbook.approval().required();
  }

  /**
   * The built-in steps a run of the mode takes under this runbook: the mode's plan, without the
   * steps the runbook disables, with the approval where the runbook places it. The run, its dry run
   * and the plan shown in Temporal UI all come from here.
   */
  public static List<Step> plan(Runbook runbook, Mode mode, boolean fencing, boolean cleanUp) {
    List<Step> steps =
        new java.util.ArrayList<>(plan(mode, approvalRequired(runbook, mode), fencing, cleanUp));
    steps.removeIf(step -> runbook.steps().disable().contains(step.stepName()));
    return withApprovalBefore(steps, runbook.approval().before());
  }

  /**
   * Moves the approval to just before the named step, when the plan has both; otherwise the plan is
   * returned as it is (the approval right after readiness).
   */
  public static List<Step> withApprovalBefore(List<Step> plan, String before) {
    Step target = null;
    for (Step step : values()) {
      if (step.stepName().equals(before)) {
        target = step;
      }
    }
    if (target == null || !plan.contains(APPROVAL) || !plan.contains(target)) {
      return plan;
    }
    List<Step> moved = new java.util.ArrayList<>(plan);
    moved.remove(APPROVAL);
    moved.add(moved.indexOf(target), APPROVAL);
    return List.copyOf(moved);
  }

  public static List<Step> plan(Mode mode, boolean approvalRequired) {
    return plan(mode, approvalRequired, true);
  }

  /** The plan, with or without fencing: runs recorded before fencing existed replay without it. */
  public static List<Step> plan(Mode mode, boolean approvalRequired, boolean fencing) {
    return plan(mode, approvalRequired, fencing, fencing);
  }

  /**
   * The plan, with or without fencing and the drill's clean-up: runs recorded before either existed
   * replay without them.
   */
  public static List<Step> plan(
      Mode mode, boolean approvalRequired, boolean fencing, boolean cleanUp) {
    List<Step> steps = new java.util.ArrayList<>();
    steps.add(READINESS);
    if (approvalRequired) {
      steps.add(APPROVAL);
    }
    if (fencing && mode != Mode.DRILL) {
      steps.add(FENCE_SOURCE);
    }
    switch (mode) {
      case FAILOVER -> steps.add(PROMOTE_STORAGE);
      case FAILBACK -> steps.add(RESTORE_REPLICATION);
      case DRILL -> {}
    }
    steps.addAll(List.of(CAPTURE, CONVERGE_CATALOGS, CONVERGE_SCHEMAS, CONVERGE_GRANTS));
    if (mode != Mode.FAILBACK) {
      steps.add(CHECK_DELTA_TABLES);
    }
    steps.add(SMOKE_TEST);
    if (cleanUp && mode == Mode.DRILL) {
      steps.add(CLEAN_UP);
    }
    if (fencing && mode == Mode.FAILBACK) {
      steps.add(UNFENCE_TARGET);
    }
    steps.add(REPORT);
    return List.copyOf(steps);
  }
}
