/**
 * The capture workflow: a snapshot of the primary's control plane on demand (or on a schedule),
 * kept in the replica bucket for the outage path, with its drift against the previous one.
 */
package dev.failover.workflows.capture;
