package dev.failover.workflows.steps;

/**
 * One batch of one component to converge or check: items {@code from} (inclusive) to {@code to}
 * (exclusive) of the component's list in the snapshot. Only this reference travels through the
 * workflow; the activity loads the items from the snapshot.
 *
 * @param component the component's name ({@code jobs}, {@code grants}, ...)
 */
public record ComponentBatch(ConvergeRequest request, String component, int from, int to) {}
