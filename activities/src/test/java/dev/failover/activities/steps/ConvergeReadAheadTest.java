package dev.failover.activities.steps;

import static dev.failover.activities.steps.ControlPlaneActivities.batch;
import static dev.failover.activities.steps.ControlPlaneActivities.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.CreateJob;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.UpdateJob;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.simulator.RecordedRequest;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.SnapshotRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code converge-jobs} reading DR's copies of the captured jobs ahead of its batches, against the
 * simulator through the real clients: a batch converges from that read without reading the jobs
 * again, and a second run of the same batch (a retry) reads DR itself, so what the first wrote is
 * seen and nothing is created twice. A drill reads every copy DR holds before capture has run.
 */
class ConvergeReadAheadTest {
  private static final String SNAPSHOT = "failover/acme-lakehouse/snapshots/now.json.gz";

  @TempDir Path dir;
  private ControlPlaneActivities activities;
  private SimulatedCloud cloud;
  private ConvergeActivities converge;

  @BeforeEach
  void start() {
    activities = new ControlPlaneActivities(dir);
    cloud = activities.cloud;
    converge = activities.converge;
  }

  @AfterEach
  void stop() {
    activities.close();
  }

  @Test
  void aBatchConvergesFromTheReadAheadWithoutReadingTheJobsAgain() {
    SnapshotRef snapshot = capture();
    ConvergeRequest request = request(snapshot);
    activities.convergeAll(request);
    BaseJob copy = dr().jobs().list(new ListJobsRequest()).iterator().next();
    dr().jobs()
        .update(
            new UpdateJob()
                .setJobId(copy.getJobId())
                .setNewSettings(new JobSettings().setDescription("changed by hand in DR")));

    int read = converge.readAhead(request, "jobs");
    cloud.simulator.requests().clear();
    ComponentResult batch = converge.convergeBatch(batch(request, "jobs"));

    assertThat(read).isEqualTo(snapshot.count("jobs"));
    // The copy changed by hand is put back, from what the read ahead found.
    assertThat(batch.counts()).isEqualTo(new ChangeCounts(0, 1, snapshot.count("jobs") - 1, 0));
    assertThat(jobReads()).isEmpty();
    assertThat(converge.checkBatch(batch(request, "jobs")).counts().updated()).isZero();
  }

  @Test
  void aRetryOfTheBatchReadsDrItselfAndCreatesNothingTwice() {
    SnapshotRef snapshot = capture();
    ConvergeRequest request = request(snapshot);
    converge.convergeBatch(batch(request, "warehouses"));
    converge.convergeBatch(batch(request, "cluster-policies"));
    converge.convergeBatch(batch(request, "clusters"));

    converge.readAhead(request, "jobs");
    ComponentResult first = converge.convergeBatch(batch(request, "jobs"));
    cloud.simulator.requests().clear();
    ComponentResult again = converge.convergeBatch(batch(request, "jobs"));

    assertThat(first.counts().created()).isEqualTo(snapshot.count("jobs"));
    assertThat(again.counts()).isEqualTo(new ChangeCounts(0, 0, snapshot.count("jobs"), 0));
    assertThat(jobReads()).isNotEmpty();
    assertThat(dr().jobs().list(new ListJobsRequest())).hasSize(snapshot.count("jobs"));
  }

  @Test
  void aDrillReadsEveryCopyBeforeCaptureAndOnlyListsDrsOwnJobs() {
    SnapshotRef kept = capture();
    activities.convergeAll(request(kept));
    dr().jobs().create(new CreateJob().setName("dr-local-housekeeping"));
    ConvergeRequest drill = drill(null);

    cloud.simulator.requests().clear();
    int read = converge.readAheadAll(drill, "jobs");
    // A job with many tasks is read in pages: count the jobs, not the requests.
    long reads = jobReads().stream().map(r -> r.query().replaceAll("&.*", "")).distinct().count();
    SnapshotRef snapshot = capture();
    cloud.simulator.requests().clear();
    ComponentResult batch = converge.convergeBatch(batch(drill(snapshot), "jobs"));

    // The copies the tool tagged are read in full; DR's own job is only listed.
    assertThat(read).isEqualTo(kept.count("jobs"));
    assertThat(reads).isEqualTo((long) kept.count("jobs"));
    assertThat(batch.counts().created()).isZero();
    assertThat(jobReads()).isEmpty();
    assertThat(converge.checkBatch(batch(drill(snapshot), "jobs")).counts().updated()).isZero();
  }

