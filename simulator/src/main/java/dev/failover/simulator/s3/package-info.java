/**
 * The simulated S3 service: buckets per region, versioning, replication configuration and versioned
 * objects, spoken as the S3 REST/XML API (path-style) so the AWS SDK for Java v2 {@code S3Client}
 * works against it with an endpoint override.
 */
package dev.failover.simulator.s3;
