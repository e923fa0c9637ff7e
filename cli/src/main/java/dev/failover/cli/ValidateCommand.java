package dev.failover.cli;

import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.runbook.RunbookProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code failover validate -f FILE}: every problem of a runbook, one line each; exit 2 if any. */
@Command(name = "validate", description = "Check a runbook file and list every problem in it.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "The runbook YAML file")
  Path file;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Runbook runbook = RunbookFiles.load(file);
      out.printf(
          "%s: valid runbook %s (%s -> %s, %d bucket pair(s))%n",
          file,
          runbook.name(),
          runbook.primary().region(),
          runbook.secondary().region(),
          runbook.bucketPairs().size());
      return ExitCodes.OK;
    } catch (InvalidRunbookException e) {
      for (RunbookProblem problem : e.problems()) {
        err.println(file + ": " + problem);
      }
      err.printf("%s: %d problem(s); nothing was started%n", file, e.problems().size());
      return ExitCodes.USAGE;
    }
  }
}
