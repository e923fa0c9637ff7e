package dev.failover.activities.components.compute;

import com.databricks.sdk.service.compute.InstanceProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The settings of a cluster or a job cluster ({@code new_cluster}) that belong to one region or one
 * workspace, made to fit the target, or refused naming the object, the field and what to add to the
 * runbook. Every such field of the SDK's {@code ClusterSpec} that converge captures:
 *
 * <table>
 *   <caption>Region- and workspace-specific cluster fields</caption>
 *   <tr><th>Field</th><th>Why it is local</th><th>What converge does</th></tr>
 *   <tr><td>{@code aws_attributes.zone_id}</td><td>a zone of the primary's region ("must be in
 *       the same region as the Databricks deployment")</td><td>kept when {@code auto} or a zone of
 *       the target's region; else mapped by {@code compute.zones}, else set to {@code
 *       compute.defaultZone}; else refused</td></tr>
 *   <tr><td>{@code aws_attributes.instance_profile_arn}</td><td>instance profiles are registered
 *       per workspace</td><td>mapped by {@code compute.instanceProfiles}; else kept when the target
 *       has registered it; else refused</td></tr>
 *   <tr><td>{@code init_scripts[].s3.destination}, {@code cluster_log_conf.s3.destination}</td>
 *       <td>a bucket of the primary's region</td><td>rewritten with the storage path rewrites;
 *       refused when still on a bucket a rewrite maps from</td></tr>
 *   <tr><td>{@code init_scripts[].s3.region}, {@code cluster_log_conf.s3.region}, {@code
 *       .s3.endpoint}</td><td>the bucket's region</td><td>for a rewritten destination: the region
 *       set to the target's, the endpoint (which would win over the region) removed</td></tr>
 *   <tr><td>{@code init_scripts[].s3.kms_key}, {@code cluster_log_conf.s3.kms_key}</td><td>KMS
 *       keys are regional</td><td>refused when the key's ARN names another region than the
 *       target's</td></tr>
 *   <tr><td>{@code policy_id}</td><td>an id of the workspace</td><td>mapped by name (the
 *       components)</td></tr>
 *   <tr><td>{@code instance_pool_id}, {@code driver_instance_pool_id}</td><td>an id of the
 *       workspace</td><td>the cluster is skipped (pools are not converged)</td></tr>
 *   <tr><td>{@code spark_conf}, {@code spark_env_vars}, other storage URLs</td><td>paths on
 *       primary buckets</td><td>rewritten with the storage path rewrites</td></tr>
 *   <tr><td>{@code docker_image.url}</td><td>may name an ECR registry of the primary's
 *       region</td><td>kept: ECR images can be pulled across regions; replicate the repository to
 *       survive an outage of the region</td></tr>
 * </table>
 *
 * Other captured fields ({@code node_type_id}, {@code aws_attributes.ebs_*}, {@code availability},
 * {@code spark_version}, tags, ...) name nothing of a region or a workspace.
 *
 * <p>Refusals are recorded by the object's key when the wanted configuration is computed (a dry run
 * only previews) and raised as {@link Component.Refused} by {@link #requireLocal} when the object
 * is created or updated.
 */
public final class RegionalFields {
  private final Map<String, String> refusals = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> registeredProfiles = new ConcurrentHashMap<>();

  /**
   * A cluster's specification made to fit the target, as a copy; a refusal is recorded under the
   * cluster's name, or cleared.
   */
  public JsonNode cluster(String name, JsonNode spec, ComponentContext target) {
    refusals.remove(name);
    if (spec == null || !spec.isObject()) {
      return spec;
    }
    ObjectNode copy = ((ObjectNode) spec).deepCopy();
    List<String> problems = new ArrayList<>();
    localize(copy, "", target, problems);
    refuseFor(name, "cluster " + name, problems);
    return copy;
  }

  /**
   * Makes the clusters a job's settings define ({@code job_clusters[].new_cluster}, {@code
   * tasks[].new_cluster}) fit the target, in place; a refusal is recorded under {@code key}, or
   * cleared.
   */
  public void job(String key, String name, ObjectNode settings, ComponentContext target) {
    refusals.remove(key);
    List<String> problems = new ArrayList<>();
    for (String array : List.of("job_clusters", "tasks")) {
      String keyField = array.equals("tasks") ? "task_key" : "job_cluster_key";
      JsonNode entries = settings.path(array);
      for (JsonNode entry : entries) {
        JsonNode cluster = entry.path("new_cluster");
        if (cluster.isObject()) {
          String path = array + "[" + entry.path(keyField).asText() + "].new_cluster.";
          localize((ObjectNode) cluster, path, target, problems);
        }
      }
    }
    refuseFor(key, "job " + name, problems);
  }

  private void localize(
      ObjectNode spec, String prefix, ComponentContext target, List<String> problems) {
    localizeZone(spec, prefix, target, problems);
    localizeInstanceProfile(spec, prefix, target, problems);
    JsonNode logs = spec.path("cluster_log_conf").path("s3");
    if (logs.isObject()) {
      localizeS3((ObjectNode) logs, prefix + "cluster_log_conf.s3", target, problems);
    }
    JsonNode scripts = spec.path("init_scripts");
    for (int i = 0; i < scripts.size(); i++) {
      JsonNode s3 = scripts.get(i).path("s3");
      if (s3.isObject()) {
        localizeS3((ObjectNode) s3, prefix + "init_scripts[" + i + "].s3", target, problems);
      }
    }
  }

  private void refuseFor(String key, String object, List<String> problems) {
    if (!problems.isEmpty()) {
      refusals.put(key, object + ": " + String.join("; ", problems));
    }
  }

  /** Refuses the object when its wanted configuration had a field that cannot fit the target. */
  public void requireLocal(String key) {
    String reason = refusals.get(key);
    if (reason != null) {
      throw new Component.Refused(reason);
    }
  }

  private static void localizeZone(
      ObjectNode spec, String prefix, ComponentContext target, List<String> problems) {
    JsonNode aws = spec.path("aws_attributes");
    if (!aws.hasNonNull("zone_id")) {
      return;
    }
    String zone = aws.get("zone_id").asText();
    String region = target.target().region();
    if (zone.equalsIgnoreCase("auto") || isZoneOf(zone, region)) {
      return;
    }
    ComputeRules rules = target.compute();
    String mapped = rules.zones().get(zone);
    if (mapped == null) {
      mapped = rules.defaultZone();
    }
    if (mapped == null) {
      problems.add(
          prefix
              + "aws_attributes.zone_id "
              + zone
              + " is not a zone of "
              + region
              + ": add compute.zones: {"
              + zone
              + ": <a zone of "
              + region
              + " or auto>} or compute.defaultZone: auto to the runbook");
      return;
    }
    ((ObjectNode) aws).put("zone_id", mapped);
  }

  private void localizeInstanceProfile(
      ObjectNode spec, String prefix, ComponentContext target, List<String> problems) {
    JsonNode aws = spec.path("aws_attributes");
    if (!aws.hasNonNull("instance_profile_arn")) {
      return;
    }
    String arn = aws.get("instance_profile_arn").asText();
    String mapped = target.compute().instanceProfiles().get(arn);
    if (mapped != null) {
      ((ObjectNode) aws).put("instance_profile_arn", mapped);
    } else if (!registered(target).contains(arn)) {
      problems.add(
          prefix
              + "aws_attributes.instance_profile_arn "
              + arn
              + " is not registered with "
              + target.host()
              + ": add compute.instanceProfiles: {"
              + arn
              + ": <an instance profile registered there>} to the runbook");
    }
  }

  /**
   * An S3 destination ({@code S3StorageInfo}): rewritten; its region set to the target's when it
   * was; refused while it is on a bucket a rewrite maps from, or with a KMS key of another region.
   */
  private static void localizeS3(
      ObjectNode s3, String path, ComponentContext target, List<String> problems) {
    String destination = s3.path("destination").asText(null);
    String region = target.target().region();
    if (destination != null) {
      String rewritten = target.rewrite(destination);
      String bucket = bucketOf(rewritten);
      if (bucketsOf(target, true).contains(bucket)) {
        problems.add(
            path
                + ".destination "
                + destination
                + " is on a bucket of the other region and no storagePathRewrites entry covers"
                + " it: add one for its prefix to the runbook");
        return;
      }
      s3.put("destination", rewritten);
      if (!rewritten.equals(destination) || bucketsOf(target, false).contains(bucket)) {
        if (region != null) {
          s3.put("region", region);
        }
        s3.remove("endpoint");
      }
    }
    String key = s3.path("kms_key").asText(null);
    if (key != null
        && key.startsWith("arn:")
        && region != null
        && !regionOfArn(key).equals(region)) {
      problems.add(
          path
              + ".kms_key "
              + key
              + " is a key of another region than "
              + region
              + ": give the primary cluster a key the target's region can use, or none");
    }
  }

  /** The instance profiles registered with the target, listed once per host. */
  private Set<String> registered(ComponentContext target) {
    return registeredProfiles.computeIfAbsent(
        target.host(),
        host ->
            target
                .retry()
                .databricks(
                    "list instance profiles in " + host,
                    () -> {
                      Set<String> arns = new HashSet<>();
                      for (InstanceProfile profile : target.workspace().instanceProfiles().list()) {
                        arns.add(profile.getInstanceProfileArn());
                      }
                      return arns;
                    }));
  }

  /** The buckets the storage path rewrites map from ({@code from}) or to. */
  private static Set<String> bucketsOf(ComponentContext target, boolean from) {
    Set<String> buckets = new HashSet<>();
    for (Runbook.PathRewrite rewrite : target.rewrites()) {
      String bucket = bucketOf(from ? rewrite.from() : rewrite.to());
      if (bucket != null) {
        buckets.add(bucket);
      }
    }
    return buckets;
  }

  private static String bucketOf(String url) {
    if (url == null || !(url.startsWith("s3://") || url.startsWith("s3a://"))) {
      return null;
    }
    String rest = url.substring(url.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private static String regionOfArn(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length > 3 ? parts[3] : "";
  }

  private static boolean isZoneOf(String zone, String region) {
    return region != null
        && zone.length() == region.length() + 1
        && zone.startsWith(region)
        && Character.isLowerCase(zone.charAt(region.length()));
  }
}
