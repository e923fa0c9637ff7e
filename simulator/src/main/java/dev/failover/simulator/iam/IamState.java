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
 * <p>Roles also carry a trust policy (who may assume them, with which external ids), for the roles
 * of Unity Catalog storage credentials (see {@link #unityCatalogMayAssume}).
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

  /**
   * What a caller of PutBucketReplication needs on the configuration's role (AWS S3 user guide,
   * "Setting up live replication" pages enable-replication and replication-add-config: "To add a
   * replication configuration to a bucket, you must have the {@code iam:PassRole} permission. This
   * permission allows you to pass the IAM role that grants Amazon S3 replication permissions").
   */
  public static final String PASS_ROLE = "iam:PassRole";

  /**
   * What a caller of PutBucketReplication needs on the bucket (S3 API reference,
   * PutBucketReplication, Permissions: "To create a PutBucketReplication request, you must have
   * s3:PutReplicationConfiguration permissions for the bucket"). The simulator does not enforce it,
   * as it checks no caller's S3 permissions; the worker's readiness asks IAM about it.
   */
  public static final String PUT_REPLICATION_CONFIGURATION = "s3:PutReplicationConfiguration";

  public static final String GET_OBJECT = "s3:GetObject";
  public static final String PUT_OBJECT = "s3:PutObject";
  public static final String DELETE_OBJECT = "s3:DeleteObject";

  /**
   * The principal Unity Catalog assumes a storage credential's role from, the same for every
   * credential of the AWS commercial deployment (the first principal of the trust policy in the
   * Databricks documentation "Create a storage credential for connecting to AWS S3", and the form
   * the service reports in {@code aws_iam_role.unity_catalog_iam_arn}).
   */
  public static final String UNITY_CATALOG_MASTER_ROLE =
      "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL";

  /** Per role ARN: per resource ARN (or pattern ending in {@code *}), the actions allowed. */
  private final Map<String, Map<String, Set<String>>> roles = new LinkedHashMap<>();

  /**
   * Per role ARN, its trust policy reduced to one {@code sts:AssumeRole} statement: the principals
   * it names and the {@code sts:ExternalId} values its {@code StringEquals} condition accepts.
   */
  private final Map<String, Trust> trust = new LinkedHashMap<>();

  /** A role's trust policy: who may assume it, with which external ids. */
  public record Trust(Set<String> principals, Set<String> externalIds) {}

  /**
   * Per access key id, the principal (a role ARN, its policy kept here as any role's) whose
   * credentials it is: the caller of a request signed with it.
   */
  private final Map<String, String> accessKeys = new LinkedHashMap<>();

  /**
   * The principal of every access key id not given one by {@link #signAs}: a fixture's choice (the
   * demo's worker role, say), not a rule of the cloud; null, the default, leaves such keys without
   * a principal, and whatever checks the caller refuses them.
   */
  private String unknownKeysPrincipal;

  /** Requests signed with this access key id are made by this principal. */
  public synchronized void signAs(String accessKeyId, String principalArn) {
    accessKeys.put(accessKeyId, principalArn);
  }

  /** Requests signed with any access key id not given to {@link #signAs} are made by it. */
  public synchronized void signUnknownKeysAs(String principalArn) {
    unknownKeysPrincipal = principalArn;
  }

  /** The principal whose credentials an access key id is, or null when none is known. */
  public synchronized String principalOf(String accessKeyId) {
    if (accessKeyId == null) {
      return null;
    }
    String principal = accessKeys.get(accessKeyId);
    return principal != null ? principal : unknownKeysPrincipal;
  }

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

  /**
   * Adds principals to the role's trust policy ({@code Principal.AWS} of its {@code sts:AssumeRole}
   * statement).
   */
  public synchronized void trustPrincipals(String roleArn, String... principals) {
    trustOf(roleArn).principals().addAll(List.of(principals));
  }

  /** Adds an external id to the {@code sts:ExternalId} values the role's trust policy accepts. */
  public synchronized void trustExternalId(String roleArn, String externalId) {
    trustOf(roleArn).externalIds().add(externalId);
  }

  /**
   * The trust policy a Unity Catalog storage credential's role needs, as the Databricks
   * documentation "Create a storage credential for connecting to AWS S3" gives it: Unity Catalog's
   * master role and the role itself (roles must be self-assuming; credentials on roles that are not
   * "will fail upon usage", Databricks community notice "Update your UC AWS IAM roles to include
   * self-assume capabilities", 2024) as principals, and the credential's external id in the {@code
   * sts:ExternalId} condition.
   */
  public synchronized void trustUnityCatalog(String roleArn, String externalId) {
    trustPrincipals(roleArn, UNITY_CATALOG_MASTER_ROLE, roleArn);
    trustExternalId(roleArn, externalId);
  }

  /**
   * Whether Unity Catalog may assume the role for a credential with this external id: the role
   * exists, trusts the master role and itself, and accepts the external id. STS refuses an {@code
   * AssumeRole} whose {@code ExternalId} the condition does not accept (IAM user guide, "Access to
   * AWS accounts owned by third parties", the external id).
   */
  public synchronized boolean unityCatalogMayAssume(String roleArn, String externalId) {
    Trust t = trust.get(roleArn);
    return roles.containsKey(roleArn)
        && t != null
        && t.principals().contains(UNITY_CATALOG_MASTER_ROLE)
        && t.principals().contains(roleArn)
        && t.externalIds().contains(externalId);
  }

  /**
   * What a storage credential's role needs on a bucket for Unity Catalog to read (and, unless
   * read-only, write) through it: the Databricks documentation's IAM policy for a storage
   * credential grants {@code s3:GetObject}, {@code s3:PutObject}, {@code s3:DeleteObject} on the
   * objects and {@code s3:ListBucket} on the bucket (the read-only variant drops put and delete).
   */
  public synchronized void allowStorageAccess(String roleArn, String bucket, boolean readOnly) {
    allow(roleArn, bucketArn(bucket), LIST_BUCKET);
    allow(roleArn, bucketArn(bucket) + "/*", GET_OBJECT);
    if (!readOnly) {
      allow(roleArn, bucketArn(bucket) + "/*", PUT_OBJECT, DELETE_OBJECT);
    }
  }

  private Trust trustOf(String roleArn) {
    if (!roles.containsKey(roleArn)) {
      throw new IllegalArgumentException("no such role: " + roleArn);
    }
    return trust.computeIfAbsent(roleArn, arn -> new Trust(new TreeSet<>(), new TreeSet<>()));
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
