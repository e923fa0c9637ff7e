package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.run.RunbookWorkflow;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The operator controls of a run in flight: {@code pause}, {@code resume}, {@code abort}, and the
 * decisions on a failed step, {@code retry} and {@code skip}. Each is a Temporal update, so the run
 * itself accepts or refuses it (a refused one changes nothing and says why), and each is recorded
 * in the history and the report with who acted and why.
 */
abstract class RunControlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id (failover-<runbook>)")
  String workflowId;

  @Option(names = "--by", required = true, description = "Who acts (recorded)")
  String by;

  @Option(names = "--reason", description = "Why (recorded)")
  String reason;

  /** Sends the control to the run; returns what the run answered. */
  abstract String send(RunbookWorkflow run, String by, String reason);

  @Override
  public Integer call() {
    if (by.isBlank() || by.length() > 200) {
      throw new CliException(ExitCodes.USAGE, "--by must name who acts (1-200 characters)");
    }
    String name = spec.name();
    try (TemporalConnection temporal = connection.connect()) {
      RunbookWorkflow run = temporal.client().newWorkflowStub(RunbookWorkflow.class, workflowId);
      String answer;
      try {
        answer = send(run, by.trim(), reason);
      } catch (WorkflowNotFoundException e) {
        throw new CliException(
            ExitCodes.FAILED, "no running run " + workflowId + " on " + temporal.target());
      } catch (WorkflowUpdateException e) {
        throw new CliException(
            ExitCodes.FAILED,
            name + " refused by run " + workflowId + ": " + RunWatcher.rootMessage(e));
      }
      spec.commandLine().getOut().printf("%s %s: %s%n", name, workflowId, answer);
      return ExitCodes.OK;
    }
  }

  @Command(name = "pause", description = "Pause a run before its next step (a running one ends).")
  static final class Pause extends RunControlCommand {
    @Override
    String send(RunbookWorkflow run, String by, String reason) {
      return run.pause(new dev.failover.workflows.run.OperatorAction(by, reason));
    }
  }

  @Command(name = "resume", description = "Let a paused run go on.")
  static final class Resume extends RunControlCommand {
    @Override
    String send(RunbookWorkflow run, String by, String reason) {
      return run.resume(new dev.failover.workflows.run.OperatorAction(by, reason));
    }
  }

  @Command(
      name = "abort",
      description =
          "Stop a run: the steps running are cancelled and stop within seconds, no later step"
              + " starts, the report says what was done.")
  static final class Abort extends RunControlCommand {
    @Override
    String send(RunbookWorkflow run, String by, String reason) {
      return run.abort(new dev.failover.workflows.run.OperatorAction(by, reason));
    }
  }

  @Command(name = "retry", description = "Run the failed step that waits for a decision again.")
  static final class Retry extends RunControlCommand {
    @Override
    String send(RunbookWorkflow run, String by, String reason) {
      return run.decide(
          new dev.failover.workflows.run.Decision(
              dev.failover.workflows.run.Decision.Action.RETRY, by, reason));
    }
  }

  @Command(
      name = "skip",
      description = "Skip the failed step that waits for a decision (recorded in the report).")
  static final class Skip extends RunControlCommand {
    @Override
    String send(RunbookWorkflow run, String by, String reason) {
      return run.decide(
          new dev.failover.workflows.run.Decision(
              dev.failover.workflows.run.Decision.Action.SKIP, by, reason));
    }
  }
}
