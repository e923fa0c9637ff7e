package dev.failover.activities.components.unitycatalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.unitycatalog.ExternalLocationsComponent.ExternalLocation;
import dev.failover.activities.components.unitycatalog.StorageCredentialsComponent.StorageCredential;
import dev.failover.simulator.databricks.StorageAccessState;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.ChangeCounts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External locations converged into DR by name, their URLs rewritten to the replica bucket,
 * read-only in a drill; their credentials are converged first, as converge orders them.
 */
class ExternalLocationsComponentTest {
  @TempDir Path dir;
  private ComponentHarness<ExternalLocation> harness;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new ExternalLocationsComponent());
    convergeCredentials();
  }

  /** The credentials the locations name, converged as converge does before the locations. */
  private void convergeCredentials() {
    StorageCredentialsComponent component = new StorageCredentialsComponent();
    List<StorageCredential> captured =
        component.read(harness.context(SimulatedCloud.primary(), null));
    new ComponentConverger<>(
            component, harness.context(SimulatedCloud.secondary(), null), done -> {})
        .converge(captured, null, false);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private StorageAccessState dr() {
    return harness.cloud.simulator.workspace("secondary").storageAccess();
  }

  private int drMutations() {
    return harness.cloud.simulator.requests().mutating("databricks", "secondary").size();
  }

  @Test
  void convergeCreatesEachLocationOnceOnTheReplicaBucketAndThenChangesNothing() {
    List<ExternalLocation> captured = harness.capturePrimary();
    assertThat(captured).hasSize(4);
    assertThat(captured).allMatch(l -> l.url().startsWith("s3://acme-lakehouse-use1/"));

    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(4, 0, 0, 0));
    StorageAccessState.Location landing = dr().location("sales-landing");
    assertThat(landing.url()).isEqualTo("s3://acme-lakehouse-usw2/landing/sales");
    assertThat(landing.credentialName())
        .as("the mapped DR credential")
        .isEqualTo("lakehouse-rw-dr");
    // Owned by the worker that created it until the ownership pass (OwnershipPass) after grants.
    assertThat(landing.owner()).isEqualTo("sre-automation@acme.example");
    assertThat(landing.readOnly()).isFalse();
    assertThat(dr().location("partner-feeds").readOnly()).isTrue();

    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(0, 0, 4, 0));
    assertThat(drMutations()).isZero();
  }

  @Test
  void aChangedUrlIsUpdatedBackToTheReplica() {
    List<ExternalLocation> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    dr().updateLocation(
            "finance-exports",
            new StorageAccessState.LocationFields(
                "s3://acme-lakehouse-usw2/elsewhere", null, null, null, null));

    ComponentConverger.Result result = harness.converge(captured, null, false);
    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 1, 3, 0));
    assertThat(result.differences()).containsExactly("finance-exports differs in url");
    assertThat(dr().location("finance-exports").url())
        .isEqualTo("s3://acme-lakehouse-usw2/exports/finance");
  }

  @Test
  void everyPageIsReadAndConverged() {
    StorageAccessState primary = harness.cloud.simulator.workspace("primary").storageAccess();
    for (int i = 0; i < 60; i++) {
      primary.createLocation(
          String.format("team-%02d", i),
          new StorageAccessState.LocationFields(
              "s3://acme-lakehouse-use1/teams/" + i, "lakehouse-rw", null, null, null));
    }
    List<ExternalLocation> captured = harness.capturePrimary();
    assertThat(captured).hasSize(64);
    assertThat(harness.converge(captured, null, false).counts().created()).isEqualTo(64);
    assertThat(dr().location("team-59").url()).isEqualTo("s3://acme-lakehouse-usw2/teams/59");
  }

  @Test
  void aLocationCreatedByAnotherAttemptMeanwhileIsNotDuplicated() {
    List<ExternalLocation> captured = harness.capturePrimary();
    dr().createLocation(
            "ml-artifacts",
            new StorageAccessState.LocationFields(
                "s3://acme-lakehouse-usw2/mlflow-artifacts",
                "mlflow-artifacts-dr",
                null,
                null,
                null));

    assertThat(BlindComponent.converge(harness, captured).counts().created()).isEqualTo(4);
    assertThat(dr().locations()).hasSize(4);
    assertThat(dr().location("ml-artifacts").owner()).isEqualTo("sre-automation@acme.example");
  }

  @Test
  void aDrillCreatesReadOnlyLocationsAndItsCleanUpRemovesOnlyThose() {
    dr().createLocation(
            "partner-feeds",
            new StorageAccessState.LocationFields(
                "s3://acme-lakehouse-usw2/partners", "lakehouse-ro-dr", null, null, true));
    List<ExternalLocation> captured = harness.capturePrimary();

    assertThat(harness.converge(captured, "drill-1", false).counts().created()).isEqualTo(3);
    assertThat(dr().locations()).allMatch(StorageAccessState.Location::readOnly);
    assertThat(harness.ledger.created("external-locations"))
        .containsExactly("finance-exports", "ml-artifacts", "sales-landing");

    assertThat(harness.removeCreated("drill-1")).isEqualTo(new ChangeCounts(0, 0, 0, 3));
    assertThat(dr().locations())
        .extracting(StorageAccessState.Location::name)
        .containsExactly("partner-feeds");
  }

  @Test
  void aDryRunCountsAndWritesNothing() {
    List<ExternalLocation> captured = harness.capturePrimary();
    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(captured, null, true).counts())
        .isEqualTo(new ChangeCounts(4, 0, 0, 0));
    assertThat(drMutations()).isZero();
    assertThat(dr().locations()).isEmpty();
  }

  @Test
  void locationsOnACredentialConvergeCreatedAreHeldUntilItsRoleTrustsItsExternalId() {
    harness.storageCredentials = Runbook.StorageCredentials.NONE;
    convergeCredentials();
    StorageAccessState.Credential created = dr().credential("lakehouse-rw");
    List<ExternalLocation> captured = harness.capturePrimary();

    ComponentConverger.Result held = harness.converge(captured, null, false);
    assertThat(held.counts().created()).isZero();
    assertThat(held.refused())
        .hasSize(4)
        .anySatisfy(
            reason ->
                assertThat(reason)
                    .startsWith("sales-landing: storage credential lakehouse-rw cannot reach")
                    .contains("add external id " + created.externalId())
                    .contains("trust policy of IAM role " + created.roleArn()));
    assertThat(dr().locations()).isEmpty();

    for (StorageAccessState.Credential credential : dr().credentials()) {
      harness
          .cloud
          .simulator
          .iam()
          .trustUnityCatalog(credential.roleArn(), credential.externalId());
    }
    ComponentConverger.Result retried = harness.converge(captured, null, false);
    assertThat(retried.refused()).isEmpty();
    assertThat(retried.counts().created()).isEqualTo(4);
    assertThat(dr().location("sales-landing").credentialName()).isEqualTo("lakehouse-rw");
  }
}
