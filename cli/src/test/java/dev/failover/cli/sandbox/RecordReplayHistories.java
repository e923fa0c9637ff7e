package dev.failover.cli.sandbox;

import dev.failover.cli.RunbookFiles;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates the workflow histories that {@code RunbookWorkflowReplayTest} replays, run in the
 * sandbox: a drill that succeeds, a failover (approved by signal) and the failback after it, and a
 * drill that stops at readiness. Run it only when a deliberate, versioned change to the workflow
 * makes new histories necessary; keep the old ones too, so runs in flight stay covered:
 *
 * <pre>
 * java -cp "cli/target/test-classes:cli/target/classes:cli/target/lib/*" \
 *     dev.failover.cli.sandbox.RecordReplayHistories workflows/src/test/resources/histories
 * </pre>
 */
public final class RecordReplayHistories {
  private RecordReplayHistories() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      record(sandbox, runbook, Mode.DRILL, dir.resolve("drill-succeeded.json"));
      record(sandbox, runbook, Mode.FAILOVER, dir.resolve("failover-succeeded.json"));
      sandbox.writeInDr();
      record(sandbox, runbook, Mode.FAILBACK, dir.resolve("failback-succeeded.json"));
      sandbox.simulator().s3().setVersioning("acme-lakehouse-usw2", "Suspended");
      record(sandbox, runbook, Mode.DRILL, dir.resolve("drill-failed-at-readiness.json"));
    }
  }

  private static void record(Sandbox sandbox, Runbook runbook, Mode mode, Path file)
      throws Exception {
    RunReport report =
        sandbox.runApproved(
            runbook,
            mode,
            "REPLAY-1",
            new Approval("replay-recorder", "recorded for replay tests"),
            new PrintWriter(new StringWriter()));
    String json =
        sandbox.temporal().client().fetchHistory(report.workflowId(), report.runId()).toJson(true);
    Files.writeString(file, json);
    System.out.println(file + ": " + report.outcome());
  }
}
