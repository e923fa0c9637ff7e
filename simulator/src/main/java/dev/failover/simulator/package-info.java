/**
 * A local, stateful, in-memory emulator of the Databricks workspace REST API subset and the S3 REST
 * API subset the runbooks use, spoken over HTTP so that the real Databricks SDK for Java and the
 * real AWS SDK for Java v2 work against it unchanged. Used by tests, the sandbox and benchmarks;
 * The CLI's {@code failover simulator} runs it standalone.
 */
package dev.failover.simulator;
