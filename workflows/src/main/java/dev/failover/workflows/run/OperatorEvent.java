package dev.failover.workflows.run;

/**
 * One thing an operator did to a run, as the report lists them: approved, paused, resumed, aborted,
 * retried or skipped a step.
 *
 * @param at ISO-8601 time (workflow time) it took effect
 * @param by who
 * @param action what, in lower case ({@code approve}, {@code pause}, {@code retry}, ...)
 * @param step the step it concerned, or null
 * @param reason the comment given, or null
 */
public record OperatorEvent(String at, String by, String action, String step, String reason) {}
