package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.ExitCodes;
import dev.failover.cli.FailoverCli;
import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.s3.ReplicationConfiguration;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunSearchAttributes;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.DeltaTableCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Failover and failback end to end in the sandbox: the replica promoted (rules and tags changed),
 * DR written to while active, then the original direction restored with DR's writes back in the
 * primary.
 */
class SandboxFailoverEndToEndTest {
  private static final String PRIMARY = DemoWorkspace.PRIMARY_BUCKET;
  private static final String REPLICA = DemoWorkspace.REPLICA_BUCKET;

  private static RunReport run(Sandbox sandbox, Runbook runbook, Mode mode) {
    return sandbox.runApproved(
        runbook,
        mode,
        "INC-2026-11-25",
        new Approval("oncall-sre", "us-east-1 is down"),
        new PrintWriter(new StringWriter()));
  }

  private static int approve(Sandbox sandbox, String by) {
    CommandLine approve = FailoverCli.commandLine();
    StringWriter err = new StringWriter();
    approve.setErr(new PrintWriter(err));
    approve.setOut(new PrintWriter(new StringWriter()));
    int code =
        approve.execute(
            "approve",
            "failover-acme-lakehouse",
            "--by",
            by,
            "--comment",
            "us-east-1 is down",
            "--address",
            sandbox.temporalAddress());
    if (by.equals("mallory")) {
      assertThat(err.toString()).contains("'mallory' is not one of the runbook's approvers");
    }
    return code;
  }

  private static String pauseStatus(Sandbox sandbox, String job) {
    return pauseStatus(sandbox, "primary", job);
  }

  private static String pauseStatus(Sandbox sandbox, String side, String job) {
    return sandbox.simulator().workspace(side).jobs().jobs().stream()
        .filter(j -> j.settings().get("name").asText().equals(job))
        .findFirst()
        .orElseThrow()
        .settings()
        .get("schedule")
        .get("pause_status")
        .asText();
  }

  /** The pause status of a job's {@code schedule}, {@code trigger} or {@code continuous}. */
  private static String pauseOf(Sandbox sandbox, String job, String field) {
    return sandbox.simulator().workspace("primary").jobs().jobs().stream()
        .filter(j -> j.settings().get("name").asText().equals(job))
        .findFirst()
        .orElseThrow()
        .settings()
        .path(field)
        .path("pause_status")
        .asText();
  }

  /** The names of the primary's jobs with a run in progress. */
  private static java.util.List<String> runningJobs(Sandbox sandbox) {
    return sandbox.simulator().workspace("primary").jobs().runs().stream()
        .filter(r -> !r.path("state").path("life_cycle_state").asText().equals("TERMINATED"))
        .map(r -> r.path("run_name").asText())
        .toList();
  }

  private static String pipelineState(Sandbox sandbox) {
    return sandbox.simulator().workspace("primary").pipelines().list().stream()
        .filter(p -> p.path("name").asText().equals(DemoWorkspace.CONTINUOUS_PIPELINE))
        .findFirst()
        .orElseThrow()
        .path("state")
        .asText();
  }

  private static String status(S3State s3, String bucket, String ruleId) {
    return s3.replication(bucket).rules().stream()
        .filter(r -> r.id().equals(ruleId))
        .map(ReplicationConfiguration.Rule::status)
        .findFirst()
        .orElse("absent");
  }

  @Test
  void failoverPromotesTheReplicaAndFailbackRestoresTheOriginalDirection() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      S3State s3 = sandbox.simulator().s3();
      assertThat(runningJobs(sandbox))
          .containsExactlyInAnyOrder(DemoWorkspace.CONTINUOUS_JOB, DemoWorkspace.RUNNING_JOB);
      assertThat(pipelineState(sandbox)).isEqualTo("RUNNING");

      // Approved from "another terminal": the CLI's approve command against the sandbox's server.
      CompletableFuture<RunReport> running =
          CompletableFuture.supplyAsync(
              () ->
                  sandbox.run(
                      runbook,
                      Mode.FAILOVER,
                      "INC-2026-11-25",
                      new PrintWriter(new StringWriter())));
      SandboxDrillEndToEndTest.awaitWaiting(sandbox, "approval");
      assertThat(approve(sandbox, "mallory")).isEqualTo(ExitCodes.USAGE);
      assertThat(s3.tagsOrEmpty(REPLICA)).doesNotContainKey("failover:role");
      assertThat(approve(sandbox, "oncall-sre")).isEqualTo(ExitCodes.OK);
      RunReport failover = running.get(2, TimeUnit.MINUTES);

