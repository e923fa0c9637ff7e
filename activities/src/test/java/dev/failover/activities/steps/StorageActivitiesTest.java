package dev.failover.activities.steps;

import static dev.failover.activities.steps.ReadinessActivitiesTest.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.storage.DeltaLogCheck;
import dev.failover.simulator.DeltaTableWriter;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.s3.ReplicationConfiguration;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.DeltaCheckRequest;
import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.StorageChange;
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

/**
 * The data-plane steps against the simulated S3 through the real {@code S3Client}: replication
 * health, promotion at failover, restoration at failback, and the Delta consistency check.
 */
class StorageActivitiesTest {
  private static final String PRIMARY = DemoWorkspace.PRIMARY_BUCKET;
  private static final String REPLICA = DemoWorkspace.REPLICA_BUCKET;
  private static final BucketPairTarget PAIR =
      new BucketPairTarget(
          "lakehouse",
          SimulatedCloud.primaryBucket(),
          SimulatedCloud.replicaBucket(),
          "arn:aws:iam::123456789012:role/s3-replication-dr",
          "acme-lakehouse");
  private static final String STATE_KEY = "failover/acme-lakehouse/replication/lakehouse.json";

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private S3State s3;
  private TestActivityEnvironment env;
  private StorageActivities storage;
  private CaptureActivities capture;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    s3 = cloud.simulator.s3();
    env = ActivityEnvironments.withHeartbeats();
    SnapshotStore snapshots = new SnapshotStore(cloud.clients);
    env.registerActivitiesImplementations(
        new StorageActivitiesImpl(cloud.clients, snapshots, Clock.systemUTC()),
        new CaptureActivitiesImpl(cloud.clients, snapshots));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(2))
            .setHeartbeatTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    storage = env.newActivityStub(StorageActivities.class, options);
    capture = env.newActivityStub(CaptureActivities.class, options);
  }

  @AfterEach
  void stop() {
    env.close();
    cloud.close();
  }

  private static StorageRequest request(long drainSeconds) {
    return request(drainSeconds, 60);
  }

  private static StorageRequest request(long drainSeconds, long reversePathSeconds) {
    return new StorageRequest(
        PAIR,
        drainSeconds,
        24,
        SimulatedCloud.replicaBucket(),
        STATE_KEY,
        "run-1",
        reversePathSeconds);
  }

  /** Every version and delete marker under the runbook's canary prefix, in a bucket. */
  private List<String> canaryVersions(String bucket) {
    return s3.versionsOf(bucket, "failover/acme-lakehouse/canary/");
  }

  private List<RecordedRequest> mutatingS3(String side) {
    return cloud.simulator.requests().mutating("s3", side);
  }

  private ReplicationConfiguration.Rule rule(String bucket, String id) {
    return s3.replication(bucket).rules().stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void healthCountsPendingAndFailedVersionsAndChangesNothing() {
    s3.setReplicationLag(PRIMARY, Duration.ofHours(1));
    s3.putObject(PRIMARY, "uc/sales/bronze/orders/part-late.parquet", new byte[] {1});
    cloud.simulator.requests().clear();

    ReplicationHealth health = storage.measureReplication(PAIR, false, 24);

    assertThat(health.sourceReachable()).isTrue();
    assertThat(health.ruleId()).isEqualTo("lakehouse-to-dr");
    assertThat(health.pending()).isEqualTo(1);
    assertThat(health.oldestPendingSeconds()).isNotNull().isBetween(0L, 60L);
    // The demo's one data file that failed to replicate.
    assertThat(health.failed()).isEqualTo(1);
    assertThat(health.failedKeys())
        .singleElement()
        .asString()
        .startsWith(DemoWorkspace.DELTA_TABLES.get(DemoWorkspace.TORN_TABLE));
    assertThat(health.versionsScanned()).isGreaterThan(15);
    assertThat(health.summary()).contains("1 pending").contains("1 failed");
    assertThat(health.reversePath())
        .startsWith(
            "reverse path would work: role arn:aws:iam::123456789012:role/s3-replication-dr may"
                + " replicate acme-lakehouse-usw2 to acme-lakehouse-use1");
    assertThat(cloud.simulator.requests().all())
        .filteredOn(r -> r.service().equals("s3"))
        .isNotEmpty()
        .noneMatch(RecordedRequest::mutating);
  }

  @Test
  void healthSaysReadOnlyWhenTheReverseRoleCouldNotReplicateBack() {
    DemoWorkspace.denyReplicatingBack(cloud.simulator);
    cloud.simulator.requests().clear();

    ReplicationHealth health = storage.measureReplication(PAIR, false, 24);

    assertThat(health.reversePathBroken()).isTrue();
    assertThat(health.reversePath())
        .isEqualTo(
            "reverse path would NOT work: role arn:aws:iam::123456789012:role/s3-replication-dr"
                + " may not s3:ReplicateObject on arn:aws:s3:::acme-lakehouse-use1/*,"
                + " s3:ReplicateDelete on arn:aws:s3:::acme-lakehouse-use1/*; every write in DR"
                + " after a failover would fail to replicate to acme-lakehouse-use1");
    // Asked of IAM's policy simulator: nothing written anywhere.
    assertThat(cloud.simulator.requests().all())
        .anyMatch(r -> r.service().equals("iam"))
        .noneMatch(RecordedRequest::mutating);

    // Without a runbook role, the reverse rule falls back to the forward role: primary to
    // replica only.
    BucketPairTarget withoutRole =
        new BucketPairTarget(
            "lakehouse",
            SimulatedCloud.primaryBucket(),
            SimulatedCloud.replicaBucket(),
            null,
            "acme-lakehouse");
    assertThat(storage.measureReplication(withoutRole, false, 24).reversePath())
        .startsWith(
            "reverse path would NOT work: role arn:aws:iam::123456789012:role/s3-replication (the"
                + " primary's replication role")
        .contains(
            "may not s3:GetReplicationConfiguration on arn:aws:s3:::acme-lakehouse-usw2,"
                + " s3:ListBucket on arn:aws:s3:::acme-lakehouse-usw2,"
                + " s3:GetObjectVersionForReplication on arn:aws:s3:::acme-lakehouse-usw2/*");
  }

  /**
   * Leaves the demo's reverse role everything replication needs but {@code s3:ListBucket} on the
   * replica bucket: objects cross, delete markers do not.
   */
  private void reverseRoleWithoutListBucket() {
    String role = DemoWorkspace.REVERSE_ROLE;
    cloud.simulator.iam().clearPermissions(role);
    cloud.simulator.iam().allow(role, "arn:aws:s3:::" + REPLICA, "s3:GetReplicationConfiguration");
    cloud
        .simulator
        .iam()
        .allow(role, "arn:aws:s3:::" + REPLICA + "/*", "s3:GetObjectVersionForReplication");
    cloud.simulator.iam().allowReplicationDestination(role, PRIMARY);
  }

  @Test
  void healthSaysDeletesWouldNotReplicateBackWithoutListBucketOnTheReplica() {
    reverseRoleWithoutListBucket();

    ReplicationHealth health = storage.measureReplication(PAIR, false, 24);

    assertThat(health.reversePathBroken()).isTrue();
    assertThat(health.reversePath())
        .startsWith(
            "reverse path would NOT work: role arn:aws:iam::123456789012:role/s3-replication-dr"
                + " may not s3:ListBucket on arn:aws:s3:::acme-lakehouse-usw2;");
  }

  @Test
  void promotionFailsWhenObjectsCrossBackButDeleteMarkersDoNotAndLeavesNoCanary() {
    reverseRoleWithoutListBucket();

    assertThatThrownBy(() -> storage.promoteReplica(request(60, 3)))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.PERMISSION_DENIED);
              assertThat(failure.getOriginalMessage())
                  .contains("the delete marker of a plain delete of it did not within 3 s")
                  .contains("role arn:aws:iam::123456789012:role/s3-replication-dr needs")
                  .contains("s3:ListBucket and s3:GetReplicationConfiguration on")
                  .contains("arn:aws:s3:::acme-lakehouse-usw2");
            });
    // Neither the object that crossed nor the marker that did not is left on either side.
    assertThat(canaryVersions(REPLICA)).isEmpty();
    assertThat(canaryVersions(PRIMARY)).isEmpty();

    // Once the role may read delete markers, the retried step proves deletes too.
    cloud
        .simulator
        .iam()
        .allow(DemoWorkspace.REVERSE_ROLE, "arn:aws:s3:::" + REPLICA, "s3:ListBucket");
    StorageChange change = storage.promoteReplica(request(60, 3));
    assertThat(change.done()).anyMatch(line -> line.startsWith("reverse path proven for deletes"));
    assertThat(canaryVersions(REPLICA)).isEmpty();
    assertThat(canaryVersions(PRIMARY)).isEmpty();
  }

  /** The worker may put both configurations and pass the forward role, not the reverse role. */
  private void workerMayNotPassTheReverseRole() {
    String worker = DemoWorkspace.WORKER_ROLE;
    cloud.simulator.iam().clearPermissions(worker);
    cloud.simulator.iam().allow(worker, DemoWorkspace.FORWARD_ROLE, "iam:PassRole");
    for (String bucket : List.of(PRIMARY, REPLICA)) {
      cloud
          .simulator
          .iam()
          .allow(worker, "arn:aws:s3:::" + bucket, "s3:PutReplicationConfiguration");
    }
  }

  @Test
  void readinessFailsNamingWhatTheWorkerMayNotDoBeforeAFailoverWouldStopHalfWay() {
    String worker = DemoWorkspace.WORKER_ROLE;
    // Without any right, both sides are named, each with its credential profile.
    cloud.simulator.iam().clearPermissions(worker);
    assertThatThrownBy(() -> storage.measureReplication(PAIR, false, 24))
        .satisfies(
            thrown ->
                assertThat(failureOf(thrown).getOriginalMessage())
                    .contains(
                        worker
                            + " (credential profile acme-primary) may not"
                            + " s3:PutReplicationConfiguration on arn:aws:s3:::acme-lakehouse-use1,"
                            + " iam:PassRole on "
                            + DemoWorkspace.FORWARD_ROLE)
                    .contains(
                        worker
                            + " (credential profile acme-dr) may not"
                            + " s3:PutReplicationConfiguration on arn:aws:s3:::acme-lakehouse-usw2,"
                            + " iam:PassRole on "
                            + DemoWorkspace.REVERSE_ROLE));

    workerMayNotPassTheReverseRole();
    cloud.simulator.requests().clear();
    assertThatThrownBy(() -> storage.measureReplication(PAIR, false, 24))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.PERMISSION_DENIED);
              assertThat(failure.getOriginalMessage())
                  .contains(
                      "the worker may not change the replication of pair lakehouse: "
                          + worker
                          + " (credential profile acme-dr) may not iam:PassRole on "
                          + DemoWorkspace.REVERSE_ROLE
                          + ". A failover would mark acme-lakehouse-usw2 active")
                  .doesNotContain("acme-primary");
            });
    assertThat(cloud.simulator.requests().all()).noneMatch(RecordedRequest::mutating);

    // What the check prevents: the promotion is refused half-way, the replica marked active and
    // the primary's rules disabled, with no reverse rule.
    assertThatThrownBy(() -> storage.promoteReplica(request(60)))
        .satisfies(
            thrown ->
                assertThat(failureOf(thrown).getType()).isEqualTo(FailureTypes.PERMISSION_DENIED));
    assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "active");
    assertThat(rule(PRIMARY, "lakehouse-to-dr").status()).isEqualTo("Disabled");
    assertThatThrownBy(() -> s3.replication(REPLICA))
        .hasMessageContaining("replication configuration was not found");
  }

  @Test
  void aMissingOrDisabledRuleIsNotReadyWithTheReason() {
    s3.putReplication(
        PRIMARY,
        new ReplicationConfiguration(
            "arn:aws:iam::123456789012:role/s3-replication",
            List.of(
                ReplicationConfiguration.Rule.of(
                    "lakehouse-to-dr", 1, "Disabled", "", "arn:aws:s3:::" + REPLICA, "Enabled"))));
    assertThatThrownBy(() -> storage.measureReplication(PAIR, false, 24))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_READY);
              assertThat(failure.getOriginalMessage())
                  .contains(
                      "bucket acme-lakehouse-use1 has no enabled replication rule to"
                          + " acme-lakehouse-usw2")
                  .contains("lakehouse-to-dr")
                  .contains("Disabled");
            });
    s3.deleteReplication(PRIMARY);
    assertThatThrownBy(() -> storage.measureReplication(PAIR, false, 24))
        .satisfies(
            thrown -> assertThat(failureOf(thrown).getType()).isEqualTo(FailureTypes.NOT_READY));
    s3.setVersioning(REPLICA, "Suspended");
    assertThatThrownBy(() -> storage.measureReplication(PAIR, false, 24))
        .satisfies(
            thrown ->
                assertThat(failureOf(thrown).getOriginalMessage())
                    .contains("acme-lakehouse-usw2 does not have versioning enabled"));
  }

  @Test
  void promotionDrainsTheBacklogDisablesTheRuleSetsUpTheReverseRuleAndRetags() {
    s3.setReplicationLag(PRIMARY, Duration.ofSeconds(3));
    s3.putObject(PRIMARY, "uc/sales/bronze/orders/part-just-written.parquet", new byte[] {7});

    StorageChange change = storage.promoteReplica(request(60));

    assertThat(change.primaryReachable()).isTrue();
    assertThat(change.notRun()).isEmpty();
    assertThat(change.cutover().pending()).isZero();
    assertThat(s3.objectKeys(REPLICA)).contains("uc/sales/bronze/orders/part-just-written.parquet");
    // The forward rule is kept, disabled, for failback to enable again.
    assertThat(rule(PRIMARY, "lakehouse-to-dr").status()).isEqualTo("Disabled");
    ReplicationConfiguration.Rule reverse = rule(REPLICA, "failover-acme-lakehouse-reverse");
    assertThat(reverse.status()).isEqualTo("Enabled");
    assertThat(reverse.destination().bucketName()).isEqualTo(PRIMARY);
    assertThat(reverse.replicaModifications()).isEqualTo("Enabled");
    assertThat(reverse.deleteMarkerReplication()).isEqualTo("Enabled");
    // The demo's rule publishes no S3 Replication metrics, so the way back does not either.
    assertThat(reverse.destination().metrics()).isNull();
    assertThat(s3.replication(REPLICA).role())
        .isEqualTo("arn:aws:iam::123456789012:role/s3-replication-dr");
    // Tagging replaces the whole set: the primary's own tag survives the read-modify-write.
    assertThat(s3.tagsOrEmpty(PRIMARY))
        .containsEntry("team", "data-platform")
        .containsEntry("failover:role", "standby");
    assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "active");
    assertThat(new String(s3.getObject(REPLICA, STATE_KEY).content(), StandardCharsets.UTF_8))
        .contains("lakehouse-to-dr");
    // The reverse path was proven with a canary, which left no version on either side.
    assertThat(change.done())
        .contains(
            "reverse path proven: a canary written in acme-lakehouse-usw2 reached"
                + " acme-lakehouse-use1 with role arn:aws:iam::123456789012:role/s3-replication-dr",
            "reverse path proven for deletes: the canary's delete marker reached"
                + " acme-lakehouse-use1");
    assertThat(canaryVersions(REPLICA)).isEmpty();
    assertThat(canaryVersions(PRIMARY)).isEmpty();

    // A write in DR now replicates back to the primary.
    s3.putObject(REPLICA, "uc/sales/bronze/orders/part-dr.parquet", new byte[] {9});
    assertThat(s3.replicationStatus(PRIMARY, "uc/sales/bronze/orders/part-dr.parquet"))
        .isEqualTo("REPLICA");

    // A retried promotion finds every rule and tag as it should be and changes none; it proves
    // the reverse path again (the canary's writes and removals are its only writes).
    cloud.simulator.requests().clear();
    storage.promoteReplica(request(60));
    assertThat(mutatingS3("primary"))
        .allMatch(r -> r.method().equals("DELETE") && r.path().contains("/canary/"));
    // In DR: the canary, its delete marker, and their removals by version id.
    assertThat(mutatingS3("secondary")).allMatch(r -> r.path().contains("/canary/")).hasSize(4);
  }

  @Test
  void theReverseRulePublishesReplicationMetricsWhenThePrimarysRuleDoes() {
    ReplicationConfiguration forward = s3.replication(PRIMARY);
    s3.putReplication(
        PRIMARY,
        new ReplicationConfiguration(
            forward.role(),
            forward.rules().stream()
                .map(ReplicationConfiguration.Rule::withMetricsEnabled)
                .toList()));

    StorageChange change = storage.promoteReplica(request(60));

    ReplicationConfiguration.Rule reverse = rule(REPLICA, "failover-acme-lakehouse-reverse");
    assertThat(reverse.destination().metrics().status()).isEqualTo("Enabled");
    assertThat(change.done())
        .anyMatch(
            line -> line.endsWith("and S3 Replication metrics as the primary's rule has them"));
  }

  @Test
  void promotionFailsNamingTheRoleWhenTheReverseRoleMayNotReplicateBack() {
    DemoWorkspace.denyReplicatingBack(cloud.simulator);

    assertThatThrownBy(() -> storage.promoteReplica(request(60)))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.PERMISSION_DENIED);
              assertThat(failure.getOriginalMessage())
                  .contains("ended FAILED")
                  .contains("role arn:aws:iam::123456789012:role/s3-replication-dr may not")
                  .contains("s3:ReplicateObject")
                  .contains("acme-lakehouse-use1");
            });
    // DR counts as active from the promotion's first change (the rules have changed), so no drill
    // or capture takes the pair while an operator decides; the failed canary is gone, so no
    // failback counts it.
    assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "active");
    assertThat(canaryVersions(REPLICA)).isEmpty();
    assertThat(canaryVersions(PRIMARY)).isEmpty();

    // Once the role may, the retried step proves the path and finishes the promotion.
    cloud.simulator.iam().allowReplicationDestination(DemoWorkspace.REVERSE_ROLE, PRIMARY);
    StorageChange change = storage.promoteReplica(request(60));
    assertThat(change.done()).anyMatch(line -> line.startsWith("reverse path proven"));
    assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "active");
  }

  @Test
  void aCanaryThatDoesNotArriveWithinTheBoundFailsThePromotion() {
    // Promoted once, so that the reverse rule is in place; then replication back slows down.
    storage.promoteReplica(request(60));
    s3.setReplicationLag(REPLICA, Duration.ofHours(1));

    assertThatThrownBy(() -> storage.promoteReplica(request(60, 3)))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_READY);
              assertThat(failure.getOriginalMessage())
                  .contains("did not reach it within 3 s (still PENDING)")
                  .contains("replication.reversePathTimeoutMinutes");
            });
  }

  @Test
  void promotionWithThePrimaryRegionDownPromotesTheReplicaAndSaysWhatDidNotRun() {
    cloud.simulator.setRegionReachable("us-east-1", false, "primary");

    StorageChange change = storage.promoteReplica(request(60));

    assertThat(change.primaryReachable()).isFalse();
    assertThat(change.notRun())
        .anyMatch(line -> line.startsWith("wait for the replication backlog to drain"))
        .anyMatch(line -> line.contains("left for failback to establish"))
        .anyMatch(
            line ->
                line.startsWith("prove the reverse path with a canary: acme-lakehouse-use1 does"));
    assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "active");
    cloud.simulator.setRegionReachable("us-east-1", true, "primary");
    assertThat(rule(PRIMARY, "lakehouse-to-dr").status()).isEqualTo("Enabled");
    assertThat(s3.tagsOrEmpty(PRIMARY)).doesNotContainKey("failover:role");
  }

  @Test
  void failbackCopiesDrWritesBackAndRestoresTheOriginalDirection() {
    storage.promoteReplica(request(60));
    // Written in DR while the reverse rule was off (say, before it was set up): no status.
    s3.deleteReplication(REPLICA);
    new DeltaTableWriter(s3, REPLICA, DemoWorkspace.DELTA_TABLES.get("sales.bronze.orders"))
        .append();

    StorageChange change = storage.restoreReplication(request(60));

    assertThat(change.cutover().pending()).isZero();
    String log = "uc/sales/bronze/orders/_delta_log/00000000000000000003.json";
    assertThat(s3.objectKeys(PRIMARY)).contains(log);
    assertThat(rule(PRIMARY, "lakehouse-to-dr").status()).isEqualTo("Enabled");
    // The reverse rule was the replica's only rule, so its configuration is gone.
    assertThatThrownBy(() -> s3.replication(REPLICA))
        .hasMessage("The replication configuration was not found");
    assertThat(s3.tagsOrEmpty(PRIMARY)).containsEntry("failover:role", "active");
    assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "standby");
    assertThatThrownBy(() -> s3.getObject(REPLICA, STATE_KEY))
        .hasMessage("The specified key does not exist.");
    // Forward replication works again.
    s3.putObject(PRIMARY, "uc/after-failback.json", new byte[] {1});
    assertThat(s3.replicationStatus(PRIMARY, "uc/after-failback.json")).isEqualTo("COMPLETED");
  }

  @Test
  void versionsWhoseReplicationFailedButTheCatchUpCopyPutBackNoLongerBlockTheFailback() {
    storage.promoteReplica(request(60));
    // The reverse role loses its right to write the primary after the promotion proved it.
    DemoWorkspace.denyReplicatingBack(cloud.simulator);
    String key = "uc/sales/bronze/orders/part-dr-failed.parquet";
    s3.putObject(REPLICA, key, new byte[] {4, 2});
    assertThat(s3.replicationStatus(REPLICA, key)).isEqualTo("FAILED");

    StorageChange change = storage.restoreReplication(request(5));

    assertThat(change.cutover().failed()).isZero();
    assertThat(s3.getObject(PRIMARY, key).content()).containsExactly(4, 2);
    assertThat(change.done())
        .anyMatch(
            line ->
                line.startsWith(
                        "1 version(s) written in DR whose replication FAILED were put back in"
                            + " acme-lakehouse-use1 by the catch-up copy")
                    && line.contains(key));
    assertThat(s3.tagsOrEmpty(PRIMARY)).containsEntry("failover:role", "active");
  }

  @Test
  void aFailedVersionThePrimaryDoesNotHoldStillBlocksTheFailback() {
    storage.promoteReplica(request(60));
    DemoWorkspace.denyReplicatingBack(cloud.simulator);
    String key = "uc/sales/bronze/orders/part-dr-twice.parquet";
    s3.putObject(REPLICA, key, new byte[] {1});
    s3.putObject(REPLICA, key, new byte[] {2});

    // The catch-up copy puts back the newest version; the older one is in DR only.
    assertThatThrownBy(() -> storage.restoreReplication(request(5)))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.DATA_AT_RISK);
              assertThat(failure.getOriginalMessage())
                  .startsWith("1 version(s) written in DR failed to replicate")
                  .contains(key);
            });
    assertThat(s3.getObject(PRIMARY, key).content()).containsExactly(2);
  }

  @Test
  void failbackRefusesToSwapWhileDrWritesHaveNotReachedThePrimary() {
    storage.promoteReplica(request(60));
    s3.setReplicationLag(REPLICA, Duration.ofHours(2));
    s3.putObject(REPLICA, "uc/sales/bronze/orders/part-stuck.parquet", new byte[] {5});

    assertThatThrownBy(() -> storage.restoreReplication(request(3)))
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.DATA_AT_RISK);
              assertThat(failure.getOriginalMessage()).contains("part-stuck.parquet");
            });
    // Nothing swapped: DR stays active, the primary's rule stays off.
    assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "active");
    assertThat(rule(PRIMARY, "lakehouse-to-dr").status()).isEqualTo("Disabled");
  }

  @Test
  void deltaCheckFindsTheTornTableAndOneBehindThePrimary() {
    // An append whose commit has not replicated yet: the replica is behind.
    s3.setReplicationLag(PRIMARY, Duration.ofHours(1));
    new DeltaTableWriter(s3, PRIMARY, DemoWorkspace.DELTA_TABLES.get("finance.ledger.entries"))
        .append();
    List<DeltaTableCheck> checks = captureThenCheckDeltaTables();

    Map<String, DeltaTableCheck> byTable =
        checks.stream().collect(java.util.stream.Collectors.toMap(DeltaTableCheck::table, c -> c));
    assertThat(byTable).containsOnlyKeys(DemoWorkspace.DELTA_TABLES.keySet());
    assertThat(byTable.get("sales.bronze.orders").status())
        .isEqualTo(DeltaTableCheck.Status.CONSISTENT);
    DeltaTableCheck torn = byTable.get(DemoWorkspace.TORN_TABLE);
    assertThat(torn.status()).isEqualTo(DeltaTableCheck.Status.TORN);
    assertThat(torn.replicaVersion()).isEqualTo(2);
    assertThat(torn.newestConsistentVersion()).isEqualTo(1);
    assertThat(torn.missingFiles()).isEqualTo(1);
    assertThat(torn.replicaLocation()).startsWith("s3://acme-lakehouse-usw2/");
    DeltaTableCheck behind = byTable.get("finance.ledger.entries");
    assertThat(behind.status()).isEqualTo(DeltaTableCheck.Status.BEHIND);
    assertThat(behind.replicaVersion()).isEqualTo(2);
    assertThat(behind.primaryVersion()).isEqualTo(3);
    assertThat(cloud.simulator.requests().all()).noneMatch(RecordedRequest::mutating);
  }

  @Test
  void deltaCheckReplaysALogLongerThanTheCommitsReadAtOnceInOrder() {
    // Three appends whose data files never reach the replica, 17 more, a compaction that removes
    // the three, then an append whose data file fails to replicate: 24 commits, read 8 at a time.
    DeltaTableWriter ledger =
        new DeltaTableWriter(s3, PRIMARY, DemoWorkspace.DELTA_TABLES.get("finance.ledger.entries"));
    List<String> lostEarly = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      s3.setReplicationFailureRate(PRIMARY, 1.0);
      lostEarly.add(ledger.writeDataFile());
      s3.setReplicationFailureRate(PRIMARY, 0.0);
      ledger.commitAppend(lostEarly.get(i));
    }
    for (int i = 0; i < 17; i++) {
      ledger.append();
    }
    ledger.compact(lostEarly);
    s3.setReplicationFailureRate(PRIMARY, 1.0);
    String lost = ledger.writeDataFile();
    s3.setReplicationFailureRate(PRIMARY, 0.0);
    ledger.commitAppend(lost);
    List<DeltaTableCheck> checks = captureThenCheckDeltaTables();

    DeltaTableCheck entries =
        checks.stream()
            .filter(c -> c.table().equals("finance.ledger.entries"))
            .findFirst()
            .orElseThrow();
    long latest = ledger.nextVersion() - 1;
    assertThat(latest).isGreaterThan(2L * DeltaLogCheck.COMMITS_IN_FLIGHT);
    assertThat(entries.status()).as(entries.detail()).isEqualTo(DeltaTableCheck.Status.TORN);
    assertThat(entries.replicaVersion()).isEqualTo(latest);
    // The three files the compaction removed are needed no more, so the version before the last
    // is complete: the removes were replayed after the adds of the windows before them.
    assertThat(entries.newestConsistentVersion()).isEqualTo(latest - 1);
    assertThat(entries.missingFiles()).isEqualTo(1);
  }

  /** Captures the primary, then checks its external Delta tables in the replica; reads only. */
  private List<DeltaTableCheck> captureThenCheckDeltaTables() {
    SnapshotRef snapshot =
        capture.captureControlPlane(
            SimulatedCloud.primary(),
            List.of(),
            SimulatedCloud.replicaBucket(),
            "failover/acme-lakehouse/snapshots/t.json.gz");
    cloud.simulator.requests().clear();
    return storage.checkDeltaTables(
        new DeltaCheckRequest(snapshot, SimulatedCloud.REWRITES, List.of(PAIR), true));
  }
}
