package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The all-purpose clusters of one simulated workspace. A cluster's configuration is kept as the
 * JSON of the SDK's {@code CreateCluster}/{@code EditCluster} fields; its state moves on with time,
 * read lazily whenever the cluster is looked at, along the transitions the SDK's {@code State}
 * documents:
 *
 * <ul>
 *   <li>create: {@code PENDING}, then {@code RUNNING} after the transition delay (a created cluster
 *       starts, as the service's does);
 *   <li>delete (terminate): {@code TERMINATING}, then {@code TERMINATED} after the delay; the
 *       configuration stays and the cluster is still listed;
 *   <li>permanent delete: gone at once; later requests answer "does not exist".
 * </ul>
 *
 * Not simulated: the 30-day retention of terminated clusters that are not pinned (they stay here
 * until permanently deleted), restarts on edit (an edited running cluster stays {@code RUNNING}),
 * resizing, events, libraries and permissions, and policy enforcement (a cluster's {@code
 * policy_id} must name an existing policy; its rules are not applied). All methods are
 * synchronized.
 */
public final class ClustersState {
  /** The states of the SDK's {@code State} enum that the simulator reaches. */
  public enum State {
    PENDING,
    RUNNING,
    TERMINATING,
    TERMINATED
  }

  /** A cluster as it is now. */
  public record Cluster(
      String id,
      String creatorUserName,
      String source,
      ObjectNode config,
      State state,
      boolean pinned,
      long startTime) {}

  private static final class Entry {
    final String id;
    final String creator;
    final String source;
    final long startTime;
    ObjectNode config;
    State state;
    Instant since;
    boolean pinned;

    Entry(String id, String creator, String source, ObjectNode config, long startTime) {
      this.id = id;
      this.creator = creator;
      this.source = source;
      this.config = config;
      this.startTime = startTime;
    }
  }

  /** "Currently, Databricks allows at most 45 custom tags" ({@code ClusterDetails.custom_tags}). */
  private static final int MAX_TAGS = 45;

  /** The fields of {@code CreateCluster} a cluster keeps; server-set fields are never taken. */
  private static final Set<String> READ_ONLY =
      Set.of(
          "cluster_id",
          "creator_user_name",
          "state",
          "state_message",
          "cluster_source",
          "default_tags",
          "start_time",
          "terminated_time",
          "spec",
          "clone_from");

  private static final DateTimeFormatter ID_PREFIX =
      DateTimeFormatter.ofPattern("MMdd-HHmmss").withZone(ZoneOffset.UTC);

  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final String userName;
  private final Clock clock;
  private final ClusterPoliciesState policies;
  private final ComputePlacement placement;
  private final Map<String, Entry> clusters = new TreeMap<>();
  private final SecureRandom random = new SecureRandom();
  private Duration transitionDelay = Duration.ofSeconds(1);

  ClustersState(
      String userName, Clock clock, ClusterPoliciesState policies, ComputePlacement placement) {
    this.userName = userName;
    this.clock = clock;
    this.policies = policies;
    this.placement = placement;
  }

  /**
   * How long a cluster stays {@code PENDING} or {@code TERMINATING} (default 1 s), counted from
   * when it entered the state; a change applies to clusters in transition too.
   */
  public synchronized void setTransitionDelay(Duration delay) {
    transitionDelay = delay;
  }

  /**
   * Creates and starts a cluster, as an API request does ({@code cluster_source} {@code API});
   * returns its id, in the service's {@code MMdd-HHmmss-xxxxxxxx} form.
   */
  public synchronized String create(JsonNode request) {
    return create(request, "API");
  }