      assertThat(failover.outcome()).as(failover.failure()).isEqualTo(Outcome.SUCCEEDED);
      // Search attributes, for finding runs: set at start, phase and outcome kept by the run.
      var attributes =
          sandbox
              .temporal()
              .client()
              .newUntypedWorkflowStub(
                  io.temporal.client.WorkflowTargetOptions.newBuilder()
                      .setWorkflowId("failover-acme-lakehouse")
                      .setRunId(failover.runId())
                      .build())
              .describe()
              .getTypedSearchAttributes();
      assertThat(attributes.get(RunSearchAttributes.RUNBOOK)).isEqualTo("acme-lakehouse");
      assertThat(attributes.get(RunSearchAttributes.MODE)).isEqualTo("failover");
      assertThat(attributes.get(RunSearchAttributes.INCIDENT)).isEqualTo("INC-2026-11-25");
      assertThat(attributes.get(RunSearchAttributes.PHASE)).isEqualTo("ended");
      assertThat(attributes.get(RunSearchAttributes.OUTCOME)).isEqualTo("SUCCEEDED");
      assertThat(failover.approval().by()).isEqualTo("oncall-sre");
      // The primary was fenced: its active schedules paused, its running warehouse stopped.
      assertThat(pauseStatus(sandbox, "nightly-orders-etl")).isEqualTo("PAUSED");
      assertThat(pauseStatus(sandbox, "hourly-ledger-refresh")).isEqualTo("PAUSED");
      // and every other writer stopped: the file-arrival trigger and the continuous job paused,
      // the runs in progress cancelled (the runbook's default), the continuous pipeline stopped.
      assertThat(pauseOf(sandbox, DemoWorkspace.FILE_ARRIVAL_JOB, "trigger")).isEqualTo("PAUSED");
      assertThat(pauseOf(sandbox, DemoWorkspace.CONTINUOUS_JOB, "continuous")).isEqualTo("PAUSED");
      assertThat(runningJobs(sandbox)).isEmpty();
      assertThat(pipelineState(sandbox)).isEqualTo("IDLE");
      assertThat(failover.fencing())
          .singleElement()
          .satisfies(
              fence -> {
                assertThat(fence.pipelines())
                    .singleElement()
                    .asString()
                    .contains(DemoWorkspace.CONTINUOUS_PIPELINE);
                assertThat(fence.runs())
                    .hasSize(2)
                    .allMatch(run -> run.endsWith(": cancelled"))
                    .anyMatch(run -> run.contains(DemoWorkspace.RUNNING_JOB));
                assertThat(fence.risks()).isEmpty();
              });
      // DR's copies were created paused and resumed as the primary ran them before its fence;
      // the job its owners had paused stays paused.
      assertThat(pauseStatus(sandbox, "secondary", "nightly-orders-etl")).isEqualTo("UNPAUSED");
      assertThat(pauseStatus(sandbox, "secondary", "hourly-ledger-refresh")).isEqualTo("UNPAUSED");
      assertThat(pauseStatus(sandbox, "secondary", "quarterly-archive")).isEqualTo("PAUSED");
      assertThat(status(s3, PRIMARY, "lakehouse-to-dr")).isEqualTo("Disabled");
      assertThat(status(s3, REPLICA, "failover-acme-lakehouse-reverse")).isEqualTo("Enabled");
      assertThat(s3.tagsOrEmpty(PRIMARY))
          .containsEntry("failover:role", "standby")
          .containsEntry("team", "data-platform");
      assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "active");
      assertThat(failover.replication())
          .singleElement()
          .satisfies(
              health -> {
                assertThat(health.pair()).isEqualTo("lakehouse");
                assertThat(health.rpoSeconds()).isNotNull();
              });
      assertThat(failover.storage())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.notRun()).isEmpty();
                // The reverse path was proven before DR took writes.
                assertThat(c.done())
                    .anyMatch(
                        line ->
                            line.startsWith("reverse path proven")
                                && line.contains(DemoWorkspace.REVERSE_ROLE));
              });
      assertThat(failover.replication().get(0).reversePath())
          .startsWith("reverse path would work: role " + DemoWorkspace.REVERSE_ROLE);
      assertThat(failover.deltaTables())
          .extracting(DeltaTableCheck::table, DeltaTableCheck::status)
          .contains(
              org.assertj.core.groups.Tuple.tuple(
                  DemoWorkspace.TORN_TABLE, DeltaTableCheck.Status.TORN));

      // While DR serves as active, a drill is refused at readiness; the operator aborts it.
      CompletableFuture<RunReport> drill =
          CompletableFuture.supplyAsync(
              () -> sandbox.run(runbook, Mode.DRILL, null, new PrintWriter(new StringWriter())));
      RunReport refused =
          SandboxDrillEndToEndTest.awaitWaiting(sandbox, "a decision on step readiness");
      assertThat(refused.steps().get(0).message())
          .contains("acme-lakehouse-usw2 is marked failover:role=active")
          .contains("fail back first");
      CommandLine abort = FailoverCli.commandLine();
      abort.setOut(new PrintWriter(new StringWriter()));
      assertThat(
              abort.execute(
                  "abort",
                  "failover-acme-lakehouse",
                  "--by",
                  "oncall-sre",
                  "--reason",
                  "DR is active",
                  "--address",
                  sandbox.temporalAddress()))
          .isEqualTo(ExitCodes.OK);
      RunReport aborted = drill.get(2, TimeUnit.MINUTES);
      assertThat(aborted.outcome()).isEqualTo(Outcome.ABORTED);
      assertThat(aborted.failure()).isEqualTo("aborted by oncall-sre: DR is active");

      java.util.Set<String> before = new java.util.HashSet<>(s3.versionsOf(REPLICA, "uc/"));
      String written = sandbox.writeInDr();
      java.util.List<String> writtenInDr =
          s3.versionsOf(REPLICA, "uc/").stream().filter(v -> !before.contains(v)).toList();
      RunReport failback = run(sandbox, runbook, Mode.FAILBACK);

      assertThat(failback.outcome()).as(failback.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(s3.objectKeys(PRIMARY)).contains(written);
      // Every version DR wrote is in the primary, under its own version id (replicated back).
      assertThat(writtenInDr).hasSize(2);
      assertThat(s3.versionsOf(PRIMARY, "uc/")).containsAll(writtenInDr);
      assertThat(status(s3, PRIMARY, "lakehouse-to-dr")).isEqualTo("Enabled");
      assertThat(s3.tagsOrEmpty(PRIMARY)).containsEntry("failover:role", "active");
      assertThat(s3.tagsOrEmpty(REPLICA)).containsEntry("failover:role", "standby");
      assertThat(failback.replication().get(0).source()).isEqualTo(REPLICA);
      // The failback lifted the failover's fence of the primary, and only that.
      assertThat(pauseStatus(sandbox, "nightly-orders-etl")).isEqualTo("UNPAUSED");
      assertThat(pauseStatus(sandbox, "hourly-ledger-refresh")).isEqualTo("UNPAUSED");
      assertThat(pauseStatus(sandbox, "quarterly-archive")).isEqualTo("PAUSED");
      assertThat(pauseOf(sandbox, DemoWorkspace.FILE_ARRIVAL_JOB, "trigger")).isEqualTo("UNPAUSED");
      assertThat(pauseOf(sandbox, DemoWorkspace.CONTINUOUS_JOB, "continuous"))
          .isEqualTo("UNPAUSED");
      assertThat(pipelineState(sandbox)).isEqualTo("RUNNING");
      // The continuous job runs again; the cancelled backfill run is reported, not run again.
      assertThat(runningJobs(sandbox)).containsExactly(DemoWorkspace.CONTINUOUS_JOB);
      assertThat(failback.fencing())
          .filteredOn(fence -> fence.side().equals("primary"))
          .singleElement()
          .satisfies(
              unfence -> {
                assertThat(unfence.pipelines()).hasSize(1);
                assertThat(unfence.runs())
                    .anyMatch(
                        run ->
                            run.contains(DemoWorkspace.RUNNING_JOB)
                                && run.endsWith("not run again"));
                assertThat(unfence.notDone()).isEmpty();
              });
      // Replication runs primary to replica again.
      s3.putObject(PRIMARY, "uc/after-failback.json", new byte[] {1});
      assertThat(s3.replicationStatus(REPLICA, "uc/after-failback.json")).isEqualTo("REPLICA");
    }
  }

  @Test
  void sandboxFailoverCommandPrintsRpoStorageChangesAndDeltaResults() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = FailoverCli.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));

    int code = cmd.execute("sandbox", "failover", "--auto-approve");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString())
        .contains("Failover of runbook acme-lakehouse: SUCCEEDED")
        .contains("approved by oncall-sre")
        .contains("data RPO ")
        .contains("lakehouse    acme-lakehouse-use1 -> acme-lakehouse-usw2")
        .contains("disabled rule(s) [lakehouse-to-dr]")
        .contains("tagged acme-lakehouse-usw2 failover:role=active")
        .containsPattern("sales\\.silver\\.orders_clean +TORN")
        .contains("restore to version 1")
        .containsPattern("restore-schedules +SUCCEEDED")
        .contains("fencing, primary workspace")
        .containsPattern(
            "pipeline +\\S+ " + DemoWorkspace.CONTINUOUS_PIPELINE + " \\(continuous\\)")
        .containsPattern("run +run \\d+ of job \\d+ " + DemoWorkspace.RUNNING_JOB + ": cancelled");
  }
}
