package dev.failover.simulator.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * What starts a job's runs besides {@code run-now}: {@code trigger} (the SDK's {@code
 * TriggerSettings}: one of {@code file_arrival}, {@code table_update}, {@code periodic}, {@code
 * model}, optionally with a {@code sql_condition}, and a {@code pause_status}) and {@code
 * continuous} (the SDK's {@code Continuous}, with a {@code pause_status}). Checked and filled in as
 * the service does for {@code schedule}: an absent {@code pause_status} is {@code UNPAUSED}.
 */
final class JobTriggers {
  /**
   * The kinds of {@code TriggerSettings}; a trigger names exactly one. {@code sql_condition} is not
   * one of them and may go alongside one: the Databricks CLI's {@code
   * bundle/schema/jsonschema.json} says it "Can be used in combination with other trigger types and
   * runs *after* other trigger types conditions are evaluated". Whether the service takes a {@code
   * sql_condition} alone is not documented; refusing it is the harsher reading.
   */
  static final List<String> KINDS = List.of("file_arrival", "table_update", "periodic", "model");

  /**
   * {@code PeriodicTriggerConfigurationTimeUnit} of SDK 0.141.0 (HOURS, DAYS, WEEKS, MINUTES); the
   * Databricks CLI's {@code bundle/schema/jsonschema.json} lists the same four.
   */
  private static final Set<String> PERIODIC_UNITS = Set.of("MINUTES", "HOURS", "DAYS", "WEEKS");

  private JobTriggers() {}

  /**
   * Checks {@code trigger} and {@code continuous} and fills in their pause status. A job has at
   * most one of {@code schedule}, {@code trigger} and {@code continuous}: the Terraform provider's
   * {@code databricks_job} declares them conflicting with one another, the jobs/get API reference
   * says "Only one of {@code schedule} and {@code continuous} can be used", and the Databricks docs
   * on triggers (https://learn.microsoft.com/azure/databricks/jobs/triggers) "You can only have one
   * trigger defined for a job". The service's own message for the clash is not on public record;
   * the simulator refuses it with a 400. An absent pause status is {@code UNPAUSED} (the Terraform
   * provider's {@code docs/resources/job.md}: "the server will default to using {@code UNPAUSED}",
   * for trigger and continuous as for schedule).
   */
  static void check(ObjectNode settings) {
    long kinds =
        List.of("schedule", "trigger", "continuous").stream()
            .filter(field -> settings.hasNonNull(field))
            .count();
    if (kinds > 1) {
      throw ApiError.invalid("A job can have only one of schedule, trigger and continuous.");
    }
    JsonNode trigger = settings.get("trigger");
    if (trigger != null && !trigger.isNull()) {
      checkTrigger(object(trigger, "trigger"));
    }
    JsonNode continuous = settings.get("continuous");
    if (continuous != null && !continuous.isNull()) {
      pauseStatus(object(continuous, "continuous"), "continuous");
    }
  }

  private static void checkTrigger(ObjectNode trigger) {
    List<String> named = KINDS.stream().filter(trigger::hasNonNull).toList();
    if (named.size() != 1) {
      throw ApiError.invalid(
          "trigger must set exactly one of " + String.join(", ", KINDS) + ", got " + named);
    }
    JsonNode config = trigger.get(named.get(0));
    switch (named.get(0)) {
      // FileArrivalTriggerConfiguration.url: "URL to be monitored for file arrivals", required.
      case "file_arrival" -> require(config, "url", "trigger.file_arrival.url");
      // TableUpdateTriggerConfiguration.table_names: the tables to watch, required.
      case "table_update" -> {
        if (config.path("table_names").isEmpty()) {
          throw ApiError.invalid("Missing required field: trigger.table_update.table_names");
        }
      }
      // PeriodicTriggerConfiguration: interval and unit, both required.
      case "periodic" -> {
        if (config.path("interval").asLong(0) < 1) {
          throw ApiError.invalid("trigger.periodic.interval must be a positive number");
        }
        if (!PERIODIC_UNITS.contains(config.path("unit").asText())) {
          throw ApiError.invalid("trigger.periodic.unit must be one of " + PERIODIC_UNITS);
        }
      }
      default -> {
        // model is kept as sent.
      }
    }
    pauseStatus(trigger, "trigger");
  }

  private static void pauseStatus(ObjectNode node, String field) {
    String pause = node.path("pause_status").asText("");
    if (pause.isEmpty()) {
      node.put("pause_status", "UNPAUSED");
    } else if (!pause.equals("PAUSED") && !pause.equals("UNPAUSED")) {
      throw ApiError.invalid(field + ".pause_status must be PAUSED or UNPAUSED, got " + pause);
    }
  }

  private static void require(JsonNode config, String field, String path) {
    if (config.path(field).asText("").isBlank()) {
      throw ApiError.invalid("Missing required field: " + path);
    }
  }

  private static ObjectNode object(JsonNode node, String field) {
    if (!node.isObject()) {
      throw ApiError.invalid(field + " must be an object");
    }
    return (ObjectNode) node;
  }
}
