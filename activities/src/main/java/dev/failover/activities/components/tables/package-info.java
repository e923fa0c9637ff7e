/**
 * The "tables" component: Unity Catalog tables and views, read through the tables API and
 * registered in DR with SQL statements run on a DR SQL warehouse (the statement execution API).
 */
package dev.failover.activities.components.tables;
