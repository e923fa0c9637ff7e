package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.errors.CallRetry;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.storage.Buckets;
import dev.failover.activities.storage.CatchUpCopy;
import dev.failover.activities.storage.ObjectTransfer;
import dev.failover.activities.storage.ReplicaPromotion;
import dev.failover.activities.storage.ReplicationMeter;
import dev.failover.simulator.DeltaTableWriter;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.Faults;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.s3.KmsKeys;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.StorageRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The failback's catch-up copy against the simulated S3 through the real {@code S3Client}: what an
 * object carries (SSE-KMS key, tags, metadata) is kept, objects above the single-request limit go
 * in parts, an upload survives a failed first attempt, and a key both sides wrote since the
 * failover point is refused rather than overwritten.
 */
class CatchUpCopyTest {
  private static final String PRIMARY = DemoWorkspace.PRIMARY_BUCKET;
  private static final String REPLICA = DemoWorkspace.REPLICA_BUCKET;
  private static final BucketPairTarget PAIR =
      new BucketPairTarget(
          "lakehouse",
          SimulatedCloud.primaryBucket(),
          SimulatedCloud.replicaBucket(),
          "arn:aws:iam::123456789012:role/s3-replication-dr",
          "acme-lakehouse");
  private static final StorageRequest REQUEST =
      new StorageRequest(
          PAIR,
          60,
          24,
          SimulatedCloud.replicaBucket(),
          "failover/acme-lakehouse/replication/lakehouse.json",
          "run-1",
          60);
  private static final String WEST_MRK =
      "arn:aws:kms:us-west-2:123456789012:key/mrk-0123456789abcdef0123456789abcdef";
  private static final String EAST_MRK =
      "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef";
  private static final String WEST_SINGLE_REGION =
      "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private S3State s3;
  private Buckets buckets;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    s3 = cloud.simulator.s3();
    buckets =
        new Buckets(
            cloud.clients, new CallRetry(3, Duration.ofMillis(10), Duration.ofMillis(50), d -> {}));
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private ReplicaPromotion promotion() {
    return new ReplicaPromotion(
        buckets,
        new ReplicationMeter(buckets, Clock.systemUTC(), n -> {}),
        Clock.systemUTC(),
        d -> {});
  }

  private void failback(ObjectTransfer.Limits limits) {
    promotion().restore(REQUEST, new CatchUpCopy(buckets, n -> {}, Map::of, limits));
  }

  private S3Client dr() {
    return cloud.clients.s3(SimulatedCloud.replicaBucket());
  }

  @Test
  void anSseKmsObjectWrittenInDrComesBackUnderTheKeysPrimaryRegionReplicaWithItsTags() {
    promotion().promote(REQUEST);
    // The reverse rule does not opt in to SSE-KMS objects, so S3 does not replicate this one.
    dr().putObject(
            put ->
                put.bucket(REPLICA)
                    .key("uc/sales/bronze/orders/part-dr-kms.parquet")
                    .contentType("application/vnd.apache.parquet")
                    .metadata(Map.of("writer", "dr-job-42"))
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(WEST_MRK)
                    .tagging("classification=confidential&owner=sales"),
            RequestBody.fromString("parquet bytes"));
    assertThat(s3.replicationStatus(REPLICA, "uc/sales/bronze/orders/part-dr-kms.parquet"))
        .isNull();

    failback(ObjectTransfer.Limits.S3);

    S3State.ObjectVersion copy =
        s3.getObject(PRIMARY, "uc/sales/bronze/orders/part-dr-kms.parquet");
    assertThat(new String(copy.content(), StandardCharsets.UTF_8)).isEqualTo("parquet bytes");
    assertThat(copy.encryption()).isEqualTo(S3State.Encryption.kms(EAST_MRK));
    assertThat(copy.tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("classification", "confidential", "owner", "sales"));
    assertThat(copy.metadata()).containsEntry("writer", "dr-job-42");
    assertThat(copy.contentType()).isEqualTo("application/vnd.apache.parquet");
    assertThat(s3.tagsOrEmpty(PRIMARY)).containsEntry("failover:role", "active");
  }

