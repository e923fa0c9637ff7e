/**
 * A cloud profile for the simulator: the published per-workspace API rate limits, per-request
 * latency, SQL warehouse concurrency, S3's per-prefix request rates and CloudWatch's per-region
 * GetMetricData rate, enforced at the HTTP layer.
 */
package dev.failover.simulator.profile;
