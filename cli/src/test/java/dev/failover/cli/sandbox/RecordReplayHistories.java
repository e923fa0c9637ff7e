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
 * Records the workflow histories that {@code RunbookWorkflowReplayTest} replays, run in the
 * sandbox: a drill, a failover (approved by signal) and the failback after it, a drill that fails
 * at readiness and is retried by an operator's decision, a drill that stops at readiness, and a
 * failover on the outage path (the primary region dark). Files that exist are kept.
 *
 * <p>These are the baseline of the first release. After a release, a change to the commands a run
 * issues goes behind a {@code Workflow.getVersion} change id, and the histories recorded before it
 * stay, so runs in flight stay covered; new ones get new file names.
 *
 * <pre>
 * mvn -B -o -q -pl cli -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp "cli/target/test-classes:cli/target/classes:$(cat /tmp/cp.txt)" \
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
      record(sandbox, runbook, Mode.DRILL, dir.resolve("drill.json"));
      // A kept drill leaves the record that DR matches its snapshot: the failover trusts it.
      write(
          sandbox,
          sandbox.run(runbook, Mode.DRILL, "REPLAY-1", new PrintWriter(new StringWriter()), true),
          dir.resolve("drill-kept.json"));
      record(sandbox, runbook, Mode.FAILOVER, dir.resolve("failover.json"));
      sandbox.writeInDr();
      record(sandbox, runbook, Mode.FAILBACK, dir.resolve("failback.json"));
      recordFromNewestSnapshot(sandbox, runbook, dir.resolve("failover-from-newest-snapshot.json"));
      record(sandbox, runbook, Mode.FAILBACK, dir.resolve("failback.json"));
      sandbox.simulator().s3().setVersioning("acme-lakehouse-usw2", "Suspended");
      recordRetried(sandbox, runbook, dir.resolve("drill-retried-at-readiness.json"));
      record(
          sandbox,
          withoutDecisions(runbook),
          Mode.DRILL,
          dir.resolve("drill-failed-at-readiness.json"));
      sandbox.simulator().s3().setVersioning("acme-lakehouse-usw2", "Enabled");
      sandbox.simulator().setRegionReachable("us-east-1", false, "primary");
      record(sandbox, runbook, Mode.FAILOVER, dir.resolve("failover-outage.json"));
    }
  }

  /** A failover asked to converge from the newest snapshot, which the kept drill stored. */
  private static void recordFromNewestSnapshot(Sandbox sandbox, Runbook runbook, Path file)
      throws Exception {
    RunReport report =
        sandbox
            .launcher()
            .fromNewestSnapshot(true)
            .run(
                runbook,
                Mode.FAILOVER,
                "REPLAY-1",
                new PrintWriter(new StringWriter()),
                sandbox.approving(new Approval("replay-recorder", "recorded for replay tests")));
    write(sandbox, report, file);
  }

  private static Runbook withoutDecisions(Runbook r) {
    return r.withOnStepFailure(new Runbook.OnStepFailure(false, 60));
  }

  /** A drill that fails at readiness, waits, and is retried by an operator after the fix. */
  private static void recordRetried(Sandbox sandbox, Runbook runbook, Path file) throws Exception {
    if (Files.exists(file)) {
      System.out.println(file + ": kept");
      return;
    }
    java.util.concurrent.CompletableFuture<RunReport> run =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                sandbox.run(runbook, Mode.DRILL, "REPLAY-2", new PrintWriter(new StringWriter())));
    SandboxDrillEndToEndTest.awaitWaiting(sandbox, "a decision on step readiness");
    sandbox.simulator().s3().setVersioning("acme-lakehouse-usw2", "Enabled");
    sandbox
        .temporal()
        .client()
        .newWorkflowStub(
            dev.failover.workflows.run.RunbookWorkflow.class, "failover-acme-lakehouse")
        .decide(
            new dev.failover.workflows.run.Decision(
                dev.failover.workflows.run.Decision.Action.RETRY,
                "replay-recorder",
                "versioning enabled"));
    RunReport report = run.get();
    write(sandbox, report, file);
    sandbox.simulator().s3().setVersioning("acme-lakehouse-usw2", "Suspended");
  }

  /**
   * Runs one mode and records its history, unless the file exists: histories already recorded stay
   * as they are, so runs in flight under older workflow code stay covered. The run happens either
   * way, since later runs build on it (a failback needs its failover).
   */
  private static void record(Sandbox sandbox, Runbook runbook, Mode mode, Path file)
      throws Exception {
    RunReport report =
        sandbox.runApproved(
            runbook,
            mode,
            "REPLAY-1",
            new Approval("replay-recorder", "recorded for replay tests"),
            new PrintWriter(new StringWriter()));
    write(sandbox, report, file);
  }

  private static void write(Sandbox sandbox, RunReport report, Path file) throws Exception {
    if (Files.exists(file)) {
      System.out.println(file + ": kept");
      return;
    }
    String json =
        sandbox.temporal().client().fetchHistory(report.workflowId(), report.runId()).toJson(true);
    Files.writeString(file, json);
    System.out.println(file + ": " + report.outcome());
  }
}
