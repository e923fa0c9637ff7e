package dev.failover.cli;

import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.ReportMarkdown;
import dev.failover.workflows.run.RunReport;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** Where a followed run's progress and report go, by output format. */
public final class RunOutput {
  private RunOutput() {}

  /** Progress goes to stdout for people, and to stderr when stdout carries JSON. */
  public static PrintWriter progressStream(CommandSpec spec, OutputOptions output) {
    return output.json() || output.markdown()
        ? spec.commandLine().getErr()
        : spec.commandLine().getOut();
  }

  /** Prints the report and returns the exit code its outcome means. */
  public static int print(RunReport report, CommandSpec spec, OutputOptions output) {
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      ReportPrinter.json(report, out);
    } else if (output.markdown()) {
      out.print(ReportMarkdown.render(report));
      out.flush();
    } else {
      out.println();
      ReportPrinter.text(report, out);
    }
    return report.outcome() == Outcome.SUCCEEDED ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
