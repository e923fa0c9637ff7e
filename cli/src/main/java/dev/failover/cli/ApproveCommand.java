package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunbookWorkflow;
import io.temporal.client.WorkflowNotFoundException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code failover approve RUN --by NAME}: lets a run that waits for approval go on. The approver
 * must be one of the runbook's {@code approval.approvers} when it names any; the name is not
 * authenticated (the Temporal server's own access control decides who may signal a run).
 */
@Command(
    name = "approve",
    description = "Approve a run that waits at its approval step; recorded in its history.")
final class ApproveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id (failover-<runbook>)")
  String workflowId;

  @Option(names = "--by", required = true, description = "Who approves (recorded)")
  String by;

  @Option(names = "--comment", description = "Why, or where the decision was taken (recorded)")
  String comment;

  /**
   * The run's progress. A query needs a worker: right after a worker died, none may answer for a
   * little while, so the query is retried for up to {@link #QUERY_PATIENCE}.
   */
  private RunReport progress(RunbookWorkflow run) {
    java.time.Instant deadline = java.time.Instant.now().plus(QUERY_PATIENCE);
    while (true) {
      try {
        return run.progress();
      } catch (WorkflowNotFoundException e) {
        throw e;
      } catch (io.temporal.client.WorkflowException | io.grpc.StatusRuntimeException e) {
        if (java.time.Instant.now().isAfter(deadline)) {
          throw new CliException(
              ExitCodes.FAILED,
              "no worker answered run "
                  + workflowId
                  + " for "
                  + QUERY_PATIENCE.toSeconds()
                  + " s; is a worker running? (the approval was not sent)");
        }
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new CliException(ExitCodes.FAILED, "interrupted");
        }
      }
    }
  }

  private static final java.time.Duration QUERY_PATIENCE = java.time.Duration.ofSeconds(60);

  @Override
  public Integer call() {
    if (by.isBlank() || by.length() > 200) {
      throw new CliException(ExitCodes.USAGE, "--by must name who approves (1-200 characters)");
    }
    try (TemporalConnection temporal = connection.connect()) {
      RunbookWorkflow run = temporal.client().newWorkflowStub(RunbookWorkflow.class, workflowId);
      try {
        RunReport report = progress(run);
        if (report == null || !"approval".equals(report.waitingFor())) {
          throw new CliException(
              ExitCodes.FAILED,
              "run "
                  + workflowId
                  + " is not waiting for an approval"
                  + (report == null ? "" : " (outcome " + report.outcome() + ")"));
        }
        List<String> approvers = report.approvers() == null ? List.of() : report.approvers();
        if (!approvers.isEmpty() && !approvers.contains(by.trim())) {
          throw new CliException(
              ExitCodes.USAGE,
              "--by: '" + by.trim() + "' is not one of the runbook's approvers " + approvers);
        }
        run.approve(new Approval(by.trim(), comment));
      } catch (WorkflowNotFoundException e) {
        throw new CliException(
            ExitCodes.FAILED, "no running run " + workflowId + " on " + temporal.target());
      }
      spec.commandLine().getOut().printf("approved %s as %s%n", workflowId, by.trim());
      return ExitCodes.OK;
    }
  }
}
