/** The control-plane snapshot: its format, and its storage in the replica bucket. */
package dev.failover.activities.snapshot;
