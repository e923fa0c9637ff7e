package dev.failover.activities.steps;

import static dev.failover.activities.steps.ReadinessActivitiesTest.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.storage.RoleMarker;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.StorageRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active/standby role marker through the real {@code S3Client}: promotion and failback on
 * buckets CloudFormation made (system tags) and on buckets that cannot be tagged at all (ABAC), and
 * the guards of drills and captures that read the marker.
 */
class BucketRoleMarkerTest {
  private static final String PRIMARY = DemoWorkspace.PRIMARY_BUCKET;
  private static final String REPLICA = DemoWorkspace.REPLICA_BUCKET;
  private static final String RUNBOOK = "acme-lakehouse";
  private static final BucketPairTarget PAIR =
      new BucketPairTarget(
          "lakehouse",
          SimulatedCloud.primaryBucket(),
          SimulatedCloud.replicaBucket(),
          "arn:aws:iam::123456789012:role/s3-replication-dr",
          RUNBOOK);
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

  private static StorageRequest request() {
    return new StorageRequest(PAIR, 60, 24, SimulatedCloud.replicaBucket(), STATE_KEY, "run-1", 60);
  }

  private Map<String, String> systemTags(String bucket) {
    Map<String, String> system = new LinkedHashMap<>();
    s3.tagsOrEmpty(bucket)
        .forEach(
            (key, value) -> {
              if (key.startsWith("aws:")) {
                system.put(key, value);
              }
            });
    return system;
  }

  private String marker(String bucket) {
    return new String(
        s3.getObject(bucket, RoleMarker.key(RUNBOOK, bucket)).content(), StandardCharsets.UTF_8);
  }

  private String roleOfReplica() {
    return capture.bucketRole(SimulatedCloud.replicaBucket(), RUNBOOK);
  }

  @Test
  void promotionAndFailbackOnStackBucketsMarkAndTagThemAndKeepTheSystemTags() {
    Map<String, String> primarySystem = systemTags(PRIMARY);
    Map<String, String> replicaSystem = systemTags(REPLICA);
    assertThat(primarySystem).containsKey("aws:cloudformation:stack-name");
    assertThat(replicaSystem).containsKey("aws:cloudformation:stack-name");

    StorageChange promoted = storage.promoteReplica(request());

    assertThat(promoted.done())
        .contains("tagged " + REPLICA + " failover:role=active")
        .contains("tagged " + PRIMARY + " failover:role=standby");
    assertThat(marker(REPLICA)).contains("\"role\":\"active\"").contains("\"runId\":\"run-1\"");
    assertThat(marker(PRIMARY)).contains("\"role\":\"standby\"");
    assertThat(s3.tagsOrEmpty(REPLICA))
        .containsAllEntriesOf(replicaSystem)
        .containsEntry("failover:role", "active");
    assertThat(s3.tagsOrEmpty(PRIMARY))
        .containsAllEntriesOf(primarySystem)
        .containsEntry("team", "data-platform")
        .containsEntry("failover:role", "standby");
    assertThat(roleOfReplica()).isEqualTo("active");

    StorageChange restored = storage.restoreReplication(request());

    assertThat(restored.done()).contains("tagged " + REPLICA + " failover:role=standby");
    assertThat(marker(REPLICA)).contains("\"role\":\"standby\"");
    assertThat(marker(PRIMARY)).contains("\"role\":\"active\"");
    assertThat(s3.tagsOrEmpty(REPLICA))
        .containsAllEntriesOf(replicaSystem)
        .containsEntry("failover:role", "standby");
    assertThat(s3.tagsOrEmpty(PRIMARY))
        .containsAllEntriesOf(primarySystem)
        .containsEntry("failover:role", "active");
    assertThat(roleOfReplica()).isEqualTo("standby");
  }

  @Test
  void bucketsThatCannotBeTaggedFailOverAndBackOnTheirMarkers() {
    // A tag from earlier, then ABAC on both buckets: PutBucketTagging is refused from now on.
    Map<String, String> stale = new LinkedHashMap<>(s3.tagsOrEmpty(REPLICA));
    stale.put("failover:role", "standby");
    s3.putTags(REPLICA, new ArrayList<>(stale.entrySet()));
    s3.setAbac(REPLICA, true);
    s3.setAbac(PRIMARY, true);

    StorageChange promoted = storage.promoteReplica(request());

    assertThat(promoted.notRun()).isEmpty();
    assertThat(promoted.done())
        .anyMatch(line -> line.startsWith("could not tag " + REPLICA + " failover:role=active"))
        .anyMatch(line -> line.contains("its role is in s3://" + REPLICA + "/"));
    assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "standby");
    assertThat(s3.tagsOrEmpty(PRIMARY)).doesNotContainKey("failover:role");
    // The marker decides, not the stale tag.
    assertThat(roleOfReplica()).isEqualTo("active");
    assertThat(marker(PRIMARY)).contains("\"role\":\"standby\"");

