/**
 * The data plane over the AWS SDK's {@code S3Client}: replication rules and their backlog, the
 * buckets' active/standby roles (a marker object, mirrored in a tag), and the consistency of Delta
 * tables in the replica buckets.
 */
package dev.failover.activities.storage;
