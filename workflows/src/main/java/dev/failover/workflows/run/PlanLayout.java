package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import java.util.ArrayList;
import java.util.List;

/**
 * How a run walks its plan: which steps run in order and which side by side. Readiness, the
 * approval and the fence come first, in order. Then, when {@link #runsBeside} allows, two branches
 * run at once: the storage step followed by the Delta check, and capture followed by the converge
 * waves ({@link Step#wave}); the rest follows in order. The run ({@link RunbookWorkflowImpl}) and
 * the dry run's display ({@code failover plan}) both decide from here.
 */
public final class PlanLayout {
  private PlanLayout() {}

  /** The storage step of a plan (promote-storage or restore-replication), or null (a drill). */
  public static Step storageStep(List<Step> plan) {
    if (plan.contains(Step.PROMOTE_STORAGE)) {
      return Step.PROMOTE_STORAGE;
    }
    return plan.contains(Step.RESTORE_REPLICATION) ? Step.RESTORE_REPLICATION : null;
  }

  /** The first step of the part that may run in two branches: the storage step, else capture. */
  public static Step parallelPartStart(List<Step> plan) {
    Step storage = storageStep(plan);
    return storage != null ? storage : Step.CAPTURE;
  }

  private static boolean inParallelPart(Step step, Step storage) {
    return step == storage
        || step == Step.CAPTURE
        || Step.wave(step) > 0
        || step == Step.CHECK_DELTA_TABLES;
  }

  /**
   * Whether the storage step and the Delta check run beside capture and the converge steps: more
   * than one step may run at once, the plan has one of them, no custom step waits for a step of
   * that part (custom steps start as their dependencies end, one branch at a time), and the
   * approval, if the plan has one, comes before the part (given just before it at the latest).
   */
  public static boolean runsBeside(List<Step> plan, CustomPlan custom, int maxParallel) {
    if (maxParallel < 2) {
      return false;
    }
    Step storage = storageStep(plan);
    if (storage == null && !plan.contains(Step.CHECK_DELTA_TABLES)) {
      return false;
    }
    for (Step step : plan) {
      if (inParallelPart(step, storage) && !custom.after(step).isEmpty()) {
        return false;
      }
    }
    int approvalAt = plan.indexOf(Step.APPROVAL);
    return approvalAt < 0 || approvalAt < plan.indexOf(parallelPartStart(plan));
  }

  /** The plan a run of the mode follows under the runbook, for people: one line per stage. */
  public static List<String> describe(Runbook runbook, Mode mode) {
    List<Step> plan = Step.plan(runbook, mode, true, true);
    CustomPlan custom = CustomPlan.of(plan, runbook.steps(), mode);
    int bound = Math.max(1, runbook.steps().maxParallel());
    List<String> lines = new ArrayList<>();
    Step storage = storageStep(plan);
    if (!runsBeside(plan, custom, bound)) {
      lines.add("in order: " + String.join(" -> ", sequence(plan, custom, bound, s -> true)));
      return lines;
    }
    int start = plan.indexOf(parallelPartStart(plan));
    lines.add(
        "in order: "
            + String.join(" -> ", sequence(plan.subList(0, start), custom, bound, s -> true)));
    lines.add("then side by side, at most " + bound + " steps at once:");
    List<String> storageBranch = new ArrayList<>();
    if (storage != null) {
      storageBranch.add(storage.stepName());
    }
    if (plan.contains(Step.CHECK_DELTA_TABLES)) {
      storageBranch.add(Step.CHECK_DELTA_TABLES.stepName() + " (once capture has run)");
    }
    lines.add("  storage:       " + String.join(" -> ", storageBranch));
    lines.add(
        "  control plane: "
            + String.join(
                " -> ", sequence(plan, custom, bound, s -> s == Step.CAPTURE || Step.wave(s) > 0)));
    List<String> rest =
        sequence(plan, custom, bound, s -> plan.indexOf(s) > start && !inParallelPart(s, storage));
    lines.add("then in order: " + String.join(" -> ", rest));
    return lines;
  }

  /**
   * The steps of the plan the filter keeps, in order, with the custom steps that follow each; the
   * converge steps of one wave grouped in brackets when they run side by side.
   */
  private static List<String> sequence(
      List<Step> plan, CustomPlan custom, int bound, java.util.function.Predicate<Step> keep) {
    List<String> shown = new ArrayList<>();
    java.util.Set<Integer> grouped = new java.util.HashSet<>();
    int approvalAt = plan.indexOf(Step.APPROVAL);
    boolean approvalShown = false;
    for (Step step : plan) {
      int wave = Step.wave(step);
      if (!keep.test(step) || grouped.contains(wave) || (step == Step.APPROVAL && approvalShown)) {
        continue;
      }
      if (wave > 0) {
        List<Step> inWave = plan.stream().filter(s -> Step.wave(s) == wave).toList();
        boolean customWaits = inWave.stream().anyMatch(s -> !custom.after(s).isEmpty());
        if (inWave.size() > 1 && bound > 1 && !customWaits) {
          // The run gives the approval before the first wave holding a step after it.
          if (approvalAt >= 0
              && keep.test(Step.APPROVAL)
              && !approvalShown
              && inWave.stream().anyMatch(s -> plan.indexOf(s) > approvalAt)) {
            show(shown, Step.APPROVAL, custom);
            approvalShown = true;
          }
          grouped.add(wave);
          shown.add("[" + String.join(", ", inWave.stream().map(Step::stepName).toList()) + "]");
          continue;
        }
      }
      show(shown, step, custom);
      approvalShown |= step == Step.APPROVAL;
    }
    return shown;
  }

  private static void show(List<String> shown, Step step, CustomPlan custom) {
    shown.add(step.stepName());
    custom.after(step).forEach(c -> shown.add(c.name() + " (custom)"));
  }
}
