/**
 * The data plane over the AWS SDK's {@code S3Client}: replication rules and their backlog, bucket
 * role tags, and the consistency of Delta tables in the replica buckets.
 */
package dev.failover.activities.storage;
