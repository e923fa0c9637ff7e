package dev.failover.activities.components.unitycatalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.unitycatalog.StorageCredentialsComponent.StorageCredential;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.databricks.StorageAccessState;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.ChangeCounts;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage credentials captured from the demo primary and converged into DR by name. */
class StorageCredentialsComponentTest {
  @TempDir Path dir;
  private ComponentHarness<StorageCredential> harness;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new StorageCredentialsComponent());
    // Most tests here are about the credentials converge creates: no mappings.
    harness.storageCredentials = Runbook.StorageCredentials.NONE;
  }

  /** DR's credentials but the demo's twins, which were set up ahead of time. */
  private List<String> drCreated() {
    return dr().credentials().stream()
        .map(StorageAccessState.Credential::name)
        .filter(name -> !DemoWorkspace.DR_CREDENTIALS.containsValue(name))
        .toList();
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
  void convergeCreatesEachCredentialOnceWithItsRoleAndThenChangesNothing() {
    List<StorageCredential> captured = harness.capturePrimary();
    assertThat(captured)
        .extracting(StorageCredential::name)
        .containsExactly("lakehouse-ro", "lakehouse-rw", "mlflow-artifacts");

    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(3, 0, 0, 0));
    StorageAccessState.Credential ro = dr().credential("lakehouse-ro");
    assertThat(ro.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/uc-lakehouse-ro");
    assertThat(ro.readOnly()).isTrue();
    // Owned by the worker that created it until the ownership pass (OwnershipPass) after grants.
    assertThat(ro.owner()).isEqualTo("sre-automation@acme.example");
    assertThat(ro.comment()).isEqualTo("Read-only access for partner feeds");
    assertThat(dr().credential("mlflow-artifacts").comment()).isNull();

    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(0, 0, 3, 0));
    assertThat(drMutations()).isZero();
  }

  @Test
  void aChangedFieldIsUpdated() {
    List<StorageCredential> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    dr().updateCredential(
            "lakehouse-rw",
            new StorageAccessState.CredentialFields(null, "changed by hand", "auditors", true));

    ComponentConverger.Result result = harness.converge(captured, null, false);
    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 1, 2, 0));
    assertThat(result.differences()).containsExactly("lakehouse-rw differs in comment, read_only");
    StorageAccessState.Credential rw = dr().credential("lakehouse-rw");
    assertThat(rw.comment()).isEqualTo("Read and write the lakehouse bucket");
    assertThat(rw.owner()).as("left to the ownership pass").isEqualTo("auditors");
    assertThat(rw.readOnly()).isFalse();
  }

  @Test
  void everyPageIsReadAndConverged() {
    StorageAccessState primary = harness.cloud.simulator.workspace("primary").storageAccess();
    for (int i = 0; i < 70; i++) {
      primary.createCredential(
          String.format("team-%02d", i),
          new StorageAccessState.CredentialFields(
              "arn:aws:iam::123456789012:role/team-" + i, null, null, false));
    }
    List<StorageCredential> captured = harness.capturePrimary();
    assertThat(captured).hasSize(73);
    assertThat(harness.converge(captured, null, false).counts().created()).isEqualTo(73);
    assertThat(drCreated()).hasSize(73);
  }

  @Test
  void aCredentialCreatedByAnotherAttemptMeanwhileIsNotDuplicated() {
    List<StorageCredential> captured = harness.capturePrimary();
    dr().createCredential(
            "lakehouse-rw",
            new StorageAccessState.CredentialFields(
                "arn:aws:iam::123456789012:role/uc-lakehouse-rw", null, null, false));
    ComponentConverger.Result result = BlindComponent.converge(harness, captured);

    assertThat(result.counts().created()).isEqualTo(3);
    assertThat(drCreated()).hasSize(3);
    StorageAccessState.Credential rw = dr().credential("lakehouse-rw");
    assertThat(rw.owner())
        .as("the creator's until the ownership pass")
        .isEqualTo("sre-automation@acme.example");
    assertThat(rw.comment()).isEqualTo("Read and write the lakehouse bucket");
  }

  @Test
  void drillCleanUpRemovesExactlyWhatTheDrillCreated() {
    dr().createCredential(
            "mlflow-artifacts",
            new StorageAccessState.CredentialFields(
                "arn:aws:iam::123456789012:role/uc-mlflow-artifacts", null, "ml-platform", false));
    List<StorageCredential> captured = harness.capturePrimary();

    assertThat(harness.converge(captured, "drill-1", false).counts().created()).isEqualTo(2);
    assertThat(harness.ledger.created("storage-credentials"))
        .containsExactly("lakehouse-ro", "lakehouse-rw");
    assertThat(harness.removeCreated("drill-1")).isEqualTo(new ChangeCounts(0, 0, 0, 2));
    assertThat(drCreated()).containsExactly("mlflow-artifacts");
  }

  @Test
  void aDryRunCountsAndWritesNothing() {
    List<StorageCredential> captured = harness.capturePrimary();
    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result result = harness.converge(captured, null, true);
    assertThat(result.counts()).isEqualTo(new ChangeCounts(3, 0, 0, 0));
    assertThat(result.differences()).contains("lakehouse-rw is missing");
    assertThat(drMutations()).isZero();
    assertThat(drCreated()).isEmpty();
  }

  @Test
  void aCreatedCredentialIsReportedWithTheExternalIdItsRoleMustTrust() {
    ComponentConverger.Result result = harness.converge(harness.capturePrimary(), null, false);
    String externalId = dr().credential("lakehouse-rw").externalId();
    assertThat(externalId)
        .as("a credential of its own")
        .isNotEqualTo(
            harness
                .cloud
                .simulator
                .workspace("primary")
                .storageAccess()
                .credential("lakehouse-rw")
                .externalId());
    assertThat(result.differences())
        .contains(
            "lakehouse-rw created: add external id "
                + externalId
                + " to the trust policy of IAM role arn:aws:iam::123456789012:role/uc-lakehouse-rw"
                + " (sts:ExternalId) before external locations can use it");
  }

  @Test
  void aMappedCredentialIsVerifiedAndNeverCreatedOrChanged() {
    harness.storageCredentials = SimulatedCloud.STORAGE_CREDENTIALS;
    List<StorageCredential> captured = harness.capturePrimary();
    harness.cloud.simulator.requests().clear();

    assertThat(harness.converge(captured, "drill-1", false).counts())
        .isEqualTo(new ChangeCounts(0, 0, 3, 0));
    assertThat(drMutations()).isZero();
    assertThat(drCreated()).isEmpty();
    assertThat(dr().credential("lakehouse-rw-dr").comment())
        .as("the twin is the operator's, not converged onto the primary's")
        .isEqualTo("DR twin of lakehouse-rw, trusted ahead of time");
    assertThat(harness.ledger.created("storage-credentials")).isEmpty();
  }

  @Test
  void aMappedCredentialMissingInDrFailsBeforeAnythingIsCreated() {
    harness.storageCredentials =
        new Runbook.StorageCredentials(Map.of("lakehouse-rw", "lakehouse-rw-standby"));
    List<StorageCredential> captured = harness.capturePrimary();
    harness.cloud.simulator.requests().clear();

    assertThatThrownBy(() -> harness.converge(captured, "drill-1", false))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("storageCredentials.map names lakehouse-rw-standby, missing in");
    assertThat(drMutations()).isZero();
    assertThat(harness.ledger.created("storage-credentials")).isEmpty();
  }
}
