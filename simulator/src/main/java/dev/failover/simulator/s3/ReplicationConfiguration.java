package dev.failover.simulator.s3;

import java.util.List;

/**
 * A bucket's replication configuration, structured as S3 models it, so that code can inspect the
 * rules rather than XML.
 *
 * @param role the IAM role ARN S3 assumes to replicate
 * @param rules the rules, in the order given
 */
public record ReplicationConfiguration(String role, List<Rule> rules) {

  /**
   * One replication rule.
   *
   * @param id the rule's ID
   * @param priority the rule's priority (null when the rule uses the legacy prefix form)
   * @param status {@code Enabled} or {@code Disabled}
   * @param prefix the key prefix the rule's filter selects ("" for every object)
   * @param destinationBucket the destination bucket ARN ({@code arn:aws:s3:::name})
   * @param storageClass the destination storage class, or null
   * @param deleteMarkerReplication {@code Enabled}, {@code Disabled} or null
   * @param replicaModifications {@code Enabled}, {@code Disabled} or null
   * @param replicationTimeMinutes the Replication Time Control threshold, or null when off
   */
  public record Rule(
      String id,
      Integer priority,
      String status,
      String prefix,
      String destinationBucket,
      String storageClass,
      String deleteMarkerReplication,
      String replicaModifications,
      Integer replicationTimeMinutes) {

    /** The destination bucket's name, from its ARN. */
    public String destinationBucketName() {
      return destinationBucket.substring(destinationBucket.lastIndexOf(':') + 1);
    }
  }
}
