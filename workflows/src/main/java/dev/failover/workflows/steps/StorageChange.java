package dev.failover.workflows.steps;

import java.util.List;

/**
 * What a promotion or a failback did to one bucket pair's replication and tags, and what it could
 * not do.
 *
 * @param pair the bucket pair's name
 * @param primaryReachable whether the primary bucket's region answered
 * @param done the changes made, in order, one line each ("deleted rule x from bucket y")
 * @param notRun the changes that could not be made and why (the primary was unreachable)
 * @param cutover the replication backlog when the direction changed: what had not arrived yet
 */
public record StorageChange(
    String pair,
    boolean primaryReachable,
    List<String> done,
    List<String> notRun,
    ReplicationHealth cutover) {}
