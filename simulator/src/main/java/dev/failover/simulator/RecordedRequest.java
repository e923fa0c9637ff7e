package dev.failover.simulator;

/**
 * One HTTP request the simulator answered.
 *
 * @param service {@code databricks} or {@code s3}
 * @param side the workspace's side, or for S3 the side of the bucket addressed ("" for none)
 * @param method the HTTP method
 * @param path the request path, without the query
 * @param query the raw query string, or ""
 * @param mutating whether the method changes state (PUT, POST, PATCH, DELETE)
 * @param status the HTTP status answered
 * @param answeredAtMillis when it was answered, in epoch milliseconds
 * @param caller what the client named as the sender ({@code X-Failover-Activity}: the worker's
 *     activity), or ""
 */
public record RecordedRequest(
    String service,
    String side,
    String method,
    String path,
    String query,
    boolean mutating,
    int status,
    long answeredAtMillis,
    String caller) {

  static boolean isMutating(String method) {
    return switch (method) {
      case "PUT", "POST", "PATCH", "DELETE" -> true;
      default -> false;
    };
  }
}