  @Test
  void aDrillConvergesTheJobsCaptureHandsOnBeforeTheSnapshotIsStored() throws Exception {
    // At 100 ms a round trip capture is still reading when the converge ahead starts.
    cloud.simulator.setLatency("databricks", "primary", 100);
    ConvergeRequest before = drill(null);
    converge.readAheadAll(before, "jobs");
    cloud.simulator.requests().clear();
    Ahead ahead = convergeAheadOfCapture(before);
    SnapshotRef snapshot = ahead.snapshot();
    long firstCreate = firstAnswered("/jobs/create");
    long snapshotStored =
        cloud.simulator.requests().all().stream()
            .filter(r -> r.service().equals("s3") && r.method().equals("PUT"))
            .filter(r -> r.path().endsWith("snapshots/now.json.gz"))
            .mapToLong(RecordedRequest::answeredAtMillis)
            .min()
            .orElseThrow();
    ConvergeRequest drill = drill(snapshot);
    converge.convergeBatch(batch(drill, "warehouses"));
    converge.convergeBatch(batch(drill, "cluster-policies"));
    converge.convergeBatch(batch(drill, "clusters"));
    ComponentResult batch = converge.convergeBatch(batch(drill, "jobs"));

    int jobs = snapshot.count("jobs");
    // The jobs that name no warehouse, cluster, policy or other job went ahead, written before
    // capture had stored the snapshot; the others waited for the batch.
    assertThat(ahead.result().counts().created()).isPositive().isLessThan(jobs);
    assertThat(firstCreate).isLessThan(snapshotStored);
    assertThat(batch.counts().created()).isEqualTo(jobs - ahead.result().counts().created());
    assertThat(batch.counts().unchanged()).isZero();
    // Nothing created twice, and each copy as the snapshot wants it.
    assertThat(carriedOut("/jobs/create")).as("%s", requestsTo("/jobs/create")).hasSize(jobs);
    assertThat(dr().jobs().list(new ListJobsRequest())).hasSize(jobs);
    assertThat(converge.checkBatch(batch(drill, "jobs")).counts().unchanged()).isEqualTo(jobs);
    // The drill's ledger holds the jobs written ahead too: its clean-up removes every copy.
    assertThat(converge.removeComponentCreatedByRun(drill, "jobs").deleted()).isEqualTo(jobs);
  }

  @Test
  void aJobItsCopyCannotHoldIsLeftToTheBatchWhichFailsNamingIt() throws Exception {
    // 25 tags, the most a job can have: its copy has no room for the tool's identity tag.
    java.util.Map<String, String> tags = new java.util.TreeMap<>();
    for (int i = 0; i < JobsComponent.MAX_TAGS; i++) {
      tags.put("tag-" + i, "v");
    }
    cloud
        .clients
        .workspace(SimulatedCloud.primary())
        .jobs()
        .create(new CreateJob().setName("tagged-to-the-limit").setTags(tags));
    cloud.simulator.setLatency("databricks", "primary", 100);
    ConvergeRequest before = drill(null);
    converge.readAheadAll(before, "jobs");

    Ahead ahead = convergeAheadOfCapture(before);
    ConvergeRequest drill = drill(ahead.snapshot());
    converge.convergeBatch(batch(drill, "warehouses"));
    converge.convergeBatch(batch(drill, "cluster-policies"));
    converge.convergeBatch(batch(drill, "clusters"));

    // The converge ahead wrote the demo's eight jobs that stand alone and left that one; the
    // batch fails on it, naming it, as it would without the converge ahead.
    assertThat(ahead.result().counts().created()).isEqualTo(8);
    assertThatThrownBy(() -> converge.convergeBatch(batch(drill, "jobs")))
        .hasMessageContaining("tagged-to-the-limit has 25 tags");
    List<BaseJob> copies = new java.util.ArrayList<>();
    dr().jobs().list(new ListJobsRequest()).forEach(copies::add);
    assertThat(copies)
        .extracting(job -> job.getSettings().getName())
        .doesNotHaveDuplicates()
        .doesNotContain("tagged-to-the-limit");
    assertThat(carriedOut("/jobs/create"))
        .as("%s", requestsTo("/jobs/create"))
        .hasSize(copies.size());
  }

