/**
 * The worker process: its configuration, the Temporal connection (Temporal's own environment
 * conventions and profiles), and the registration of the workflow and activities. The CLI reuses
 * {@link dev.failover.worker.TemporalConnection} and {@link dev.failover.worker.FailoverWorker} for
 * its embedded sandbox.
 */
package dev.failover.worker;
