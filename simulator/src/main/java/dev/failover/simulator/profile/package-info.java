/**
 * A cloud profile for the simulator: the published per-workspace API rate limits, per-request
 * latency, SQL warehouse concurrency and S3's per-prefix request rates, enforced at the HTTP layer.
 */
package dev.failover.simulator.profile;
