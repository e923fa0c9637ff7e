/**
 * The embedded sandbox: the Temporal test server on a free local port, the simulator with the demo
 * lakehouse in two regions, and a worker, all in one process; runs go through the Temporal client
 * exactly as against a real server.
 */
package dev.failover.cli.sandbox;
