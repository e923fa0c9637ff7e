package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.Runbook;

/** An S3 bucket a step talks to, with its region and the credential profile to reach it by. */
public record BucketTarget(String side, String bucket, String region, String credentialProfile) {
  public static BucketTarget of(String side, Runbook.Side runbookSide, Runbook.Bucket bucket) {
    return new BucketTarget(
        side, bucket.bucket(), bucket.region(), runbookSide.credentialProfile());
  }
}
