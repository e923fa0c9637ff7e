package dev.failover.workflows.run;

import dev.failover.workflows.steps.ChangeCounts;

/**
 * One step of a run as the report shows it. Times are ISO-8601 strings from workflow time, so they
 * are the same on every replay.
 */
public record StepReport(
    String name,
    String description,
    StepStatus status,
    String startedAt,
    String endedAt,
    ChangeCounts counts,
    String message) {

  static StepReport pending(Step step) {
    return pending(step.stepName(), step.description());
  }

  static StepReport pending(String name, String description) {
    return new StepReport(name, description, StepStatus.PENDING, null, null, null, null);
  }

  StepReport running(String now) {
    return new StepReport(name, description, StepStatus.RUNNING, now, null, null, null);
  }

  StepReport finished(StepStatus result, String now, ChangeCounts counts, String message) {
    return new StepReport(name, description, result, startedAt, now, counts, message);
  }
}
