package dev.failover.workflows.run;

import static dev.failover.workflows.run.MockedRun.SNAPSHOT;
import static dev.failover.workflows.run.MockedRun.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.VerifiedTarget;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * The record that DR matched a snapshot: a kept drill and a failover leave it when their smoke test
 * passes, every run claims it before converging, and a failover with the same settings converges
 * and checks only the drift since it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // see MockedRun: a run that stands still fails
class VerifiedTargetTest {
  private static final String KEY = "failover/" + MockedRun.RUNBOOK + "/verified-target.json";

  /** An earlier snapshot than the one the runs capture. */
  private static final SnapshotRef EARLIER =
      new SnapshotRef(
          SNAPSHOT.location(),
          "failover/acme-lakehouse/snapshots/earlier.json.gz",
          "v0",
          "cd34",
          90,
          "2026-11-24T00:00:00Z",
          3,
          7,
          11,
          4,
          SNAPSHOT.components());

  private MockedRun mocked;

  @BeforeEach
  void start() {
    mocked = new MockedRun();
  }

  @AfterEach
  void stop() {
    mocked.close();
  }

  @Test
  void aKeptDrillClaimsTheRecordBeforeConvergingAndLeavesANewOneOnceItsSmokeTestPasses() {
    RunReport report = mocked.newRun().run(request(Mode.DRILL, true, false));
    verify(mocked.capture).captureControlPlane(any(), any(), any(), anyString());

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    VerifiedTarget recorded = recorded();
    assertThat(recorded.snapshot()).isEqualTo(SNAPSHOT);
    assertThat(recorded.mode()).isEqualTo("drill");
    assertThat(recorded.targetHost()).isEqualTo(TestRunbooks.example().secondary().workspaceHost());
    InOrder order = inOrder(mocked.capture, mocked.converge, mocked.smokeTest);
    // A drill's capture runs beside readiness, which gives the record up once its checks pass.
    order.verify(mocked.capture).claimVerifiedTarget(any(BucketTarget.class), eq(KEY));
    order.verify(mocked.converge, atLeastOnce()).convergeBatch(any());
    order.verify(mocked.smokeTest).recordVerifiedTarget(any(), eq(KEY), any());
  }

  @Test
  void aRecordThatCannotBeStoredDoesNotFailARunWhoseTargetMatches() {
    org.mockito.Mockito.doThrow(
            io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
                "write s3://acme-lakehouse-usw2/" + KEY + ": AccessDenied", "AccessDenied"))
        .when(mocked.smokeTest)
        .recordVerifiedTarget(any(), eq(KEY), any());

