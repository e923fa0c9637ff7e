package dev.failover.activities.components.compute;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An all-purpose cluster's configuration as captured, identified by its name.
 *
 * @param clusterName the cluster's name; Databricks does not require names to be unique, see {@link
 *     ClustersComponent}
 * @param policyName the name of the cluster's policy (ids differ between workspaces), or null
 * @param spec the {@code CreateCluster} fields of the cluster as JSON, without its name and policy
 *     id, and without the server's fields (id, state, creator, default tags)
 */
public record ClusterItem(String clusterName, String policyName, JsonNode spec) {}
