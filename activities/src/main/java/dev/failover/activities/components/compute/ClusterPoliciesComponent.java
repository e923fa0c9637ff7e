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
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Cluster policies, by name. Storage paths inside a policy's definition (a fixed log destination,
 * an init script) are rewritten to the replica buckets. The default policies Databricks manages
 * ({@code is_default}) are left out: every workspace has its own. A policy has no tags or
 * properties to mark it with, so what a drill created is known from its ledger only. Policy
 * libraries and permissions are not converged.
 */
public final class ClusterPoliciesComponent implements Component<ClusterPolicyItem> {
  @Override
  public String name() {
    return "cluster-policies";
  }

  @Override
  public Class<ClusterPolicyItem> type() {
    return ClusterPolicyItem.class;
  }

  @Override
  public String key(ClusterPolicyItem item) {
    return item.name();
  }

  @Override
  public List<ClusterPolicyItem> read(ComponentContext workspace) {
    List<ClusterPolicyItem> items = new ArrayList<>();
    for (Policy policy : policies(workspace)) {
      if (Boolean.TRUE.equals(policy.getIsDefault())) {
        continue;
      }
      items.add(
          new ClusterPolicyItem(
              policy.getName(),
              policy.getDescription(),
              ComputeJson.canonical(policy.getDefinition()),
              policy.getMaxClustersPerUser(),
              policy.getPolicyFamilyId(),
              ComputeJson.canonical(policy.getPolicyFamilyDefinitionOverrides())));
    }
    items.sort(Comparator.comparing(ClusterPolicyItem::name));
    return items;
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

  @Override
  public ClusterPolicyItem expected(ClusterPolicyItem captured, ComponentContext target) {
    return new ClusterPolicyItem(
        captured.name(),
        captured.description(),
        ComputeJson.rewriteDocument(captured.definition(), target::rewrite),
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
   * Creates the policy. The service refuses a name that is taken ("Cluster Policy with name `...`
   * already exists"), which here means another attempt created it: success.
   */
  @Override
  public void create(ClusterPolicyItem want, ComponentContext target) {
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
              } catch (DatabricksError e) {
                if (!alreadyExists(e)) {
                  throw e;
                }
              }
              return null;
            });
  }

  /** {@code edit} replaces every setting of the policy, so the request carries them all. */
  @Override
  public void update(
      ClusterPolicyItem want,
      ClusterPolicyItem have,
      List<String> differences,
      ComponentContext target) {
    String id = idOf(target, have.name());
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

  @Override
  public void delete(ClusterPolicyItem have, ComponentContext target) {
    String id = idOf(target, have.name());
    if (id == null) {
      return;
    }
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
    return policies(target).stream()
        .filter(p -> name.equals(p.getName()))
        .map(Policy::getPolicyId)
        .findFirst()
        .orElse(null);
  }

  private static boolean alreadyExists(DatabricksError e) {
    String code = e.getErrorCode() == null ? "" : e.getErrorCode();
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return code.endsWith("ALREADY_EXISTS") || message.contains("already exists");
  }
}
