package dev.failover.activities.components.warehouses;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.utils.SerDeUtils;
import com.databricks.sdk.service.sql.CreateWarehouseRequest;
import com.databricks.sdk.service.sql.EditWarehouseRequest;
import com.databricks.sdk.service.sql.EndpointInfo;
import com.databricks.sdk.service.sql.GetWarehouseResponse;
import com.databricks.sdk.service.sql.ListWarehousesRequest;
import com.databricks.sdk.service.sql.StartRequest;
import com.databricks.sdk.service.sql.State;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.JsonValues;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * SQL warehouses. Converged by name; the copy carries the runbook's custom tag. After converge,
 * every warehouse of the batch is started if it is not running, and the step waits until all are
 * {@code RUNNING}: one that ends {@code STOPPED} or {@code DELETED} fails the step with its state.
 * The activity heartbeats while it waits.
 */
public final class WarehousesComponent implements Component<WarehouseItem> {
  /** The configuration fields compared and converged ({@code EditWarehouseRequest}). */
  static final List<String> FIELDS =
      List.of(
          "cluster_size",
          "min_num_clusters",
          "max_num_clusters",
          "auto_stop_mins",
          "enable_photon",
          "enable_serverless_compute",
          "warehouse_type",
          "spot_instance_policy",
          "channel",
          "instance_profile_arn",
          "tags");

  private static final ObjectMapper SDK_JSON = SerDeUtils.createMapper();

  private final Duration runningTimeout;
  private final Duration poll;

  public WarehousesComponent() {
    this(Duration.ofMinutes(20), Duration.ofSeconds(1));
  }

  /**
   * @param runningTimeout how long to wait for the warehouses to be RUNNING before the attempt
   *     fails (and is retried)
   * @param poll how often their state is read while waiting
   */
  public WarehousesComponent(Duration runningTimeout, Duration poll) {
    this.runningTimeout = runningTimeout;
    this.poll = poll;
  }

  @Override
  public String name() {
    return "warehouses";
  }

  @Override
  public Class<WarehouseItem> type() {
    return WarehouseItem.class;
  }

  @Override
  public String key(WarehouseItem item) {
    return item.name();
  }

  @Override
  public List<WarehouseItem> read(ComponentContext workspace) {
    List<WarehouseItem> items = new ArrayList<>();
    for (EndpointInfo info : list(workspace)) {
      items.add(new WarehouseItem(info.getName(), info.getId(), config(info)));
    }
    return items;
  }

  private static List<EndpointInfo> list(ComponentContext workspace) {
    return workspace
        .retry()
        .databricks(
            "list the SQL warehouses of " + workspace.host(),
            () -> {
              List<EndpointInfo> all = new ArrayList<>();
              workspace
                  .workspace()
                  .warehouses()
                  .list(new ListWarehousesRequest())
                  .forEach(all::add);
              return all;
            });
  }

  private static ObjectNode config(EndpointInfo info) {
    ObjectNode all = SDK_JSON.valueToTree(info);
    ObjectNode config = SDK_JSON.createObjectNode();
    for (String field : FIELDS) {
      if (all.hasNonNull(field)) {
        config.set(field, all.get(field));
      }
    }
    return config;
  }

  @Override
  public WarehouseItem expected(WarehouseItem captured, ComponentContext target) {
    return captured;
  }

  /** The configuration fields that differ; the tool's own tag on a copy is not compared. */
  @Override
  public List<String> differences(WarehouseItem want, WarehouseItem have) {
    ObjectNode a = withoutOwnership(want.config());
    ObjectNode b = withoutOwnership(have.config());
    List<String> differences = new ArrayList<>();
    for (String field : FIELDS) {
      if (!java.util.Objects.equals(a.get(field), b.get(field))) {
        differences.add(field);
      }
    }
    return differences;
  }

  private static ObjectNode withoutOwnership(ObjectNode config) {
    ObjectNode copy = JsonValues.normalized(config);
    JsonNode tags = copy.path("tags").path("custom_tags");
    if (tags.isArray()) {
      ArrayNode kept = SDK_JSON.createArrayNode();
      tags.forEach(
          tag -> {
            if (!ComponentContext.OWNERSHIP_TAG.equals(tag.path("key").asText())) {
              kept.add(tag);
            }
          });
      if (kept.isEmpty()) {
        copy.remove("tags");
      } else {
        ((ObjectNode) copy.get("tags")).set("custom_tags", kept);
      }
    }
    return copy;
  }

  private static ObjectNode withOwnership(ObjectNode config, ComponentContext target) {
    ObjectNode copy = withoutOwnership(config);
    if (target.runbook() != null) {
      ArrayNode tags = copy.withObject("/tags").withArray("custom_tags");
      tags.addObject().put("key", ComponentContext.OWNERSHIP_TAG).put("value", target.runbook());
    }
    return copy;
  }

