/**
 * The simulated Databricks workspace: Unity Catalog catalogs, schemas and grants, SCIM Me and SCIM
 * Groups ({@code ScimGroupsApi}, with SCIM's own error body), jobs (Jobs API 2.2, {@code JobsApi})
 * and SQL warehouses ({@code WarehousesApi}), and the access control lists of workspace objects
 * ({@code PermissionsApi}, rules in {@code PermissionsState}).
 *
 * <p>Behaviour follows the real service where it could be checked against the SDK and observed
 * responses: creating a catalog also creates its {@code information_schema}, owned by {@code System
 * user}; a new workspace has no catalogs of its own (the simulator does not model the {@code
 * system}, {@code samples} or {@code hive_metastore} catalogs a real workspace lists); missing
 * objects are 404 {@code CATALOG_DOES_NOT_EXIST}/{@code SCHEMA_DOES_NOT_EXIST} and duplicates 400
 * (inferred) {@code CATALOG_ALREADY_EXISTS}/{@code SCHEMA_ALREADY_EXISTS}, both with a {@code
 * google.rpc.ErrorInfo} detail; an unrouted method and path is 404 {@code ENDPOINT_NOT_FOUND}. One
 * deliberate difference: a token the workspace does not know is answered 401, where the real
 * service answers 403 {@code "Invalid access token."}, so that callers can tell a bad credential
 * from a missing permission.
 */
package dev.failover.simulator.databricks;
