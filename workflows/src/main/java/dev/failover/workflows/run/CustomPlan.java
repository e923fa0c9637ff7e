package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the runbook's custom steps go in a mode's plan. A custom step runs once every step it
 * depends on has run: the built-in ones of this plan (a dependency the mode does not have, or the
 * runbook disabled, is no dependency) and the custom ones. A step left with no dependency in the
 * plan runs last, before the report. The report lists each custom step after the built-in step that
 * lets it run.
 */
final class CustomPlan {
  private final List<Step> plan;
  private final List<Runbook.CustomStep> steps;
  private final Map<String, Step> anchor = new HashMap<>();

  private CustomPlan(List<Step> plan, List<Runbook.CustomStep> steps) {
    this.plan = plan;
    this.steps = steps;
    for (Runbook.CustomStep step : steps) {
      anchor.put(step.name(), anchorOf(step, new java.util.HashSet<>()));
    }
  }

  static CustomPlan of(List<Step> plan, Runbook.Steps settings, Mode mode) {
    List<Runbook.CustomStep> forMode =
        settings.custom().stream().filter(s -> s.modes().contains(mode.label())).toList();
    return new CustomPlan(plan, forMode);
  }

  /** The custom steps listed after a built-in step, in the runbook's order. */
  List<Runbook.CustomStep> after(Step step) {
    return steps.stream().filter(s -> anchor.get(s.name()) == step).toList();
  }

  /** The custom steps not yet run whose dependencies have all run. */
  List<Runbook.CustomStep> ready(List<Step> finished, Collection<String> customDone) {
    List<Runbook.CustomStep> ready = new ArrayList<>();
    for (Runbook.CustomStep step : steps) {
      if (customDone.contains(step.name())) {
        continue;
      }
      boolean go = finished.contains(anchor.get(step.name()));
      for (String dependency : step.dependsOn()) {
        Step builtIn = builtIn(dependency);
        if (builtIn != null) {
          go &= !plan.contains(builtIn) || finished.contains(builtIn);
        } else if (byName(dependency) != null) {
          go &= customDone.contains(dependency);
        }
      }
      if (go) {
        ready.add(step);
      }
    }
    return ready;
  }

  /** The latest built-in step a custom step waits for, through its custom dependencies too. */
  private Step anchorOf(Runbook.CustomStep step, java.util.Set<String> seen) {
    Step latest = null;
    if (seen.add(step.name())) {
      for (String dependency : step.dependsOn()) {
        Step candidate = builtIn(dependency);
        if (candidate == null) {
          Runbook.CustomStep custom = byName(dependency);
          candidate = custom == null ? null : anchorOf(custom, seen);
        } else if (!plan.contains(candidate)) {
          candidate = null;
        }
        if (candidate != null
            && (latest == null || plan.indexOf(candidate) > plan.indexOf(latest))) {
          latest = candidate;
        }
      }
    }
    if (latest == null || latest == Step.REPORT) {
      // No dependency in this plan: last, before the report.
      latest = plan.get(Math.max(0, plan.indexOf(Step.REPORT) - 1));
    }
    return latest;
  }

  private Runbook.CustomStep byName(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  private static Step builtIn(String name) {
    for (Step step : Step.values()) {
      if (step.stepName().equals(name)) {
        return step;
      }
    }
    return null;
  }
}
