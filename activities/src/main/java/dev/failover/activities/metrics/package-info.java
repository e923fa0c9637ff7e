/**
 * The engine's metrics: API requests, 429s and retries per target and API family, items converged
 * per component, step durations, and the DR posture of each runbook, recorded in the worker process
 * from what its activities send and receive.
 */
package dev.failover.activities.metrics;
