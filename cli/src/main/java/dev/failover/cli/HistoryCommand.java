package dev.failover.cli;

import dev.failover.worker.TemporalConnection;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code failover history RUN}: the audit trail of a run as a readable timeline, from its Temporal
 * history; {@code --export FILE} also writes the raw history as JSON (what Temporal UI downloads).
 */
@Command(
    name = "history",
    description = "Print a run's timeline from its Temporal history; optionally export it as JSON.")
final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id (failover-<runbook>)")
  String workflowId;

  @Option(names = "--run-id", description = "A specific run of that workflow id (default: latest)")
  String runId;

  @Option(names = "--export", paramLabel = "FILE", description = "Write the raw history as JSON")
  Path export;

  @Override
  public Integer call() {
    try (TemporalConnection temporal = connection.connect()) {
      WorkflowExecutionHistory history;
      String shownRunId;
      try {
        // The fetched history names a placeholder run id, so the run is resolved first: the
        // latest one when none is given.
        shownRunId =
            runId != null
                ? runId
                : temporal
                    .client()
                    .newUntypedWorkflowStub(workflowId)
                    .describe()
                    .getExecution()
                    .getRunId();
        history = temporal.client().fetchHistory(workflowId, shownRunId);
      } catch (WorkflowNotFoundException e) {
        throw new CliException(
            ExitCodes.FAILED, "no run " + workflowId + " on " + temporal.target());
      }
      DataConverter converter = temporal.client().getOptions().getDataConverter();
      List<RunTimeline.Entry> entries = RunTimeline.of(history, converter);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "History of %s run %s (%d events)%n", workflowId, shownRunId, history.getEvents().size());
      Instant start = entries.isEmpty() ? null : entries.get(0).at();
      for (RunTimeline.Entry entry : entries) {
        out.printf(
            "  %s  %+8.1fs  %-19s %s%n",
            entry.at(),
            Duration.between(start, entry.at()).toMillis() / 1000.0,
            entry.step() == null ? "" : entry.step(),
            entry.what());
      }
      if (export != null) {
        try {
          Files.writeString(export, history.toJson(true));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write " + export, e);
        }
        out.printf(Locale.ROOT, "raw history written to %s%n", export);
      }
      out.flush();
      return ExitCodes.OK;
    }
  }
}
