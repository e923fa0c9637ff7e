/** SQL warehouses: converged by name, started, and waited for until RUNNING. */
package dev.failover.activities.components.warehouses;
