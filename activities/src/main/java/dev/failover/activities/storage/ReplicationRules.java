package dev.failover.activities.storage;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.MetricsStatus;
import software.amazon.awssdk.services.s3.model.ReplicaModificationsStatus;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;

/** Reading and building S3 replication rules as the SDK models them. */
public final class ReplicationRules {
  private ReplicationRules() {}

  public static String arn(String bucket) {
    return "arn:aws:s3:::" + bucket;
  }

  /** Whether a rule replicates to the bucket. */
  public static boolean targets(ReplicationRule rule, String bucket) {
    return rule.destination() != null && arn(bucket).equals(rule.destination().bucket());
  }

  /** The enabled rule to the bucket with the highest priority, if any. */
  public static Optional<ReplicationRule> enabledRuleTo(
      Optional<ReplicationConfiguration> config, String bucket) {
    return config.stream()
        .flatMap(c -> c.rules().stream())
        .filter(rule -> targets(rule, bucket) && rule.status() == ReplicationRuleStatus.ENABLED)
        .max(Comparator.comparing(rule -> rule.priority() == null ? 0 : rule.priority()));
  }

  /** The key prefix a rule selects, from either the V2 filter or the legacy rule prefix. */
  @SuppressWarnings(
      "deprecation") // ReplicationRule.prefix() is the legacy (V1) form S3 still returns.
  public static String keyPrefix(ReplicationRule rule) {
    String prefix = null;
    if (rule.filter() != null) {
      prefix =
          rule.filter().prefix() != null
              ? rule.filter().prefix()
              : rule.filter().and() == null ? null : rule.filter().and().prefix();
    } else {
      prefix = rule.prefix();
    }
    return prefix == null ? "" : prefix;
  }

  /** A one-line description of the rules, for messages. */
  public static String describe(Optional<ReplicationConfiguration> config) {
    return config
        .map(c -> c.rules().stream().map(r -> r.id() + "=" + r.statusAsString()).toList())
        .orElse(List.of())
        .toString();
  }

  /**
   * The rule a failover puts on the replica so that data written in DR flows back: every key,
   * delete markers too, and replica modification sync so that changes to replicas are not lost
   * either; with S3 Replication metrics when asked.
   */
  public static ReplicationRule reverseRule(
      String id, String primaryBucket, int priority, boolean metrics) {
    return ReplicationRule.builder()
        .id(id)
        .priority(priority)
        .status(ReplicationRuleStatus.ENABLED)
        .filter(f -> f.prefix(""))
        .destination(
            d -> {
              d.bucket(arn(primaryBucket));
              if (metrics) {
                d.metrics(m -> m.status(MetricsStatus.ENABLED));
              }
            })
        .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.ENABLED))
        .sourceSelectionCriteria(
            s -> s.replicaModifications(m -> m.status(ReplicaModificationsStatus.ENABLED)))
        .build();
  }

  /** The rule a failback restores when the original one was never saved. */
  public static ReplicationRule forwardRule(String id, String replicaBucket, int priority) {
    return ReplicationRule.builder()
        .id(id)
        .priority(priority)
        .status(ReplicationRuleStatus.ENABLED)
        .filter(f -> f.prefix(""))
        .destination(d -> d.bucket(arn(replicaBucket)))
        .deleteMarkerReplication(d -> d.status(DeleteMarkerReplicationStatus.ENABLED))
        .build();
  }

  /** The next free priority among the rules (S3 requires distinct priorities). */
  public static int nextPriority(List<ReplicationRule> rules) {
    return rules.stream().mapToInt(r -> r.priority() == null ? 0 : r.priority()).max().orElse(0)
        + 1;
  }
}
