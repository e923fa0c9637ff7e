/**
 * Temporal's remote codec server over the workers' payload key, so that Temporal UI and the
 * temporal CLI show encrypted runs decoded, behind a bearer token and one allowed browser origin.
 */
package dev.failover.cli.codec;
