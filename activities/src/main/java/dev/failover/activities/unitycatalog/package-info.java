/**
 * Reading Unity Catalog objects from a workspace and converging a workspace onto a snapshot, over
 * the Databricks SDK for Java.
 */
package dev.failover.activities.unitycatalog;
