package dev.failover.workflows.steps;

import dev.failover.workflows.runbook.Runbook;

/**
 * A bucket pair as the storage steps see it: both buckets with the profiles that reach them.
 *
 * @param name the pair's name in the runbook
 * @param primary the primary region's bucket
 * @param replica its cross-region replica
 * @param reverseReplicationRoleArn the IAM role for replica-to-primary replication, or null to
 *     reuse the primary's replication role
 * @param runbook the runbook's name, which marks the rules and tags the run owns
 */
public record BucketPairTarget(
    String name,
    BucketTarget primary,
    BucketTarget replica,
    String reverseReplicationRoleArn,
    String runbook) {

  public static BucketPairTarget of(Runbook runbook, Runbook.BucketPair pair) {
    return new BucketPairTarget(
        pair.name(),
        BucketTarget.of("primary", runbook.primary(), pair.primary()),
        BucketTarget.of("secondary", runbook.secondary(), pair.replica()),
        pair.reverseReplicationRoleArn(),
        runbook.name());
  }
}
