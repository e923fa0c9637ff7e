package dev.failover.workflows.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.failover.workflows.run.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a runbook from YAML and checks every field, collecting all problems rather than stopping at
 * the first, so that an operator fixes a file in one pass. Unknown fields are errors: a typo in a
 * field name must never silently fall back to a default during a failover.
 */
public final class RunbookParser {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?");

  /**
   * Whether {@code name} is a valid runbook name (it becomes part of workflow and schedule ids).
   */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d");
  private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern LOOKS_LIKE_SECRET =
      Pattern.compile("(dapi|dose|dkea)[0-9a-f]{16,}.*|(AKIA|ASIA)[A-Z0-9]{12,}");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,254}");

  // Duplicate keys are rejected: YAML would otherwise keep the last one silently.
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private final List<RunbookProblem> problems = new ArrayList<>();

  private RunbookParser() {}

  /**
   * Parses and validates runbook YAML.
   *
   * @param source a name for the input (a file path) used in the exception message
   * @throws InvalidRunbookException listing every problem found
   */
  public static Runbook parse(String yaml, String source) throws InvalidRunbookException {
    RunbookParser parser = new RunbookParser();
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new InvalidRunbookException(
          source,
          List.of(
              new RunbookProblem(
                  "(file)", "is not valid YAML" + where + ": " + e.getOriginalMessage())));
    }
    Runbook runbook = parser.runbook(root);
    if (!parser.problems.isEmpty()) {
      throw new InvalidRunbookException(source, parser.problems);
    }
    return runbook;
  }

  private Runbook runbook(JsonNode root) {
    if (root == null || !root.isObject()) {
      problem("(file)", "must be a YAML mapping with the runbook's fields");
      return null;
    }
    allowOnly(
        root,
        "",
        "version",
        "name",
        "primary",
        "secondary",
        "bucketPairs",
        "replication",
        "storagePathRewrites",
        "objectives",
        "approval",
        "onStepFailure",
        "steps",
        "scope",
        "account",
        "capture",
        "compute",
        "storageCredentials",
        "fence");
    Integer version = integer(root, "", "version", true);
    if (version != null && version != 1) {
      problem("version", "must be 1 (the only runbook version this tool reads), got " + version);
    }
    String name = text(root, "", "name", true);
    if (name != null && !NAME.matcher(name).matches()) {
      problem(
          "name",
          "must be 1-50 lowercase letters, digits or '-', starting and ending with a letter or"
              + " digit (it becomes part of the workflow id), got '"
              + name
              + "'");
    }
    Runbook.Side primary = side(root, "primary");
    Runbook.Side secondary = side(root, "secondary");
    crossCheckSides(primary, secondary);
    List<Runbook.BucketPair> pairs = bucketPairs(root);
    Runbook.Replication replication = replication(root);
    List<Runbook.PathRewrite> rewrites = rewrites(root, pairs);
    Runbook.Objectives objectives = objectives(root);
    Runbook.Approval approval = approval(root);
    Runbook.Scope scope = scope(root);
    Runbook.OnStepFailure onStepFailure = onStepFailure(root);
    Runbook.Steps steps = steps(root);
    Runbook.Account account = account(root);
    Runbook.Capture capture = capture(root);
    Runbook.Compute compute = compute(root, primary, secondary);
    Runbook.StorageCredentials storageCredentials = storageCredentials(root);
    FenceSettings fence = fence(root);
    if (!problems.isEmpty()) {
      return null;
    }
    return new Runbook(
        version,
        name,
        primary,
        secondary,
        pairs,
        replication,
        rewrites,
        objectives,
        approval,
        scope,
        onStepFailure,
        steps,
        account,
        capture,
        compute,
        storageCredentials,
        fence);
  }

  /**
   * The optional fence section: what the fence does with runs in progress, and how long it waits.
   */
  private FenceSettings fence(JsonNode root) {
    JsonNode node = object(root, "", "fence", false);
    if (node == null) {
      return FenceSettings.DEFAULT;
    }
    allowOnly(node, "fence", "runsInProgress", "waitMinutes");
    String runs = text(node, "fence", "runsInProgress", false);
    FenceSettings.RunsInProgress choice = FenceSettings.DEFAULT.runsInProgress();
    if (runs != null) {
      try {
        choice = FenceSettings.RunsInProgress.valueOf(runs.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem("fence.runsInProgress", "must be cancel, wait or leave, got '" + runs + "'");
      }
    }
    Integer wait = integer(node, "fence", "waitMinutes", false);
    if (wait != null && (wait < 1 || wait > FenceSettings.MAX_WAIT_MINUTES)) {
      problem(
          "fence.waitMinutes",
          "must be between 1 and " + FenceSettings.MAX_WAIT_MINUTES + ", got " + wait);
      wait = null;
    }
    return new FenceSettings(choice, wait == null ? FenceSettings.DEFAULT.waitMinutes() : wait);
  }

  /** A Unity Catalog object name: no dots, slashes or spaces at the ends. */
  private static final Pattern UC_NAME = Pattern.compile("[^./\\s][^./]{0,253}[^./\\s]|[^./\\s]");

  /**
   * The optional storageCredentials section: primary credential names mapped to existing
   * credentials of the secondary; none when absent. Two primary credentials may not share one
   * target, since failback maps it back.
   */
  private Runbook.StorageCredentials storageCredentials(JsonNode root) {
    JsonNode node = object(root, "", "storageCredentials", false);
    if (node == null) {
      return Runbook.StorageCredentials.NONE;
    }
    allowOnly(node, "storageCredentials", "map");
    Map<String, String> map = new LinkedHashMap<>();
    Map<String, String> sourceOf = new LinkedHashMap<>();
    stringMap(node, "storageCredentials.map")
        .forEach(
            (from, to) -> {
              String path = "storageCredentials.map." + from;
              if (!UC_NAME.matcher(from).matches()) {
                problem(
                    path, "must be a storage credential name (no '.' or '/'), got '" + from + "'");
              } else if (!UC_NAME.matcher(to).matches()) {
                problem(
                    path,
                    "must map to a storage credential name (no '.' or '/'), got '" + to + "'");
              } else if (sourceOf.containsKey(to)) {
                problem(
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

  private static final Pattern INSTANCE_PROFILE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:instance-profile/[\\w+=,.@/-]+");

  /** The optional compute section: zone and instance profile rules; none when absent. */
  private Runbook.Compute compute(JsonNode root, Runbook.Side primary, Runbook.Side secondary) {
    JsonNode node = object(root, "", "compute", false);
    if (node == null) {
      return Runbook.Compute.NONE;
    }
    allowOnly(node, "compute", "zones", "defaultZone", "instanceProfiles");
    // A side whose region is missing or bad is reported there; its zones are not checked again.
    String from = primary == null ? null : primary.region();
    String to = secondary == null ? null : secondary.region();
    Map<String, String> zones = new LinkedHashMap<>();
    stringMap(node, "compute.zones")
        .forEach(
            (zone, target) -> {
              String path = "compute.zones." + zone;
              if (from != null && !isZoneOf(zone, from)) {
                problem(
                    path,
                    "must be a zone of the primary's region " + from + ", got '" + zone + "'");
              } else if (to != null && !target.equals("auto") && !isZoneOf(target, to)) {
                problem(
                    path,
                    "must map to auto or a zone of the secondary's region "
                        + to
                        + ", got '"
                        + target
                        + "'");
              } else {
                zones.put(zone, target);
              }
            });
    String defaultZone = text(node, "compute", "defaultZone", false);
    if (to != null
        && defaultZone != null
        && !defaultZone.equals("auto")
        && !isZoneOf(defaultZone, to)) {
      problem(
          "compute.defaultZone",
          "must be auto or a zone of the secondary's region " + to + ", got '" + defaultZone + "'");
    }
    Map<String, String> profiles = new LinkedHashMap<>();
    stringMap(node, "compute.instanceProfiles")
        .forEach(
            (arn, target) -> {
              String path = "compute.instanceProfiles." + arn;
              if (!INSTANCE_PROFILE_ARN.matcher(arn).matches()) {
                problem(
                    path,
                    "must be an instance profile ARN (arn:aws:iam::<account>:instance-profile/<name>)");
              } else if (!INSTANCE_PROFILE_ARN.matcher(target).matches()) {
                problem(
                    path,
                    "must map to an instance profile ARN (arn:aws:iam::<account>:instance-profile/<name>), got '"
                        + target
                        + "'");
              } else {
                profiles.put(arn, target);
              }
            });
    return new Runbook.Compute(zones, defaultZone, profiles);
  }

  /** Whether the value is an availability zone of the region: the region and one letter. */
  private static boolean isZoneOf(String zone, String region) {
    return region != null
        && zone.length() == region.length() + 1
        && zone.startsWith(region)
        && Character.isLowerCase(zone.charAt(region.length()));
  }

  /** An optional mapping of strings to strings at {@code path} (dotted, from the root). */
  private Map<String, String> stringMap(JsonNode parent, String path) {
    String field = path.substring(path.lastIndexOf('.') + 1);
    JsonNode node = object(parent, path.substring(0, path.lastIndexOf('.')), field, false);
    Map<String, String> values = new LinkedHashMap<>();
    if (node == null) {
      return values;
    }
    node.fields()
        .forEachRemaining(
            entry -> {
              if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
                problem(path + "." + entry.getKey(), "must be a non-empty string");
              } else {
                values.put(entry.getKey(), entry.getValue().asText().trim());
              }
            });
    return values;
  }

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** The optional capture section; null when absent. */
  private Runbook.Capture capture(JsonNode root) {
    JsonNode node = object(root, "", "capture", false);
    if (node == null) {
      return null;
    }
    allowOnly(node, "capture", "everyMinutes");
    Integer every = integer(node, "capture", "everyMinutes", true);
    if (every == null) {
      return null;
    }
    if (every < Runbook.Capture.MIN_EVERY_MINUTES || every > Runbook.Capture.MAX_EVERY_MINUTES) {
      problem(
          "capture.everyMinutes",
          "must be between "
              + Runbook.Capture.MIN_EVERY_MINUTES
              + " and "
              + Runbook.Capture.MAX_EVERY_MINUTES
              + " (a week), got "
              + every);
      return null;
    }
    return new Runbook.Capture(every);
  }

  /** The optional account section; null when absent. */
  private Runbook.Account account(JsonNode root) {
    JsonNode node = object(root, "", "account", false);
    if (node == null) {
      return null;
    }
    allowOnly(
        node,
        "account",
        "host",
        "accountId",
        "credentialProfile",
        "primaryWorkspaceId",
        "secondaryWorkspaceId");
    String host = text(node, "account", "host", true);
    if (host != null) {
      host = accountHost(host);
    }
    String accountId = text(node, "account", "accountId", true);
    if (accountId != null && !UUID.matcher(accountId).matches()) {
      problem(
          "account.accountId",
          "must be the account's id, a UUID such as 0d26daa6-5e44-4c97-a497-ef015f91254a, got '"
              + accountId
              + "'");
    }
    String profile = profileName(node, "account", "credentialProfile");
    Long primary = workspaceId(node, "primaryWorkspaceId");
    Long secondary = workspaceId(node, "secondaryWorkspaceId");
    if (primary != null && primary.equals(secondary)) {
      problem("account.secondaryWorkspaceId", "must differ from account.primaryWorkspaceId");
    }
    return new Runbook.Account(
        host, accountId, profile, primary == null ? 0 : primary, secondary == null ? 0 : secondary);
  }

  private String accountHost(String host) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(host);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || !"https".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null
        || uri.getUserInfo() != null
        || uri.getRawQuery() != null
        || (uri.getRawPath() != null
            && !uri.getRawPath().isEmpty()
            && !uri.getRawPath().equals("/"))) {
      problem(
          "account.host",
          "must be the account console's https:// URL without a path, such as"
              + " https://accounts.cloud.databricks.com, got '"
              + host
              + "'");
    }
    return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
  }

  private Long workspaceId(JsonNode node, String field) {
    JsonNode value = node.get(field);
    String path = "account." + field;
    if (value == null || value.isNull()) {
      problem(path, "is required");
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() <= 0) {
      problem(
          path,
          "must be the workspace's id in the account, a positive number, got '"
              + value.asText()
              + "'");
      return null;
    }
    return value.longValue();
  }

  /** A required credential profile name that is not a secret. */
  private String profileName(JsonNode node, String path, String field) {
    String profile = text(node, path, field, true);
    if (profile != null) {
      if (LOOKS_LIKE_SECRET.matcher(profile).matches()) {
        problem(
            join(path, field),
            "looks like a token or access key; give the name of a credential profile, never a"
                + " secret");
      } else if (!PROFILE.matcher(profile).matches()) {
        problem(
            join(path, field),
            "must be a profile name (letters, digits, '_', '.', '-'), got '" + profile + "'");
      }
    }
    return profile;
  }

  private Runbook.Side side(JsonNode root, String field) {
    JsonNode node = object(root, "", field, true);
    if (node == null) {
      return null;
    }
    allowOnly(node, field, "region", "workspaceHost", "credentialProfile");
    String region = region(node, field, "region");
    String host = text(node, field, "workspaceHost", true);
    if (host != null) {
      host = workspaceHost(field + ".workspaceHost", host);
    }
    String profile = text(node, field, "credentialProfile", true);
    if (profile != null) {
      if (LOOKS_LIKE_SECRET.matcher(profile).matches()) {
        problem(
            field + ".credentialProfile",
            "looks like a token or access key; give the name of a credential profile, never a"
                + " secret");
      } else if (!PROFILE.matcher(profile).matches()) {
        problem(
            field + ".credentialProfile",
            "must be a profile name (letters, digits, '_', '.', '-'), got '" + profile + "'");
      }
    }
    return new Runbook.Side(region, host, profile);
  }

  private String workspaceHost(String path, String host) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(host);
    } catch (java.net.URISyntaxException e) {
      problem(
          path, "must be a URL such as https://dbc-1234.cloud.databricks.com, got '" + host + "'");
      return host;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") || uri.getHost() == null) {
      problem(
          path,
          "must be an https:// URL such as https://dbc-1234.cloud.databricks.com, got '"
              + host
              + "'");
    } else if (uri.getRawPath() != null
        && !uri.getRawPath().isEmpty()
        && !uri.getRawPath().equals("/")) {
      problem(path, "must be the workspace's base URL without a path, got '" + host + "'");
    } else if (uri.getUserInfo() != null || uri.getRawQuery() != null) {
      problem(path, "must not carry credentials or a query, only the workspace's base URL");
    }
    return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
  }

  private void crossCheckSides(Runbook.Side primary, Runbook.Side secondary) {
    if (primary == null || secondary == null) {
      return;
    }
    if (primary.region() != null && primary.region().equals(secondary.region())) {
      problem("secondary.region", "must differ from primary.region (" + primary.region() + ")");
    }
    if (primary.workspaceHost() != null
        && primary.workspaceHost().equalsIgnoreCase(secondary.workspaceHost())) {
      problem("secondary.workspaceHost", "must differ from primary.workspaceHost");
    }
  }

  private String region(JsonNode node, String path, String field) {
    String region = text(node, path, field, true);
    if (region != null && !REGION.matcher(region).matches()) {
      problem(join(path, field), "must be an AWS region such as us-east-1, got '" + region + "'");
      return null;
    }
    return region;
  }

  private List<Runbook.BucketPair> bucketPairs(JsonNode root) {
    JsonNode list = root.get("bucketPairs");
    List<Runbook.BucketPair> pairs = new ArrayList<>();
    if (list == null || list.isNull()) {
      problem("bucketPairs", "is required: list each primary bucket with its replica");
      return pairs;
    }
    if (!list.isArray() || list.isEmpty()) {
      problem("bucketPairs", "must be a non-empty list of {name, primary, replica, roles} entries");
      return pairs;
    }
    Set<String> names = new HashSet<>();
    Set<String> buckets = new HashSet<>();
    java.util.Map<String, String> roleHolders = new java.util.HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "bucketPairs[" + i + "]";
      JsonNode node = list.get(i);
      if (!node.isObject()) {
        problem(path, "must be a mapping with name, primary, replica and roles");
        continue;
      }
      allowOnly(node, path, "name", "primary", "replica", "roles", "reverseReplicationRoleArn");
      String name = text(node, path, "name", true);
      if (name != null && !NAME.matcher(name).matches()) {
        problem(path + ".name", "must be lowercase letters, digits or '-', got '" + name + "'");
      } else if (name != null && !names.add(name)) {
        problem(path + ".name", "'" + name + "' names another pair too");
      }
      Runbook.Bucket primary = bucket(node, path, "primary");
      Runbook.Bucket replica = bucket(node, path, "replica");
      if (primary != null && replica != null) {
        if (primary.bucket().equals(replica.bucket())) {
          problem(
              path + ".replica.bucket",
              "must differ from the primary bucket ('" + primary.bucket() + "')");
        } else if (primary.region() != null && primary.region().equals(replica.region())) {
          problem(
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
          problem(path, "uses bucket '" + bucket.bucket() + "', which another pair uses too");
        }
      }
      List<String> roles = textList(node, path, "roles", true);
      if (roles != null) {
        if (roles.isEmpty()) {
          problem(path + ".roles", "must list at least one of " + Runbook.STORAGE_ROLES);
        }
        for (int r = 0; r < roles.size(); r++) {
          String role = roles.get(r);
          String holder = roleHolders.putIfAbsent(role, path);
          if (!Runbook.STORAGE_ROLES.contains(role)) {
            problem(
                path + ".roles[" + r + "]",
                "'" + role + "' is not a storage role; expected one of " + Runbook.STORAGE_ROLES);
          } else if (holder != null) {
            problem(
                path + ".roles[" + r + "]",
                "role '"
                    + role
                    + "' is already held by "
                    + holder
                    + "; each role belongs to one pair");
          }
        }
      }
      String roleArn = text(node, path, "reverseReplicationRoleArn", false);
      if (roleArn != null && !roleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+")) {
        problem(
            path + ".reverseReplicationRoleArn",
            "must be an IAM role ARN such as arn:aws:iam::123456789012:role/s3-replication");
      }
      pairs.add(
          new Runbook.BucketPair(
              name, primary, replica, roles == null ? List.of() : roles, roleArn));
    }
    return pairs;
  }

  private Runbook.Bucket bucket(JsonNode pair, String pairPath, String field) {
    JsonNode node = object(pair, pairPath, field, true);
    if (node == null) {
      return null;
    }
    String path = join(pairPath, field);
    allowOnly(node, path, "bucket", "region");
    String bucket = text(node, path, "bucket", true);
    if (bucket != null && (!BUCKET.matcher(bucket).matches() || bucket.contains(".."))) {
      problem(
          path + ".bucket",
          "must be an S3 bucket name (3-63 lowercase letters, digits, '.', '-'), got '"
              + bucket
              + "'");
      bucket = null;
    }
    String region = region(node, path, "region");
    return bucket == null ? null : new Runbook.Bucket(bucket, region);
  }

  private Runbook.Replication replication(JsonNode root) {
    JsonNode node = object(root, "", "replication", false);
    int reverseDefault = Runbook.Replication.DEFAULT_REVERSE_PATH_TIMEOUT_MINUTES;
    if (node == null) {
      return new Runbook.Replication(15, 24, reverseDefault);
    }
    allowOnly(
        node, "replication", "drainTimeoutMinutes", "lookbackHours", "reversePathTimeoutMinutes");
    Integer drain = positive(node, "replication", "drainTimeoutMinutes", false, 15);
    Integer lookback = positive(node, "replication", "lookbackHours", false, 24);
    Integer reverse =
        positive(node, "replication", "reversePathTimeoutMinutes", false, reverseDefault);
    if (reverse != null && reverse > Runbook.Replication.MAX_REVERSE_PATH_TIMEOUT_MINUTES) {
      problem(
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

  private List<Runbook.PathRewrite> rewrites(JsonNode root, List<Runbook.BucketPair> pairs) {
    JsonNode list = root.get("storagePathRewrites");
    List<Runbook.PathRewrite> rewrites = new ArrayList<>();
    if (list == null || list.isNull()) {
      problem("storagePathRewrites", "is required: list how primary storage paths map to replicas");
      return rewrites;
    }
    if (!list.isArray()) {
      problem("storagePathRewrites", "must be a list of {from, to} entries");
      return rewrites;
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "storagePathRewrites[" + i + "]";
      JsonNode node = list.get(i);
      if (!node.isObject()) {
        problem(path, "must be a mapping with 'from' and 'to'");
        continue;
      }
      allowOnly(node, path, "from", "to");
      String from = text(node, path, "from", true);
      String to = text(node, path, "to", true);
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
      problem(path, "must be an s3:// prefix ending in '/', got '" + url + "'");
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
      problem(
          path + ".from",
          "names bucket '" + from + "', which is not the primary bucket of any of bucketPairs");
    } else if (pair.replica() != null && !to.equals(pair.replica().bucket())) {
      problem(
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

  private Runbook.Objectives objectives(JsonNode root) {
    JsonNode node = object(root, "", "objectives", true);
    if (node == null) {
      return null;
    }
    allowOnly(node, "objectives", "rtoMinutes", "rpoMinutes");
    Integer rto = positive(node, "objectives", "rtoMinutes", true, 0);
    Integer rpo = positive(node, "objectives", "rpoMinutes", true, 0);
    return new Runbook.Objectives(rto == null ? 0 : rto, rpo == null ? 0 : rpo);
  }

  private static final Pattern STEP_NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  /** Every built-in step's name: custom steps may depend on them and may not take them. */
  private static final List<String> BUILT_IN_STEPS = Step.names();

  /** The steps an approval may come before: after readiness, before the report. */
  private static final List<String> APPROVAL_PLACES =
      BUILT_IN_STEPS.stream()
          .filter(n -> !List.of("readiness", "approval", "report").contains(n))
          .toList();

  private static final List<String> MODES = List.of("drill", "failover", "failback");

  private Runbook.Steps steps(JsonNode root) {
    JsonNode node = object(root, "", "steps", false);
    if (node == null) {
      return Runbook.Steps.NONE;
    }
    allowOnly(node, "steps", "disable", "custom", "maxParallel");
    List<String> disable = textList(node, "steps", "disable", false);
    if (disable != null) {
      for (int i = 0; i < disable.size(); i++) {
        if (!Runbook.Steps.DISABLEABLE.contains(disable.get(i))) {
          problem(
              "steps.disable[" + i + "]",
              "'"
                  + disable.get(i)
                  + "' cannot be disabled; these can: "
                  + Runbook.Steps.DISABLEABLE);
        }
      }
    }
    Integer maxParallel = positive(node, "steps", "maxParallel", false, 2);
    List<Runbook.CustomStep> custom = new ArrayList<>();
    JsonNode list = node.get("custom");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        problem("steps.custom", "must be a list of steps");
      } else {
        for (int i = 0; i < list.size(); i++) {
          Runbook.CustomStep step = customStep(list.get(i), "steps.custom[" + i + "]");
          if (step != null) {
            custom.add(step);
          }
        }
      }
    }
    checkCustomSteps(custom);
    return new Runbook.Steps(
        disable == null ? List.of() : disable, custom, maxParallel == null ? 2 : maxParallel);
  }

  private Runbook.CustomStep customStep(JsonNode node, String path) {
    if (!node.isObject()) {
      problem(path, "must be a mapping with name, dependsOn and webhook");
      return null;
    }
    allowOnly(node, path, "name", "modes", "dependsOn", "webhook");
    String name = text(node, path, "name", true);
    if (name != null && !STEP_NAME.matcher(name).matches()) {
      problem(
          path + ".name",
          "must be 1-40 lowercase letters, digits or '-', starting with a letter, got '"
              + name
              + "'");
    }
    List<String> modes = textList(node, path, "modes", false);
    if (modes != null) {
      for (int i = 0; i < modes.size(); i++) {
        if (!MODES.contains(modes.get(i))) {
          problem(
              path + ".modes[" + i + "]",
              "must be one of " + MODES + ", got '" + modes.get(i) + "'");
        }
      }
    }
    List<String> dependsOn = textList(node, path, "dependsOn", false);
    JsonNode hook = object(node, path, "webhook", true);
    Runbook.Webhook webhook = hook == null ? null : webhook(hook, path + ".webhook");
    if (name == null || webhook == null) {
      return null;
    }
    return new Runbook.CustomStep(
        name,
        modes == null || modes.isEmpty() ? MODES : modes,
        dependsOn == null || dependsOn.isEmpty() ? List.of("smoke-test") : dependsOn,
        webhook);
  }

  private Runbook.Webhook webhook(JsonNode node, String path) {
    allowOnly(node, path, "url", "method", "body", "expectStatus", "timeoutSeconds");
    String url = text(node, path, "url", true);
    if (url != null) {
      String reason = webhookUrlProblem(url);
      if (reason != null) {
        problem(path + ".url", reason);
      }
    }
    String method = text(node, path, "method", false);
    if (method != null && !List.of("POST", "PUT", "PATCH", "GET").contains(method)) {
      problem(path + ".method", "must be POST, PUT, PATCH or GET, got '" + method + "'");
    }
    JsonNode body = node.get("body");
    Integer status = integer(node, path, "expectStatus", false);
    if (status != null && (status < 100 || status > 599)) {
      problem(path + ".expectStatus", "must be an HTTP status (100-599), got " + status);
    }
    Integer timeout = positive(node, path, "timeoutSeconds", false, 30);
    if (timeout != null && timeout > 300) {
      problem(path + ".timeoutSeconds", "must be at most 300, got " + timeout);
    }
    return new Runbook.Webhook(
        url,
        method == null ? "POST" : method,
        body == null || body.isNull() ? null : body.toString(),
        status == null ? 200 : status,
        timeout == null ? 30 : timeout);
  }

  /** Why a webhook URL is not acceptable, or null. */
  private static String webhookUrlProblem(String url) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      return "is not a valid URL: '" + url + "'";
    }
    String host = uri.getHost();
    boolean local = "localhost".equals(host) || "127.0.0.1".equals(host);
    if (host == null
        || !("https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && local))) {
      return "must be an https:// URL (http:// only to localhost), got '" + url + "'";
    }
    if (uri.getUserInfo() != null) {
      return "must not carry credentials: the runbook is part of the run's history";
    }
    return null;
  }

  /** Names unique and not built-in; dependencies known; no cycle. */
  private void checkCustomSteps(List<Runbook.CustomStep> custom) {
    java.util.Map<String, Runbook.CustomStep> byName = new java.util.LinkedHashMap<>();
    for (int i = 0; i < custom.size(); i++) {
      String name = custom.get(i).name();
      if (BUILT_IN_STEPS.contains(name)) {
        problem("steps.custom[" + i + "].name", "'" + name + "' is the name of a built-in step");
      } else if (byName.putIfAbsent(name, custom.get(i)) != null) {
        problem("steps.custom[" + i + "].name", "'" + name + "' is used by another step");
      }
    }
    for (int i = 0; i < custom.size(); i++) {
      for (String dependency : custom.get(i).dependsOn()) {
        if (!BUILT_IN_STEPS.contains(dependency) && !byName.containsKey(dependency)) {
          problem(
              "steps.custom[" + i + "].dependsOn",
              "names '" + dependency + "', which is neither a built-in nor a custom step");
        }
      }
    }
    // Depth-first search for a cycle among custom steps.
    java.util.Map<String, Integer> state = new java.util.HashMap<>();
    for (String name : byName.keySet()) {
      List<String> path = new ArrayList<>();
      if (cycle(name, byName, state, path)) {
        problem("steps.custom", "dependencies form a cycle: " + String.join(" -> ", path));
        return;
      }
    }
  }

  private static boolean cycle(
      String name,
      java.util.Map<String, Runbook.CustomStep> byName,
      java.util.Map<String, Integer> state,
      List<String> path) {
    Integer seen = state.get(name);
    if (seen != null && seen == 2) {
      return false;
    }
    path.add(name);
    if (seen != null && seen == 1) {
      return true;
    }
    state.put(name, 1);
    Runbook.CustomStep step = byName.get(name);
    if (step != null) {
      for (String dependency : step.dependsOn()) {
        if (byName.containsKey(dependency) && cycle(dependency, byName, state, path)) {
          return true;
        }
      }
    }
    state.put(name, 2);
    path.remove(path.size() - 1);
    return false;
  }

  private Runbook.OnStepFailure onStepFailure(JsonNode root) {
    JsonNode node = object(root, "", "onStepFailure", false);
    if (node == null) {
      return Runbook.OnStepFailure.DEFAULT;
    }
    allowOnly(node, "onStepFailure", "waitForDecision", "timeoutMinutes");
    Boolean wait = bool(node, "onStepFailure", "waitForDecision");
    Integer timeout = positive(node, "onStepFailure", "timeoutMinutes", false, 60);
    return new Runbook.OnStepFailure(
        wait == null ? Runbook.OnStepFailure.DEFAULT.waitForDecision() : wait,
        timeout == null ? Runbook.OnStepFailure.DEFAULT.timeoutMinutes() : timeout);
  }

  private Runbook.Approval approval(JsonNode root) {
    JsonNode node = object(root, "", "approval", false);
    if (node == null) {
      return new Runbook.Approval(true, false, List.of(), 60);
    }
    allowOnly(
        node, "approval", "required", "requiredForDrill", "approvers", "timeoutMinutes", "before");
    Boolean required = bool(node, "approval", "required");
    Boolean forDrill = bool(node, "approval", "requiredForDrill");
    List<String> approvers = textList(node, "approval", "approvers", false);
    Integer timeout = positive(node, "approval", "timeoutMinutes", false, 60);
    String before = text(node, "approval", "before", false);
    if (before != null && !APPROVAL_PLACES.contains(before)) {
      problem(
          "approval.before",
          "must name a step after readiness and before the report, one of "
              + APPROVAL_PLACES
              + ", got '"
              + before
              + "'");
    }
    return new Runbook.Approval(
        required == null || required,
        forDrill != null && forDrill,
        approvers == null ? List.of() : approvers,
        timeout == null ? 60 : timeout,
        before);
  }

  private Runbook.Scope scope(JsonNode root) {
    JsonNode node = object(root, "", "scope", false);
    if (node == null) {
      return new Runbook.Scope(List.of());
    }
    allowOnly(node, "scope", "catalogs");
    List<String> catalogs = textList(node, "scope", "catalogs", false);
    if (catalogs != null) {
      for (int i = 0; i < catalogs.size(); i++) {
        if (!IDENTIFIER.matcher(catalogs.get(i)).matches()) {
          problem("scope.catalogs[" + i + "]", "is not a catalog name: '" + catalogs.get(i) + "'");
        }
      }
    }
    return new Runbook.Scope(catalogs == null ? List.of() : catalogs);
  }

  private void allowOnly(JsonNode node, String path, String... known) {
    Set<String> allowed = Set.of(known);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        problem(join(path, field), "is not a known field; expected one of " + List.of(known));
      }
    }
  }

  private JsonNode object(JsonNode parent, String path, String field, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!node.isObject()) {
      problem(join(path, field), "must be a mapping");
      return null;
    }
    return node;
  }

  private String text(JsonNode parent, String path, String field, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      problem(join(path, field), "must be a non-empty string");
      return null;
    }
    return node.asText().trim();
  }

  private List<String> textList(JsonNode parent, String path, String field, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!node.isArray()) {
      problem(join(path, field), "must be a list of strings");
      return null;
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual() || item.asText().isBlank()) {
        problem(join(path, field) + "[" + i + "]", "must be a non-empty string");
      } else {
        values.add(item.asText().trim());
      }
    }
    return values;
  }

  private Integer integer(JsonNode parent, String path, String field, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      problem(join(path, field), "must be a whole number, got '" + node.asText() + "'");
      return null;
    }
    return node.intValue();
  }

  private Integer positive(
      JsonNode parent, String path, String field, boolean required, int fallback) {
    Integer value = integer(parent, path, field, required);
    if (value != null && value <= 0) {
      problem(join(path, field), "must be greater than 0, got " + value);
      return fallback;
    }
    return value;
  }

  private Boolean bool(JsonNode parent, String path, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      problem(join(path, field), "must be true or false, got '" + node.asText() + "'");
      return null;
    }
    return node.booleanValue();
  }

  private void problem(String field, String message) {
    problems.add(new RunbookProblem(field, message));
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
