package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The policy families Databricks manages, the same in every workspace, each as the JSON of the
 * SDK's {@code PolicyFamily} ({@code policy_family_id}, {@code name}, {@code description}, {@code
 * definition}). Families cannot be created, edited or deleted (Databricks CLI reference, {@code
 * policy-families} command group).
 *
 * <p>The four families are those of the four default policies every workspace has (Databricks docs,
 * "Default policies and policy families": Personal Compute, Shared Compute, Power User Compute, Job
 * Compute); the default policy of a family bears the family's name (terraform-provider-databricks
 * {@code policies/resource_cluster_policy.go}, {@code isBuiltinPolicyFamily}). Only {@code
 * personal-vm} is a confirmed id (the provider's fixtures list "Personal Compute" as {@code
 * personal-vm}); the other ids, and every definition here, are stand-ins: the real definitions are
 * longer and change with releases.
 */
final class PolicyFamilies {
  private static final List<ObjectNode> FAMILIES =
      List.of(
          family(
              "personal-vm",
              "Personal Compute",
              "Single-node all-purpose compute for one user.",
              "{\"num_workers\":{\"type\":\"fixed\",\"value\":0,\"hidden\":true},"
                  + "\"autotermination_minutes\":{\"type\":\"fixed\",\"value\":4320,\"hidden\":true},"
                  + "\"data_security_mode\":{\"type\":\"fixed\",\"value\":\"SINGLE_USER\",\"hidden\":true}}"),
          family(
              "shared-data-science",
              "Shared Compute",
              "Multi-node all-purpose compute shared by several users.",
              "{\"cluster_type\":{\"type\":\"fixed\",\"value\":\"all-purpose\"},"
                  + "\"data_security_mode\":{\"type\":\"fixed\",\"value\":\"USER_ISOLATION\",\"hidden\":true}}"),
          family(
              "power-user",
              "Power User Compute",
              "Multi-node all-purpose compute for one user with larger workloads.",
              "{\"cluster_type\":{\"type\":\"fixed\",\"value\":\"all-purpose\"},"
                  + "\"autoscale.max_workers\":{\"type\":\"range\",\"maxValue\":10,\"defaultValue\":4}}"),
          family(
              "job-cluster",
              "Job Compute",
              "Compute for jobs.",
              "{\"cluster_type\":{\"type\":\"fixed\",\"value\":\"job\"},"
                  + "\"num_workers\":{\"type\":\"unlimited\",\"defaultValue\":4,\"isOptional\":true}}"));

  private PolicyFamilies() {}

  /** Every family, in a stable order. */
  static List<ObjectNode> all() {
    return FAMILIES.stream().map(ObjectNode::deepCopy).toList();
  }

  /** The family with this id; 404 {@code RESOURCE_DOES_NOT_EXIST} for another (code assumed). */
  static ObjectNode get(String id) {
    return FAMILIES.stream()
        .filter(f -> f.path("policy_family_id").asText().equals(id))
        .findFirst()
        .map(ObjectNode::deepCopy)
        .orElseThrow(
            () ->
                new ApiError(
                    404, "RESOURCE_DOES_NOT_EXIST", "Policy family " + id + " does not exist"));
  }

  /**
   * The definition of a policy of this family: the family's rules, with each rule of {@code
   * overrides} added or replacing the family's rule for the same attribute ("Policy rules specified
   * here are merged into the inherited policy definition", the SDK's {@code
   * CreatePolicy.policyFamilyDefinitionOverrides}). A family the service does not have is refused
   * 400 {@code INVALID_PARAMETER_VALUE} (message and code assumed).
   */
  static String definition(String familyId, String overrides) {
    ObjectNode family;
    try {
      family = get(familyId);
    } catch (ApiError e) {
      throw ApiError.invalid("Invalid policy_family_id: " + familyId);
    }
    ObjectNode merged = (ObjectNode) parse(family.get("definition").asText());
    if (overrides != null && !overrides.isBlank()) {
      merged.setAll((ObjectNode) parse(overrides));
    }
    return merged.toString();
  }

  private static JsonNode parse(String document) {
    try {
      return JSON.readTree(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode family(String id, String name, String description, String definition) {
    ObjectNode family = JSON.createObjectNode();
    family.put("policy_family_id", id);
    family.put("name", name);
    family.put("description", description);
    family.put("definition", definition);
    return family;
  }
}