  @Test
  void nothingIsConvergedAheadWithoutACaptureOnThisWorker() {
    ComponentResult ahead =
        converge.convergeAsCaptured(
            drill(null), "jobs", SimulatedCloud.replicaBucket(), "failover/x/snapshots/gone.json");

    assertThat(ahead).isEqualTo(ComponentResult.NONE);
    assertThat(dr().jobs().list(new ListJobsRequest())).isEmpty();
  }

  /** What a converge ahead of capture did, and the snapshot capture stored meanwhile. */
  private record Ahead(ComponentResult result, SnapshotRef snapshot) {}

  /**
   * Runs capture and, beside it, the drill's converge ahead of it, as a worker runs the two
   * activities at once: capture in an activity environment of its own (the test environment runs
   * one activity at a time), both sharing the worker's snapshot store.
   */
  private Ahead convergeAheadOfCapture(ConvergeRequest before) throws Exception {
    cloud.simulator.requests().clear();
    java.util.concurrent.ExecutorService capturing =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    io.temporal.testing.TestActivityEnvironment captureSlot = ActivityEnvironments.withHeartbeats();
    try {
      captureSlot.registerActivitiesImplementations(
          new CaptureActivitiesImpl(cloud.clients, activities.store));
      CaptureActivities capture =
          captureSlot.newActivityStub(
              CaptureActivities.class,
              io.temporal.activity.ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(java.time.Duration.ofMinutes(1))
                  .setHeartbeatTimeout(java.time.Duration.ofSeconds(30))
                  .build());
      java.util.concurrent.Future<SnapshotRef> captured =
          capturing.submit(
              () ->
                  capture.captureControlPlane(
                      SimulatedCloud.primary(),
                      List.of(),
                      SimulatedCloud.replicaBucket(),
                      SNAPSHOT));
      while (activities.store.capturing().find(SNAPSHOT, "jobs").isEmpty() && !captured.isDone()) {
        Thread.sleep(5);
      }
      ComponentResult ahead =
          converge.convergeAsCaptured(before, "jobs", SimulatedCloud.replicaBucket(), SNAPSHOT);
      return new Ahead(ahead, captured.get());
    } finally {
      capturing.shutdown();
      captureSlot.close();
    }
  }

  private long firstAnswered(String pathPart) {
    return requestsTo(pathPart).stream()
        .mapToLong(RecordedRequest::answeredAtMillis)
        .min()
        .orElseThrow();
  }

  /**
   * The requests to DR's Databricks whose path holds {@code pathPart} that it answered 200. On a
   * machine loaded enough for the client's timeout to pass before the simulator reads a request,
   * the client closes the connection and retries: that request was recorded but wrote nothing.
   */
  private List<RecordedRequest> carriedOut(String pathPart) {
    return requestsTo(pathPart).stream().filter(r -> r.status() == 200).toList();
  }

  /** The requests sent to DR's Databricks whose path holds {@code pathPart}. */
  private List<RecordedRequest> requestsTo(String pathPart) {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.service().equals("databricks") && r.side().equals("secondary"))
        .filter(r -> r.path().contains(pathPart))
        .toList();
  }

  /** A drill's request: its run id names the read ahead, made before there is a snapshot. */
  private static ConvergeRequest drill(SnapshotRef snapshot) {
    ConvergeRequest request = request(snapshot);
    return new ConvergeRequest(
        request.target(),
        snapshot,
        request.storagePathRewrites(),
        request.runbook(),
        "drill-run-2",
        request.account(),
        request.compute(),
        request.storageCredentials(),
        true,
        List.of(),
        List.of(),
        null);
  }

  private SnapshotRef capture() {
    return activities.capture.captureControlPlane(
        SimulatedCloud.primary(), List.of(), SimulatedCloud.replicaBucket(), SNAPSHOT);
  }

  private WorkspaceClient dr() {
    return cloud.clients.workspace(SimulatedCloud.secondary());
  }

  /** The reads of single jobs ({@code jobs/get}) sent to DR. */
  private List<RecordedRequest> jobReads() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.service().equals("databricks") && r.side().equals("secondary"))
        .filter(r -> r.path().contains("/jobs/get"))
        .toList();
  }
}
