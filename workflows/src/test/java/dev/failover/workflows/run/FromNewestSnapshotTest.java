package dev.failover.workflows.run;

import static dev.failover.workflows.run.MockedRun.SNAPSHOT;
import static dev.failover.workflows.run.MockedRun.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.ComponentBatch;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * A failover asked to converge from the primary's newest snapshot ({@code --from-newest-snapshot})
 * finds it in readiness, before the fence, and never reads the primary's control plane; the
 * snapshot's age is the run's control-plane RPO.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // see MockedRun: a run that stands still fails
class FromNewestSnapshotTest {
  private static final String PREFIX = "failover/" + MockedRun.RUNBOOK + "/snapshots/";

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
  void aFailoverConvergesFromTheSnapshotReadinessFoundAndNeverCapturesThePrimary() {
    when(mocked.capture.latestSnapshot(any(), any(), eq(PREFIX))).thenReturn(SNAPSHOT);

    RunReport report = mocked.newRun().run(request(Mode.FAILOVER));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    verify(mocked.capture, never()).captureControlPlane(any(), anyList(), any(), anyString());
    // Looked up once, in readiness: capture converges from the snapshot the approver saw.
    verify(mocked.capture, times(1)).latestSnapshot(any(), any(), eq(PREFIX));
    InOrder order = inOrder(mocked.capture, mocked.fencing);
    order.verify(mocked.capture).latestSnapshot(any(), any(), eq(PREFIX));
    order.verify(mocked.fencing).fence(any());
    assertThat(step(report, "readiness").message())
        .contains("DR will be converged from the primary's newest snapshot " + SNAPSHOT.key())
        .contains("what changed on the primary since is not carried over")
        // Captured at midnight, hours before this run, with the runbook capturing hourly: the
        // approver is told before approving.
        .contains("the snapshot is older than twice the capture interval of 60 min");
    assertThat(step(report, "capture").message())
        .startsWith(
            "as asked (--from-newest-snapshot), the primary is not read: using its newest"
                + " snapshot s3://acme-lakehouse-usw2/"
                + SNAPSHOT.key());
    assertThat(report.snapshot()).isEqualTo(SNAPSHOT);
    assertThat(report.controlPlaneRpoSeconds()).isPositive();
    assertThat(report.controlPlaneRpoBasis()).contains("(--from-newest-snapshot)");
    assertThat(ReportMarkdown.render(report)).contains("--from-newest-snapshot");
    ArgumentCaptor<ComponentBatch> batches = ArgumentCaptor.forClass(ComponentBatch.class);
    verify(mocked.converge, atLeastOnce()).convergeBatch(batches.capture());
    assertThat(batches.getAllValues()).allMatch(b -> b.request().snapshot().equals(SNAPSHOT));
  }

  @Test
  void withoutASnapshotTheFailoverStopsInReadinessBeforeAnythingIsChanged() {
    when(mocked.capture.latestSnapshot(any(), any(), anyString())).thenReturn(null);

    assertThatThrownBy(() -> mocked.newRun().run(request(Mode.FAILOVER)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getOriginalMessage())
                  .contains(
                      "the failover was asked to converge from the primary's newest snapshot and"
                          + " no snapshot of the primary is in s3://acme-lakehouse-usw2/"
                          + PREFIX)
                  .contains("take snapshots with `failover capture`");
              RunReport report = failure.getDetails().get(RunReport.class);
              assertThat(step(report, "readiness").status()).isEqualTo(StepStatus.FAILED);
              assertThat(report.failure()).contains("no snapshot of the primary");
            });
    verify(mocked.fencing, never()).fence(any());
    verify(mocked.storage, never()).promoteReplica(any());
    verify(mocked.capture, never()).captureControlPlane(any(), anyList(), any(), anyString());
  }

  @Test
  void aDrillReadsThePrimaryWhateverItWasAsked() {
    RunReport report = mocked.newRun().run(request(Mode.DRILL));

    assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
    verify(mocked.capture).captureControlPlane(any(), anyList(), any(), anyString());
    verify(mocked.capture, never()).latestSnapshot(any(), any(), anyString());
    assertThat(report.controlPlaneRpoSeconds()).isNull();
  }

  private static RunRequest request(Mode mode) {
    Runbook unattended =
        TestRunbooks.example()
            .withApproval(new Runbook.Approval(false, false, List.of(), 60, null));
    return new RunRequest(unattended, mode, "INC-9", "sre@acme.com", false, false, false, true);
  }
}
