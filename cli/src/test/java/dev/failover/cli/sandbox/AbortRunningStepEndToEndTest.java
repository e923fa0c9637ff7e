package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.ExitCodes;
import dev.failover.cli.FailoverCli;
import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.run.RunbookWorkflowImpl;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import dev.failover.workflows.runbook.Runbook;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code failover abort} while a failover's storage promotion waits for the replication backlog to
 * drain (the runbook allows 10 minutes): the worker's promotion hears the cancellation at a
 * heartbeat and stops before it changed any replication rule, the run ends aborted within the
 * heartbeat timeout, and the report says the step was aborted.
 */
class AbortRunningStepEndToEndTest {
  private static final String RUN = "failover-acme-lakehouse";

  @Test
  void anAbortStopsAPromotionWaitingForTheBacklogToDrain() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      S3State s3 = sandbox.simulator().s3();
      // An object that replicates an hour from now: the promotion waits for its whole drain bound.
      s3.setReplicationLag(DemoWorkspace.PRIMARY_BUCKET, Duration.ofHours(1));
      s3.putObject(
          DemoWorkspace.PRIMARY_BUCKET, "uc/sales/bronze/orders/late.parquet", new byte[1]);
      CompletableFuture<RunReport> failover =
          CompletableFuture.supplyAsync(
              () ->
                  sandbox.runApproved(
                      runbook,
                      Mode.FAILOVER,
                      "INC-ABORT-1",
                      new Approval("oncall-sre", "us-east-1 degraded"),
                      new PrintWriter(new StringWriter())));
      RunbookWorkflow run = sandbox.temporal().client().newWorkflowStub(RunbookWorkflow.class, RUN);
      awaitOnlyPromotionRunning(sandbox, run);

      long abortedAt = System.nanoTime();
      assertThat(abort(sandbox)).isEqualTo(ExitCodes.OK);
      RunReport report = failover.get(2, TimeUnit.MINUTES);
      long stoppedMillis = (System.nanoTime() - abortedAt) / 1_000_000;

      assertThat(report.outcome()).isEqualTo(Outcome.ABORTED);
      assertThat(report.failure()).isEqualTo("aborted by oncall-sre: primary recovered");
      StepReport promote = step(report, "promote-storage");
      assertThat(promote.status()).isEqualTo(StepStatus.ABORTED);
      assertThat(promote.message()).startsWith("stopped while running, its activities cancelled");
      // The smoke test had checked the jobs and waited for the promotion: the abort stopped it.
      StepReport smoke = step(report, "smoke-test");
      assertThat(smoke.status()).isEqualTo(StepStatus.ABORTED);
      assertThat(smoke.message()).startsWith("stopped while running");
      // The heartbeat timeout of the storage activities (20 s) bounds the stop; the worker sends a
      // heartbeat every 3 s.
      assertThat(stoppedMillis).isLessThan(20_000);
      // The promotion stopped in its drain wait: replication still runs primary to DR. DR counts
      // as active from the promotion's first change on (so that no drill takes the pair), which is
      // where a new failover picks the promotion up, or a failback undoes it.
      assertThat(s3.replication(DemoWorkspace.PRIMARY_BUCKET).rules())
          .allMatch(rule -> rule.status().equals("Enabled"));
      assertThat(s3.tagsOrEmpty(DemoWorkspace.REPLICA_BUCKET))
          .containsEntry("failover:role", "active");
      // The workflow waited for the worker to confirm: the history holds the activity cancelled.
      WorkflowExecutionHistory history = sandbox.temporal().client().fetchHistory(RUN);
      assertThat(history.getHistory().getEventsList().stream().map(HistoryEvent::getEventType))
          .contains(
              EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
              EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED);
      // And the aborted run replays against the workflow code (its cancellations included).
      WorkflowReplayer.replayWorkflowExecution(history, RunbookWorkflowImpl.class);
    }
  }

  /**
   * Waits until the promotion's is the only activity running: every converge step has run, and the
   * smoke test, which checked the jobs once converge-jobs had run, waits for the promotion without
   * an activity of its own. Temporal's test server refuses the cancellation of an activity that
   * completes while the abort's workflow task is in flight (a Temporal server accepts it), so the
   * abort waits for every other activity to be done, as the history shows.
   */
  private static void awaitOnlyPromotionRunning(Sandbox sandbox, RunbookWorkflow run)
      throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      try {
        RunReport report = run.progress();
        if (report != null
            && step(report, "promote-storage").status() == StepStatus.RUNNING
            && report.steps().stream()
                .filter(s -> s.status() == StepStatus.RUNNING)
                .allMatch(s -> Set.of("promote-storage", "smoke-test").contains(s.name()))
            && activitiesOpen(sandbox) == 1) {
          return;
        }
      } catch (io.temporal.client.WorkflowException e) {
        // Not started yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the promotion never ran alone: " + run.progress());
  }

  /** The activities the run's history shows scheduled and not yet closed. */
  private static long activitiesOpen(Sandbox sandbox) {
    List<HistoryEvent> events =
        sandbox.temporal().client().fetchHistory(RUN).getHistory().getEventsList();
    Set<Long> open = new HashSet<>();
    for (HistoryEvent event : events) {
      switch (event.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> open.add(event.getEventId());
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
            open.remove(event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
            open.remove(event.getActivityTaskFailedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
            open.remove(event.getActivityTaskTimedOutEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
            open.remove(event.getActivityTaskCanceledEventAttributes().getScheduledEventId());
        default -> {}
      }
    }
    return open.size();
  }

  private static int abort(Sandbox sandbox) {
    CommandLine abort = FailoverCli.commandLine();
    abort.setOut(new PrintWriter(new StringWriter()));
    return abort.execute(
        "abort",
        RUN,
        "--by",
        "oncall-sre",
        "--reason",
        "primary recovered",
        "--address",
        sandbox.temporalAddress());
  }

  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
