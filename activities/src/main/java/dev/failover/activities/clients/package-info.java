/** SDK clients built from credential profile names; secrets never leave this package's objects. */
package dev.failover.activities.clients;
