/**
 * Unity Catalog components beyond catalogs, schemas and tables: the workspace's metastore
 * assignment, storage credentials, external locations and registered models with their versions,
 * each a {@link dev.failover.activities.components.Component}.
 */
package dev.failover.activities.components.unitycatalog;
