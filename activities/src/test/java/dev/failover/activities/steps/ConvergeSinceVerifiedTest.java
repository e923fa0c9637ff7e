package dev.failover.activities.steps;

import static dev.failover.activities.steps.ControlPlaneActivities.batch;
import static dev.failover.activities.steps.ControlPlaneActivities.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.catalog.PermissionsChange;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.UpdatePermissions;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.UpdateJob;
import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.VerifiedTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failover onto a DR that matched an earlier snapshot, against the simulator through the real
 * clients: only what changed on the primary since is read and written in DR, and what was changed
 * by hand in DR since is seen only by a full comparison.
 */
class ConvergeSinceVerifiedTest {
  private static final String EARLIER = "failover/acme-lakehouse/snapshots/earlier.json.gz";
  private static final String NOW = "failover/acme-lakehouse/snapshots/now.json.gz";
  private static final String RECORD = "failover/acme-lakehouse/verified-target.json";

  @TempDir Path dir;
  private ControlPlaneActivities activities;
  private SimulatedCloud cloud;
  private CaptureActivities capture;
  private ConvergeActivities converge;
  private SmokeTestActivities smokeTest;

  @BeforeEach
  void start() {
    activities = new ControlPlaneActivities(dir);
    cloud = activities.cloud;
    capture = activities.capture;
    converge = activities.converge;
    smokeTest = activities.smokeTest;
  }

  @AfterEach
  void stop() {
    activities.close();
  }

  @Test
  void onlyTheDriftSinceTheSnapshotDrMatchedIsReadAndWrittenInDr() {
    SnapshotRef earlier = captureAs(EARLIER);
    activities.convergeAll(request(earlier));
    DemoWorkspace.addPythonJob(cloud.simulator.workspace("primary"), "drift-job");
    grantOnThePrimary();
    SnapshotRef now = captureAs(NOW);
    cloud.simulator.requests().clear();

    ConvergeRequest sinceEarlier = request(now).withVerifiedSnapshot(earlier);
    ComponentResult jobs = converge.convergeBatch(batch(sinceEarlier, "jobs"));
    ComponentResult notebooks = converge.convergeBatch(batch(sinceEarlier, "notebooks"));
    ComponentResult grants = converge.convergeBatch(batch(sinceEarlier, "grants"));

    assertThat(jobs.counts()).isEqualTo(new ChangeCounts(1, 0, 0, 0));
    assertThat(notebooks.counts()).isEqualTo(ChangeCounts.NONE);
    assertThat(grants.counts().created() + grants.counts().updated()).isEqualTo(1);
    assertThat(drJobNames()).contains("drift-job");
    // Nothing of the notebooks was read in DR: none changed on the primary.
    assertThat(drRequests()).noneMatch(r -> r.path().contains("/workspace/"));
    assertThat(smokeTest.verifyControlPlane(sinceEarlier))
        .isEqualTo(now.catalogs() + now.schemas() + 1);
  }

  @Test
  void aChangeMadeByHandInDrSinceIsSeenOnlyByAFullComparison() {
    SnapshotRef earlier = captureAs(EARLIER);
    activities.convergeAll(request(earlier));
    BaseJob copy = dr().jobs().list(new ListJobsRequest()).iterator().next();
    dr().jobs()
        .update(
            new UpdateJob()
                .setJobId(copy.getJobId())
                .setNewSettings(new JobSettings().setDescription("changed by hand in DR")));
    SnapshotRef now = captureAs(NOW);

    ComponentResult trusting =
        converge.checkBatch(batch(request(now).withVerifiedSnapshot(earlier), "jobs"));
    ComponentResult full = converge.checkBatch(batch(request(now), "jobs"));

    assertThat(trusting.counts()).isEqualTo(ChangeCounts.NONE);
    assertThat(full.counts().updated()).isEqualTo(1);
  }

  @Test
  void itemsConvergeLeavesAloneAreStillReportedWhenUnchanged() {
    SnapshotRef earlier = captureAs(EARLIER);
    activities.convergeAll(request(earlier));
    SnapshotRef now = captureAs(NOW);

    ComponentResult full = converge.convergeBatch(batch(request(now), "tables"));
    ComponentResult trusting =
        converge.convergeBatch(batch(request(now).withVerifiedSnapshot(earlier), "tables"));

    assertThat(full.skipped()).isNotEmpty();
    assertThat(trusting.skipped()).isEqualTo(full.skipped());
    assertThat(trusting.counts().unchanged()).isZero();
  }

  @Test
  void theRecordIsReadOnceAndGoneAfterwards() {
    SnapshotRef earlier = captureAs(EARLIER);
    VerifiedTarget record =
        new VerifiedTarget(
            earlier,
            SimulatedCloud.secondary().host(),
            "run-1",
            "drill",
            "2026-12-06T00:00:00Z",
            SimulatedCloud.REWRITES,
            SimulatedCloud.COMPUTE,
            SimulatedCloud.STORAGE_CREDENTIALS);

    smokeTest.recordVerifiedTarget(SimulatedCloud.replicaBucket(), RECORD, record);

    assertThat(capture.claimVerifiedTarget(SimulatedCloud.replicaBucket(), RECORD))
        .isEqualTo(record);
    assertThat(capture.claimVerifiedTarget(SimulatedCloud.replicaBucket(), RECORD)).isNull();
  }

  private SnapshotRef captureAs(String key) {
    return capture.captureControlPlane(
        SimulatedCloud.primary(), List.of(), SimulatedCloud.replicaBucket(), key);
  }

  private void grantOnThePrimary() {
    cloud
        .clients
        .workspace(SimulatedCloud.primary())
        .grants()
        .update(
            new UpdatePermissions()
                .setSecurableType("catalog")
                .setFullName("sales")
                .setChanges(
                    List.of(
                        new PermissionsChange()
                            .setPrincipal("analysts")
                            .setAdd(List.of(Privilege.CREATE_SCHEMA)))));
  }

  private WorkspaceClient dr() {
    return cloud.clients.workspace(SimulatedCloud.secondary());
  }

  private List<String> drJobNames() {
    List<String> names = new ArrayList<>();
    dr().jobs()
        .list(new ListJobsRequest().setExpandTasks(false))
        .forEach(j -> names.add(j.getSettings().getName()));
    return names;
  }

  private List<RecordedRequest> drRequests() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.service().equals("databricks") && r.side().equals("secondary"))
        .toList();
  }
}
