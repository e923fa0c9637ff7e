/**
 * Workspace object permissions (the Permissions API's access control lists) of every object the
 * other components converge: jobs, clusters, cluster policies, SQL warehouses, notebooks, folders
 * and Git folders, captured as their direct entries and converged exactly, one PUT per object that
 * differs ({@link dev.failover.activities.components.permissions.PermissionsComponent}).
 */
package dev.failover.activities.components.permissions;
