package dev.failover.cli;

import dev.failover.cli.sandbox.SandboxCommand;
import dev.failover.worker.PayloadEncryption;
import dev.failover.workflows.runbook.InvalidRunbookException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code failover} command. Only {@link #main} calls {@code System.exit}. */
@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    // Every subcommand takes -h/--help (and -V/--version) too.
    scope = CommandLine.ScopeType.INHERIT,
    version = "failover 0.1.0",
    description = "Failover runbooks for Databricks on AWS, on Temporal.",
    subcommands = {
      ValidateCommand.class,
      SchemaCommand.class,
      DrillCommand.class,
      FailoverCommand.class,
      FailbackCommand.class,
      PlanCommand.class,
      CaptureCommand.class,
      CaptureScheduleCommand.class,
      ApproveCommand.class,
      RunControlCommand.Pause.class,
      RunControlCommand.Resume.class,
      RunControlCommand.Retry.class,
      RunControlCommand.Skip.class,
      RunControlCommand.Abort.class,
      StatusCommand.class,
      HistoryCommand.class,
      ListCommand.class,
      ReportCommand.class,
      SandboxCommand.class,
      dev.failover.cli.bench.BenchmarkCommand.class,
      SimulatorCommand.class,
      dev.failover.cli.codec.CodecServerCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FailoverCli {
  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Show stack traces of errors")
  boolean verbose;

  /** A command line configured with the CLI's exit codes and one-line error handling. */
  public static CommandLine commandLine() {
    FailoverCli root = new FailoverCli();
    CommandLine cmd = new CommandLine(root);
    cmd.setExitCodeExceptionMapper(FailoverCli::exitCode);
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("failover: " + message(e));
          if (root.verbose) {
            e.printStackTrace(err);
          }
          err.flush();
          return exitCode(e);
        });
    return cmd;
  }

  static int exitCode(Throwable e) {
    if (e instanceof CliException cli) {
      return cli.exitCode();
    }
    if (e instanceof InvalidRunbookException
        || e instanceof PayloadEncryption.InvalidPayloadKeyException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILED;
  }

  private static String message(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException grpc
          && grpc.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        return "cannot reach the Temporal service ("
            + grpc.getStatus().getDescription()
            + "); check --address, --temporal-profile or TEMPORAL_ADDRESS";
      }
    }
    if (e instanceof WorkflowException workflow) {
      return RunWatcher.rootMessage(workflow);
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
