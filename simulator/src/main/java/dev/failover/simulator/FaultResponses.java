package dev.failover.simulator;

import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The responses of injected faults, in each service's own error format. */
final class FaultResponses {
  /** Seconds a throttled client is asked to wait. */
  static final String RETRY_AFTER_SECONDS = "1";

  private FaultResponses() {}

  /** Sends the fault's response; returns the status sent (0 for a dropped connection). */
  static int send(HttpExchange exchange, String service, Faults.Kind kind) throws IOException {
    exchange.getRequestBody().readAllBytes();
    if (kind == Faults.Kind.DROP) {
      exchange.close();
      return 0;
    }
    if (service.equals(Simulator.IAM_SERVICE)) {
      return iam(exchange, kind);
    }
    if (service.equals(Simulator.CLOUDWATCH_SERVICE)) {
      return cloudWatch(exchange, kind);
    }
    boolean s3 = service.equals("s3");
    int status;
    String code;
    String message;
    switch (kind) {
      case THROTTLE -> {
        status = s3 ? 503 : 429;
        code = s3 ? "SlowDown" : "REQUEST_LIMIT_EXCEEDED";
        message = s3 ? "Please reduce your request rate." : "Too many requests, retry later";
        exchange.getResponseHeaders().set("Retry-After", RETRY_AFTER_SECONDS);
      }
      case PERMISSION_DENIED -> {
        status = 403;
        code = s3 ? "AccessDenied" : "PERMISSION_DENIED";
        message =
            s3 ? "Access Denied" : "User does not have the permission required for this request";
      }
      case SERVER_ERROR -> {
        status = 500;
        code = s3 ? "InternalError" : "INTERNAL_ERROR";
        message = s3 ? "We encountered an internal error. Please try again." : "Internal error";
      }
      default -> {
        status = 503;
        code = s3 ? "ServiceUnavailable" : "TEMPORARILY_UNAVAILABLE";
        message =
            s3 ? "Service is unable to handle request." : "The service is temporarily unavailable";
      }
    }
    String body =
        s3
            ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + code
                + "</Code><Message>"
                + message
                + "</Message></Error>"
            : "{\"error_code\":\"" + code + "\",\"message\":\"" + message + "\"}";
    HttpExchanges.send(
        exchange,
        status,
        s3 ? "application/xml" : "application/json",
        body.getBytes(StandardCharsets.UTF_8));
    return status;
  }

  /**
   * CloudWatch's errors, in Smithy RPC v2 CBOR with the Query API's code in {@code
   * x-amzn-query-error} (see {@code RpcV2Cbor.error}). The codes and statuses are CloudWatch's
   * (CloudWatch API reference, "Common Errors"): throttling is 400 {@code Throttling}, which the
   * SDK retries as a throttling error; 500 {@code InternalServiceError} (shape {@code
   * InternalServiceFault}); 503 {@code ServiceUnavailable}; 403 {@code AccessDenied}. The {@code
   * __type} of the unmodelled ones (throttling, access denied, unavailable) is not published; the
   * SDK takes the code from the header.
   */
  private static int cloudWatch(HttpExchange exchange, Faults.Kind kind) throws IOException {
    return switch (kind) {
      case THROTTLE ->
          dev.failover.simulator.cloudwatch.RpcV2Cbor.error(
              exchange, 400, "ThrottlingException", "Throttling", "Sender", "Rate exceeded");
      case PERMISSION_DENIED ->
          dev.failover.simulator.cloudwatch.RpcV2Cbor.error(
              exchange,
              403,
              "AccessDeniedException",
              "AccessDenied",
              "Sender",
              "User is not authorized to perform: cloudwatch:"
                  + exchange
                      .getRequestURI()
                      .getPath()
                      .substring(exchange.getRequestURI().getPath().lastIndexOf('/') + 1));
      case SERVER_ERROR ->
          dev.failover.simulator.cloudwatch.RpcV2Cbor.error(
              exchange,
              500,
              "InternalServiceFault",
              "InternalServiceError",
              "Receiver",
              "Internal service error");
      default ->
          dev.failover.simulator.cloudwatch.RpcV2Cbor.error(
              exchange,
              503,
              "ServiceUnavailableException",
              "ServiceUnavailable",
              "Receiver",
              "Service is unavailable");
    };
  }

  /**
   * IAM's Query API errors: an {@code ErrorResponse} document; throttling is 400 {@code Throttling}
   * (IAM API reference, common errors).
   */
  private static int iam(HttpExchange exchange, Faults.Kind kind) throws IOException {
    int status;
    String code;
    String type = "Receiver";
    switch (kind) {
      case THROTTLE -> {
        status = 400;
        code = "Throttling";
        type = "Sender";
      }
      case PERMISSION_DENIED -> {
        status = 403;
        code = "AccessDenied";
        type = "Sender";
      }
      case SERVER_ERROR -> {
        status = 500;
        code = "ServiceFailure";
      }
      default -> {
        status = 503;
        code = "ServiceUnavailable";
      }
    }
    String body =
        "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>"
            + type
            + "</Type><Code>"
            + code
            + "</Code><Message>"
            + code
            + "</Message></Error></ErrorResponse>";
    HttpExchanges.send(exchange, status, "text/xml", body.getBytes(StandardCharsets.UTF_8));
    return status;
  }
}
