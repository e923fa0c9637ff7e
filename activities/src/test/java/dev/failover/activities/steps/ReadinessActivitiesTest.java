package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness checks against the simulator through the real Databricks and S3 clients. */
class ReadinessActivitiesTest {
  @TempDir Path dir;
  private SimulatedCloud cloud;
  private TestActivityEnvironment env;
  private ReadinessActivities readiness;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new ReadinessActivitiesImpl(cloud.clients));
    readiness =
        env.newActivityStub(
            ReadinessActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
  }

  @AfterEach
  void stop() {
    env.close();
    cloud.close();
  }

  static ApplicationFailure failureOf(Throwable thrown) {
    assertThat(thrown).isInstanceOf(ActivityFailure.class);
    assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) thrown.getCause();
  }

  @Test
  void bothWorkspacesAnswerAndNothingIsChanged() {
    assertThat(readiness.checkWorkspace(SimulatedCloud.primary()))
        .startsWith("primary workspace https://dbc-acme-prod.cloud.databricks.com answers as ");
    assertThat(readiness.checkWorkspace(SimulatedCloud.secondary())).startsWith("secondary");
    assertThat(cloud.simulator.requests().all()).noneMatch(r -> r.mutating());
  }

  @Test
  void rejectedTokenIsANonRetryableAuthenticationFailureNamingTheWorkspace() {
    WorkspaceTarget expired =
        new WorkspaceTarget("secondary", SimulatedCloud.SECONDARY_HOST, "us-west-2", "expired");
    assertThatThrownBy(() -> readiness.checkWorkspace(expired))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.AUTHENTICATION_FAILED);
              assertThat(failure.getOriginalMessage())
                  .contains("https://dbc-acme-dr.cloud.databricks.com")
                  .contains("HTTP 401");
            });
  }

  @Test
  void unknownCredentialProfileIsNamed() {
    WorkspaceTarget unknown =
        new WorkspaceTarget("secondary", SimulatedCloud.SECONDARY_HOST, "us-west-2", "nobody");
    assertThatThrownBy(() -> readiness.checkWorkspace(unknown))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.UNKNOWN_PROFILE);
              assertThat(failure.getOriginalMessage()).contains("'nobody'");
            });
  }
}
