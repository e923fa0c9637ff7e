package dev.failover.activities.components.compute;

/**
 * A cluster policy as captured, identified by its name (unique in a workspace). The definition
 * documents are kept canonical (keys sorted), so that formatting never counts as a difference.
 *
 * @param definition the policy definition JSON document, or null for a policy of a family (whose
 *     definition the service computes from the family and the overrides)
 * @param maxClustersPerUser the limit of active clusters per user, or null for none
 * @param policyFamilyId the family the policy derives from, or null
 * @param policyFamilyDefinitionOverrides the rules merged into the family's definition, or null for
 *     none
 */
public record ClusterPolicyItem(
    String name,
    String description,
    String definition,
    Long maxClustersPerUser,
    String policyFamilyId,
    String policyFamilyDefinitionOverrides) {}
