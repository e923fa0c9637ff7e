package dev.failover.activities.components.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.core.DatabricksError;
import dev.failover.activities.errors.CloudFailures;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/**
 * Which answers to a job write refuse its {@code run_as}: the code the service answers for a
 * missing right is undocumented, so a 403 and a 400 naming {@code run_as} both refuse only that
 * job.
 */
class JobIdentitiesTest {
  private static ApplicationFailure answer(String code, String message, int status) {
    return CloudFailures.databricks(
        "create job run_as-audit in dr", new DatabricksError(code, message, status));
  }

  @Test
  void aForbiddenAnswerOrABadRequestNamingRunAsRefusesTheJob() {
    assertThat(
            JobIdentities.refusesRunAs(
                answer("PERMISSION_DENIED", "dr-worker may not set run_as.user_name", 403)))
        .isTrue();
    assertThat(
            JobIdentities.refusesRunAs(
                answer(
                    "INVALID_PARAMETER_VALUE",
                    "dr-worker may not set run_as.service_principal_name to 3f6d",
                    400)))
        .isTrue();
  }

  @Test
  void anyOtherBadRequestFailsAsItIs() {
    // The action names run_as (the job's name), the message does not.
    assertThat(
            JobIdentities.refusesRunAs(
                answer("INVALID_PARAMETER_VALUE", "tags must be a map of strings", 400)))
        .isFalse();
    assertThat(JobIdentities.refusesRunAs(answer("MALFORMED_REQUEST", "run_as: bad JSON", 400)))
        .isFalse();
    assertThat(JobIdentities.refusesRunAs(answer("INTERNAL_ERROR", "run_as lookup failed", 500)))
        .isFalse();
  }
}
