package dev.failover.activities.components.compute;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.compute.CreatePolicy;
import com.databricks.sdk.service.compute.EditPolicy;
import com.databricks.sdk.service.compute.ListClusterPoliciesRequest;
import com.databricks.sdk.service.compute.Policy;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Cluster policies, by name. Storage paths inside a policy's definition (a fixed log destination,
 * an init script) are rewritten to the replica buckets. Policy libraries and permissions are not
 * converged.
 *
 * <p>A policy made from a policy family is captured and converged as its family id and overrides,
 * never as the definition a GET also answers: the service computes that definition from the family,
 * and a create or edit may send a family id or a definition, not both (the API reference of {@code
 * CreatePolicy}; terraform-provider-databricks fixtures {@code
 * policies/resource_cluster_policy_aws_context_test.go} read back all three for a family policy).
 *
 * <p>Every workspace has the default policies ({@code is_default}: Personal Compute, Job Compute,
 * ...), made by the service from the families, which cannot be deleted nor moved to another family
 * (the SDK's {@code Policy.isDefault} Javadoc). A default policy is captured only when it was
 * customized (overrides or a cluster limit), and is converged onto DR's default policy of the same
 * name by an edit, as the Terraform provider does for a policy named after its family ({@code
 * isBuiltinPolicyFamily} in {@code policies/resource_cluster_policy.go}). A default policy reset to
 * its family in the primary is therefore not reset in DR. A drill never creates a default policy,
 * and its clean-up never deletes one. A policy has no tags or properties to mark it with, so what a
 * drill created is known from its ledger only.
 */
public final class ClusterPoliciesComponent implements Component<ClusterPolicyItem> {
  @Override
  public String name() {
    return "cluster-policies";
  }

  /** The same in a drill and a failover, and converging it only makes items match. */
  @Override
  public boolean trustedWhenUnchanged() {
    return true;
  }

  @Override
  public Class<ClusterPolicyItem> type() {
    return ClusterPolicyItem.class;
  }

  @Override
  public String key(ClusterPolicyItem item) {
    return item.name();
  }

  /** The workspace's own policies, and its default policies that were customized. */
  @Override
  public List<ClusterPolicyItem> read(ComponentContext workspace) {
    List<ClusterPolicyItem> items = new ArrayList<>();
    for (Policy policy : policies(workspace)) {
      if (!isDefault(policy) || customized(policy)) {
        items.add(item(policy));
      }
    }
    items.sort(Comparator.comparing(ClusterPolicyItem::name));
    return items;
  }

  /** Every policy of the target by name, default ones included: they are edited, never created. */
  @Override
  public Map<String, ClusterPolicyItem> current(
      ComponentContext target, List<ClusterPolicyItem> wanted) {
    Map<String, ClusterPolicyItem> current = new HashMap<>();
    policies(target).forEach(policy -> current.put(policy.getName(), item(policy)));
    return current;
  }

  /** A policy as captured: a family policy without the definition the service computed. */
  private static ClusterPolicyItem item(Policy policy) {
    boolean family = policy.getPolicyFamilyId() != null && !policy.getPolicyFamilyId().isEmpty();
    return new ClusterPolicyItem(
        policy.getName(),
        policy.getDescription(),
        family ? null : ComputeJson.canonical(policy.getDefinition()),
        policy.getMaxClustersPerUser(),
        family ? policy.getPolicyFamilyId() : null,
        family ? overrides(policy.getPolicyFamilyDefinitionOverrides()) : null);
  }

  /** Canonical overrides; none and an empty document are the same. */
  private static String overrides(String document) {
    String canonical = ComputeJson.canonical(document);
    return canonical == null || canonical.isBlank() || canonical.equals("{}") ? null : canonical;
  }

  private static boolean isDefault(Policy policy) {
    return Boolean.TRUE.equals(policy.getIsDefault());
  }

  /** A default policy an admin changed: rules added to its family's, or a cluster limit. */
  private static boolean customized(Policy policy) {
    return overrides(policy.getPolicyFamilyDefinitionOverrides()) != null
        || policy.getMaxClustersPerUser() != null;
  }

  /** Every policy of the workspace; the list API answers them all in one response. */
  static List<Policy> policies(ComponentContext workspace) {
    return workspace
        .retry()
        .databricks(
            "list cluster policies in " + workspace.host(),
            () -> {
              List<Policy> all = new ArrayList<>();
              workspace
                  .workspace()
                  .clusterPolicies()
                  .list(new ListClusterPoliciesRequest())
                  .forEach(all::add);
              return all;
            });
  }

  /** The captured policy, storage paths rewritten; a family policy stays a family policy. */
  @Override
  public ClusterPolicyItem expected(ClusterPolicyItem captured, ComponentContext target) {
    return new ClusterPolicyItem(
        captured.name(),
        captured.description(),
        captured.policyFamilyId() == null
            ? ComputeJson.rewriteDocument(captured.definition(), target::rewrite)
            : null,
        captured.maxClustersPerUser(),
        captured.policyFamilyId(),
        ComputeJson.rewriteDocument(captured.policyFamilyDefinitionOverrides(), target::rewrite));
  }

  @Override
  public List<String> differences(ClusterPolicyItem want, ClusterPolicyItem have) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(want.description(), have.description())) {
      differences.add("description");
    }
    if (!Objects.equals(want.definition(), have.definition())) {
      differences.add("definition");
    }
    if (!Objects.equals(want.maxClustersPerUser(), have.maxClustersPerUser())) {
      differences.add("max_clusters_per_user");
    }
    if (!Objects.equals(want.policyFamilyId(), have.policyFamilyId())) {
      differences.add("policy_family_id");
    }
    if (!Objects.equals(
        want.policyFamilyDefinitionOverrides(), have.policyFamilyDefinitionOverrides())) {
      differences.add("policy_family_definition_overrides");
    }
    return differences;
  }

  /**
   * Policies are written a few at a time: names are unique, so each create or edit touches only its
   * own policy, and a lost answer is found again by the name.
   */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  /**
   * Creates the policy. A name already taken ("Cluster Policy with name `...` already exists", as
   * terraform-provider-databricks#2884 quotes it) was taken after the target was read: by this
   * create whose answer was lost, or by someone else. Either way the policy of that name is then
   * edited to what is wanted, so that the name clash never passes for done.
   */
  @Override
  public void create(ClusterPolicyItem want, ComponentContext target) {
    boolean taken =
        target
            .retry()
            .databricks(
                "create cluster policy " + want.name() + " in " + target.host(),
                () -> {
                  try {
                    target
                        .workspace()
                        .clusterPolicies()
                        .create(
                            new CreatePolicy()
                                .setName(want.name())
                                .setDescription(want.description())
                                .setDefinition(want.definition())
                                .setMaxClustersPerUser(want.maxClustersPerUser())
                                .setPolicyFamilyId(want.policyFamilyId())
                                .setPolicyFamilyDefinitionOverrides(
                                    want.policyFamilyDefinitionOverrides()));
                    return false;
                  } catch (DatabricksError e) {
                    if (!alreadyExists(e)) {
                      throw e;
                    }
                    return true;
                  }
                });
    if (taken) {
      edit(want, idOf(target, want.name()), target);
    }
  }

  /** {@code edit} replaces every setting of the policy, so the request carries them all. */
  @Override
  public void update(
      ClusterPolicyItem want,
      ClusterPolicyItem have,
      List<String> differences,
      ComponentContext target) {
    edit(want, idOf(target, have.name()), target);
  }

  private static void edit(ClusterPolicyItem want, String id, ComponentContext target) {
    target
        .retry()
        .databricks(
            "edit cluster policy " + want.name() + " in " + target.host(),
            () -> {
              target
                  .workspace()
                  .clusterPolicies()
                  .edit(
                      new EditPolicy()
                          .setPolicyId(id)
                          .setName(want.name())
                          .setDescription(want.description())
                          .setDefinition(want.definition())
                          .setMaxClustersPerUser(want.maxClustersPerUser())
                          .setPolicyFamilyId(want.policyFamilyId())
                          .setPolicyFamilyDefinitionOverrides(
                              want.policyFamilyDefinitionOverrides()));
              return null;
            });
  }

  /** Deletes the policy; a default policy, which the service keeps, is left as it is. */
  @Override
  public void delete(ClusterPolicyItem have, ComponentContext target) {
    Policy policy = named(target, have.name());
    if (policy == null || isDefault(policy)) {
      return;
    }
    String id = policy.getPolicyId();
    target
        .retry()
        .databricks(
            "delete cluster policy " + have.name() + " in " + target.host(),
            () -> {
              try {
                target.workspace().clusterPolicies().delete(id);
              } catch (DatabricksError e) {
                if (e.getStatusCode() != 404) {
                  throw e;
                }
              }
              return null;
            });
  }

  /** The id of the target's policy with this name, or null. */
  static String idOf(ComponentContext target, String name) {
    Policy policy = named(target, name);
    return policy == null ? null : policy.getPolicyId();
  }

  private static Policy named(ComponentContext target, String name) {
    return policies(target).stream().filter(p -> name.equals(p.getName())).findFirst().orElse(null);
  }

  private static boolean alreadyExists(DatabricksError e) {
    String code = e.getErrorCode() == null ? "" : e.getErrorCode();
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return code.endsWith("ALREADY_EXISTS") || message.contains("already exists");
  }
}
