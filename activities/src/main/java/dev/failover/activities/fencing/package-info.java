/**
 * Fencing a workspace: pausing its job schedules and stopping its SQL warehouses so that the side a
 * run moves away from stops writing, and undoing exactly that later.
 */
package dev.failover.activities.fencing;