  /**
   * SQL warehouses are written a few at a time: names are unique, so each create or edit touches
   * only its own warehouse, and a lost answer is found again by the name.
   */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  @Override
  public void create(WarehouseItem want, ComponentContext target) {
    ObjectNode request = withOwnership(want.config(), target);
    request.put("name", want.name());
    CreateWarehouseRequest create = SDK_JSON.convertValue(request, CreateWarehouseRequest.class);
    boolean created =
        target
            .retry()
            .databricksCreate(
                "create SQL warehouse " + want.name() + " in " + target.host(),
                () -> target.workspace().warehouses().create(create),
                WarehousesComponent::nameTaken);
    if (!created) {
      requireListed(want.name(), target);
    }
  }

  /**
   * Names are unique among a workspace's warehouses, and a taken name is answered with 400 {@code
   * INVALID_PARAMETER_VALUE} "SQL warehouse with name `NAME` already exists", not an {@code
   * *_ALREADY_EXISTS} code: the body is printed in databricks-demos/dbdemos#12, the message in
   * databrickslabs/ucx#432 and terraform-provider-databricks#4750.
   */
  static boolean nameTaken(DatabricksError error) {
    return "INVALID_PARAMETER_VALUE".equals(error.getErrorCode())
        && error.getMessage() != null
        && error.getMessage().startsWith("SQL warehouse with name")
        && error.getMessage().contains("already exists");
  }

  /**
   * A taken name is success only if a live warehouse holds it (one an attempt whose answer was lost
   * created). A warehouse being deleted keeps its name for a while (terraform-provider-databricks
   * #3379) without being listed: that is worth a retry, never success.
   */
  private static void requireListed(String name, ComponentContext target) {
    if (list(target).stream().noneMatch(info -> name.equals(info.getName()))) {
      throw ApplicationFailure.newFailure(
          "create SQL warehouse "
              + name
              + " in "
              + target.host()
              + ": the name is taken but no warehouse of that name is listed (one deleted moments"
              + " ago still holds it); the step retries",
          FailureTypes.UNAVAILABLE);
    }
  }

  @Override
  public void update(
      WarehouseItem want, WarehouseItem have, List<String> differences, ComponentContext target) {
    ObjectNode request = withOwnership(want.config(), target);
    request.put("name", want.name());
    request.put("id", have.id());
    EditWarehouseRequest edit = SDK_JSON.convertValue(request, EditWarehouseRequest.class);
    target
        .retry()
        .databricks(
            "update " + differences + " of SQL warehouse " + want.name() + " in " + target.host(),
            () -> target.workspace().warehouses().edit(edit));
  }

  @Override
  public void delete(WarehouseItem have, ComponentContext target) {
    try {
      target
          .retry()
          .databricks(
              "delete SQL warehouse " + have.name() + " from " + target.host(),
              () -> {
                target.workspace().warehouses().delete(have.id());
                return null;
              });
    } catch (ApplicationFailure e) {
      if (!FailureTypes.NOT_FOUND.equals(e.getType())) {
        throw e;
      }
    }
  }

  /**
   * Starts each warehouse of the batch that is stopped, then waits until every one not listed
   * RUNNING is, a few at a time: the listing gives each warehouse's state, so one already running
   * costs no further read.
   */
  @Override
  public void settle(List<WarehouseItem> wanted, ComponentContext target) {
    Set<String> names = wanted.stream().map(WarehouseItem::name).collect(Collectors.toSet());
    Map<String, String> notRunning = new LinkedHashMap<>();
    for (EndpointInfo info : list(target)) {
      if (names.contains(info.getName())) {
        if (info.getState() == State.STOPPED || info.getState() == State.STOPPING) {
          target
              .retry()
              .databricks(
                  "start SQL warehouse " + info.getName() + " in " + target.host(),
                  () ->
                      target
                          .workspace()
                          .warehouses()
                          .start(new StartRequest().setId(info.getId())));
        }
        if (info.getState() != State.RUNNING) {
          notRunning.put(info.getName(), info.getId());
        }
      }
    }
    Instant deadline = Instant.now().plus(runningTimeout);
    Concurrently.map(
        List.copyOf(notRunning.entrySet()),
        Concurrently.IN_FLIGHT,
        warehouse -> {
          waitRunning(warehouse.getKey(), warehouse.getValue(), deadline, target);
          return warehouse.getKey();
        },
        done -> {});
  }

  private void waitRunning(String name, String id, Instant deadline, ComponentContext target) {
    boolean started = false;
    while (true) {
      GetWarehouseResponse now =
          target
              .retry()
              .databricks(
                  "read SQL warehouse " + name + " in " + target.host(),
                  () -> target.workspace().warehouses().get(id));
      State state = now.getState();
      if (state == State.RUNNING) {
        return;
      }
      if (state == State.DELETED
          || state == State.DELETING
          || (started && state == State.STOPPED)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "SQL warehouse "
                + name
                + " in "
                + target.host()
                + " ended "
                + state
                + " while starting",
            FailureTypes.NOT_READY);
      }
      started |= state == State.STARTING;
      if (Instant.now().isAfter(deadline)) {
        throw ApplicationFailure.newFailure(
            "SQL warehouse "
                + name
                + " in "
                + target.host()
                + " is still "
                + state
                + " after "
                + runningTimeout.toMinutes()
                + " min",
            FailureTypes.NOT_READY);
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure("interrupted while waiting for " + name, "Interrupted");
      }
    }
  }
}
