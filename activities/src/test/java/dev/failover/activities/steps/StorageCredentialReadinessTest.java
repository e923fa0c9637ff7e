package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.databricks.StorageAccessState;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.StorageCredentialCheck;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness validates DR's storage credentials against the replica URLs of the primary's external
 * locations, with the validate API and nothing else, through the real SDK.
 */
class StorageCredentialReadinessTest {
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
    cloud.simulator.requests().clear();
  }

  @AfterEach
  void stop() {
    env.close();
    cloud.close();
  }

  private static StorageCredentialCheck check(Runbook.StorageCredentials mappings) {
    return new StorageCredentialCheck(
        SimulatedCloud.primary(), SimulatedCloud.secondary(), SimulatedCloud.REWRITES, mappings);
  }

  private StorageAccessState dr() {
    return cloud.simulator.workspace("secondary").storageAccess();
  }

  private void assertNothingChanged() {
    assertThat(cloud.simulator.requests().mutating("databricks", "primary")).isEmpty();
    assertThat(cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void mappedCredentialsTrustedAheadOfTimePass() {
    String found = readiness.checkStorageCredentials(check(SimulatedCloud.STORAGE_CREDENTIALS));
    assertThat(found)
        .contains("reach the 4 external locations' replica URLs")
        .contains("lakehouse-ro-dr, lakehouse-rw-dr, mlflow-artifacts-dr")
        .doesNotContain("WARNING");
    assertThat(cloud.simulator.requests().all())
        .anyMatch(r -> r.path().endsWith("/validate-storage-credentials"));
    assertNothingChanged();
  }

  @Test
  void aDrCredentialWhoseRoleDoesNotTrustItsExternalIdFailsNamingItAndTheId() {
    // Recreated mid-incident: the same name and role, a new external id.
    StorageAccessState.Credential old = dr().credential("lakehouse-ro-dr");
    dr().deleteCredential("lakehouse-ro-dr", true);
    StorageAccessState.Credential recreated =
        dr().createCredential(
                "lakehouse-ro-dr",
                new StorageAccessState.CredentialFields(old.roleArn(), null, null, true));
    cloud.simulator.requests().clear();

    assertThatThrownBy(
            () -> readiness.checkStorageCredentials(check(SimulatedCloud.STORAGE_CREDENTIALS)))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = ReadinessActivitiesTest.failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_READY);
              assertThat(failure.getOriginalMessage())
                  .contains("storage credential lakehouse-ro-dr cannot reach")
                  .contains("add external id " + recreated.externalId())
                  .contains("trust policy of IAM role " + old.roleArn())
                  .doesNotContain("lakehouse-rw-dr");
            });
    assertNothingChanged();
  }

  @Test
  void aMappedCredentialMissingInDrFailsNamingTheField() {
    Runbook.StorageCredentials mappings =
        new Runbook.StorageCredentials(
            Map.of(
                "lakehouse-rw", "lakehouse-rw-standby",
                "lakehouse-ro", "lakehouse-ro-dr",
                "mlflow-artifacts", "mlflow-artifacts-dr"));
    assertThatThrownBy(() -> readiness.checkStorageCredentials(check(mappings)))
        .satisfies(
            thrown ->
                assertThat(ReadinessActivitiesTest.failureOf(thrown).getOriginalMessage())
                    .contains(
                        "storageCredentials.map names lakehouse-rw-standby for lakehouse-rw"));
    assertNothingChanged();
  }

  @Test
  void credentialsTheRunWillCreateAreAWarningAndASameNamedUntrustedOneFails() {
    String found = readiness.checkStorageCredentials(check(Runbook.StorageCredentials.NONE));
    assertThat(found)
        .contains("WARNING: the run will create lakehouse-ro, lakehouse-rw, mlflow-artifacts");

    dr().createCredential(
            "lakehouse-rw",
            new StorageAccessState.CredentialFields(
                "arn:aws:iam::123456789012:role/uc-lakehouse-rw", null, null, false));
    assertThatThrownBy(
            () -> readiness.checkStorageCredentials(check(Runbook.StorageCredentials.NONE)))
        .satisfies(
            thrown ->
                assertThat(ReadinessActivitiesTest.failureOf(thrown).getOriginalMessage())
                    .contains("storage credential lakehouse-rw cannot reach"));
    assertNothingChanged();
  }
}
