package dev.failover.workflows.steps;

/**
 * What converging one component would do to the target.
 *
 * @param component {@code catalogs}, {@code schemas} or {@code grants}
 * @param changes how many objects would be created, updated, left unchanged or removed
 */
public record ComponentPreview(String component, ChangeCounts changes) {}
