package dev.failover.simulator.iam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * IAM roles as data, reduced to what S3 replication asks of them: which actions a role's
 * identity-based policy allows on which resources. Only {@code Allow} statements on exact ARNs or
 * ARNs ending in {@code *} are modelled; no conditions, no explicit denies, no permission
 * boundaries or service control policies.
 *
 * <p>What a replication role needs is listed in the AWS S3 user guide, "Setting up permissions for
 * live replication" (setting-repl-config-perm-overview.html): on the source, {@code
 * s3:GetReplicationConfiguration} and {@code s3:ListBucket} on the bucket and {@code
 * s3:GetObjectVersionForReplication} (with the ACL and tagging reads) on its objects; on the
 * destination, {@code s3:ReplicateObject}, {@code s3:ReplicateDelete} and {@code s3:ReplicateTags}
 * on its objects. S3 checks none of this when the replication configuration is written; it assumes
 * the role for each object, and an object it cannot replicate ends {@code FAILED}.
 */
public final class IamState {
  public static final String GET_REPLICATION_CONFIGURATION = "s3:GetReplicationConfiguration";
  public static final String LIST_BUCKET = "s3:ListBucket";
  public static final String GET_OBJECT_VERSION_FOR_REPLICATION =
      "s3:GetObjectVersionForReplication";
  public static final String GET_OBJECT_VERSION_ACL = "s3:GetObjectVersionAcl";
  public static final String GET_OBJECT_VERSION_TAGGING = "s3:GetObjectVersionTagging";
  public static final String REPLICATE_OBJECT = "s3:ReplicateObject";
  public static final String REPLICATE_DELETE = "s3:ReplicateDelete";
  public static final String REPLICATE_TAGS = "s3:ReplicateTags";

  /** Per role ARN: per resource ARN (or pattern ending in {@code *}), the actions allowed. */
  private final Map<String, Map<String, Set<String>>> roles = new LinkedHashMap<>();

  /** Creates a role with no permissions (or keeps an existing one as it is). */
  public synchronized void createRole(String roleArn) {
    roles.computeIfAbsent(roleArn, arn -> new LinkedHashMap<>());
  }

  /** Removes every permission of a role, keeping the role. */
  public synchronized void clearPermissions(String roleArn) {
    if (roles.containsKey(roleArn)) {
      roles.put(roleArn, new LinkedHashMap<>());
    }
  }

  public synchronized boolean roleExists(String roleArn) {
    return roles.containsKey(roleArn);
  }

  /** Adds an Allow statement for the actions on a resource (an ARN, or a pattern ending in *). */
  public synchronized void allow(String roleArn, String resource, String... actions) {
    Map<String, Set<String>> policy = roles.get(roleArn);
    if (policy == null) {
      throw new IllegalArgumentException("no such role: " + roleArn);
    }
    policy.computeIfAbsent(resource, r -> new TreeSet<>()).addAll(List.of(actions));
  }

  /**
   * Creates a role with the policy the AWS S3 user guide gives for replicating one bucket to
   * another (see the class comment): the source's reads and the destination's writes, nothing else.
   */
  public synchronized void createReplicationRole(
      String roleArn, String sourceBucket, String destinationBucket) {
    createRole(roleArn);
    allowReplicationSource(roleArn, sourceBucket);
    allowReplicationDestination(roleArn, destinationBucket);
  }

  /** What a role needs to replicate from a bucket. */
  public synchronized void allowReplicationSource(String roleArn, String bucket) {
    allow(roleArn, bucketArn(bucket), GET_REPLICATION_CONFIGURATION, LIST_BUCKET);
    allow(
        roleArn,
        bucketArn(bucket) + "/*",
        GET_OBJECT_VERSION_FOR_REPLICATION,
        GET_OBJECT_VERSION_ACL,
        GET_OBJECT_VERSION_TAGGING);
  }

  /** What a role needs to replicate into a bucket. */
  public synchronized void allowReplicationDestination(String roleArn, String bucket) {
    allow(roleArn, bucketArn(bucket) + "/*", REPLICATE_OBJECT, REPLICATE_DELETE, REPLICATE_TAGS);
  }

  /**
   * Whether the role's policy allows the action on the resource; false for a role that does not
   * exist (S3 then cannot assume it: {@code AssumeRoleNotPermitted} in the user guide's replication
   * failure reasons).
   */
  public synchronized boolean allowed(String roleArn, String action, String resource) {
    Map<String, Set<String>> policy = roles.get(roleArn);
    if (policy == null) {
      return false;
    }
    for (Map.Entry<String, Set<String>> statement : policy.entrySet()) {
      if (matches(statement.getKey(), resource) && statement.getValue().contains(action)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String resource) {
    return pattern.endsWith("*")
        ? resource.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(resource);
  }

  public static String bucketArn(String bucket) {
    return "arn:aws:s3:::" + bucket;
  }

  public static String objectArn(String bucket, String key) {
    return bucketArn(bucket) + "/" + key;
  }
}
