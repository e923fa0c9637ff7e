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
    env = ActivityEnvironments.withHeartbeats();
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

  @Test
  void theTargetWorkspaceIsRunningInTheAccountAtTheRunbooksHost() {
    assertThat(
            readiness.checkAccountWorkspace(cloud.account("secondary"), SimulatedCloud.secondary()))
        .isEqualTo(
            "secondary workspace is RUNNING in account "
                + dev.failover.simulator.Simulator.ACCOUNT_ID
                + " as dbc-acme-dr in us-west-2");
    assertThat(cloud.simulator.requests().all()).noneMatch(r -> r.mutating());
  }

  @Test
  void anAccountWorkspaceThatIsNotRunningFailsReadiness() {
    long id = cloud.account("secondary").workspaceId();
    cloud.simulator.account().setWorkspaceStatus(id, "PROVISIONING");
    assertThatThrownBy(
            () ->
                readiness.checkAccountWorkspace(
                    cloud.account("secondary"), SimulatedCloud.secondary()))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_READY);
              assertThat(failure.getOriginalMessage())
                  .startsWith("the secondary workspace (id " + id + ") in account ")
                  .contains("is PROVISIONING")
                  .contains("not RUNNING")
                  .doesNotContain("\n");
            });
    assertThat(cloud.simulator.requests().all()).noneMatch(r -> r.mutating());
  }

  @Test
  void anAccountWorkspaceAtAnotherHostFailsReadiness() {
    // The runbook's secondary id names the primary workspace by mistake.
    var account = cloud.account("primary");
    assertThatThrownBy(() -> readiness.checkAccountWorkspace(account, SimulatedCloud.secondary()))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_READY);
              assertThat(failure.getOriginalMessage())
                  .contains("is deployment 'dbc-acme-prod'")
                  .contains("secondary.workspaceHost is " + SimulatedCloud.SECONDARY_HOST);
            });
  }

  @Test
  void aWorkspaceTheAccountDoesNotHaveFailsReadiness() {
    var account = cloud.account("secondary");
    var unknown =
        new dev.failover.workflows.steps.AccountTarget(
            account.host(), account.accountId(), account.credentialProfile(), 42L);
    assertThatThrownBy(() -> readiness.checkAccountWorkspace(unknown, SimulatedCloud.secondary()))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_READY);
              assertThat(failure.getOriginalMessage())
                  .contains("has no workspace 42")
                  .contains("never creates a workspace");
            });
  }
}
