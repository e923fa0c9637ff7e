package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where one simulated workspace can place compute: its AWS region, and the instance profiles
 * registered with it (the Instance Profiles API, {@code /api/2.0/instance-profiles/}). Clusters and
 * job clusters ({@code new_cluster}) are checked against both when they are created or edited.
 *
 * <p>Sources for the rules:
 *
 * <ul>
 *   <li>{@code aws_attributes.zone_id}: the API reference and the SDK's {@code AwsAttributes}
 *       Javadoc: "The provided availability zone must be in the same region as the Databricks
 *       deployment. For example, "us-west-2a" is not a valid zone id if the Databricks deployment
 *       resides in the "us-east-1" region. ... If the zone specified is "auto", will try to place
 *       cluster in a zone with high availability". No public record shows the exact answer to a
 *       zone of another region; a public thread (terraform-provider-databricks issue 2128) shows
 *       the service silently accepting a region name as an instance pool's zone. The simulator
 *       takes the harsher reading of the documented rule: anything other than {@code auto} or
 *       {@code <region><letter>} of the workspace's region is refused at once with 400 {@code
 *       INVALID_PARAMETER_VALUE}, so a request that could only fail later fails where it is made.
 *   <li>{@code aws_attributes.instance_profile_arn}: the Instance Profiles API reference
 *       ("Registers an instance profile in Databricks. In the UI, you can then give users the
 *       permission to use this instance profile when launching clusters"; {@code list}: "the
 *       instance profiles that the calling user can use to launch a cluster"). No public record of
 *       the service's answer to a cluster naming an instance profile the workspace has not
 *       registered was found; the simulator refuses it with 400 {@code INVALID_PARAMETER_VALUE},
 *       the harsher, non-retryable choice.
 * </ul>
 *
 * Not simulated: {@code instance-profiles/edit}, the AWS dry-run validation of {@code add} (its
 * {@code skip_validation} is accepted and ignored), per-user permissions on instance profiles, and
 * the zones list ({@code clusters/list-zones}). All methods are synchronized.
 */
public final class ComputePlacement {
  /** An ARN of an IAM instance profile, as {@code AddInstanceProfile} documents it. */
  private static final Pattern INSTANCE_PROFILE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:instance-profile/[\\w+=,.@/-]+");

  private String region;
  private final Map<String, ObjectNode> instanceProfiles = new TreeMap<>();

  /** The workspace's AWS region; until it is set, only the zone {@code auto} is accepted. */
  public synchronized void setRegion(String region) {
    this.region = region;
  }

  public synchronized String region() {
    return region;
  }

  /** {@code instance-profiles/add}: registers an instance profile ({@code AddInstanceProfile}). */
  public synchronized void addInstanceProfile(JsonNode request) {
    String arn = UcJson.text(request, "instance_profile_arn");
    if (arn == null || arn.isBlank()) {
      throw ApiError.invalid("Missing required field: instance_profile_arn");
    }
    if (!INSTANCE_PROFILE_ARN.matcher(arn).matches()) {
      throw ApiError.invalid("Invalid instance profile ARN: " + arn);
    }
    if (instanceProfiles.containsKey(arn)) {
      // Not documented; the harsher answer to a second registration of one ARN.
      throw ApiError.invalid("Instance profile " + arn + " already exists.");
    }
    ObjectNode profile = JSON.createObjectNode();
    profile.put("instance_profile_arn", arn);
    if (request.hasNonNull("iam_role_arn")) {
      profile.put("iam_role_arn", request.get("iam_role_arn").asText());
    }
    profile.put(
        "is_meta_instance_profile", request.path("is_meta_instance_profile").asBoolean(false));
    instanceProfiles.put(arn, profile);
  }

  /** Registers an instance profile by its ARN, for seeding. */
  public synchronized void addInstanceProfile(String arn) {
    addInstanceProfile(JSON.createObjectNode().put("instance_profile_arn", arn));
  }

  /** {@code instance-profiles/remove}: an ARN that is not registered is refused. */
  public synchronized void removeInstanceProfile(String arn) {
    if (instanceProfiles.remove(arn) == null) {
      // Not documented; the harsher answer (an error rather than success) to an unknown ARN.
      throw ApiError.invalid("Instance profile " + arn + " does not exist.");
    }
  }

  /** The registered instance profiles, as {@code InstanceProfile}s, by ARN. */
  public synchronized List<ObjectNode> instanceProfiles() {
    List<ObjectNode> all = new ArrayList<>();
    instanceProfiles.values().forEach(p -> all.add(p.deepCopy()));
    return all;
  }

  /**
   * Checks the {@code aws_attributes} of a cluster specification ({@code CreateCluster}, {@code
   * EditCluster}, or a job's {@code new_cluster}); {@code path} names the specification in the
   * error, e.g. {@code job_clusters[0].new_cluster}.
   */
  public synchronized void check(JsonNode spec, String path) {
    JsonNode aws = spec.path("aws_attributes");
    if (!aws.isObject()) {
      return;
    }
    String prefix = path.isEmpty() ? "aws_attributes." : path + ".aws_attributes.";
    JsonNode zone = aws.get("zone_id");
    if (zone != null && !zone.isNull() && !zoneOfRegion(zone.asText())) {
      throw ApiError.invalid(
          prefix
              + "zone_id "
              + zone.asText()
              + " is not a zone of this workspace's region "
              + region
              + "; use auto or a zone of "
              + region);
    }
    JsonNode profile = aws.get("instance_profile_arn");
    if (profile != null && !profile.isNull() && !instanceProfiles.containsKey(profile.asText())) {
      throw ApiError.invalid(
          prefix
              + "instance_profile_arn "
              + profile.asText()
              + " is not an instance profile registered with this workspace");
    }
  }

  private boolean zoneOfRegion(String zone) {
    if (zone.equalsIgnoreCase("auto")) {
      return true;
    }
    return region != null
        && zone.length() == region.length() + 1
        && zone.startsWith(region)
        && Character.isLowerCase(zone.charAt(region.length()));
  }
}
