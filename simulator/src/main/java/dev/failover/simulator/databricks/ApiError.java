package dev.failover.simulator.databricks;

/**
 * An error the workspace API answers with: the HTTP status and the {@code error_code} of the
 * Databricks error body, which the SDK maps to its exception classes.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String errorCode;

  public ApiError(int status, String errorCode, String message) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public String errorCode() {
    return errorCode;
  }

  static ApiError notFound(String code, String message) {
    return new ApiError(404, code, message);
  }

  static ApiError alreadyExists(String code, String message) {
    return new ApiError(409, code, message);
  }

  static ApiError invalid(String message) {
    return new ApiError(400, "INVALID_PARAMETER_VALUE", message);
  }
}
