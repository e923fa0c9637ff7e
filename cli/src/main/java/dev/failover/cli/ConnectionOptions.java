package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import picocli.CommandLine.Option;

/**
 * How to reach Temporal, shared by every command that talks to a server. Unset options fall back to
 * Temporal's conventions: {@code TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code
 * TEMPORAL_API_KEY}, {@code TEMPORAL_TLS_*} and Temporal's config-file profiles. The API key is
 * deliberately not a flag, so it never lands in shell history or process listings.
 */
public final class ConnectionOptions {
  @Option(
      names = "--address",
      description = "Temporal address host:port (default: $TEMPORAL_ADDRESS, else localhost:7233)")
  String address;

  @Option(
      names = "--namespace",
      description = "Temporal namespace (default: $TEMPORAL_NAMESPACE, else default)")
  String namespace;

  @Option(
      names = "--temporal-profile",
      description =
          "Profile of Temporal's client config file (default: $TEMPORAL_PROFILE, else default)")
  String profile;

  TemporalConnection connect() {
    return TemporalConnection.connect(profile, address, namespace);
  }
}