  /** Creates a cluster as if by another source ({@code UI}, {@code JOB}, ...), for seeding. */
  public synchronized String create(JsonNode request, String source) {
    ObjectNode config = validated(request);
    String id;
    do {
      StringBuilder suffix = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        suffix.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
      }
      id = ID_PREFIX.format(clock.instant()) + "-" + suffix;
    } while (clusters.containsKey(id));
    Entry entry = new Entry(id, userName, source, config, clock.millis());
    begin(entry, State.PENDING);
    clusters.put(id, entry);
    return id;
  }

  /** The cluster; 400 "does not exist" for an unknown id, as the service answers. */
  public synchronized Cluster cluster(String id) {
    return snapshot(entry(id));
  }

  /** Every cluster, by id. */
  public synchronized List<Cluster> clusters() {
    return clusters.values().stream().map(this::advance).map(ClustersState::snapshot).toList();
  }

  /**
   * {@code EditCluster}: the request replaces the cluster's configuration. Only a {@code RUNNING}
   * or {@code TERMINATED} cluster can be edited; others are refused with {@code INVALID_STATE}.
   */
  public synchronized void edit(JsonNode request) {
    Entry entry = entry(UcJson.text(request, "cluster_id"));
    if (entry.state != State.RUNNING && entry.state != State.TERMINATED) {
      throw new ApiError(
          400,
          "INVALID_STATE",
          "Cluster " + entry.id + " is in unexpected state " + entry.state + ".");
    }
    entry.config = validated(request);
  }

  /** Terminates a cluster; a terminating or terminated one is left as it is. */
  public synchronized void terminate(String id) {
    Entry entry = entry(id);
    if (entry.state == State.PENDING || entry.state == State.RUNNING) {
      begin(entry, State.TERMINATING);
    }
  }

  public synchronized void permanentDelete(String id) {
    entry(id);
    clusters.remove(id);
  }

  public synchronized void pin(String id, boolean pinned) {
    entry(id).pinned = pinned;
  }

  private Entry entry(String id) {
    if (id == null || id.isBlank()) {
      throw ApiError.invalid("Missing required field: cluster_id");
    }
    Entry entry = clusters.get(id);
    if (entry == null) {
      throw ApiError.invalid("Cluster " + id + " does not exist");
    }
    return advance(entry);
  }

  private void begin(Entry entry, State state) {
    entry.state = state;
    entry.since = clock.instant();
  }

  private Entry advance(Entry entry) {
    if (!clock.instant().isBefore(entry.since.plus(transitionDelay))) {
      switch (entry.state) {
        case PENDING -> entry.state = State.RUNNING;
        case TERMINATING -> entry.state = State.TERMINATED;
        default -> {}
      }
    }
    return entry;
  }

  private static Cluster snapshot(Entry entry) {
    return new Cluster(
        entry.id,
        entry.creator,
        entry.source,
        entry.config.deepCopy(),
        entry.state,
        entry.pinned,
        entry.startTime);
  }

  /**
   * The configuration a create or edit request describes, checked against the documented rules of
   * {@code CreateCluster}: {@code spark_version} is required; {@code node_type_id} too unless an
   * instance pool or a policy provides it; {@code num_workers} and {@code autoscale} exclude each
   * other; {@code autotermination_minutes} is 0 or 10 to 10000 (default 120); at most 45 custom
   * tags; {@code policy_id} names an existing policy; {@code aws_attributes} fit the workspace
   * ({@link ComputePlacement#check}).
   */
  private ObjectNode validated(JsonNode request) {
    ObjectNode config = JSON.createObjectNode();
    request
        .fields()
        .forEachRemaining(
            f -> {
              if (!READ_ONLY.contains(f.getKey()) && !f.getValue().isNull()) {
                config.set(f.getKey(), f.getValue().deepCopy());
              }
            });
    if (config.path("spark_version").asText("").isBlank()) {
      throw ApiError.invalid("Missing required field: spark_version");
    }
    if (config.path("node_type_id").asText("").isBlank()
        && !config.has("instance_pool_id")
        && !config.has("policy_id")) {
      throw ApiError.invalid("Missing required field: node_type_id");
    }
    if (config.has("num_workers") && config.has("autoscale")) {
      throw ApiError.invalid("Only one of num_workers and autoscale can be specified");
    }
    if (config.has("autoscale")) {
      int min = config.get("autoscale").path("min_workers").asInt(-1);
      int max = config.get("autoscale").path("max_workers").asInt(-1);
      if (min < 0 || max < 1 || min > max) {
        throw ApiError.invalid(
            "autoscale needs 0 <= min_workers <= max_workers and max_workers >= 1, got "
                + config.get("autoscale"));
      }
    } else if (config.path("num_workers").asInt(0) < 0) {
      throw ApiError.invalid("num_workers must be at least 0");
    } else {
      config.put("num_workers", config.path("num_workers").asInt(0));
    }
    if (!config.has("cluster_name")) {
      config.put("cluster_name", "");
    }
    int autoTermination = config.path("autotermination_minutes").asInt(120);
    if (autoTermination != 0 && (autoTermination < 10 || autoTermination > 10000)) {
      throw ApiError.invalid(
          "autotermination_minutes must be 0 or between 10 and 10000, got " + autoTermination);
    }
    config.put("autotermination_minutes", autoTermination);
    if (config.path("custom_tags").size() > MAX_TAGS) {
      throw ApiError.invalid(
          "A cluster can have at most "
              + MAX_TAGS
              + " custom tags, got "
              + config.get("custom_tags").size());
    }
    if (config.has("policy_id") && !policies.exists(config.get("policy_id").asText())) {
      throw ApiError.invalid(
          "Can't find a cluster policy with id: " + config.get("policy_id").asText() + ".");
    }
    placement.check(config, "");
    return config;
  }
}
