package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Lakeflow Declarative (Delta Live Tables) pipelines of one simulated workspace (Pipelines API
 * 2.0): a pipeline's spec as the client sent it (the SDK's {@code PipelineSpec}), its updates
 * ({@code UpdateStateInfo}) and its state ({@code PipelineState}). A started update is {@code
 * CREATED}, then {@code RUNNING} from the next read; a triggered pipeline's update then ends {@code
 * COMPLETED} after a while, a continuous one's ({@code spec.continuous}) runs until stopped. A stop
 * is asynchronous (the SDK's {@code PipelinesAPI.stop} returns a waiter for {@code IDLE}): the
 * update and the pipeline are {@code STOPPING} for one more read, then {@code CANCELED} and {@code
 * IDLE}. States advance when read, from the clock. All methods are synchronized.
 */
public final class PipelinesState {
  /** A pipeline: its spec, and its updates, newest first. */
  static final class Pipeline {
    final String id;
    final String creator;
    ObjectNode spec;
    long lastModified;
    final List<Update> updates = new ArrayList<>();

    Pipeline(String id, String creator, ObjectNode spec, long lastModified) {
      this.id = id;
      this.creator = creator;
      this.spec = spec;
      this.lastModified = lastModified;
    }

    Update active() {
      return updates.isEmpty() || !updates.get(0).active() ? null : updates.get(0);
    }

    String state() {
      Update active = active();
      if (active == null) {
        return "IDLE";
      }
      return switch (active.state) {
        case "STOPPING" -> "STOPPING";
        case "CREATED" -> "STARTING";
        default -> "RUNNING";
      };
    }
  }

  /** One update of a pipeline. */
  static final class Update {
    final String id;
    final long created;
    final long endsAt;
    String state = "CREATED";
    boolean stoppingSeen;

    Update(String id, long created, long endsAt) {
      this.id = id;
      this.created = created;
      this.endsAt = endsAt;
    }

    boolean active() {
      return !List.of("COMPLETED", "CANCELED", "FAILED").contains(state);
    }
  }

  /** How long a triggered pipeline's update runs. */
  static final Duration TRIGGERED_UPDATE = Duration.ofMinutes(30);

  private final String userName;
  private final Clock clock;
  private final Map<String, Pipeline> pipelines = new LinkedHashMap<>();

  PipelinesState(String userName, Clock clock) {
    this.userName = userName;
    this.clock = clock;
  }

  /**
   * Creates a pipeline; returns its id. Whether the service starts a continuous pipeline on create
   * is not documented for the API; the simulator starts none, and {@link #startUpdate} does.
   */
  public synchronized String create(ObjectNode spec) {
    ObjectNode kept = checked(spec);
    String id = UUID.randomUUID().toString();
    kept.put("id", id);
    pipelines.put(id, new Pipeline(id, userName, kept, clock.millis()));
    return id;
  }

  /** {@code PUT pipelines/{id}} ({@code EditPipeline}): the new spec replaces the old one. */
  public synchronized void edit(String id, ObjectNode spec) {
    Pipeline pipeline = existing(id);
    ObjectNode kept = checked(spec);
    kept.remove("pipeline_id");
    kept.remove("expected_last_modified");
    kept.put("id", id);
    pipeline.spec = kept;
    pipeline.lastModified = clock.millis();
  }

  /**
   * {@code POST pipelines/{id}/updates}. A pipeline with an update under way refuses another: 409
   * {@code RESOURCE_CONFLICT}, the answer community threads quote for starting a running pipeline
   * ("An active update ... already exists"); no reference page states it, so this is the harsher
   * reading for a client whose first start's answer was lost.
   */
  public synchronized String startUpdate(String id) {
    Pipeline pipeline = pipeline(id);
    Update active = pipeline.active();
    if (active != null) {
      throw new ApiError(
          409, "RESOURCE_CONFLICT", "An active update '" + active.id + "' already exists.");
    }
    long now = clock.millis();
    boolean continuous = pipeline.spec.path("continuous").asBoolean(false);
    long endsAt = continuous ? Long.MAX_VALUE : now + TRIGGERED_UPDATE.toMillis();
    Update update = new Update(UUID.randomUUID().toString(), now, endsAt);
    pipeline.updates.add(0, update);
    return update.id;
  }

  /**
   * {@code POST pipelines/{id}/stop}: "Stops the pipeline by canceling the active update. If there
   * is no active update for the pipeline, this request is a no-op" (the SDK's {@code
   * PipelinesAPI.stop}).
   */
  public synchronized void stop(String id) {
    Update active = pipeline(id).active();
    if (active != null) {
      active.state = "STOPPING";
    }
  }

  public synchronized void delete(String id) {
    existing(id);
    pipelines.remove(id);
  }

  /** {@code GET pipelines/{id}} as {@code GetPipelineResponse}. */
  public synchronized ObjectNode get(String id) {
    Pipeline pipeline = pipeline(id);
    ObjectNode node = info(pipeline);
    node.set("spec", pipeline.spec.deepCopy());
    node.put("last_modified", pipeline.lastModified);
    node.put("run_as_user_name", pipeline.creator);
    return node;
  }

  /** Every pipeline as {@code PipelineStateInfo}, in creation order. */
  public synchronized List<ObjectNode> list() {
    return pipelines.values().stream().map(p -> info(advance(p))).toList();
  }

  private ObjectNode info(Pipeline pipeline) {
    ObjectNode node = JSON.createObjectNode();
    node.put("pipeline_id", pipeline.id);
    node.put("name", pipeline.spec.path("name").asText());
    node.put("state", pipeline.state());
    node.put("creator_user_name", pipeline.creator);
    var updates = node.putArray("latest_updates");
    pipeline.updates.stream()
        .limit(5)
        .forEach(
            u ->
                updates
                    .addObject()
                    .put("update_id", u.id)
                    .put("state", u.state)
                    .put("creation_time", java.time.Instant.ofEpochMilli(u.created).toString()));
    return node;
  }

  private Pipeline pipeline(String id) {
    return advance(existing(id));
  }

  private Pipeline advance(Pipeline pipeline) {
    Update active = pipeline.active();
    if (active == null) {
      return pipeline;
    }
    switch (active.state) {
      case "CREATED" -> active.state = "RUNNING";
      case "STOPPING" -> {
        if (active.stoppingSeen) {
          active.state = "CANCELED";
        }
        active.stoppingSeen = true;
      }
      default -> {
        if (clock.millis() >= active.endsAt) {
          active.state = "COMPLETED";
        }
      }
    }
    return pipeline;
  }

  /**
   * 404 {@code RESOURCE_DOES_NOT_EXIST} for an unknown pipeline id: the status the SDK maps to
   * {@code ResourceDoesNotExist}; the exact message of the service is not on public record.
   */
  private Pipeline existing(String id) {
    Pipeline pipeline = pipelines.get(id);
    if (pipeline == null) {
      throw new ApiError(
          404, "RESOURCE_DOES_NOT_EXIST", "The specified pipeline " + id + " was not found.");
    }
    return pipeline;
  }

  /** The spec as kept: a name is required ({@code CreatePipeline.name}, shown in the UI). */
  private static ObjectNode checked(ObjectNode spec) {
    if (spec.path("name").asText("").isBlank()) {
      throw ApiError.invalid("Missing required field: name");
    }
    if (spec.has("continuous") && !spec.get("continuous").isBoolean()) {
      throw ApiError.invalid("continuous must be a boolean");
    }
    ObjectNode kept = spec.deepCopy();
    kept.remove("dry_run");
    kept.remove("allow_duplicate_names");
    return kept;
  }
}
