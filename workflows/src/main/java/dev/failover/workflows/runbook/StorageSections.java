package dev.failover.workflows.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the storage sections of a runbook: bucket pairs, replication, path rewrites and storage
 * credentials.
 */
final class StorageSections {
  private final RunbookFields f;

  StorageSections(RunbookFields f) {
    this.f = f;
  }

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  List<Runbook.BucketPair> bucketPairs(JsonNode root) {
    JsonNode list = root.get("bucketPairs");
    List<Runbook.BucketPair> pairs = new ArrayList<>();
    if (list == null || list.isNull()) {
      f.problem("bucketPairs", "is required: list each primary bucket with its replica");
      return pairs;
    }
    if (!list.isArray() || list.isEmpty()) {
      f.problem(
          "bucketPairs", "must be a non-empty list of {name, primary, replica, roles} entries");
      return pairs;
    }
    PairsSoFar seen = new PairsSoFar(new HashSet<>(), new HashSet<>(), new HashMap<>());
    for (int i = 0; i < list.size(); i++) {
      String path = "bucketPairs[" + i + "]";
      JsonNode node = list.get(i);
      if (!node.isObject()) {
        f.problem(path, "must be a mapping with name, primary, replica and roles");
        continue;
      }
      pairs.add(bucketPair(node, path, seen));
    }
    return pairs;
  }

  /**
   * What the pairs read so far hold: names, buckets, and which pair holds each role (by its path).
   */
  private record PairsSoFar(Set<String> names, Set<String> buckets, Map<String, String> roles) {}

  private Runbook.BucketPair bucketPair(JsonNode node, String path, PairsSoFar seen) {
    f.allowOnly(node, path, "name", "primary", "replica", "roles", "reverseReplicationRoleArn");
    String name = f.text(node, path, "name", true);
    if (name != null && !RunbookParser.validName(name)) {
      f.problem(path + ".name", "must be lowercase letters, digits or '-', got '" + name + "'");
    } else if (name != null && !seen.names().add(name)) {
      f.problem(path + ".name", "'" + name + "' names another pair too");
    }
    Runbook.Bucket primary = bucket(node, path, "primary");
    Runbook.Bucket replica = bucket(node, path, "replica");
    checkBuckets(path, primary, replica, seen.buckets());
    List<String> roles = f.textList(node, path, "roles", true);
    if (roles != null) {
      checkRoles(path, roles, seen.roles());
    }
    String roleArn = f.text(node, path, "reverseReplicationRoleArn", false);
    if (roleArn != null && !roleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+")) {
      f.problem(
          path + ".reverseReplicationRoleArn",
          "must be an IAM role ARN such as arn:aws:iam::123456789012:role/s3-replication");
    }
    return new Runbook.BucketPair(
        name, primary, replica, roles == null ? List.of() : roles, roleArn);
  }

  /** Two different buckets in two different regions, neither used by another pair. */
  private void checkBuckets(
      String path, Runbook.Bucket primary, Runbook.Bucket replica, Set<String> buckets) {
    if (primary != null && replica != null) {
      if (primary.bucket().equals(replica.bucket())) {
        f.problem(
            path + ".replica.bucket",
            "must differ from the primary bucket ('" + primary.bucket() + "')");
      } else if (primary.region() != null && primary.region().equals(replica.region())) {
        f.problem(
            path + ".replica.region",
            "must differ from the primary bucket's region ("
                + primary.region()
                + "): a replica in the same region does not survive a regional outage");
      }
    }
    boolean samePair =
        primary != null && replica != null && primary.bucket().equals(replica.bucket());
    for (Runbook.Bucket bucket : new Runbook.Bucket[] {primary, samePair ? null : replica}) {
      if (bucket != null && !buckets.add(bucket.bucket())) {
        f.problem(path, "uses bucket '" + bucket.bucket() + "', which another pair uses too");
      }
    }
  }

  /** Known storage roles, each held by one pair. */
  private void checkRoles(String path, List<String> roles, Map<String, String> roleHolders) {
    if (roles.isEmpty()) {
      f.problem(path + ".roles", "must list at least one of " + Runbook.STORAGE_ROLES);
    }
    for (int r = 0; r < roles.size(); r++) {
      String role = roles.get(r);
      String holder = roleHolders.putIfAbsent(role, path);
      if (!Runbook.STORAGE_ROLES.contains(role)) {
        f.problem(
            path + ".roles[" + r + "]",
            "'" + role + "' is not a storage role; expected one of " + Runbook.STORAGE_ROLES);
      } else if (holder != null) {
        f.problem(
            path + ".roles[" + r + "]",
            "role '" + role + "' is already held by " + holder + "; each role belongs to one pair");
      }
    }
  }

  private Runbook.Bucket bucket(JsonNode pair, String pairPath, String field) {
    JsonNode node = f.object(pair, pairPath, field, true);
    if (node == null) {
      return null;
    }
    String path = RunbookFields.join(pairPath, field);
    f.allowOnly(node, path, "bucket", "region");
    String bucket = f.text(node, path, "bucket", true);
    if (bucket != null && (!BUCKET.matcher(bucket).matches() || bucket.contains(".."))) {
      f.problem(
          path + ".bucket",
          "must be an S3 bucket name (3-63 lowercase letters, digits, '.', '-'), got '"
              + bucket
              + "'");
      bucket = null;
    }
    String region = f.region(node, path, "region");
    return bucket == null ? null : new Runbook.Bucket(bucket, region);
  }

