/** Small HTTP plumbing shared by the simulated services. */
package dev.failover.simulator.http;
