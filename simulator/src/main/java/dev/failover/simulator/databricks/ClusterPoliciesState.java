package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster policies of one simulated workspace, each kept as the JSON of the SDK's {@code
 * Policy}. The rules checked are the documented ones of {@code CreatePolicy}: a name of 1 to 100
 * characters, unique in the workspace; a {@code definition} that is a JSON object passed as a
 * string; {@code policy_family_id} not together with {@code definition}.
 *
 * <p>A policy of a family keeps its {@code policy_family_id} and overrides, and is read back with
 * the {@code definition} the service computed from them (terraform-provider-databricks fixtures
 * {@code policies/resource_cluster_policy_aws_context_test.go}: a GET of a family policy answers
 * {@code definition}, {@code policy_family_id} and {@code policy_family_definition_overrides}).
 * Every workspace starts with the default policy of each {@link PolicyFamilies family}, named as
 * the family, {@code is_default} true; per the SDK's {@code Policy.isDefault} Javadoc, "Default
 * policies cannot be deleted, and their policy families cannot be changed". The simulator does not
 * apply a policy to the clusters that use it. All methods are synchronized.
 */
public final class ClusterPoliciesState {
  /** The fields of {@code CreatePolicy}/{@code EditPolicy} that a policy keeps. */
  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "definition",
          "description",
          "max_clusters_per_user",
          "policy_family_id",
          "policy_family_definition_overrides",
          "libraries");

  private final String userName;
  private final Map<String, ObjectNode> policies = new TreeMap<>();
  private final SecureRandom random = new SecureRandom();
  private long lastCreated;

  ClusterPoliciesState(String userName) {
    this.userName = userName;
    for (ObjectNode family : PolicyFamilies.all()) {
      ObjectNode request = JSON.createObjectNode();
      request.put("name", family.get("name").asText());
      request.put("description", family.get("description").asText());
      request.put("policy_family_id", family.get("policy_family_id").asText());
      add(validated(request, null), true);
    }
  }

  /** Creates a policy; returns its id, 16 upper-case hex digits as the service's are. */
  public synchronized String create(JsonNode request) {
    return add(validated(request, null), false);
  }

  private String add(ObjectNode policy, boolean isDefault) {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    String id = HexFormat.of().withUpperCase().formatHex(bytes);
    policy.put("policy_id", id);
    // Creation times are distinct and increasing, so that sorting by them is stable.
    lastCreated = Math.max(System.currentTimeMillis(), lastCreated + 1);
    policy.put("created_at_timestamp", lastCreated);
    policy.put("creator_user_name", userName);
    policy.put("is_default", isDefault);
    policies.put(id, policy);
    return id;
  }

  /** {@code EditPolicy}: replaces the policy's settings with the request's. */
  public synchronized void edit(JsonNode request) {
    String id = UcJson.text(request, "policy_id");
    ObjectNode old = policy(id);
    ObjectNode policy = validated(request, id);
    if (old.path("is_default").asBoolean()
        && !policy
            .path("policy_family_id")
            .asText()
            .equals(old.path("policy_family_id").asText())) {
      // The service's answer, quoted in gbrueckl/Databricks.API.PowerShell#62 (an edit of the
      // default "Job Compute" policy that sent a definition instead of its family).
      throw ApiError.invalid(
          "Changing policy_family_id is forbidden for default cluster policies. Clone this policy"
              + " to change the policy family.");
    }
    for (String kept :
        List.of("policy_id", "created_at_timestamp", "creator_user_name", "is_default")) {
      policy.set(kept, old.get(kept));
    }
    policies.put(id, policy);
  }

  public synchronized ObjectNode get(String id) {
    return policy(id).deepCopy();
  }

  public synchronized void delete(String id) {
    if (policy(id).path("is_default").asBoolean()) {
      // "Default policies cannot be deleted" (the SDK's Policy.isDefault Javadoc); the status and
      // message of the real refusal are not published: assumed 400 INVALID_PARAMETER_VALUE.
      throw ApiError.invalid("Default cluster policy " + id + " cannot be deleted");
    }
    policies.remove(id);
  }

  /** Whether a policy with this id exists, for clusters that name one. */
  synchronized boolean exists(String id) {
    return id != null && policies.containsKey(id);
  }

  /**
   * Every policy, sorted by {@code sort_column} ({@code POLICY_CREATION_TIME}, the default, or
   * {@code POLICY_NAME}) in {@code sort_order} ({@code ASC} or {@code DESC}, the default).
   */
  public synchronized List<ObjectNode> list(String sortColumn, String sortOrder) {
    String column = sortColumn == null ? "POLICY_CREATION_TIME" : sortColumn;
    String order = sortOrder == null ? "DESC" : sortOrder;
    Comparator<ObjectNode> comparator =
        switch (column) {
          case "POLICY_CREATION_TIME" ->
              Comparator.comparingLong(p -> p.path("created_at_timestamp").asLong());
          case "POLICY_NAME" ->
              Comparator.comparing(p -> p.path("name").asText().toLowerCase(Locale.ROOT));
          default -> throw ApiError.invalid("Invalid sort_column: " + column);
        };
    switch (order) {
      case "ASC" -> {}
      case "DESC" -> comparator = comparator.reversed();
      default -> throw ApiError.invalid("Invalid sort_order: " + order);
    }
    List<ObjectNode> all = new ArrayList<>();
    policies.values().forEach(p -> all.add(p.deepCopy()));
    all.sort(comparator);
    return all;
  }

  private ObjectNode policy(String id) {
    if (id == null || id.isBlank()) {
      throw ApiError.invalid("Missing required field: policy_id");
    }
    ObjectNode policy = policies.get(id);
    if (policy == null) {
      throw new ApiError(
          404, "RESOURCE_DOES_NOT_EXIST", "Can't find a cluster policy with id: " + id + ".");
    }
    return policy;
  }

  /**
   * The policy a create or edit request describes, checked. A taken name is answered 400 {@code
   * INVALID_PARAMETER_VALUE} with the message terraform-provider-databricks#2884 quotes ("Cluster
   * Policy with name `...` already exists"); the error code itself could not be confirmed.
   */
  private ObjectNode validated(JsonNode request, String except) {
    ObjectNode policy = JSON.createObjectNode();
    request
        .fields()
        .forEachRemaining(
            f -> {
              if (FIELDS.contains(f.getKey()) && !f.getValue().isNull()) {
                policy.set(f.getKey(), f.getValue().deepCopy());
              }
            });
    String name = policy.path("name").asText("");
    if (name.isEmpty() || name.length() > 100) {
      throw ApiError.invalid(
          "Policy name must be between 1 and 100 characters, got '" + name + "'");
    }
    for (ObjectNode other : policies.values()) {
      if (!other.path("policy_id").asText().equals(except)
          && other.path("name").asText().equals(name)) {
        throw ApiError.invalid("Cluster Policy with name `" + name + "` already exists");
      }
    }
    // The API reference of CreatePolicy: policy_family_id "Cannot be used with definition. Use
    // policy_family_definition_overrides instead"; the service's message for it is not published.
    if (policy.has("definition") && policy.has("policy_family_id")) {
      throw ApiError.invalid(
          "Cannot specify both definition and policy_family_id; use"
              + " policy_family_definition_overrides to customize a policy family");
    }
    if (policy.has("policy_family_definition_overrides") && !policy.has("policy_family_id")) {
      // Overrides of no family; assumed refused (Terraform requires them with a family id).
      throw ApiError.invalid("policy_family_definition_overrides requires policy_family_id");
    }
    for (String document : List.of("definition", "policy_family_definition_overrides")) {
      if (policy.has(document)) {
        requireJsonObject(document, policy.get(document).asText());
      }
    }
    if (policy.has("policy_family_id")) {
      policy.put(
          "definition",
          PolicyFamilies.definition(
              policy.get("policy_family_id").asText(),
              policy.path("policy_family_definition_overrides").asText(null)));
    }
    if (policy.has("max_clusters_per_user")
        && (!policy.get("max_clusters_per_user").canConvertToLong()
            || policy.get("max_clusters_per_user").asLong() < 1)) {
      throw ApiError.invalid(
          "max_clusters_per_user must be a positive integer, got "
              + policy.get("max_clusters_per_user"));
    }
    return policy;
  }

  private static void requireJsonObject(String field, String text) {
    try {
      JsonNode parsed = JSON.readTree(text);
      if (parsed == null || !parsed.isObject()) {
        throw ApiError.invalid(field + " must be a JSON object");
      }
    } catch (JsonProcessingException e) {
      throw ApiError.invalid("Invalid " + field + ": " + e.getOriginalMessage());
    }
  }
}
