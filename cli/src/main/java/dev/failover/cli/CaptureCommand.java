package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.capture.CaptureReport;
import dev.failover.workflows.capture.CaptureRequest;
import dev.failover.workflows.capture.CaptureWorkflow;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.SnapshotDrift;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code failover capture -f FILE}: a snapshot of the primary's control plane now, stored in the
 * replica bucket for the outage path, with what changed since the previous one.
 */
@Command(
    name = "capture",
    description =
        "Snapshot the primary's control plane into the replica bucket (for a failover when the"
            + " primary is down) and show the drift since the previous snapshot.")
public final class CaptureCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;
  @Mixin OutputOptions output;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "The runbook")
  Path file;

  @Override
  public Integer call() throws InvalidRunbookException {
    Runbook runbook = RunbookFiles.load(file);
    try (TemporalConnection temporal = connection.connect()) {
      CaptureReport report = captureNow(temporal.client(), runbook);
      print(report, spec.commandLine().getOut());
      return ExitCodes.OK;
    }
  }

  /**
   * Captures the primary now, as a capture schedule would, and waits for the report; refuses while
   * another capture of the runbook runs.
   */
  public static CaptureReport captureNow(WorkflowClient client, Runbook runbook) {
    CaptureWorkflow workflow =
        client.newWorkflowStub(
            CaptureWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
                .setWorkflowId(CaptureWorkflow.workflowId(runbook.name()))
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .setStaticSummary("capture of runbook " + runbook.name() + "'s primary")
                .build());
    try {
      WorkflowClient.start(
          workflow::capture,
          new CaptureRequest(runbook, System.getProperty("user.name", "unknown")));
      return WorkflowStub.fromTyped(workflow).getResult(CaptureReport.class);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CliException(
          ExitCodes.FAILED, "a capture of runbook " + runbook.name() + " is already running");
    } catch (WorkflowFailedException e) {
      throw new CliException(ExitCodes.FAILED, "the capture failed: " + RunWatcher.rootMessage(e));
    }
  }

  private void print(CaptureReport report, PrintWriter out) {
    if (output.json()) {
      try {
        out.println(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(report));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new java.io.UncheckedIOException(e);
      }
      out.flush();
      return;
    }
    if (report.skipped() != null) {
      out.printf("Skipped the capture of runbook %s: %s%n", report.runbook(), report.skipped());
      out.flush();
      return;
    }
    out.printf(
        "Captured the primary of runbook %s: s3://%s/%s%n  %d catalogs, %d schemas, %d tables"
            + " and views, %d grants, captured %s%n",
        report.runbook(),
        report.snapshot().location().bucket(),
        report.snapshot().key(),
        report.snapshot().catalogs(),
        report.snapshot().schemas(),
        report.snapshot().tables(),
        report.snapshot().grants(),
        report.snapshot().capturedAt());
    out.printf(
        "Drift since %s:%n",
        report.previous() == null
            ? "nothing (the first snapshot of the primary)"
            : report.previous().key() + " (" + report.previous().capturedAt() + ")");
    for (SnapshotDrift.Component c : report.drift().components()) {
      out.printf(
          "  %-9s +%d added  ~%d changed  -%d removed  %s%n",
          c.component(), c.added(), c.changed(), c.removed(), String.join(" ", c.examples()));
    }
    out.flush();
  }
}
