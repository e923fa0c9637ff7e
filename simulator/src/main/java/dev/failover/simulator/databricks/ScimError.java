package dev.failover.simulator.databricks;

/**
 * An error of the SCIM API, answered with the SCIM error body ({@code {"schemas":
 * ["urn:ietf:params:scim:api:messages:2.0:Error"], "detail": ..., "status": "404"}}, RFC 7644
 * §3.12) rather than the {@code error_code}/{@code message} body of the other APIs. The SDK's
 * {@code ApiErrors} normalises it: the message is {@code detail} (prefixed by {@code scimType} when
 * there is one) and the error code {@code SCIM_<status>}, which no exception class is registered
 * for, so the class follows the HTTP status: 400 {@code BadRequest}, 404 {@code NotFound}, 409
 * {@code ResourceConflict}.
 */
public final class ScimError extends RuntimeException {
  private final int status;
  private final String scimType;

  ScimError(int status, String detail) {
    this(status, null, detail);
  }

  /**
   * @param scimType the RFC 7644 error keyword ({@code invalidFilter}, {@code invalidValue}, ...),
   *     or null
   */
  ScimError(int status, String scimType, String detail) {
    super(detail);
    this.status = status;
    this.scimType = scimType;
  }

  public int status() {
    return status;
  }

  /** The RFC 7644 {@code scimType}, or null. */
  public String scimType() {
    return scimType;
  }

  static ScimError notFound(String detail) {
    return new ScimError(404, detail);
  }

  static ScimError invalidValue(String detail) {
    return new ScimError(400, "invalidValue", detail);
  }
}
