/**
 * {@code failover benchmark}: a large generated primary run through readiness, capture, converge
 * and failover under the simulator's realistic cloud profile, measured against the profile's lower
 * bound.
 */
package dev.failover.cli.bench;
