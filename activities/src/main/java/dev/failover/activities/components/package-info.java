/**
 * The control-plane components of the matrix beyond catalogs and schemas (jobs, SQL warehouses,
 * storage credentials, ...): each is a {@link dev.failover.activities.components.Component} that
 * reads, compares and writes one kind of object, and {@link
 * dev.failover.activities.components.ComponentConverger} runs capture, converge, the dry run, the
 * smoke test and a drill's clean-up for all of them the same way.
 */
package dev.failover.activities.components;