  @Test
  void anObjectUnderASingleRegionKeyOfDrStopsTheCopyBeforeAnythingIsCopied() {
    promotion().promote(REQUEST);
    s3.deleteReplication(REPLICA);
    dr().putObject(put -> put.bucket(REPLICA).key("uc/plain.json"), RequestBody.fromString("{}"));
    dr().putObject(
            put ->
                put.bucket(REPLICA)
                    .key("uc/secret.json")
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(WEST_SINGLE_REGION),
            RequestBody.fromString("{}"));

    assertThatThrownBy(() -> failback(ObjectTransfer.Limits.S3))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_READY);
              assertThat(failure.getOriginalMessage())
                  .contains("uc/secret.json (" + WEST_SINGLE_REGION + ")")
                  .contains("us-east-1")
                  .contains("nothing was copied");
            });
    assertThat(s3.objectKeys(PRIMARY)).doesNotContain("uc/plain.json", "uc/secret.json");
  }

  @Test
  void anObjectUnderTheAwsManagedKeyComesBackUnderThePrimaryRegionsAwsManagedKey() {
    promotion().promote(REQUEST);
    // aws:kms without a key id: S3 uses, and reports by its key ARN, DR's AWS managed key aws/s3.
    String reported =
        dr().putObject(
                put ->
                    put.bucket(REPLICA)
                        .key("uc/sales/bronze/orders/part-dr-default-kms.parquet")
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("parquet bytes"))
            .ssekmsKeyId();
    assertThat(reported).isEqualTo(KmsKeys.awsManagedKey("us-west-2")).doesNotContain("alias/");

    failback(ObjectTransfer.Limits.S3);

    S3State.ObjectVersion copy =
        s3.getObject(PRIMARY, "uc/sales/bronze/orders/part-dr-default-kms.parquet");
    assertThat(new String(copy.content(), StandardCharsets.UTF_8)).isEqualTo("parquet bytes");
    assertThat(copy.encryption())
        .isEqualTo(S3State.Encryption.kms(KmsKeys.awsManagedKey("us-east-1")));
    assertThat(KmsKeys.awsManagedKey("us-east-1")).isNotEqualTo(reported);
  }

  @Test
  void anObjectAboveTheSingleRequestLimitIsCopiedInPartsOnceEvenWhenTheCompletionsAnswerIsLost() {
    s3.lowerSingleRequestLimitForTests(6L * MIB);
    promotion().promote(REQUEST);
    s3.deleteReplication(REPLICA);
    byte[] big = new byte[12 * MIB + 17];
    for (int i = 0; i < big.length; i += 4096) {
      big[i] = (byte) (i / 4096);
    }
    s3.putObject(
        REPLICA,
        "uc/sales/bronze/orders/part-big.parquet",
        big,
        null,
        null,
        Map.of(),
        null,
        null,
        null,
        Map.of("size", "large"));
    ObjectTransfer.Limits lowered = new ObjectTransfer.Limits(6L * MIB, 5L * MIB);
    // The upload is completed, but the answer is lost: the retried Complete finds it gone.
    String complete = "/" + PRIMARY + "/uc/sales/bronze/orders/part-big.parquet?uploadId=";
    cloud.simulator.faults().failNext("s3", "POST", complete, 1, Faults.Kind.ANSWER_LOST);

    failback(lowered);

    S3State.ObjectVersion copy = s3.getObject(PRIMARY, "uc/sales/bronze/orders/part-big.parquet");
    assertThat(copy.content()).isEqualTo(big);
    assertThat(copy.etag()).endsWith("-3");
    assertThat(copy.tags()).containsEntry("size", "large");
    assertThat(
            cloud.simulator.requests().mutating("s3", "primary").stream()
                .filter(r -> r.path().endsWith("part-big.parquet") && r.method().equals("PUT")))
        .hasSize(3);
    assertThat(
            cloud.simulator.requests().mutating("s3", "primary").stream()
                .filter(r -> r.path().endsWith("part-big.parquet") && r.method().equals("POST"))
                .map(RecordedRequest::status))
        .containsExactly(200, 200, 404);

    // A retried catch-up (after a lost answer, say) finds the copy and copies nothing again.
    cloud.simulator.requests().clear();
    new CatchUpCopy(buckets, n -> {}, Map::of, lowered)
        .copyMissing(PAIR, null, new java.util.ArrayList<>());
    assertThat(cloud.simulator.requests().mutating("s3", "primary")).isEmpty();
  }

  @Test
  void aCopyWhoseFirstUploadAttemptFailsIsSentAgainInFull() {
    promotion().promote(REQUEST);
    s3.deleteReplication(REPLICA);
    byte[] body = new byte[300 * 1024];
    body[body.length - 1] = 7;
    s3.putObject(REPLICA, "uc/sales/bronze/orders/part-retried.parquet", body);
    String path = "/" + PRIMARY + "/uc/sales/bronze/orders/part-retried.parquet";
    cloud.simulator.faults().failNext("s3", "PUT", path, 1, Faults.Kind.SERVER_ERROR);

    failback(ObjectTransfer.Limits.S3);

    assertThat(s3.getObject(PRIMARY, "uc/sales/bronze/orders/part-retried.parquet").content())
        .isEqualTo(body);
    assertThat(
            cloud.simulator.requests().mutating("s3", "primary").stream()
                .filter(r -> r.path().equals(path))
                .map(RecordedRequest::status))
        .containsExactly(500, 200);
  }

  @Test
  void
      aDeltaCommitBothSidesWroteSinceTheFailoverIsRefusedNamingTheTableAndThePrimarysVersionKept() {
    String table = DemoWorkspace.DELTA_TABLES.get("sales.bronze.orders");
    TestActivityEnvironment env = ActivityEnvironments.withHeartbeats();
    try {
      SnapshotStore snapshots = new SnapshotStore(cloud.clients);
      env.registerActivitiesImplementations(
          new StorageActivitiesImpl(cloud.clients, snapshots, Clock.systemUTC()),
          new CaptureActivitiesImpl(cloud.clients, snapshots));
      ActivityOptions options =
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(2))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
              .build();
      StorageActivities storage = env.newActivityStub(StorageActivities.class, options);
      env.newActivityStub(CaptureActivities.class, options)
          .captureControlPlane(
              SimulatedCloud.primary(),
              List.of(),
              SimulatedCloud.replicaBucket(),
              "failover/acme-lakehouse/snapshots/run-1.json.gz");
      storage.promoteReplica(REQUEST);
      s3.deleteReplication(REPLICA);
      // A job the fence missed commits version 3 in the primary; a job in DR commits its own 3.
      new DeltaTableWriter(s3, PRIMARY, table).append();
      new DeltaTableWriter(s3, REPLICA, table).append();
      String commit = table + "_delta_log/00000000000000000003.json";
      byte[] primarysCommit = s3.getObject(PRIMARY, commit).content();
      // A key DR alone wrote is no conflict.
      s3.putObject(REPLICA, "uc/sales/bronze/orders/dr-only.txt", new byte[] {1});

      assertThatThrownBy(() -> storage.restoreReplication(REQUEST))
          .satisfies(
              thrown -> {
                ApplicationFailure failure = ReadinessActivitiesTest.failureOf(thrown);
                assertThat(failure.getType()).isEqualTo(FailureTypes.DATA_AT_RISK);
                assertThat(failure.getOriginalMessage())
                    .contains(
                        "Delta table sales.bronze.orders at s3://"
                            + PRIMARY
                            + "/"
                            + table
                            + " [_delta_log/00000000000000000003.json")
                    .contains("Reconcile")
                    .doesNotContain("dr-only.txt");
              });
      assertThat(s3.getObject(PRIMARY, commit).content()).isEqualTo(primarysCommit);
      assertThat(s3.objectKeys(PRIMARY)).doesNotContain("uc/sales/bronze/orders/dr-only.txt");
      // Nothing swapped: DR stays active.
      assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "active");
    } finally {
      env.close();
    }
  }

  @Test
  void aConflictIsRefusedAlsoWhenTheReverseRuleAlreadyCarriedDrsVersionOver() {
    String table = DemoWorkspace.DELTA_TABLES.get("sales.bronze.orders");
    promotion().promote(REQUEST);
    new DeltaTableWriter(s3, PRIMARY, table).append();
    // DR's commit 3 replicates to the primary as a newer version of the same key.
    new DeltaTableWriter(s3, REPLICA, table).append();
    String commit = table + "_delta_log/00000000000000000003.json";
    assertThat(s3.replicationStatus(REPLICA, commit)).isEqualTo("COMPLETED");

    assertThatThrownBy(() -> failback(ObjectTransfer.Limits.S3))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(FailureTypes.DATA_AT_RISK);
              assertThat(failure.getOriginalMessage())
                  .contains("Delta table at s3://" + PRIMARY + "/" + table)
                  .contains("_delta_log/00000000000000000003.json");
            });
  }

  @Test
  void keysThePrimaryWroteBeforeTheFailoverAndDrAfterAreCopiedBack() {
    String table = DemoWorkspace.DELTA_TABLES.get("sales.bronze.orders");
    promotion().promote(REQUEST);
    s3.deleteReplication(REPLICA);
    new DeltaTableWriter(s3, REPLICA, table).append();

    failback(ObjectTransfer.Limits.S3);

    assertThat(s3.objectKeys(PRIMARY)).contains(table + "_delta_log/00000000000000000003.json");
    assertThat(s3.tagsOrEmpty(PRIMARY)).containsEntry("failover:role", "active");
  }
}
