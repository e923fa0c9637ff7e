package dev.failover.workflows.steps;

/**
 * What the managed DR readiness check found.
 *
 * @param finding the group's state, region, coverage and stable URLs, and its control-plane RPO
 *     against the objective, as one line for the readiness step
 * @param replicationPointAgeSeconds the age of the group's replication point when read: the
 *     control-plane RPO of what the group replicates; null when the group reports none
 */
public record GroupReadiness(String finding, Long replicationPointAgeSeconds) {}
