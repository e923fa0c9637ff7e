package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.runbook.RunbookParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code failover capture-schedule}: the Temporal Schedule that captures a runbook's primary on the
 * interval of the runbook's {@code capture} section ({@link CaptureSchedules}).
 */
@Command(
    name = "capture-schedule",
    description =
        "Manage the Temporal Schedule that captures a runbook's primary every capture.everyMinutes"
            + " (needs a full Temporal server or Temporal Cloud).",
    subcommands = {
      CaptureScheduleCommand.Apply.class,
      CaptureScheduleCommand.Show.class,
      CaptureScheduleCommand.Trigger.class,
      CaptureScheduleCommand.Pause.class,
      CaptureScheduleCommand.Unpause.class,
      CaptureScheduleCommand.Delete.class
    })
final class CaptureScheduleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new CliException(
        ExitCodes.USAGE,
        "capture-schedule needs a subcommand: apply, show, trigger, pause, unpause or delete");
  }

  /** Creates or updates the schedule from the runbook. */
  @Command(
      name = "apply",
      description =
          "Create the runbook's capture schedule, or update it to the runbook as it is now (a"
              + " paused schedule stays paused).")
  static final class Apply implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "The runbook, with a capture section")
    Path file;

    @Override
    public Integer call() throws InvalidRunbookException {
      Runbook runbook = RunbookFiles.load(file);
      CaptureSchedules.interval(runbook);
      String by = System.getProperty("user.name", "unknown");
      try (TemporalConnection temporal = connection.connect()) {
        CaptureSchedules.Applied applied =
            new CaptureSchedules(temporal.schedules(), temporal.target()).apply(runbook, by);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
            "%s capture schedule %s on %s: captures runbook %s's primary every %d min%n",
            applied == CaptureSchedules.Applied.CREATED ? "Created" : "Updated",
            CaptureSchedules.scheduleId(runbook.name()),
            temporal.target(),
            runbook.name(),
            runbook.capture().everyMinutes());
        out.flush();
        return ExitCodes.OK;
      }
    }
  }

  /** What acts on an existing schedule, named by its runbook. */
  abstract static class OnSchedule implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Parameters(paramLabel = "RUNBOOK", description = "The runbook's name")
    String runbook;

    abstract String act(CaptureSchedules schedules, PrintWriter out);

    @Override
    public Integer call() {
      if (!RunbookParser.validName(runbook)) {
        throw new CliException(
            ExitCodes.USAGE,
            "RUNBOOK must be a runbook's name (lowercase letters, digits and '-'), got '"
                + runbook
                + "'");
      }
      try (TemporalConnection temporal = connection.connect()) {
        PrintWriter out = spec.commandLine().getOut();
        String done = act(new CaptureSchedules(temporal.schedules(), temporal.target()), out);
        if (done != null) {
          out.println(done + " on " + temporal.target());
        }
        out.flush();
        return ExitCodes.OK;
      }
    }
  }

  @Command(
      name = "show",
      description = "Show the schedule: interval, state, recent and next captures.")
  static final class Show extends OnSchedule {
    @Override
    String act(CaptureSchedules schedules, PrintWriter out) {
      CaptureSchedules.print(schedules.describe(runbook), out::println);
      return null;
    }
  }

  @Command(name = "trigger", description = "Start a capture through the schedule now.")
  static final class Trigger extends OnSchedule {
    @Override
    String act(CaptureSchedules schedules, PrintWriter out) {
      schedules.trigger(runbook);
      return "Triggered a capture of runbook " + runbook + "'s primary";
    }
  }

  @Command(name = "pause", description = "Pause the schedule, with the reason as its note.")
  static final class Pause extends OnSchedule {
    @Option(names = "--reason", required = true, description = "Why (kept as the schedule's note)")
    String reason;

    @Override
    String act(CaptureSchedules schedules, PrintWriter out) {
      schedules.pause(runbook, true, reason);
      return "Paused the capture schedule of runbook " + runbook;
    }
  }

  @Command(name = "unpause", description = "Let the schedule capture again.")
  static final class Unpause extends OnSchedule {
    @Option(names = "--reason", defaultValue = "unpaused", description = "Why (kept as its note)")
    String reason;

    @Override
    String act(CaptureSchedules schedules, PrintWriter out) {
      schedules.pause(runbook, false, reason);
      return "Unpaused the capture schedule of runbook " + runbook;
    }
  }

  @Command(
      name = "delete",
      description = "Delete the schedule; the snapshots it took stay in the replica bucket.")
  static final class Delete extends OnSchedule {
    @Override
    String act(CaptureSchedules schedules, PrintWriter out) {
      schedules.delete(runbook);
      return "Deleted the capture schedule of runbook " + runbook;
    }
  }
}
