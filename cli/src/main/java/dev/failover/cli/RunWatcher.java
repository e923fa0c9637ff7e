package dev.failover.cli;

import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowTargetOptions;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows a run until it ends: polls its progress query and prints each step as it starts and ends,
 * then returns the final report, including the report of a failed run.
 */
public final class RunWatcher {
  private static final Duration POLL = Duration.ofMillis(300);
  private final WorkflowClient client;
  private boolean queryFailing;

  public RunWatcher(WorkflowClient client) {
    this.client = client;
  }

  /** Waits for the run to end, printing progress to {@code progress} (null: print nothing). */
  public RunReport follow(String workflowId, String runId, PrintWriter progress) {
    RunbookWorkflow run = stubFor(client, workflowId, runId);
    Map<String, StepStatus> shown = new HashMap<>();
    Instant start = Instant.now();
    while (true) {
      try {
        RunReport report = result(run, POLL);
        print(report, shown, start, progress);
        return report;
      } catch (TimeoutException e) {
        if (progress != null) {
          print(queryProgress(run, progress), shown, start, progress);
        }
      }
    }
  }

  /**
   * The run's progress, or null when no worker answers the query right now: the worker that ran the
   * run may have died, and until another worker picks the run up, queries time out. The run itself
   * goes on, so the watcher keeps waiting rather than giving up.
   */
  private RunReport queryProgress(RunbookWorkflow run, PrintWriter out) {
    try {
      RunReport report = run.progress();
      queryFailing = false;
      return report;
    } catch (WorkflowServiceException e) {
      if (!queryFailing && out != null) {
        out.println(
            "(no worker answered the progress query: "
                + rootMessage(e)
                + "; still waiting for the run)");
        out.flush();
      }
      queryFailing = true;
      return null;
    }
  }

  /** A stub of a run: the latest run of the workflow id when {@code runId} is null. */
  static RunbookWorkflow stubFor(WorkflowClient client, String workflowId, String runId) {
    WorkflowTargetOptions.Builder target =
        WorkflowTargetOptions.newBuilder().setWorkflowId(workflowId);
    if (runId != null) {
      target.setRunId(runId);
    }
    return client.newWorkflowStub(RunbookWorkflow.class, target.build());
  }

  /**
   * The finished run's report, also of a failed run; throws TimeoutException while it still runs.
   * Waiting with a bound is the one thing only the stub's untyped view offers.
   */
  static RunReport result(RunbookWorkflow run, Duration wait) throws TimeoutException {
    WorkflowStub stub = WorkflowStub.fromTyped(run);
    try {
      return stub.getResult(wait.toMillis(), TimeUnit.MILLISECONDS, RunReport.class);
    } catch (WorkflowFailedException e) {
      if (e.getCause() instanceof ApplicationFailure failure
          && RunbookWorkflow.RUN_FAILED.equals(failure.getType())) {
        return failure.getDetails().get(RunReport.class);
      }
      throw new CliException(
          ExitCodes.FAILED,
          "run "
              + stub.getExecution().getWorkflowId()
              + " ended without a report: "
              + rootMessage(e));
    }
  }

  static String rootMessage(WorkflowException e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  private static void print(
      RunReport report, Map<String, StepStatus> shown, Instant start, PrintWriter out) {
    if (out == null || report == null) {
      return;
    }
    for (StepReport step : report.steps()) {
      if (step.status() == StepStatus.PENDING || step.status() == shown.get(step.name())) {
        continue;
      }
      shown.put(step.name(), step.status());
      shown.remove(WAITING);
      double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
      out.printf(
          "[%6.1fs] %-19s %-10s %s%n",
          elapsed,
          step.name(),
          step.status(),
          step.message() != null
              ? step.message()
              : "approval".equals(step.name()) && step.status() == StepStatus.RUNNING
                  ? "waiting: approve with `failover approve "
                      + report.workflowId()
                      + " --by NAME [--comment TEXT]`"
                  : step.description());
      out.flush();
    }
    // A wait for an operator other than the approval (which its step line explains): say how to
    // answer it, once per wait.
    String waiting = report.waitingFor();
    if (waiting != null && !waiting.equals("approval") && !shown.containsKey(WAITING)) {
      shown.put(WAITING, StepStatus.PENDING);
      double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
      out.printf(
          "[%6.1fs] waiting for %s: %s%n",
          elapsed,
          waiting,
          waiting.startsWith("resume")
              ? "`failover resume " + report.workflowId() + " --by NAME`"
              : "`failover retry|skip|abort "
                  + report.workflowId()
                  + " --by NAME [--reason TEXT]`");
      out.flush();
    }
  }

  /** Key in the map of shown statuses that marks an operator wait as announced. */
  private static final String WAITING = "\0waiting";
}
