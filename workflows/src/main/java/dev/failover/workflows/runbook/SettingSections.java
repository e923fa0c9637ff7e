package dev.failover.workflows.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the smaller optional sections of a runbook: objectives, scope, capture, compute and fence.
 */
final class SettingSections {
  private final RunbookFields f;

  SettingSections(RunbookFields f) {
    this.f = f;
  }

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,254}");

  Runbook.Objectives objectives(JsonNode root) {
    JsonNode node = f.object(root, "", "objectives", true);
    if (node == null) {
      return null;
    }
    f.allowOnly(node, "objectives", "rtoMinutes", "rpoMinutes");
    Integer rto = f.positive(node, "objectives", "rtoMinutes", true, 0);
    Integer rpo = f.positive(node, "objectives", "rpoMinutes", true, 0);
    return new Runbook.Objectives(rto == null ? 0 : rto, rpo == null ? 0 : rpo);
  }

  Runbook.Scope scope(JsonNode root) {
    JsonNode node = f.object(root, "", "scope", false);
    if (node == null) {
      return new Runbook.Scope(List.of());
    }
    f.allowOnly(node, "scope", "catalogs");
    List<String> catalogs = f.textList(node, "scope", "catalogs", false);
    if (catalogs != null) {
      for (int i = 0; i < catalogs.size(); i++) {
        if (!IDENTIFIER.matcher(catalogs.get(i)).matches()) {
          f.problem(
              "scope.catalogs[" + i + "]", "is not a catalog name: '" + catalogs.get(i) + "'");
        }
      }
    }
    return new Runbook.Scope(catalogs == null ? List.of() : catalogs);
  }

  /** The optional capture section; null when absent. */
  Runbook.Capture capture(JsonNode root) {
    JsonNode node = f.object(root, "", "capture", false);
    if (node == null) {
      return null;
    }
    f.allowOnly(node, "capture", "everyMinutes");
    Integer every = f.integer(node, "capture", "everyMinutes", true);
    if (every == null) {
      return null;
    }
    if (every < Runbook.Capture.MIN_EVERY_MINUTES || every > Runbook.Capture.MAX_EVERY_MINUTES) {
      f.problem(
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

  private static final Pattern INSTANCE_PROFILE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:instance-profile/[\\w+=,.@/-]+");

  /** The optional compute section: zone and instance profile rules; none when absent. */
  ComputeRules compute(JsonNode root, Runbook.Side primary, Runbook.Side secondary) {
    JsonNode node = f.object(root, "", "compute", false);
    if (node == null) {
      return ComputeRules.NONE;
    }
    f.allowOnly(node, "compute", "zones", "defaultZone", "instanceProfiles");
    // A side whose region is missing or bad is reported there; its zones are not checked again.
    String from = primary == null ? null : primary.region();
    String to = secondary == null ? null : secondary.region();
    Map<String, String> zones = zones(node, from, to);
    String defaultZone = f.text(node, "compute", "defaultZone", false);
    if (to != null
        && defaultZone != null
        && !defaultZone.equals("auto")
        && !isZoneOf(defaultZone, to)) {
      f.problem(
          "compute.defaultZone",
          "must be auto or a zone of the secondary's region " + to + ", got '" + defaultZone + "'");
    }
    return new ComputeRules(zones, defaultZone, instanceProfiles(node));
  }

  /** Zones of the primary's region ({@code from}) to auto or zones of the secondary's. */
  private Map<String, String> zones(JsonNode node, String from, String to) {
    Map<String, String> zones = new LinkedHashMap<>();
    f.stringMap(node, "compute.zones")
        .forEach(
            (zone, target) -> {
              String path = "compute.zones." + zone;
              if (from != null && !isZoneOf(zone, from)) {
                f.problem(
                    path,
                    "must be a zone of the primary's region " + from + ", got '" + zone + "'");
              } else if (to != null && !target.equals("auto") && !isZoneOf(target, to)) {
                f.problem(
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
    return zones;
  }

  private Map<String, String> instanceProfiles(JsonNode node) {
    Map<String, String> profiles = new LinkedHashMap<>();
    f.stringMap(node, "compute.instanceProfiles")
        .forEach(
            (arn, target) -> {
              String path = "compute.instanceProfiles." + arn;
              if (!INSTANCE_PROFILE_ARN.matcher(arn).matches()) {
                f.problem(
                    path,
                    "must be an instance profile ARN (arn:aws:iam::<account>:instance-profile/<name>)");
              } else if (!INSTANCE_PROFILE_ARN.matcher(target).matches()) {
                f.problem(
                    path,
                    "must map to an instance profile ARN (arn:aws:iam::<account>:instance-profile/<name>), got '"
                        + target
                        + "'");
              } else {
                profiles.put(arn, target);
              }
            });
    return profiles;
  }

  /** Whether the value is an availability zone of the region: the region and one letter. */
  private static boolean isZoneOf(String zone, String region) {
    return region != null
        && zone.length() == region.length() + 1
        && zone.startsWith(region)
        && Character.isLowerCase(zone.charAt(region.length()));
  }

  /**
   * The optional fence section: what the fence does with runs in progress, and how long it waits.
   */
  FenceSettings fence(JsonNode root) {
    JsonNode node = f.object(root, "", "fence", false);
    if (node == null) {
      return FenceSettings.DEFAULT;
    }
    f.allowOnly(node, "fence", "runsInProgress", "waitMinutes");
    String runs = f.text(node, "fence", "runsInProgress", false);
    FenceSettings.RunsInProgress choice = FenceSettings.DEFAULT.runsInProgress();
    if (runs != null) {
      try {
        choice = FenceSettings.RunsInProgress.valueOf(runs.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        f.problem("fence.runsInProgress", "must be cancel, wait or leave, got '" + runs + "'");
      }
    }
    Integer wait = f.integer(node, "fence", "waitMinutes", false);
    if (wait != null && (wait < 1 || wait > FenceSettings.MAX_WAIT_MINUTES)) {
      f.problem(
          "fence.waitMinutes",
          "must be between 1 and " + FenceSettings.MAX_WAIT_MINUTES + ", got " + wait);
      wait = null;
    }
    return new FenceSettings(choice, wait == null ? FenceSettings.DEFAULT.waitMinutes() : wait);
  }
}
