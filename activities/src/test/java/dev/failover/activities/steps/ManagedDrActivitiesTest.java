package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.databricks.DisasterRecoveryState;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.GroupOwnedComponents;
import dev.failover.workflows.steps.GroupReadiness;
import dev.failover.workflows.steps.ManagedDrActivities;
import dev.failover.workflows.steps.ManagedDrRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The managed DR readiness check and the group's failover, through the real {@code AccountClient}
 * against the simulated disaster-recovery API.
 */
class ManagedDrActivitiesTest {
  @TempDir Path dir;
  private SimulatedCloud cloud;
  private TestActivityEnvironment env;
  private ManagedDrActivities managedDr;
  private DisasterRecoveryState dr;
  private String group;
  private String stableUrl;
  private long primary;
  private long secondary;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    dr = cloud.simulator.disasterRecovery();
    dr.setFailoverDuration(Duration.ofMillis(400));
    group = dr.groupName(DemoWorkspace.FAILOVER_GROUP_ID);
    stableUrl = dr.stableUrlName(DemoWorkspace.STABLE_URL_ID);
    primary = Long.parseLong(cloud.simulator.workspace("primary").workspaceId());
    secondary = Long.parseLong(cloud.simulator.workspace("secondary").workspaceId());
    env = ActivityEnvironments.withHeartbeats();
    env.registerActivitiesImplementations(
        new ManagedDrActivitiesImpl(cloud.clients, Clock.systemUTC(), Duration.ofMillis(100)));
    managedDr =
        env.newActivityStub(
            ManagedDrActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void stop() {
    env.close();
    cloud.close();
  }

  private ManagedDrRequest failover(boolean drill) {
    return new ManagedDrRequest(
        cloud.account("secondary"),
        group,
        List.of(stableUrl),
        "us-east-1",
        "us-west-2",
        primary,
        secondary,
        15,
        1,
        drill);
  }

  private ManagedDrRequest failback() {
    return new ManagedDrRequest(
        cloud.account("primary"),
        group,
        List.of(stableUrl),
        "us-west-2",
        "us-east-1",
        secondary,
        primary,
        15,
        1,
        false);
  }

  private static ApplicationFailure failureOf(Throwable thrown) {
    return ReadinessActivitiesTest.failureOf(thrown);
  }

  private List<RecordedRequest> failoverPosts() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.method().equals("POST") && r.path().endsWith("/failover"))
        .toList();
  }

  @Test
  void readinessShowsTheGroupActiveInTheSourceAndTheControlPlaneRpo() {
    GroupReadiness readiness = managedDr.checkGroup(failover(false));
    String found = readiness.finding();

    assertThat(found)
        .contains("is ACTIVE in us-east-1")
        .contains("1 stable URL(s) serve workspace " + primary)
        .contains("control-plane RPO of " + group + " is ")
        .doesNotContain("WARNING");
    assertThat(readiness.replicationPointAgeSeconds()).isNotNull().isBetween(0L, 15 * 60L);
    assertThat(found)
        .contains(
            "control-plane RPO of "
                + group
                + " is "
                + readiness.replicationPointAgeSeconds()
                + " s");
    assertThat(cloud.simulator.requests().all()).noneMatch(RecordedRequest::mutating);
  }

  @Test
  void aDrillsReadinessRefusesAGroupActiveInAnotherRegionThanTheSource() throws Exception {
    dr.failover(group, "us-west-2", null);
    Thread.sleep(600);

    assertThatThrownBy(() -> managedDr.checkGroup(failover(true)))
        .satisfies(
            t -> {
              assertThat(failureOf(t).getType()).isEqualTo(FailureTypes.NOT_READY);
              assertThat(failureOf(t).getOriginalMessage())
                  .contains("is active in us-west-2, not in the run's active side us-east-1");
            });
  }

  @Test
  void aFailoversReadinessAcceptsAGroupAnEarlierRunFailedOverAndSaysSo() throws Exception {
    dr.failover(group, "us-west-2", null);
    Thread.sleep(600);

    assertThat(managedDr.checkGroup(failover(false)).finding())
        .contains("ACTIVE in us-west-2 (already the target: an earlier run failed it over)")
        .contains("serve workspace " + secondary);
  }

  @Test
  void readinessRefusesAGroupThatIsNotActive() {
    dr.setState(group, "INITIAL_REPLICATION");

    assertThatThrownBy(() -> managedDr.checkGroup(failover(false)).finding())
        .satisfies(
            t ->
                assertThat(failureOf(t).getOriginalMessage())
                    .contains("is INITIAL_REPLICATION, not ACTIVE"));
  }

  @Test
  void readinessWarnsOfAReplicationPointOlderThanTheObjective() {
    dr.setReplicationLag(Duration.ofMinutes(40));

    assertThat(managedDr.checkGroup(failover(false)).finding())
        .contains("WARNING: control-plane RPO of " + group + " is 24")
        .contains("over the objective of 900 s");
  }

  @Test
  void readinessRefusesRegionsTheGroupDoesNotSpan() {
    ManagedDrRequest elsewhere =
        new ManagedDrRequest(
            cloud.account("secondary"),
            group,
            List.of(),
            "us-east-1",
            "eu-west-1",
            primary,
            secondary,
            15,
            1,
            false);

    assertThatThrownBy(() -> managedDr.checkGroup(elsewhere))
        .satisfies(
            t ->
                assertThat(failureOf(t).getOriginalMessage())
                    .contains("spans regions [us-east-1, us-west-2], not the runbook's"));
  }

  @Test
  void aFailoverMovesTheGroupAndTheStableUrlThenAFailbackRestoresThem() {
    assertThat(managedDr.failoverGroup(failover(false)))
        .startsWith("failed " + group + " over to us-west-2")
        .contains("serve workspace " + secondary);
    assertThat(dr.group(group).effectivePrimaryRegion()).isEqualTo("us-west-2");
    assertThat(dr.effectiveWorkspaceId(dr.stableUrl(stableUrl))).isEqualTo(secondary);

    managedDr.checkGroup(failback());
    managedDr.failoverGroup(failback());

    assertThat(dr.group(group).effectivePrimaryRegion()).isEqualTo("us-east-1");
    assertThat(dr.effectiveWorkspaceId(dr.stableUrl(stableUrl))).isEqualTo(primary);
    assertThat(failoverPosts()).hasSize(2);
  }

  @Test
  void aStaleEtagIsReadAgainAndCheckedBeforeTheOneFailoverItSends() {
    dr.changeAfterNextRead(group);

    managedDr.failoverGroup(failover(false));

    assertThat(failoverPosts()).extracting(RecordedRequest::status).containsExactly(409, 200);
    assertThat(dr.failoversAccepted(group)).isEqualTo(1);
    assertThat(dr.group(group).effectivePrimaryRegion()).isEqualTo("us-west-2");
  }

  @Test
  void aFailoverFailedGroupFailsTheStepNonRetryably() {
    dr.failNextFailover(group, "replica not ready");

    assertThatThrownBy(() -> managedDr.failoverGroup(failover(false)))
        .satisfies(
            t -> {
              assertThat(failureOf(t).getType()).isEqualTo(FailureTypes.MANAGED_FAILOVER_FAILED);
              assertThat(failureOf(t).getOriginalMessage())
                  .contains("is FAILOVER_FAILED, still active in us-east-1");
            });
    assertThat(dr.failoversAccepted(group)).isEqualTo(1);
  }

  @Test
  void aRetryAfterAWorkerDiedMidFailoverWaitsForItAndNeverFailsOverTwice() {
    // The first attempt's failover was accepted, then its worker died.
    dr.failover(group, "us-west-2", dr.group(group).etag());

    assertThat(managedDr.failoverGroup(failover(false)))
        .startsWith("found " + group + " already ACTIVE in us-west-2");
    assertThat(managedDr.failoverGroup(failover(false))).startsWith("found ");

    assertThat(failoverPosts()).isEmpty();
    assertThat(dr.failoversAccepted(group)).isEqualTo(1);
  }

  @Test
  void aDrillOnlyReadsTheGroupAndSaysWhatAFailoverWouldDo() {
    assertThat(managedDr.failoverGroup(failover(true)))
        .contains("drill: read-only towards " + group)
        .contains("a failover would move it to us-west-2")
        .contains("would serve workspace " + secondary);
    assertThat(cloud.simulator.requests().all()).noneMatch(RecordedRequest::mutating);
  }

  @Test
  void aWorkspaceSetThatReplicatesWorkspaceAssetsMakesTheWorkspaceComponentsTheGroups() {
    assertThat(managedDr.groupOwnedComponents(failover(false)))
        .as("the demo's set does not replicate workspace assets")
        .isEmpty();
    String id = "acme-assets";
    dr.addGroup(
        id,
        List.of("us-east-1", "us-west-2"),
        "us-east-1",
        List.of(
            new DisasterRecoveryState.WorkspaceSet(
                "acme-assets-workspaces", List.of(primary, secondary), List.of(), true)),
        List.of());
    ManagedDrRequest request =
        new ManagedDrRequest(
            cloud.account("secondary"),
            dr.groupName(id),
            List.of(),
            "us-east-1",
            "us-west-2",
            primary,
            secondary,
            15,
            1,
            false);

    assertThat(managedDr.groupOwnedComponents(request))
        .containsExactlyElementsOf(GroupOwnedComponents.WORKSPACE_ASSETS)
        .contains("jobs", "notebooks", "repos", "clusters", "warehouses", "permissions");
    assertThat(cloud.simulator.requests().all()).noneMatch(RecordedRequest::mutating);
  }
}
