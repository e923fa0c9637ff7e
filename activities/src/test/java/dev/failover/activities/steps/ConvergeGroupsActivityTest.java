package dev.failover.activities.steps;

import static dev.failover.activities.steps.ReadinessActivitiesTest.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.simulator.databricks.GroupsState;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.SnapshotRef;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code converge-groups} step's activity: groups captured from the primary, verified in DR,
 * never created. A drill against a DR workspace that lacks groups fails at once, without retries.
 */
class ConvergeGroupsActivityTest {
  private static final String KEY = "failover/acme-lakehouse/snapshots/groups.json.gz";

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private TestActivityEnvironment env;
  private CaptureActivities capture;
  private ConvergeActivities converge;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    SnapshotStore store = new SnapshotStore(cloud.clients);
    env = ActivityEnvironments.withHeartbeats();
    env.registerActivitiesImplementations(
        new CaptureActivitiesImpl(cloud.clients, store),
        new ConvergeActivitiesImpl(cloud.clients, store));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setMaximumAttempts(3)
                    .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(String[]::new))
                    .build())
            .build();
    capture = env.newActivityStub(CaptureActivities.class, options);
    converge = env.newActivityStub(ConvergeActivities.class, options);
  }

  @AfterEach
  void stop() {
    env.close();
    cloud.close();
  }

  private ComponentBatch groupsOfDrill(SnapshotRef snapshot) {
    ConvergeRequest request =
        new ConvergeRequest(
            SimulatedCloud.secondary(),
            snapshot,
            SimulatedCloud.REWRITES,
            "acme-lakehouse",
            "drill-1");
    return new ComponentBatch(request, "groups", 0, snapshot.count("groups"));
  }

  @Test
  void aDrWorkspaceWithEveryGroupIsVerifiedWithoutAWrite() {
    SnapshotRef snapshot =
        capture.captureControlPlane(
            SimulatedCloud.primary(), List.of(), SimulatedCloud.replicaBucket(), KEY);
    cloud.simulator.requests().clear();

    ChangeCounts counts = converge.convergeBatch(groupsOfDrill(snapshot)).counts();

    assertThat(snapshot.count("groups")).isEqualTo(8);
    assertThat(counts).isEqualTo(new ChangeCounts(0, 0, 8, 0));
    assertThat(cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    assertThat(cloud.simulator.requests().mutating("s3", "secondary")).isEmpty();
  }

  @Test
  void missingGroupsFailTheStepOnceAsNotFoundNamingBoth() {
    SnapshotRef snapshot =
        capture.captureControlPlane(
            SimulatedCloud.primary(), List.of(), SimulatedCloud.replicaBucket(), KEY);
    GroupsState dr = cloud.simulator.workspace("secondary").groups();
    for (String name : List.of("finance-team", "platform-admins")) {
      dr.delete(dr.named(name).orElseThrow().id());
    }
    cloud.simulator.requests().clear();

    assertThatThrownBy(() -> converge.convergeBatch(groupsOfDrill(snapshot)))
        .satisfies(
            thrown -> {
              var failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getOriginalMessage())
                  .contains("The groups finance-team, platform-admins are missing in")
                  .contains("assign the account groups finance-team, platform-admins to workspace");
            });
    // One attempt: the groups listed once (a page, then the empty page that ends the list);
    // nothing recorded or created.
    assertThat(cloud.simulator.requests().all())
        .filteredOn(r -> r.path().endsWith("/scim/v2/Groups"))
        .extracting(r -> r.query().replaceAll(".*startIndex=", ""))
        .containsExactly("1", "9");
    assertThat(cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    assertThat(cloud.simulator.requests().mutating("s3", "secondary")).isEmpty();
  }
}
