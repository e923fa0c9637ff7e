package dev.failover.workflows.steps;

import java.util.List;

/**
 * The {@code ApplicationFailure} types activities raise. The workflow's retry policy relies on
 * these strings: the types in {@link #NON_RETRYABLE} fail a step at once, because retrying cannot
 * help until a person acts; every other failure (throttling, 5xx, I/O) is retried with backoff.
 */
public final class FailureTypes {
  /** The credentials were rejected (HTTP 401) or no credentials exist for the profile. */
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";

  /** The credentials are valid but lack a permission (HTTP 403). */
  public static final String PERMISSION_DENIED = "PermissionDenied";

  /** The request was rejected as invalid (HTTP 400): retrying the same request cannot succeed. */
  public static final String INVALID_REQUEST = "InvalidRequest";

  /** Something the runbook names does not exist. */
  public static final String NOT_FOUND = "NotFound";

  /** A readiness check found the DR side not ready (for example, no replication rule). */
  public static final String NOT_READY = "NotReady";

  /** A stored snapshot failed its digest check or could not be decoded. */
  public static final String SNAPSHOT_CORRUPT = "SnapshotCorrupt";

  /** The DR side does not match the snapshot after converging. */
  public static final String SMOKE_TEST_FAILED = "SmokeTestFailed";

  /** The worker has no configuration for a credential profile the runbook names. */
  public static final String UNKNOWN_PROFILE = "UnknownCredentialProfile";

  /** The API throttled the request (HTTP 429); retried after the server's Retry-After. */
  public static final String THROTTLED = "Throttled";

  /** The API failed or could not be reached (5xx, I/O); retried with backoff. */
  public static final String UNAVAILABLE = "Unavailable";

  /** No operator approved the run within the runbook's approval timeout. */
  public static final String NOT_APPROVED = "NotApproved";

  /**
   * Changing replication's direction now would lose data written on the active side that has not
   * reached the other side yet.
   */
  public static final String DATA_AT_RISK = "DataAtRisk";

  /** Types that must not be retried. */
  /**
   * A workspace host that DNS does not know: a typo in the runbook (or a host that no longer
   * exists), which retrying cannot fix. Readiness of the side being left treats it as unreachable.
   */
  public static final String HOST_NOT_FOUND = "HostNotFound";

  /**
   * A managed DR failover group ended FAILOVER_FAILED, or stayed FAILING_OVER past the runbook's
   * timeout: retrying the step would wait again on the same group, so an operator decides.
   */
  public static final String MANAGED_FAILOVER_FAILED = "ManagedFailoverFailed";

  public static final List<String> NON_RETRYABLE =
      List.of(
          AUTHENTICATION_FAILED,
          PERMISSION_DENIED,
          INVALID_REQUEST,
          NOT_FOUND,
          NOT_READY,
          NOT_APPROVED,
          DATA_AT_RISK,
          SNAPSHOT_CORRUPT,
          SMOKE_TEST_FAILED,
          UNKNOWN_PROFILE,
          HOST_NOT_FOUND,
          MANAGED_FAILOVER_FAILED);

  private FailureTypes() {}
}
