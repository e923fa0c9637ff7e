package dev.failover.activities.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.workflows.steps.FailureTypes;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** How an AWS service's answer is classed: throttling by the codes the services use for it. */
class CloudFailuresTest {
  @Test
  void throttlingIsKnownByItsCodeWhateverTheStatus() {
    // CloudWatch throttles with 400 Throttling; other services say ThrottlingException; S3 503
    // SlowDown.
    assertThat(typeOf(400, "Throttling")).isEqualTo(FailureTypes.THROTTLED);
    assertThat(typeOf(400, "ThrottlingException")).isEqualTo(FailureTypes.THROTTLED);
    assertThat(typeOf(503, "SlowDown")).isEqualTo(FailureTypes.THROTTLED);
    assertThat(typeOf(429, "TooManyRequests")).isEqualTo(FailureTypes.THROTTLED);
  }

  @Test
  void otherAnswersAreClassedByTheirStatus() {
    assertThat(typeOf(400, "ValidationError")).isEqualTo(FailureTypes.INVALID_REQUEST);
    assertThat(typeOf(403, "AccessDenied")).isEqualTo(FailureTypes.PERMISSION_DENIED);
    assertThat(typeOf(503, "ServiceUnavailable")).isEqualTo(FailureTypes.UNAVAILABLE);
  }

  private static String typeOf(int status, String code) {
    AwsServiceException e =
        AwsServiceException.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage("answered " + code).build())
            .build();
    return CloudFailures.aws("read something", e).getType();
  }
}
