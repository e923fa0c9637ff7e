package dev.failover.workflows.runbook;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How cluster and job cluster settings that belong to one region or one workspace are carried from
 * the primary to the secondary (see the activities' {@code RegionalFields}).
 *
 * @param zones an availability zone of the primary's region to a zone of the secondary's region or
 *     {@code auto}
 * @param defaultZone the zone for a primary zone without a rule ({@code auto} or a zone of the
 *     secondary's region); null: such a cluster is refused, naming it and the field
 * @param instanceProfiles an instance profile ARN registered with the primary to the one registered
 *     with the secondary
 */
public record ComputeRules(
    Map<String, String> zones, String defaultZone, Map<String, String> instanceProfiles) {
  public static final ComputeRules NONE = new ComputeRules(Map.of(), null, Map.of());

  public ComputeRules {
    zones = zones == null ? Map.of() : Map.copyOf(zones);
    instanceProfiles = instanceProfiles == null ? Map.of() : Map.copyOf(instanceProfiles);
  }

  /**
   * The rules for failback (secondary to primary): each mapping inverted. A rule to {@code auto}
   * cannot be inverted and is dropped; a default zone of {@code auto} stays, another is dropped.
   */
  public ComputeRules reversed() {
    Map<String, String> backZones = new LinkedHashMap<>();
    zones.forEach(
        (from, to) -> {
          if (!to.equals("auto")) {
            backZones.putIfAbsent(to, from);
          }
        });
    Map<String, String> backProfiles = new LinkedHashMap<>();
    instanceProfiles.forEach((from, to) -> backProfiles.putIfAbsent(to, from));
    return new ComputeRules(
        backZones, "auto".equals(defaultZone) ? defaultZone : null, backProfiles);
  }
}
