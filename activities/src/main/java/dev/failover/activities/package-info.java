/**
 * How each step touches the world: activity implementations over the Databricks SDK for Java and
 * the AWS SDK for Java v2, the snapshot store, and the mapping of SDK errors to retryable or
 * non-retryable failures. Sub-packages: {@code clients} (credentials and SDK clients), {@code
 * errors}, {@code snapshot}, {@code unitycatalog} (reading and converging Unity Catalog objects)
 * and {@code steps} (the activity implementations the worker registers).
 */
package dev.failover.activities;
