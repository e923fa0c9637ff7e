package dev.failover.activities.components.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Whether a job's triggers are paused, in settings read as JSON: the legacy {@code schedule},
 * {@code trigger} and {@code continuous}, each with a {@code pause_status}, and each entry of the
 * [Beta] list {@code triggers}, which has its own ("Defaults to UNPAUSED when unset", the
 * Databricks CLI's {@code bundle/schema/jsonschema.json} on {@code
 * TriggerConfiguration.pause_status}). A copy is written with all of them paused and gets the
 * original's pause statuses back in a failover or failback; entries of {@code triggers} have no
 * key, so an original's and its copy's are matched by their place in the list, which the copy
 * keeps.
 */
final class CopyTriggers {
  /** The legacy fields whose {@code pause_status} says whether the job runs by itself. */
  static final List<String> LEGACY = List.of("schedule", "trigger", "continuous");

  /** The [Beta] list of triggers, which SDK 0.141.0 does not have. */
  static final String LIST = "triggers";

  private CopyTriggers() {}

  /** Whether the settings carry entries of {@code triggers}. */
  static boolean hasList(JsonNode settings) {
    return settings.path(LIST).isArray() && !settings.get(LIST).isEmpty();
  }

  /** Whether the settings carry a legacy trigger or entries of {@code triggers}. */
  static boolean hasAny(JsonNode settings) {
    return LEGACY.stream().anyMatch(field -> settings.path(field).isObject()) || hasList(settings);
  }

  /** A copy of the settings with every trigger paused, as a new copy is created. */
  static ObjectNode paused(ObjectNode settings) {
    ObjectNode copy = settings.deepCopy();
    for (ObjectNode holder : holders(copy)) {
      holder.put("pause_status", "PAUSED");
    }
    return copy;
  }

  /**
   * Gives each trigger of {@code settings} the pause status the copy {@code have} has for it, and
   * {@code PAUSED} where it has none, so that replacing a copy's settings never resumes it.
   */
  static void keepPauses(ObjectNode settings, JsonNode have) {
    for (String field : LEGACY) {
      if (settings.path(field).isObject()) {
        JsonNode current = have.path(field).path("pause_status");
        ((ObjectNode) settings.get(field))
            .put("pause_status", current.isTextual() ? current.asText() : "PAUSED");
      }
    }
    JsonNode entries = settings.path(LIST);
    for (int i = 0; i < entries.size(); i++) {
      JsonNode current = have.path(LIST).path(i).path("pause_status");
      ((ObjectNode) entries.get(i))
          .put("pause_status", current.isTextual() ? current.asText() : "PAUSED");
    }
  }

  /** Takes every pause status out of the settings: converge does not compare them. */
  static void withoutPauses(ObjectNode settings) {
    for (ObjectNode holder : holders(settings)) {
      holder.remove("pause_status");
    }
  }

  /**
   * The partial settings that give the copy's triggers the pause status the original wants: as
   * captured, but unpaused for those a fence paused ({@code fenced}: the fields it recorded, {@code
   * schedule} or {@code triggers[0]:periodic}, say), so an entry its owners had paused stays paused
   * beside one the fence paused. Empty when there is nothing to change. The list of triggers goes
   * whole, as {@code jobs/update} replaces a top-level field.
   */
  static ObjectNode restore(JsonNode original, JsonNode copy, List<String> fenced) {
    ObjectNode changes = JobsJson.SDK_JSON.createObjectNode();
    for (String field : LEGACY) {
      JsonNode was = original.get(field);
      if (was != null && was.isObject() && copy.path(field).isObject()) {
        ObjectNode setting = copy.get(field).deepCopy();
        if (setPause(setting, wanted(was, fenced.contains(field)))) {
          changes.set(field, setting);
        }
      }
    }
    if (hasList(original) && copy.path(LIST).isArray()) {
      ArrayNode entries = copy.get(LIST).deepCopy();
      boolean changed = false;
      for (int i = 0; i < Math.min(entries.size(), original.get(LIST).size()); i++) {
        String entry = LIST + "[" + i + "]";
        boolean paused =
            fenced.stream().anyMatch(f -> f.equals(entry) || f.startsWith(entry + ":"));
        changed |= setPause((ObjectNode) entries.get(i), wanted(original.get(LIST).get(i), paused));
      }
      if (changed) {
        changes.set(LIST, entries);
      }
    }
    return changes;
  }

  /** Whether the copy lacks a legacy trigger, or an entry of {@code triggers}, of the original. */
  static boolean lacksATriggerOf(JsonNode original, JsonNode copy) {
    boolean legacy =
        LEGACY.stream()
            .anyMatch(field -> original.path(field).isObject() && !copy.path(field).isObject());
    return legacy || copy.path(LIST).size() < original.path(LIST).size();
  }

  private static String wanted(JsonNode original, boolean fenced) {
    return fenced ? "UNPAUSED" : original.path("pause_status").asText("UNPAUSED");
  }

  /** Sets the pause status; whether it was another. */
  private static boolean setPause(ObjectNode holder, String wanted) {
    boolean differs = !wanted.equals(holder.path("pause_status").asText("UNPAUSED"));
    holder.put("pause_status", wanted);
    return differs;
  }

  /** The objects in the settings that hold a pause status of a trigger. */
  private static List<ObjectNode> holders(ObjectNode settings) {
    List<ObjectNode> holders = new java.util.ArrayList<>();
    for (String field : LEGACY) {
      if (settings.path(field).isObject()) {
        holders.add((ObjectNode) settings.get(field));
      }
    }
    for (JsonNode entry : settings.path(LIST)) {
      if (entry.isObject()) {
        holders.add((ObjectNode) entry);
      }
    }
    return holders;
  }
}
