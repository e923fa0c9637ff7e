package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.PlanReport;
import dev.failover.workflows.run.PlanWorkflow;
import dev.failover.workflows.run.RunRequest;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentPreview;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code failover plan -f FILE --mode MODE}: a dry run. It shows the steps a run of the mode would
 * take, what readiness says now, and per component what converging would create, update, remove or
 * leave unchanged; it changes nothing.
 */
@Command(
    name = "plan",
    description =
        "Dry run of a mode: its steps, readiness now, and what converging would change; changes"
            + " nothing.")
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "The runbook")
  Path file;

  @Option(names = "--mode", required = true, description = "drill, failover or failback")
  String mode;

  @Override
  public Integer call() throws InvalidRunbookException {
    Mode planned;
    try {
      planned = Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE, "--mode must be drill, failover or failback, got '" + mode + "'");
    }
    Runbook runbook = RunbookFiles.load(file);
    try (TemporalConnection temporal = connection.connect()) {
      PlanWorkflow workflow =
          temporal
              .client()
              .newWorkflowStub(
                  PlanWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
                      .setWorkflowId(PlanWorkflow.workflowId(runbook.name()))
                      .setStaticSummary(
                          "dry run of a " + planned.label() + " of runbook " + runbook.name())
                      .build());
      PlanReport report;
      try {
        report =
            workflow.plan(
                new RunRequest(runbook, planned, null, System.getProperty("user.name", "unknown")));
      } catch (WorkflowExecutionAlreadyStarted e) {
        throw new CliException(
            ExitCodes.FAILED, "a dry run of runbook " + runbook.name() + " is already running");
      } catch (WorkflowFailedException e) {
        throw new CliException(
            ExitCodes.FAILED, "the dry run failed: " + RunWatcher.rootMessage(e));
      }
      print(report, spec.commandLine().getOut());
      return report.readiness().stream().anyMatch(line -> line.startsWith("FAILED"))
          ? ExitCodes.FAILED
          : ExitCodes.OK;
    }
  }

  private static void print(PlanReport report, PrintWriter out) {
    out.printf(
        "Dry run of a %s of runbook %s (nothing was changed)%n%n  plan:%n",
        report.mode().label(), report.runbook());
    if (report.layout() == null || report.layout().isEmpty()) {
      out.printf("    %s%n", String.join(" -> ", report.steps()));
    } else {
      report.layout().forEach(line -> out.printf("    %s%n", line));
    }
    out.printf("%n  readiness now:%n");
    report.readiness().forEach(line -> out.printf("    %s%n", line));
    if (!report.components().isEmpty()) {
      out.printf(
          "%n  %-10s %8s %8s %10s %8s%n", "COMPONENT", "CREATE", "UPDATE", "UNCHANGED", "REMOVE");
      for (ComponentPreview component : report.components()) {
        ChangeCounts c = component.changes();
        out.printf(
            "  %-10s %8d %8d %10d %8d%n",
            component.component(), c.created(), c.updated(), c.unchanged(), c.deleted());
      }
    }
    out.flush();
  }
}
