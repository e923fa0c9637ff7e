package dev.failover.simulator.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * What starts a job's runs besides {@code run-now}: {@code trigger} (the SDK's {@code
 * TriggerSettings}: one of {@code file_arrival}, {@code table_update}, {@code periodic}, {@code
 * model}, optionally with a {@code sql_condition}, and a {@code pause_status}) and {@code
 * continuous} (the SDK's {@code Continuous}, with a {@code pause_status}), and the [Beta] list
 * {@code triggers} (entries of {@code TriggerConfiguration}, each with its own {@code
 * pause_status}), which SDK 0.141.0 does not have. Checked and filled in as the service does for
 * {@code schedule}: an absent {@code pause_status} is {@code UNPAUSED}.
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
   * The kinds of a {@code triggers} entry ({@code TriggerConfiguration}): the Databricks CLI's
   * {@code bundle/schema/jsonschema.json} says "Exactly one of the trigger-type fields ({@code
   * periodic}, {@code schedule}, {@code continuous}, {@code file_arrival}, {@code table_update},
   * {@code model}) must be set; mutual exclusivity is enforced in the API handler". Its {@code
   * sql_condition} is an "Optional SQL condition that gates whether this trigger fires", not a
   * kind, so an entry with only a condition is refused, as a legacy trigger with only one is.
   */
  static final List<String> ENTRY_KINDS =
      List.of("periodic", "schedule", "continuous", "file_arrival", "table_update", "model");

  /** The legacy fields that start runs, which {@code triggers} cannot go with. */
  static final List<String> LEGACY = List.of("schedule", "trigger", "continuous");

  /**
   * Checks {@code trigger}, {@code continuous} and {@code triggers} and fills in their pause
   * status. A job has at most one of {@code schedule}, {@code trigger} and {@code continuous}: the
   * Terraform provider's {@code databricks_job} declares them conflicting with one another, the
   * jobs/get API reference says "Only one of {@code schedule} and {@code continuous} can be used",
   * and the Databricks docs on triggers
   * (https://learn.microsoft.com/azure/databricks/jobs/triggers) "You can only have one trigger
   * defined for a job". The service's own message for the clash is not on public record; the
   * simulator refuses it with a 400. An absent pause status is {@code UNPAUSED} (the Terraform
   * provider's {@code docs/resources/job.md}: "the server will default to using {@code UNPAUSED}",
   * for trigger and continuous as for schedule).
   *
   * @param multipleTriggers whether the workspace has the "Multiple Triggers" feature preview
   */
  static void check(ObjectNode settings, boolean multipleTriggers) {
    long kinds = LEGACY.stream().filter(field -> settings.hasNonNull(field)).count();
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
    JsonNode triggers = settings.get("triggers");
    if (triggers != null && !triggers.isNull()) {
      checkTriggers(triggers, kinds > 0, multipleTriggers);
    }
  }

  /**
   * {@code settings.triggers} ([Beta]; the Databricks CLI's {@code bundle/schema/jsonschema.json},
   * {@code JobSettings.triggers}): "List of triggers attached to this job. A run starts when any
   * active trigger evaluates to true. Cannot be set in the same request as the legacy {@code
   * schedule}, {@code trigger}, or {@code continuous} fields. Gated behind the "Multiple Triggers"
   * feature preview." The code and message of either refusal are not documented: both are 400
   * {@code INVALID_PARAMETER_VALUE}, the unknown-so-harsher choice (a client cannot tell them from
   * any other bad request). The simulator checks the settings a write leaves, so an update that
   * adds {@code triggers} to a job that keeps its {@code schedule} is refused too (whether the
   * service clears the legacy field instead is not documented: the harsher reading), and an empty
   * list counts as set.
   */
  private static void checkTriggers(JsonNode triggers, boolean legacy, boolean multipleTriggers) {
    if (!multipleTriggers) {
      throw ApiError.invalid(
          "triggers requires the \"Multiple Triggers\" feature preview, which is not enabled in"
              + " this workspace.");
    }
    if (legacy) {
      throw ApiError.invalid(
          "triggers cannot be set together with the legacy schedule, trigger or continuous.");
    }
    if (!triggers.isArray()) {
      throw ApiError.invalid("triggers must be an array");
    }
    for (int i = 0; i < triggers.size(); i++) {
      checkEntry(object(triggers.get(i), "triggers[" + i + "]"), "triggers[" + i + "]");
    }
  }

  /**
   * One {@code TriggerConfiguration}: exactly one kind ({@link #ENTRY_KINDS}), checked as the
   * legacy trigger's kind is ({@link #checkKind}); its own {@code pause_status} "Defaults to
   * UNPAUSED when unset; the server always returns an explicit value on read" (the CLI's schema,
   * {@code TriggerConfiguration.pause_status}), so the simulator stores it filled in.
   */
  private static void checkEntry(ObjectNode entry, String path) {
    List<String> named = ENTRY_KINDS.stream().filter(entry::hasNonNull).toList();
    if (named.size() != 1) {
      throw ApiError.invalid(
          path + " must set exactly one of " + String.join(", ", ENTRY_KINDS) + ", got " + named);
    }
    checkKind(named.get(0), entry.get(named.get(0)), path);
    pauseStatus(entry, path);
  }

  private static void checkTrigger(ObjectNode trigger) {
    List<String> named = KINDS.stream().filter(trigger::hasNonNull).toList();
    if (named.size() != 1) {
      throw ApiError.invalid(
          "trigger must set exactly one of " + String.join(", ", KINDS) + ", got " + named);
    }
    checkKind(named.get(0), trigger.get(named.get(0)), "trigger");
    pauseStatus(trigger, "trigger");
  }

  /**
   * The required fields of one kind's configuration, the same in {@code trigger} and in an entry of
   * {@code triggers} (the CLI's schema gives both the same {@code FileArrivalTriggerConfiguration},
   * {@code TableUpdateTriggerConfiguration}, {@code PeriodicTriggerConfiguration} and {@code
   * ModelTriggerConfiguration}).
   */
  private static void checkKind(String kind, JsonNode config, String path) {
    switch (kind) {
      // FileArrivalTriggerConfiguration.url: "URL to be monitored for file arrivals", required.
      case "file_arrival" -> require(config, "url", path + ".file_arrival.url");
      // TableUpdateTriggerConfiguration.table_names: the tables to watch, required.
      case "table_update" -> {
        if (config.path("table_names").isEmpty()) {
          throw ApiError.invalid("Missing required field: " + path + ".table_update.table_names");
        }
      }
      // PeriodicTriggerConfiguration: interval and unit, both required.
      case "periodic" -> {
        if (config.path("interval").asLong(0) < 1) {
          throw ApiError.invalid(path + ".periodic.interval must be a positive number");
        }
        if (!PERIODIC_UNITS.contains(config.path("unit").asText())) {
          throw ApiError.invalid(path + ".periodic.unit must be one of " + PERIODIC_UNITS);
        }
      }
      // CronTriggerConfiguration (triggers only): quartz_cron_expression and timezone_id are
      // required in the CLI's schema, as for the legacy CronSchedule.
      case "schedule" -> {
        require(config, "quartz_cron_expression", path + ".schedule.quartz_cron_expression");
        require(config, "timezone_id", path + ".schedule.timezone_id");
      }
      default -> {
        // model is kept as sent, as in the legacy trigger; continuous
        // (ContinuousTriggerConfiguration, triggers only) has no required field.
      }
    }
  }

  private static void pauseStatus(ObjectNode node, String field) {
    String pause = node.path("pause_status").asText("");
    if (pause.isEmpty()) {
      node.put("pause_status", "UNPAUSED");
    } else if (!pause.equals("PAUSED") && !pause.equals("UNPAUSED")) {
      throw ApiError.invalid(field + ".pause_status must be PAUSED or UNPAUSED, got " + pause);
    }
  }

  /**
   * Whether the settings keep a job running continuously: an unpaused {@code continuous}, or an
   * unpaused entry of {@code triggers} of that kind ("A run starts when any active trigger
   * evaluates to true", the CLI's schema on {@code JobSettings.triggers}).
   */
  static boolean continuous(JsonNode settings) {
    if (settings.path("continuous").path("pause_status").asText().equals("UNPAUSED")) {
      return true;
    }
    for (JsonNode entry : settings.path("triggers")) {
      if (entry.path("continuous").isObject()
          && entry.path("pause_status").asText().equals("UNPAUSED")) {
        return true;
      }
    }
    return false;
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
