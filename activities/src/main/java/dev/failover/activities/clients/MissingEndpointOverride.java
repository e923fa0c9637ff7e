package dev.failover.activities.clients;

/**
 * A note attached (as a suppressed exception) to an I/O error of a workspace host that has no
 * endpoint override while overrides are set; its message names the host and the overrides given.
 */
public final class MissingEndpointOverride extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MissingEndpointOverride(String note) {
    super(note, null, false, false);
  }
}