    RunReport report = mocked.newRun().run(request(Mode.DRILL, true, false));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(step(report, "smoke-test").message())
        .contains("the record that it matches was not stored")
        .contains("AccessDenied")
        .contains("the next failover compares every object");
  }

  @Test
  void aDrillThatRemovesWhatItCreatedClaimsTheRecordAndLeavesNone() {
    RunReport report = mocked.newRun().run(request(Mode.DRILL, false, false));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    verify(mocked.capture).claimVerifiedTarget(any(BucketTarget.class), eq(KEY));
    verify(mocked.smokeTest, never()).recordVerifiedTarget(any(), any(), any());
  }

  @Test
  void aFailoverConvergesAndChecksOnlyTheDriftSinceTheSnapshotDrMatched() {
    when(mocked.capture.claimVerifiedTarget(any(), eq(KEY))).thenReturn(earlierRecord(null));

    RunReport report = mocked.newRun().run(request(Mode.FAILOVER, false, false));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(convergedFrom()).containsOnly(EARLIER);
    assertThat(checkedFrom()).containsOnly(EARLIER);
    assertThat(step(report, "capture").message())
        .contains("matched snapshot " + EARLIER.key())
        .contains("only what changed since is converged and checked");
    assertThat(step(report, "smoke-test").message())
        .contains("the others unchanged since it matched " + EARLIER.key());
    assertThat(recorded().snapshot()).isEqualTo(SNAPSHOT);
    assertThat(recorded().mode()).isEqualTo("failover");
    // The jobs batches read only what changed: DR's copies are not read ahead.
    verify(mocked.converge, never()).readAhead(any(), any());
    verify(mocked.converge, never()).readAheadAll(any(), any());
  }

  @Test
  void aFailoverAskedToCompareEverythingComparesEverything() {
    when(mocked.capture.claimVerifiedTarget(any(), eq(KEY))).thenReturn(earlierRecord(null));

    RunReport report = mocked.newRun().run(request(Mode.FAILOVER, false, true));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(convergedFrom()).containsOnlyNulls();
    assertThat(checkedFrom()).containsOnlyNulls();
    assertThat(step(report, "capture").message()).contains("(--compare-all)");
    // Only once capture has claimed the record: a failover reads no copy before, and writes
    // nothing before capture has stored the snapshot.
    verify(mocked.converge).readAhead(any(), eq("jobs"));
    verify(mocked.converge, never()).readAheadAll(any(), any());
    verify(mocked.converge, never()).convergeAsCaptured(any(), any(), any(), any());
  }

  @Test
  void aRecordMadeWithOtherComputeRulesIsNotTrusted() {
    ComputeRules other = new ComputeRules(Map.of("us-east-1a", "us-west-2a"), null, Map.of());
    when(mocked.capture.claimVerifiedTarget(any(), eq(KEY))).thenReturn(earlierRecord(other));

    RunReport report = mocked.newRun().run(request(Mode.FAILOVER, false, false));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(convergedFrom()).containsOnlyNulls();
    assertThat(step(report, "capture").message())
        .contains("compute rules or credential mappings changed since it matched");
  }

  @Test
  void aDrillNeverTrustsTheRecord() {
    when(mocked.capture.claimVerifiedTarget(any(), eq(KEY))).thenReturn(earlierRecord(null));

    RunReport report = mocked.newRun().run(request(Mode.DRILL, true, false));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(convergedFrom()).containsOnlyNulls();
  }

  private static RunRequest request(Mode mode, boolean keep, boolean compareAll) {
    Runbook unattended =
        TestRunbooks.example()
            .withApproval(new Runbook.Approval(false, false, List.of(), 60, null));
    return new RunRequest(
        unattended, mode, "INC-9", "sre@acme.com", keep, false, compareAll, false);
  }

  /** What the example's DR matched at {@link #EARLIER}; its compute rules, unless given. */
  private static VerifiedTarget earlierRecord(ComputeRules compute) {
    var runbook = TestRunbooks.example();
    return new VerifiedTarget(
        EARLIER,
        runbook.secondary().workspaceHost(),
        "run-0",
        "drill",
        "2026-11-24T01:00:00Z",
        runbook.storagePathRewrites(),
        compute == null ? runbook.compute() : compute,
        runbook.storageCredentials());
  }

  private VerifiedTarget recorded() {
    ArgumentCaptor<VerifiedTarget> recorded = ArgumentCaptor.forClass(VerifiedTarget.class);
    verify(mocked.smokeTest).recordVerifiedTarget(any(), eq(KEY), recorded.capture());
    return recorded.getValue();
  }

  private List<SnapshotRef> convergedFrom() {
    ArgumentCaptor<ComponentBatch> batches = ArgumentCaptor.forClass(ComponentBatch.class);
    verify(mocked.converge, atLeastOnce()).convergeBatch(batches.capture());
    return batches.getAllValues().stream().map(b -> b.request().verifiedSnapshot()).toList();
  }

  private List<SnapshotRef> checkedFrom() {
    ArgumentCaptor<ConvergeRequest> controlPlane = ArgumentCaptor.forClass(ConvergeRequest.class);
    verify(mocked.smokeTest).verifyControlPlane(controlPlane.capture());
    ArgumentCaptor<ComponentBatch> batches = ArgumentCaptor.forClass(ComponentBatch.class);
    verify(mocked.converge, atLeastOnce()).checkBatch(batches.capture());
    List<SnapshotRef> all =
        new java.util.ArrayList<>(
            batches.getAllValues().stream().map(b -> b.request().verifiedSnapshot()).toList());
    all.add(controlPlane.getValue().verifiedSnapshot());
    return all;
  }
}
