/**
 * The "cluster-policies" and "clusters" components: cluster policies by name, and all-purpose
 * clusters by name as terminated, pinned configurations whose policy is mapped by name.
 */
package dev.failover.activities.components.compute;