    // A retried promotion finds every marker and rule in place: it proves the reverse path again
    // with a canary of its own, and otherwise only tries the tags again.
    cloud.simulator.requests().clear();
    storage.promoteReplica(request());
    assertThat(cloud.simulator.requests().all())
        .filteredOn(r -> r.service().equals("s3") && r.mutating())
        .filteredOn(r -> !r.path().contains("/failover/acme-lakehouse/canary/"))
        .isNotEmpty()
        .allMatch(r -> r.query().contains("tagging"));

    StorageChange restored = storage.restoreReplication(request());

    assertThat(restored.done())
        .anyMatch(line -> line.startsWith("could not tag " + REPLICA + " failover:role=standby"));
    assertThat(marker(PRIMARY)).contains("\"role\":\"active\"");
    assertThat(roleOfReplica()).isEqualTo("standby");
  }

  @Test
  void aDrillIsGuardedByTheMarkerWhenTheForwardRuleSurvivedAnOutageAndNoTagCouldBeWritten() {
    s3.setAbac(REPLICA, true);
    // Failover while the primary region is down: its rule is never disabled.
    cloud.simulator.setRegionReachable("us-east-1", false, "primary");
    storage.promoteReplica(request());
    cloud.simulator.setRegionReachable("us-east-1", true, "primary");
    assertThat(s3.tagsOrEmpty(REPLICA)).doesNotContainKey("failover:role");

    // The forward rule still replicates; only the marker says DR serves.
    ReplicationHealth health = storage.measureReplication(PAIR, false, 24);

    assertThat(health.ruleId()).isEqualTo("lakehouse-to-dr");
    assertThat(health.destinationRole()).isEqualTo("active");
    assertThat(roleOfReplica()).isEqualTo("active");
  }

  @Test
  void withTheForwardRuleDisabledReadinessNamesTheMarker() {
    s3.setAbac(REPLICA, true);
    storage.promoteReplica(request());

    assertThatThrownBy(() -> storage.measureReplication(PAIR, false, 24))
        .satisfies(
            thrown -> {
              assertThat(failureOf(thrown).getType()).isEqualTo(FailureTypes.NOT_READY);
              assertThat(failureOf(thrown).getOriginalMessage())
                  .contains(REPLICA + " is marked failover:role=active")
                  .contains("fail back first");
            });
  }

  @Test
  void aBucketWithoutAMarkerObjectIsReadFromItsTag() {
    Map<String, String> tags = new LinkedHashMap<>(s3.tagsOrEmpty(REPLICA));
    tags.put("failover:role", "active");
    s3.putTags(REPLICA, new ArrayList<>(tags.entrySet()));

    assertThat(roleOfReplica()).isEqualTo("active");
    assertThat(storage.measureReplication(PAIR, false, 24).destinationRole()).isEqualTo("active");
  }

  @Test
  void aPromotionThatCrashedBetweenItsStepsConvergesOnRetry() {
    // Crashed right after marking the replica: no rule changed yet.
    s3.putObject(
        REPLICA,
        RoleMarker.key(RUNBOOK, REPLICA),
        ("{\"bucket\":\""
                + REPLICA
                + "\",\"role\":\"active\",\"runbook\":\""
                + RUNBOOK
                + "\",\"runId\":\"run-1\"}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(roleOfReplica()).isEqualTo("active");

    StorageChange retried = storage.promoteReplica(request());

    assertThat(retried.done())
        .contains(REPLICA + " already marked active")
        .anyMatch(line -> line.startsWith("disabled rule(s) [lakehouse-to-dr]"));
    assertThat(marker(PRIMARY)).contains("\"role\":\"standby\"");

    // Crashed after the rules changed, before the primary was marked.
    s3.deleteObject(PRIMARY, RoleMarker.key(RUNBOOK, PRIMARY), null);
    Map<String, String> untagged = new LinkedHashMap<>(s3.tagsOrEmpty(PRIMARY));
    untagged.remove("failover:role");
    s3.putTags(PRIMARY, new ArrayList<>(untagged.entrySet()));

    StorageChange again = storage.promoteReplica(request());

    assertThat(again.done())
        .contains("rules of " + PRIMARY + " to " + REPLICA + " already disabled")
        .contains("tagged " + PRIMARY + " failover:role=standby");
    assertThat(marker(PRIMARY)).contains("\"role\":\"standby\"");
    assertThat(s3.tagsOrEmpty(PRIMARY)).containsEntry("failover:role", "standby");
  }
}
