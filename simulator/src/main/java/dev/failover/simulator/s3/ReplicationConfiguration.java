package dev.failover.simulator.s3;

import java.util.List;
import java.util.Map;

/**
 * A bucket's replication configuration, structured as S3 models it (and as the AWS SDK's {@code
 * ReplicationConfiguration} does), so that code can inspect rules rather than XML. Optional
 * elements are null when absent; statuses are {@code Enabled} or {@code Disabled}.
 *
 * @param role the IAM role ARN S3 assumes to replicate
 * @param rules the rules, in the order given
 */
public record ReplicationConfiguration(String role, List<Rule> rules) {
  public ReplicationConfiguration {
    rules = List.copyOf(rules);
  }

  /**
   * One replication rule.
   *
   * @param id the rule's ID; {@link S3State#putReplication} gives a rule without one an ID
   * @param priority the rule's priority; null in the legacy (V1) form, which has no filter
   * @param status {@code Enabled} or {@code Disabled}
   * @param legacyPrefix the rule-level {@code Prefix} of the legacy form, else null
   * @param filter the {@code Filter} of the current (V2) form, else null
   * @param destination where replicas go
   * @param deleteMarkerReplication whether delete markers are replicated, or null
   * @param existingObjectReplication whether existing objects are replicated, or null
   * @param sseKmsEncryptedObjects whether SSE-KMS objects are replicated, or null
   * @param replicaModifications whether changes to replicas are replicated back, or null
   */
  public record Rule(
      String id,
      Integer priority,
      String status,
      String legacyPrefix,
      Filter filter,
      Destination destination,
      String deleteMarkerReplication,
      String existingObjectReplication,
      String sseKmsEncryptedObjects,
      String replicaModifications) {

    /**
     * The usual rule: a V2 filter on a key prefix to a destination bucket, replicating delete
     * markers or not.
     */
    public static Rule of(
        String id,
        int priority,
        String status,
        String prefix,
        String destinationBucketArn,
        String deleteMarkerReplication) {
      return new Rule(
          id,
          priority,
          status,
          null,
          new Filter(prefix, Map.of()),
          Destination.of(destinationBucketArn),
          deleteMarkerReplication,
          null,
          null,
          null);
    }

    /**
     * The same rule with S3 Replication metrics enabled on its destination, as an operator turns
     * them on for an existing rule.
     */
    public Rule withMetricsEnabled() {
      Destination d = destination;
      return new Rule(
          id,
          priority,
          status,
          legacyPrefix,
          filter,
          new Destination(
              d.bucket(),
              d.account(),
              d.storageClass(),
              d.ownerOverride(),
              d.replicaKmsKeyId(),
              d.replicationTime(),
              new Threshold("Enabled", null)),
          deleteMarkerReplication,
          existingObjectReplication,
          sseKmsEncryptedObjects,
          replicaModifications);
    }

    /** The same rule with another ID. */
    public Rule withId(String newId) {
      return new Rule(
          newId,
          priority,
          status,
          legacyPrefix,
          filter,
          destination,
          deleteMarkerReplication,
          existingObjectReplication,
          sseKmsEncryptedObjects,
          replicaModifications);
    }

    /** The key prefix the rule selects ("" for every key), from either form. */
    public String keyPrefix() {
      String prefix = filter != null ? filter.prefix() : legacyPrefix;
      return prefix == null ? "" : prefix;
    }
  }

  /**
   * A V2 rule's filter: a prefix, tags, or both (which S3 spells {@code And}).
   *
   * @param prefix the key prefix, or null
   * @param tags the object tags an object must carry, by key
   */
  public record Filter(String prefix, Map<String, String> tags) {
    public Filter {
      tags = Map.copyOf(tags);
    }
  }

  /**
   * A rule's destination.
   *
   * @param bucket the destination bucket's ARN, {@code arn:aws:s3:::name}
   * @param account the destination bucket owner's account id, or null
   * @param storageClass the replicas' storage class, or null for the source's
   * @param ownerOverride the {@code AccessControlTranslation} owner ({@code Destination}), or null
   * @param replicaKmsKeyId the KMS key for replicas ({@code EncryptionConfiguration}), or null
   * @param replicationTime Replication Time Control, or null
   * @param metrics replication metrics, or null
   */
  public record Destination(
      String bucket,
      String account,
      String storageClass,
      String ownerOverride,
      String replicaKmsKeyId,
      Threshold replicationTime,
      Threshold metrics) {

    public static Destination of(String bucketArn) {
      return new Destination(bucketArn, null, null, null, null, null, null);
    }

    /** The destination bucket's name, from its ARN. */
    public String bucketName() {
      return bucket.substring(bucket.lastIndexOf(':') + 1);
    }
  }

  /**
   * A status with a time in minutes: {@code ReplicationTime}'s {@code Time} or {@code Metrics}'
   * {@code EventThreshold}.
   *
   * @param status {@code Enabled} or {@code Disabled}
   * @param minutes the minutes, or null when the element is absent
   */
  public record Threshold(String status, Integer minutes) {}
}
