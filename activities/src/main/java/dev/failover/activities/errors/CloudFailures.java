package dev.failover.activities.errors;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import dev.failover.activities.clients.MissingEndpointOverride;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns an SDK exception into an {@link ApplicationFailure} with a type from {@link FailureTypes}
 * and a message a person can act on: what was being done, against what, and what the API said.
 * Authentication, permission, validation and not-found errors are non-retryable; throttling, server
 * errors and I/O errors are retryable.
 */
public final class CloudFailures {
  private static final Pattern MISSING_JOB_OR_CLUSTER =
      Pattern.compile("(Job|Cluster) \\S+ does not exist\\.?");

  private CloudFailures() {}

  /** Classifies a Databricks SDK exception raised while doing {@code action}. */
  public static ApplicationFailure databricks(String action, DatabricksException e) {
    if (e instanceof DatabricksError error && error.getStatusCode() > 0) {
      int status = error.getStatusCode();
      String code = error.getErrorCode() == null ? "" : " " + error.getErrorCode();
      String message =
          action + ": HTTP " + status + code + ": " + firstLine(error.getMessage()) + hint(status);
      String type = missingObjectIn400(error) ? FailureTypes.NOT_FOUND : typeForStatus(status);
      return ApplicationFailure.newFailureWithCause(message, type, e);
    }
    String unrouted = missingOverrideNote(e).map(note -> " (" + note + ")").orElse("");
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.UnknownHostException unknown) {
        return ApplicationFailure.newFailureWithCause(
            action
                + ": the host "
                + unknown.getMessage()
                + " does not resolve (DNS): check the runbook's workspaceHost"
                + unrouted,
            FailureTypes.HOST_NOT_FOUND,
            e);
      }
    }
    return ApplicationFailure.newFailureWithCause(
        action + ": " + firstLine(e.getMessage()) + unrouted, FailureTypes.UNAVAILABLE, e);
  }

  /**
   * The note an I/O error of a workspace host without an endpoint override carries, when other
   * hosts have one (see {@link MissingEndpointOverride}).
   */
  static Optional<String> missingOverrideNote(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      for (Throwable suppressed : cause.getSuppressed()) {
        if (suppressed instanceof MissingEndpointOverride note) {
          return Optional.of(note.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  /** Classifies an AWS SDK exception raised while doing {@code action}. */
  public static ApplicationFailure aws(String action, SdkException e) {
    // S3's and IAM's service exceptions alike.
    if (e instanceof AwsServiceException s3) {
      int status = s3.statusCode();
      String code =
          Optional.ofNullable(s3.awsErrorDetails())
              .map(details -> " " + details.errorCode())
              .orElse("");
      String message =
          action
              + ": HTTP "
              + status
              + code
              + ": "
              + firstLine(
                  s3.awsErrorDetails() == null
                      ? s3.getMessage()
                      : s3.awsErrorDetails().errorMessage())
              + hint(status);
      // The SDK's own list of throttling codes (Throttling, ThrottlingException, SlowDown,
      // RequestLimitExceeded, ...) and 429: CloudWatch throttles with 400 Throttling.
      String type = s3.isThrottlingException() ? FailureTypes.THROTTLED : typeForStatus(status);
      return ApplicationFailure.newFailureWithCause(message, type, e);
    }
    if (e instanceof SdkClientException) {
      return ApplicationFailure.newFailureWithCause(
          action + ": " + firstLine(e.getMessage()), FailureTypes.UNAVAILABLE, e);
    }
    return ApplicationFailure.newFailureWithCause(
        action + ": " + firstLine(e.getMessage()), FailureTypes.UNAVAILABLE, e);
  }

  /**
   * The Jobs and Clusters APIs answer an unknown id with 400 {@code INVALID_PARAMETER_VALUE}, not
   * 404: {@code {"error_code":"INVALID_PARAMETER_VALUE","message":"Job 998654886170278 does not
   * exist."}} is a raw answer to {@code jobs/get} logged in terraform-provider-databricks PR #2225,
   * and that provider rewrites both ("fix non-compliant error code": {@code wrapMissingJobError},
   * {@code wrapMissingClusterError}). The Java SDK's {@code ErrorOverrides} turn it into {@code
   * ResourceDoesNotExist} for GET {@code jobs/get} and {@code clusters/get} only, so a delete or
   * reset of a job that is already gone (a retried delete whose first answer was lost) would
   * otherwise read as a bad request.
   */
  private static boolean missingObjectIn400(DatabricksError error) {
    return error.getStatusCode() == 400
        && "INVALID_PARAMETER_VALUE".equals(error.getErrorCode())
        && error.getMessage() != null
        && MISSING_JOB_OR_CLUSTER.matcher(error.getMessage()).matches();
  }

  static String typeForStatus(int status) {
    return switch (status) {
      case 401 -> FailureTypes.AUTHENTICATION_FAILED;
      case 403 -> FailureTypes.PERMISSION_DENIED;
      case 404 -> FailureTypes.NOT_FOUND;
      case 400, 405, 413, 422 -> FailureTypes.INVALID_REQUEST;
      case 429 -> FailureTypes.THROTTLED;
      default -> FailureTypes.UNAVAILABLE;
    };
  }

  private static String hint(int status) {
    return switch (status) {
      case 401 ->
          " (the credential profile's token or keys were rejected: renew them in the worker's"
              + " configuration)";
      case 403 -> " (the profile's principal lacks a permission this step needs)";
      default -> "";
    };
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
