package dev.failover.simulator.databricks;

import java.util.Map;

/**
 * An error the workspace API answers with: the HTTP status and the {@code error_code} of the
 * Databricks error body, which the SDK maps to its exception classes (by error code first, then by
 * status), and optionally the {@code google.rpc.ErrorInfo} detail that Unity Catalog adds to "does
 * not exist" and "already exists" errors.
 *
 * @see WorkspaceApi for how the body is written
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String errorCode;
  private final String reason;
  private final Map<String, String> metadata;

  public ApiError(int status, String errorCode, String message) {
    this(status, errorCode, message, null, Map.of());
  }

  private ApiError(
      int status, String errorCode, String message, String reason, Map<String, String> metadata) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.reason = reason;
    this.metadata = metadata;
  }

  public int status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }

  /** The ErrorInfo reason ({@code RESOURCE_DOES_NOT_EXIST}, ...), or null for no detail. */
  String reason() {
    return reason;
  }

  /** The ErrorInfo metadata: the resource's type and identifier. */
  Map<String, String> metadata() {
    return metadata;
  }

  /** HTTP 404 with a Unity Catalog code such as {@code CATALOG_DOES_NOT_EXIST}. */
  static ApiError notFound(String code, String resourceType, String identifier, String message) {
    return new ApiError(
        404,
        code,
        message,
        "RESOURCE_DOES_NOT_EXIST",
        Map.of("resourceType", resourceType, "resourceIdentifier", identifier));
  }

  /**
   * HTTP 400 with a Unity Catalog code such as {@code CATALOG_ALREADY_EXISTS}. No raw HTTP answer
   * of a Unity Catalog name clash is on public record, so the status is inferred: ucx catches the
   * clash of a catalog create as {@code BadRequest} and then tests {@code error_code ==
   * 'CATALOG_ALREADY_EXISTS'} (databrickslabs/ucx, hive_metastore/federation.py, PR #2077), and
   * mocks a schema clash as {@code BadRequest("Schema 'test' already exists")}; the Python SDK
   * would have raised {@code ResourceConflict} for a 409. A client that keys on the status rather
   * than the code would miss it, which is the harsher of the two for a caller.
   */
  static ApiError alreadyExists(
      String code, String resourceType, String identifier, String message) {
    return new ApiError(
        400,
        code,
        message,
        "RESOURCE_ALREADY_EXISTS",
        Map.of("resourceType", resourceType, "resourceIdentifier", identifier));
  }

  static ApiError invalid(String message) {
    return new ApiError(400, "INVALID_PARAMETER_VALUE", message);
  }
}