  Runbook.Replication replication(JsonNode root) {
    JsonNode node = f.object(root, "", "replication", false);
    int reverseDefault = Runbook.Replication.DEFAULT_REVERSE_PATH_TIMEOUT_MINUTES;
    if (node == null) {
      return new Runbook.Replication(15, 24, reverseDefault);
    }
    f.allowOnly(
        node, "replication", "drainTimeoutMinutes", "lookbackHours", "reversePathTimeoutMinutes");
    Integer drain = f.positive(node, "replication", "drainTimeoutMinutes", false, 15);
    Integer lookback = f.positive(node, "replication", "lookbackHours", false, 24);
    Integer reverse =
        f.positive(node, "replication", "reversePathTimeoutMinutes", false, reverseDefault);
    if (reverse != null && reverse > Runbook.Replication.MAX_REVERSE_PATH_TIMEOUT_MINUTES) {
      f.problem(
          "replication.reversePathTimeoutMinutes",
          "must be at most "
              + Runbook.Replication.MAX_REVERSE_PATH_TIMEOUT_MINUTES
              + ", got "
              + reverse);
      reverse = reverseDefault;
    }
    return new Runbook.Replication(
        drain == null ? 15 : drain,
        lookback == null ? 24 : lookback,
        reverse == null ? reverseDefault : reverse);
  }

  List<Runbook.PathRewrite> rewrites(JsonNode root, List<Runbook.BucketPair> pairs) {
    JsonNode list = root.get("storagePathRewrites");
    List<Runbook.PathRewrite> rewrites = new ArrayList<>();
    if (list == null || list.isNull()) {
      f.problem(
          "storagePathRewrites", "is required: list how primary storage paths map to replicas");
      return rewrites;
    }
    if (!list.isArray()) {
      f.problem("storagePathRewrites", "must be a list of {from, to} entries");
      return rewrites;
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "storagePathRewrites[" + i + "]";
      JsonNode node = list.get(i);
      if (!node.isObject()) {
        f.problem(path, "must be a mapping with 'from' and 'to'");
        continue;
      }
      f.allowOnly(node, path, "from", "to");
      String from = f.text(node, path, "from", true);
      String to = f.text(node, path, "to", true);
      String fromBucket = s3Bucket(path + ".from", from);
      String toBucket = s3Bucket(path + ".to", to);
      if (fromBucket != null && toBucket != null) {
        checkRewritePair(path, fromBucket, toBucket, pairs);
      }
      rewrites.add(new Runbook.PathRewrite(from, to));
    }
    return rewrites;
  }

  /** The bucket of an s3:// prefix, or null (with a problem) when it is not one. */
  private String s3Bucket(String path, String url) {
    if (url == null) {
      return null;
    }
    if (!url.startsWith("s3://") || !url.endsWith("/") || url.indexOf('/', 5) < 6) {
      f.problem(path, "must be an s3:// prefix ending in '/', got '" + url + "'");
      return null;
    }
    return url.substring(5, url.indexOf('/', 5));
  }

  /** A rewrite must map a pair's primary bucket to that same pair's replica. */
  private void checkRewritePair(
      String path, String from, String to, List<Runbook.BucketPair> pairs) {
    Runbook.BucketPair pair =
        pairs.stream()
            .filter(p -> p.primary() != null && from.equals(p.primary().bucket()))
            .findFirst()
            .orElse(null);
    if (pair == null) {
      f.problem(
          path + ".from",
          "names bucket '" + from + "', which is not the primary bucket of any of bucketPairs");
    } else if (pair.replica() != null && !to.equals(pair.replica().bucket())) {
      f.problem(
          path + ".to",
          "names bucket '"
              + to
              + "', but the replica of '"
              + from
              + "' in bucketPairs is '"
              + pair.replica().bucket()
              + "'");
    }
  }

  /** A Unity Catalog object name: no dots, slashes or spaces at the ends. */
  private static final Pattern UC_NAME = Pattern.compile("[^./\\s][^./]{0,253}[^./\\s]|[^./\\s]");

  /**
   * The optional storageCredentials section: primary credential names mapped to existing
   * credentials of the secondary; none when absent. Two primary credentials may not share one
   * target, since failback maps it back.
   */
  Runbook.StorageCredentials storageCredentials(JsonNode root) {
    JsonNode node = f.object(root, "", "storageCredentials", false);
    if (node == null) {
      return Runbook.StorageCredentials.NONE;
    }
    f.allowOnly(node, "storageCredentials", "map");
    Map<String, String> map = new LinkedHashMap<>();
    Map<String, String> sourceOf = new LinkedHashMap<>();
    f.stringMap(node, "storageCredentials.map")
        .forEach(
            (from, to) -> {
              String path = "storageCredentials.map." + from;
              if (!UC_NAME.matcher(from).matches()) {
                f.problem(
                    path, "must be a storage credential name (no '.' or '/'), got '" + from + "'");
              } else if (!UC_NAME.matcher(to).matches()) {
                f.problem(
                    path,
                    "must map to a storage credential name (no '.' or '/'), got '" + to + "'");
              } else if (sourceOf.containsKey(to)) {
                f.problem(
                    path,
                    "maps to '"
                        + to
                        + "', which "
                        + sourceOf.get(to)
                        + " maps to already; each DR credential serves one primary credential");
              } else {
                sourceOf.put(to, from);
                map.put(from, to);
              }
            });
    return new Runbook.StorageCredentials(map);
  }
}
