package dev.failover.workflows.run;

/** What one step of the plan does; it fails by throwing an activity's or its own failure. */
@FunctionalInterface
interface StepBody {
  StepResult run();
}
