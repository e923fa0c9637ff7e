/**
 * The simulated CloudWatch: {@code GetMetricData} and {@code ListMetrics} over Smithy RPC v2 CBOR,
 * serving the S3 Replication metrics that {@link dev.failover.simulator.s3.S3State} publishes.
 */
package dev.failover.simulator.cloudwatch;
