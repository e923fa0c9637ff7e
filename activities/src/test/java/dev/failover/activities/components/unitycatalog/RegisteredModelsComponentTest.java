package dev.failover.activities.components.unitycatalog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.components.Component.Securable;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.unitycatalog.RegisteredModelsComponent.RegisteredModel;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.Faults;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.databricks.ManagedStorage;
import dev.failover.simulator.databricks.ModelsState;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.steps.ChangeCounts;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registered models converged into DR with their ready versions, registered from the replicated
 * artifacts, in the catalogs and schemas converge has created before them.
 */
class RegisteredModelsComponentTest {
  private static final String CHURN = "sales.gold.churn_classifier";
  private static final String FRAUD = "finance.reporting.fraud_detector";

  @TempDir Path dir;
  private ComponentHarness<RegisteredModel> harness;
  private WorkspaceState primary;
  private WorkspaceState secondary;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new RegisteredModelsComponent());
    primary = harness.cloud.simulator.workspace("primary");
    secondary = harness.cloud.simulator.workspace("secondary");
    // What the catalogs and schemas converge leaves in DR: the captured roots, rewritten.
    secondary.createCatalog("sales", null, Map.of(), "s3://acme-lakehouse-usw2/uc/sales");
    secondary.createSchema(
        "sales", "gold", null, Map.of(), "s3://acme-lakehouse-usw2/uc/sales/gold");
    secondary.createCatalog("finance", null, Map.of(), "s3://acme-lakehouse-usw2/uc/finance");
    secondary.createSchema("finance", "reporting", null, Map.of(), null);
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private ModelsState dr() {
    return secondary.models();
  }

  private int drMutations() {
    return harness.cloud.simulator.requests().mutating("databricks", "secondary").size();
  }

  private static final String PRIMARY_BUCKET = "acme-lakehouse-use1";
  private static final String REPLICA_BUCKET = "acme-lakehouse-usw2";

  /** An MLflow model's file under a prefix of the primary bucket, replicated to the replica. */
  private void artifact(String prefix) {
    S3State s3 = harness.cloud.simulator.s3();
    s3.putObject(PRIMARY_BUCKET, prefix + "/MLmodel", ("flavors: " + prefix).getBytes(UTF_8));
    s3.pendingReplications(PRIMARY_BUCKET);
  }

  /** The objects under a version's storage location, by path relative to it. */
  private Map<String, byte[]> stored(ModelsState.Version version) {
    String prefix = version.storageLocation().substring(("s3://" + REPLICA_BUCKET + "/").length());
    S3State s3 = harness.cloud.simulator.s3();
    Map<String, byte[]> files = new TreeMap<>();
    for (String key : s3.objectKeys(REPLICA_BUCKET)) {
      if (key.startsWith(prefix + "/")) {
        files.put(key.substring(prefix.length() + 1), s3.getObject(REPLICA_BUCKET, key).content());
      }
    }
    return files;
  }

  private void assertHoldsTheDemoFiles(String model, long version) {
    Map<String, byte[]> want = new TreeMap<>(DemoWorkspace.modelFiles(model, (int) version));
    Map<String, byte[]> have = stored(dr().version(model, version));
    assertThat(have.keySet()).as(model + " v" + version).isEqualTo(want.keySet());
    want.forEach(
        (path, content) ->
            assertThat(have.get(path)).as(model + " v" + version + " " + path).isEqualTo(content));
  }

  @Test
  void convergeRegistersEachModelAndVersionOnceFromTheReplicaAndThenChangesNothing() {
    List<RegisteredModel> captured = harness.capturePrimary();
    assertThat(captured).extracting(RegisteredModel::fullName).containsExactly(FRAUD, CHURN);
    assertThat(harness.component.securables(captured.get(1)))
        .containsExactly(new Securable("function", CHURN));

    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(2, 0, 0, 0));
    ModelsState.Model churn = dr().model(CHURN);
    // Converge leaves the worker its owner, which registered the versions; the ownership pass of
    // the grants step gives the captured one.
    assertThat(churn.owner()).isEqualTo(secondary.userName());
    assertThat(giveOwners(captured)).isEqualTo(new ChangeCounts(0, 2, 0, 0));
    assertThat(dr().model(CHURN).owner()).isEqualTo("ml-platform");
    assertThat(churn.comment()).isEqualTo("Predicts customer churn");
    assertThat(churn.storageLocation())
        .startsWith("s3://acme-lakehouse-usw2/uc/sales/gold/__unitystorage/schemas/");
    List<ModelsState.Version> versions = dr().versions(CHURN);
    List<ModelsState.Version> originals = primary.models().versions(CHURN);
    assertThat(versions).extracting(ModelsState.Version::version).containsExactly(1L, 2L, 3L);
    for (int i = 0; i < 3; i++) {
      ModelsState.Version copy = versions.get(i);
      ModelsState.Version original = originals.get(i);
      assertThat(copy.status()).isEqualTo(ModelsState.Status.READY);
      assertThat(copy.runId()).isEqualTo(original.runId());
      assertThat(copy.comment()).isEqualTo(original.comment());
      assertThat(copy.source())
          .isEqualTo(
              original.source().replace("s3://acme-lakehouse-use1/", "s3://acme-lakehouse-usw2/"));
      assertThat(copy.storageLocation()).startsWith(churn.storageLocation() + "/versions/");
    }
    assertThat(dr().versions(FRAUD)).hasSize(2);

    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(captured, null, false).counts())
        .isEqualTo(new ChangeCounts(0, 0, 2, 0));
    assertThat(drMutations()).isZero();
  }

  @Test
  void convergeCopiesEveryArtifactFileOfEveryVersionIntoItsStorageLocationOnce() {
    List<RegisteredModel> captured = harness.capturePrimary();
    ComponentConverger.Result result = harness.converge(captured, null, false);

    for (long v = 1; v <= 3; v++) {
      assertHoldsTheDemoFiles(CHURN, v);
    }
    for (long v = 1; v <= 2; v++) {
      assertHoldsTheDemoFiles(FRAUD, v);
    }
    assertThat(result.differences())
        .contains(
            CHURN
                + " version 2: copied 5 file(s), "
                + String.format(
                    java.util.Locale.ROOT,
                    "%,d",
                    DemoWorkspace.modelFiles(CHURN, 2).values().stream()
                        .mapToLong(b -> b.length)
                        .sum())
                + " bytes from s3://acme-lakehouse-usw2/mlflow-artifacts/4242/"
                + primary.models().version(CHURN, 2).runId()
                + "/artifacts/model/ into its storage location "
                + dr().version(CHURN, 2).storageLocation()
                + "/");

    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result again = harness.converge(captured, null, false);
    assertThat(again.counts()).isEqualTo(new ChangeCounts(0, 0, 2, 0));
    assertThat(drMutations()).isZero();
    assertThat(harness.cloud.simulator.requests().mutating("s3", "secondary")).isEmpty();
    assertThat(harness.cloud.simulator.requests().mutating("s3", "primary")).isEmpty();
  }

  @Test
  void aFileUploadWhoseFirstAttemptFailsIsSentAgainInFullByTheSdksRetry() {
    // The first upload into a version's storage location is answered 500 after its body was read:
    // the S3Client retries it, and only a body it can open again lets the retry send the file.
    String storage = "/" + REPLICA_BUCKET + "/uc/";
    harness.cloud.simulator.faults().failNext("s3", "PUT", storage, 1, Faults.Kind.SERVER_ERROR);

    harness.converge(harness.capturePrimary(), null, false);

    for (long v = 1; v <= 3; v++) {
      assertHoldsTheDemoFiles(CHURN, v);
    }
    for (long v = 1; v <= 2; v++) {
      assertHoldsTheDemoFiles(FRAUD, v);
    }
    List<RecordedRequest> uploads =
        harness.cloud.simulator.requests().mutating("s3", "secondary").stream()
            .filter(r -> r.method().equals("PUT") && r.path().startsWith(storage))
            .toList();
    // Models converge a few at a time, so the other model's uploads may come in between.
    List<RecordedRequest> failed = uploads.stream().filter(r -> r.status() == 500).toList();
    assertThat(failed).hasSize(1);
    assertThat(uploads)
        .filteredOn(r -> r.path().equals(failed.get(0).path()))
        .extracting(RecordedRequest::status)
        .containsExactly(500, 200);
  }

  @Test
  void aRegistrationWhoseAnswerIsLostIsNotRegisteredTwice() throws Exception {
    List<RegisteredModel> captured = harness.capturePrimary();
    // The first registration is answered only after the client gave up on it (5 s), and takes
    // effect 3 s later, well after the worker's first retry backoff (a quarter of a second).
    ComponentConverger.Result result;
    try (var lost =
        dev.failover.activities.LostAnswer.once(
            harness.cloud.simulator,
            "databricks",
            "/api/2.0/mlflow/unity-catalog/model-versions/create",
            3_000)) {
      result =
          new ComponentConverger<>(
                  harness.component,
                  harness.context(
                      dev.failover.activities.SimulatedCloud.secondary(),
                      null,
                      new dev.failover.activities.errors.CallRetry(
                          4,
                          java.time.Duration.ofMillis(250),
                          java.time.Duration.ofSeconds(5),
                          d -> Thread.sleep(d.toMillis()))),
                  done -> {})
              .converge(captured, null, false);
      assertThat(lost.lost()).isEqualTo(1);
      lost.awaitLanded();
    }

    assertThat(result.counts().created()).isEqualTo(2);
    assertThat(dr().versions(FRAUD))
        .extracting(ModelsState.Version::version)
        .containsExactly(1L, 2L);
    assertThat(dr().versions(CHURN))
        .extracting(ModelsState.Version::version)
        .containsExactly(1L, 2L, 3L);
    assertThat(dr().versions(FRAUD)).allMatch(v -> v.status() == ModelsState.Status.READY);
    assertThat(dr().versions(CHURN)).allMatch(v -> v.status() == ModelsState.Status.READY);
  }

  @Test
  void aVersionLeftPendingByACrashGetsItsFilesAndIsFinalized() {
    List<RegisteredModel> captured = harness.capturePrimary();
    // A converge that stopped after registering version 1 of the churn model in DR, mid-copy.
    dr().createModel("sales", "gold", "churn_classifier", "Predicts customer churn");
    ModelsState.Version pending =
        dr().createVersion(
                CHURN,
                primary
                    .models()
                    .version(CHURN, 1)
                    .source()
                    .replace("s3://" + PRIMARY_BUCKET + "/", "s3://" + REPLICA_BUCKET + "/"),
                primary.models().version(CHURN, 1).runId(),
                "Trained on the v1 feature set");
    String partial =
        pending.storageLocation().substring(("s3://" + REPLICA_BUCKET + "/").length()) + "/MLmodel";
    harness.cloud.simulator.s3().putObject(REPLICA_BUCKET, partial, new byte[] {1, 2});

    ComponentConverger.Result result = harness.converge(captured, null, false);
    assertThat(result.differences())
        .contains(CHURN + " differs in version 1 status, version 2, version 3");
    assertThat(dr().versions(CHURN))
        .extracting(ModelsState.Version::version, ModelsState.Version::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, ModelsState.Status.READY),
            org.assertj.core.groups.Tuple.tuple(2L, ModelsState.Status.READY),
            org.assertj.core.groups.Tuple.tuple(3L, ModelsState.Status.READY));
    for (long v = 1; v <= 3; v++) {
      assertHoldsTheDemoFiles(CHURN, v);
    }
  }

  @Test
  void theTemporaryCredentialsNeverAppearInWhatConvergeReturns() {
    List<ManagedStorage.Credentials> issued = new ArrayList<>();
    ManagedStorage storage = dr().storage();
    dr().useStorage(
            new ManagedStorage() {
              @Override
              public Credentials temporaryCredentials(String location, boolean write) {
                Credentials credentials = storage.temporaryCredentials(location, write);
                issued.add(credentials);
                return credentials;
              }

              @Override
              public void deleteAll(String location) {
                storage.deleteAll(location);
              }
            });
    List<RegisteredModel> captured = harness.capturePrimary();
    ComponentConverger.Result result = harness.converge(captured, null, false);
    ComponentConverger.Result check = harness.converge(captured, null, true);

    assertThat(issued).hasSize(5);
    String returned = result + " " + check + " " + result.differences() + " " + captured;
    for (ManagedStorage.Credentials credentials : issued) {
      assertThat(returned)
          .doesNotContain(credentials.secretAccessKey())
          .doesNotContain(credentials.sessionToken());
    }
  }

  @Test
  void theCheckFindsAReadyDrVersionWithoutItsFilesAndConvergeStopsOnIt() {
    List<RegisteredModel> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    giveOwners(captured);
    String location = dr().version(FRAUD, 2).storageLocation();
    String model = location.substring(("s3://" + REPLICA_BUCKET + "/").length()) + "/model.pkl";
    harness.cloud.simulator.s3().deleteObject(REPLICA_BUCKET, model, null);

    ComponentConverger.Result check = harness.converge(captured, null, true);
    assertThat(check.counts()).isEqualTo(new ChangeCounts(0, 1, 1, 0));
    assertThat(check.differences())
        .singleElement()
        .asString()
        .startsWith(FRAUD + " differs in version 2 files (DR holds 4 file(s), ")
        .contains("the source 5 file(s), ");
    assertThatThrownBy(() -> harness.converge(captured, null, false))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("its version 2 in DR is READY but its storage location holds");
  }

  @Test
  void aSourceWhoseReplicaHoldsNoFilesStopsConvergeBeforeRegisteringTheVersion() {
    harness.converge(harness.capturePrimary(), null, false);
    ModelsState.Version v3 =
        primary.models().createVersion(FRAUD, "s3://acme-lakehouse-use1/m/3", "r3", null);
    primary.models().finalizeVersion(FRAUD, v3.version());

    assertThatThrownBy(() -> harness.converge(harness.capturePrimary(), null, false))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("s3://acme-lakehouse-usw2/m/3 holds no files");
    assertThat(dr().versions(FRAUD)).hasSize(2);
  }

  @Test
  void drillCleanUpDeletesTheCopiedFilesWithTheModel() {
    List<RegisteredModel> captured = harness.capturePrimary();
    harness.converge(captured, "drill-1", false);
    List<ModelsState.Version> versions = new ArrayList<>(dr().versions(CHURN));
    versions.addAll(dr().versions(FRAUD));
    assertThat(versions).allSatisfy(v -> assertThat(stored(v)).isNotEmpty());

    harness.removeCreated("drill-1");
    assertThat(versions).allSatisfy(v -> assertThat(stored(v)).isEmpty());
  }

  @Test
  void changedCommentsAreUpdated() {
    List<RegisteredModel> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    dr().updateModel(FRAUD, "edited in DR", null);
    dr().updateVersion(FRAUD, 2, "edited too");

    ComponentConverger.Result result = harness.converge(captured, null, false);
    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 1, 1, 0));
    assertThat(result.differences())
        .containsExactly(FRAUD + " differs in comment, version 2 comment");
    assertThat(dr().model(FRAUD).comment()).isEqualTo("Flags suspicious ledger entries");
    assertThat(dr().version(FRAUD, 2).comment()).isEqualTo("Trained on the v2 feature set");
  }

  @Test
  void aVersionLeftRegisteringIsFinalizedAndANewOneIsAdded() {
    harness.converge(harness.capturePrimary(), null, false);
    artifact("m/3");
    artifact("m/4");
    ModelsState.Version v3 =
        primary.models().createVersion(FRAUD, "s3://acme-lakehouse-use1/m/3", "r3", null);
    primary.models().finalizeVersion(FRAUD, v3.version());
    ModelsState.Version v4 =
        primary.models().createVersion(FRAUD, "s3://acme-lakehouse-use1/m/4", "r4", null);
    primary.models().finalizeVersion(FRAUD, v4.version());
    // A converge that stopped after registering version 3 in DR, before finalizing it.
    dr().createVersion(FRAUD, "s3://acme-lakehouse-usw2/m/3", "r3", null);

    ComponentConverger.Result result = harness.converge(harness.capturePrimary(), null, false);
    assertThat(result.differences())
        .containsExactly(
            FRAUD + " differs in version 3 status, version 4",
            FRAUD
                + " version 3: copied 1 file(s), 12 bytes from s3://acme-lakehouse-usw2/m/3/ into"
                + " its storage location "
                + dr().version(FRAUD, 3).storageLocation()
                + "/",
            FRAUD
                + " version 4: copied 1 file(s), 12 bytes from s3://acme-lakehouse-usw2/m/4/ into"
                + " its storage location "
                + dr().version(FRAUD, 4).storageLocation()
                + "/");
    assertThat(dr().versions(FRAUD))
        .extracting(ModelsState.Version::version, ModelsState.Version::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, ModelsState.Status.READY),
            org.assertj.core.groups.Tuple.tuple(2L, ModelsState.Status.READY),
            org.assertj.core.groups.Tuple.tuple(3L, ModelsState.Status.READY),
            org.assertj.core.groups.Tuple.tuple(4L, ModelsState.Status.READY));
  }

  @Test
  void everyPageOfModelsIsReadAndConverged() {
    for (int i = 0; i < 60; i++) {
      artifact("m/" + i);
      ModelsState.Model model = primary.models().createModel("sales", "gold", "m" + i, null);
      primary
          .models()
          .createVersion(model.fullName(), "s3://acme-lakehouse-use1/m/" + i, null, null);
      primary.models().finalizeVersion(model.fullName(), 1);
    }
    List<RegisteredModel> captured = harness.capturePrimary();
    assertThat(captured).hasSize(62);
    assertThat(harness.converge(captured, null, false).counts().created()).isEqualTo(62);
    assertThat(dr().version("sales.gold.m59", 1).source())
        .isEqualTo("s3://acme-lakehouse-usw2/m/59");
  }

  @Test
  void aModelCreatedByAnotherAttemptMeanwhileIsNotDuplicated() {
    List<RegisteredModel> captured = harness.capturePrimary();
    dr().createModel("sales", "gold", "churn_classifier", "Predicts customer churn");

    assertThat(BlindComponent.converge(harness, captured).counts().created()).isEqualTo(2);
    assertThat(dr().models(null, null)).hasSize(2);
    assertThat(dr().versions(CHURN)).hasSize(3);
    giveOwners(captured);
    assertThat(dr().model(CHURN).owner()).isEqualTo("ml-platform");
  }

  @Test
  void aModelAlreadyGivenToItsOwnerWithAVersionMissingStopsConvergeSayingWhatToDo() {
    List<RegisteredModel> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    giveOwners(captured);
    // A new version on the primary since: only the model's owner may register it in DR.
    artifact("m/3");
    ModelsState.Version v3 =
        primary.models().createVersion(CHURN, "s3://acme-lakehouse-use1/m/3", "r3", null);
    primary.models().finalizeVersion(CHURN, v3.version());
    harness.cloud.simulator.requests().clear();

    assertThatThrownBy(() -> harness.converge(harness.capturePrimary(), null, false))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining(
            "registered model "
                + CHURN
                + " in https://dbc-acme-dr.cloud.databricks.com is owned by ml-platform, and Unity"
                + " Catalog lets only a model's owner register its versions: version(s) [4]")
        .hasMessageContaining("make the worker's principal the model's owner")
        .hasMessageContaining(
            "then retry the step: the grants step's ownership pass gives the model back to"
                + " ml-platform")
        .satisfies(
            e ->
                assertThat(((ApplicationFailure) e).getType())
                    .isEqualTo(dev.failover.workflows.steps.FailureTypes.NOT_READY));
    assertThat(dr().versions(CHURN)).hasSize(3);
    assertThat(drMutations()).isZero();

    // Once a person gives the worker the model, the retry registers it; the pass gives it back.
    dr().updateModel(CHURN, null, secondary.userName());
    harness.converge(harness.capturePrimary(), null, false);
    assertThat(dr().versions(CHURN)).hasSize(4);
    giveOwners(harness.capturePrimary());
    assertThat(dr().model(CHURN).owner()).isEqualTo("ml-platform");
  }

  /** The grants step's ownership pass over these models, into DR. */
  private ChangeCounts giveOwners(List<RegisteredModel> captured) {
    return OwnershipPass.tablesAndModels(
            List.of(),
            captured,
            harness.context(dev.failover.activities.SimulatedCloud.secondary(), null),
            n -> {})
        .counts();
  }

  @Test
  void drillCleanUpDeletesOnlyTheModelsTheDrillCreated() {
    dr().createModel("finance", "reporting", "fraud_detector", "Flags suspicious ledger entries");
    List<RegisteredModel> captured = harness.capturePrimary();

    harness.converge(captured, "drill-1", false);
    assertThat(harness.ledger.created("models")).containsExactly(CHURN);
    assertThat(harness.removeCreated("drill-1")).isEqualTo(new ChangeCounts(0, 0, 0, 1));
    assertThat(dr().models(null, null))
        .extracting(ModelsState.Model::fullName)
        .containsExactly(FRAUD);
  }

  @Test
  void aModelWhoseVersionNumbersHaveGapsIsSkippedWithTheReason() {
    primary.models().createVersion(FRAUD, "s3://acme-lakehouse-use1/m/3", null, null);
    primary.models().finalizeVersion(FRAUD, 3);
    primary.models().deleteVersion(FRAUD, 2);

    ComponentConverger.Result result = harness.converge(harness.capturePrimary(), null, false);
    assertThat(result.counts().created()).isEqualTo(1);
    assertThat(result.skipped())
        .singleElement()
        .asString()
        .startsWith(FRAUD + ": its ready versions are [1, 3], not 1..2");
    assertThatThrownBy(() -> dr().model(FRAUD)).hasMessageContaining("does not exist");
  }

  @Test
  void aDrModelThatLostVersionsStopsConvergeInsteadOfRenumbering() {
    dr().createModel("sales", "gold", "churn_classifier", "Predicts customer churn");
    dr().createVersion(CHURN, "s3://elsewhere/1", null, null);
    dr().deleteVersion(CHURN, 1);

    List<RegisteredModel> captured = harness.capturePrimary();
    assertThatThrownBy(() -> harness.converge(captured, null, false))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("registered the replica of version 1 as version 2");
  }

  @Test
  void aDryRunCountsAndWritesNothing() {
    List<RegisteredModel> captured = harness.capturePrimary();
    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(captured, null, true).counts())
        .isEqualTo(new ChangeCounts(2, 0, 0, 0));
    assertThat(drMutations()).isZero();
    assertThat(dr().models(null, null)).isEmpty();
  }
}
