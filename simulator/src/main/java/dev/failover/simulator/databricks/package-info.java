/** The simulated Databricks workspace: Unity Catalog catalogs, schemas and grants, and SCIM Me. */
package dev.failover.simulator.databricks;
