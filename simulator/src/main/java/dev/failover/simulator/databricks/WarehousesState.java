package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SQL warehouses of one simulated workspace. A warehouse's configuration is kept as the JSON of
 * the {@code CreateWarehouseRequest} fields, with the service's defaults filled in; its state moves
 * on with time, read lazily whenever the warehouse is looked at:
 *
 * <ul>
 *   <li>create and start: {@code STARTING}, then {@code RUNNING} after the start delay. Create
 *       starts the warehouse, since the SDK's {@code WarehousesAPI.create} waits for {@code
 *       RUNNING} and gives up on {@code STOPPED};
 *   <li>stop: {@code STOPPING}, then {@code STOPPED} after the stop delay;
 *   <li>delete: {@code DELETED} at once. A deleted warehouse still answers GET, with that state,
 *       for the deleted retention (the SDK's waiters list {@code DELETED} among the states a poll
 *       can see), and then 404 {@code NOT_FOUND}, as for an id never created (observed in
 *       databrickslabs/ucx#1467: "The warehouse ... was not found." after deletion). It is no
 *       longer listed, and every other request treats it as not found.
 * </ul>
 *
 * Auto-stop after {@code auto_stop_mins} idle minutes is not simulated: no query ever runs. All
 * methods are synchronized.
 */
public final class WarehousesState {
  /** The states of the SDK's {@code State} enum that the simulator reaches. */
  public enum State {
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED,
    DELETED
  }

  /** A warehouse as it is now. */
  public record Warehouse(String id, String creatorName, ObjectNode config, State state) {}

  private static final class Entry {
    final String id;
    final String creatorName;
    ObjectNode config;
    State state;
    Instant changesAt;

    Entry(String id, String creatorName, ObjectNode config) {
      this.id = id;
      this.creatorName = creatorName;
      this.config = config;
    }
  }

  /** {@code cluster_size}'s supported values, from {@code CreateWarehouseRequest}. */
  private static final Set<String> CLUSTER_SIZES =
      Set.of(
          "2X-Small",
          "X-Small",
          "Small",
          "Medium",
          "Large",
          "X-Large",
          "2X-Large",
          "3X-Large",
          "4X-Large",
          "5X-Large");

  private static final Set<String> SPOT_POLICIES =
      Set.of("COST_OPTIMIZED", "RELIABILITY_OPTIMIZED", "POLICY_UNSPECIFIED");

  /** {@code tags}: "Number of tags < 45". */
  private static final int MAX_TAGS = 44;

  private final String userName;
  private final Clock clock;
  private final Map<String, Entry> warehouses = new TreeMap<>();
  private final SecureRandom random = new SecureRandom();
  private Duration startDelay = Duration.ofSeconds(1);
  private Duration stopDelay = Duration.ofSeconds(1);
  private Duration deletedRetention = Duration.ofMinutes(1);

  WarehousesState(String userName, Clock clock) {
    this.userName = userName;
    this.clock = clock;
  }

  /** How long a warehouse stays {@code STARTING} (default 1 s). */
  public synchronized void setStartDelay(Duration delay) {
    startDelay = delay;
  }

  /** How long a warehouse stays {@code STOPPING} (default 1 s). */
  public synchronized void setStopDelay(Duration delay) {
    stopDelay = delay;
  }

  /** How long a deleted warehouse still answers GET with state {@code DELETED} (default 1 min). */
  public synchronized void setDeletedRetention(Duration retention) {
    deletedRetention = retention;
  }

  /** Creates and starts a warehouse; returns its id, 16 hex digits as the service's are. */
  public synchronized String create(ObjectNode request) {
    ObjectNode config = normalize(JSON.createObjectNode(), request);
    requireUniqueName(config.get("name").asText(), null);
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    String id = HexFormat.of().formatHex(bytes);
    Entry entry = new Entry(id, userName, config);
    begin(entry, State.STARTING, startDelay);
    warehouses.put(id, entry);
    return id;
  }

  /** The warehouse, also a deleted one within the retention; 404 otherwise. */
  public synchronized Warehouse warehouse(String id) {
    Entry entry = warehouses.get(id);
    if (entry == null || advance(entry) == null) {
      throw notFound(id);
    }
    return snapshot(entry);
  }

  /** Every warehouse not deleted, by id. */
  public synchronized List<Warehouse> warehouses() {
    return List.copyOf(warehouses.values()).stream()
        .filter(e -> advance(e) != null && e.state != State.DELETED)
        .map(WarehousesState::snapshot)
        .toList();
  }

  /**
   * {@code edit}: the fields given replace the warehouse's, the others stay (the SDK's {@code
   * EditWarehouseRequest} has every field optional). The state does not change.
   */
  public synchronized void edit(String id, ObjectNode request) {
    Entry entry = live(id);
    ObjectNode config = normalize(entry.config.deepCopy(), request);
    requireUniqueName(config.get("name").asText(), id);
    entry.config = config;
  }

  /** Starts a stopped or stopping warehouse; a starting or running one is left as it is. */
  public synchronized void start(String id) {
    Entry entry = live(id);
    if (entry.state == State.STOPPED || entry.state == State.STOPPING) {
      begin(entry, State.STARTING, startDelay);
    }
  }

  /** Stops a starting or running warehouse; a stopping or stopped one is left as it is. */
  public synchronized void stop(String id) {
    Entry entry = live(id);
    if (entry.state == State.STARTING || entry.state == State.RUNNING) {
      begin(entry, State.STOPPING, stopDelay);
    }
  }

  public synchronized void delete(String id) {
    Entry entry = live(id);
    begin(entry, State.DELETED, deletedRetention);
  }

  private Entry live(String id) {
    Entry entry = warehouses.get(id);
    if (entry == null || advance(entry) == null || entry.state == State.DELETED) {
      throw notFound(id);
    }
    return entry;
  }

  private void begin(Entry entry, State state, Duration duration) {
    entry.state = state;
    entry.changesAt = clock.instant().plus(duration);
  }

  /**
   * Moves the warehouse's state on to where time has brought it; returns null, and forgets the
   * warehouse, when its deleted retention is over.
   */
  private Entry advance(Entry entry) {
    if (clock.instant().isBefore(entry.changesAt)) {
      return entry;
    }
    switch (entry.state) {
      case STARTING -> entry.state = State.RUNNING;
      case STOPPING -> entry.state = State.STOPPED;
      case DELETED -> {
        warehouses.remove(entry.id);
        return null;
      }
      default -> {}
    }
    return entry;
  }

  private static Warehouse snapshot(Entry entry) {
    return new Warehouse(entry.id, entry.creatorName, entry.config.deepCopy(), entry.state);
  }

  /**
   * The service answers an unknown warehouse with 404 {@code NOT_FOUND} and this message (the body
   * {@code {"error_code":"NOT_FOUND","message":"The warehouse <id> was not found."}} is quoted in
   * public issue reports, and the Python SDK raised its {@code NotFound} for it in
   * databrickslabs/ucx#1467).
   */
  private static ApiError notFound(String id) {
    return new ApiError(404, "NOT_FOUND", "The warehouse " + id + " was not found.");
  }

  /**
   * Names are unique among the workspace's warehouses ({@code CreateWarehouseRequest.name}: "Must
   * be unique within an org"). A taken name is 400 {@code INVALID_PARAMETER_VALUE} "SQL warehouse
   * with name `NAME` already exists": the body {@code {'error_code': 'INVALID_PARAMETER_VALUE',
   * 'message': 'SQL warehouse with name `dbdemos-shared-endpoint` already exists'}} is printed in
   * databricks-demos/dbdemos#12, the message in databrickslabs/ucx#432. A deleted warehouse keeps
   * its name while it still answers GET (the deleted retention): terraform-provider-databricks#3379
   * reports "already exists" when a name is reused right after a delete, for a time nobody
   * published, so the simulator holds it as long as it holds the warehouse.
   */
  private void requireUniqueName(String name, String except) {
    for (Entry other : List.copyOf(warehouses.values())) {
      if (!other.id.equals(except)
          && advance(other) != null
          && other.config.path("name").asText().equals(name)) {
        throw ApiError.invalid("SQL warehouse with name `" + name + "` already exists");
      }
    }
  }

  /**
   * Applies the request's fields to {@code config} and checks the result against the documented
   * rules of {@code CreateWarehouseRequest}, filling in its documented defaults: {@code
   * auto_stop_mins} 120, {@code enable_photon} true, {@code min_num_clusters} 1, {@code
   * max_num_clusters} the minimum; {@code warehouse_type} PRO with serverless compute and CLASSIC
   * otherwise, {@code spot_instance_policy} COST_OPTIMIZED and the current channel, as the service
   * reports for a warehouse created without them.
   */
  private static ObjectNode normalize(ObjectNode config, ObjectNode request) {
    request
        .fields()
        .forEachRemaining(
            field -> {
              if (!field.getKey().equals("id") && !field.getValue().isNull()) {
                config.set(field.getKey(), field.getValue().deepCopy());
              }
            });
    String name = config.path("name").asText("");
    if (name.isBlank()) {
      throw ApiError.invalid("Missing required field: name");
    }
    if (name.length() >= 100) {
      throw ApiError.invalid("name must be less than 100 characters");
    }
    String size = config.path("cluster_size").asText("");
    if (size.isEmpty()) {
      throw ApiError.invalid("Missing required field: cluster_size");
    }
    if (!CLUSTER_SIZES.contains(size)) {
      throw ApiError.invalid("Invalid cluster_size '" + size + "'");
    }
    int autoStop = intField(config, "auto_stop_mins", 120);
    if (autoStop != 0 && autoStop < 10) {
      throw ApiError.invalid("auto_stop_mins must be 0 or at least 10, got " + autoStop);
    }
    int min = intField(config, "min_num_clusters", 1);
    int max = intField(config, "max_num_clusters", min);
    if (min < 1 || min > Math.min(max, 30)) {
      throw ApiError.invalid(
          "min_num_clusters must be greater than 0 and at most min(max_num_clusters, 30), got "
              + min);
    }
    if (max > 40) {
      throw ApiError.invalid("max_num_clusters must be at most 40, got " + max);
    }
    if (!config.has("enable_photon")) {
      config.put("enable_photon", true);
    }
    if (!config.has("enable_serverless_compute")) {
      config.put("enable_serverless_compute", false);
    }
    boolean serverless = config.get("enable_serverless_compute").asBoolean();
    String type = config.path("warehouse_type").asText(serverless ? "PRO" : "CLASSIC");
    if (!type.equals("PRO") && !type.equals("CLASSIC")) {
      throw ApiError.invalid("warehouse_type must be PRO or CLASSIC, got " + type);
    }
    if (serverless && !type.equals("PRO")) {
      throw ApiError.invalid("Serverless compute requires warehouse_type PRO");
    }
    config.put("warehouse_type", type);
    String spot = config.path("spot_instance_policy").asText("COST_OPTIMIZED");
    if (!SPOT_POLICIES.contains(spot)) {
      throw ApiError.invalid("Invalid spot_instance_policy '" + spot + "'");
    }
    config.put("spot_instance_policy", spot);
    if (!config.has("channel")) {
      config.putObject("channel").put("name", "CHANNEL_NAME_CURRENT");
    }
    JsonNode tags = config.path("tags").path("custom_tags");
    if (tags.isArray() && tags.size() > MAX_TAGS) {
      throw ApiError.invalid("A warehouse can have fewer than 45 tags, got " + tags.size());
    }
    return config;
  }

  private static int intField(ObjectNode config, String field, int fallback) {
    JsonNode value = config.get(field);
    if (value == null) {
      config.put(field, fallback);
      return fallback;
    }
    if (!value.canConvertToInt()) {
      throw ApiError.invalid(field + " must be an integer, got " + value);
    }
    return value.asInt();
  }
}
