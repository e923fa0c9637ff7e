/**
 * The {@code failover} command: validates runbooks, starts and watches runs on a Temporal server,
 * shows their status and reports. Sub-package {@code sandbox} runs everything embedded on one
 * machine: the Temporal test server, the simulator and a worker.
 */
package dev.failover.cli;
