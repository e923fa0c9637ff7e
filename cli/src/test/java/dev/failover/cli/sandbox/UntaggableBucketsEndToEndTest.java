package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.storage.RoleMarker;
import dev.failover.cli.ExitCodes;
import dev.failover.cli.FailoverCli;
import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Failover and failback in the sandbox on the demo's CloudFormation-made buckets (system tags),
 * with the replica's tags out of reach of PutBucketTagging (ABAC enabled): the role marker object
 * carries the failover, and it alone keeps a drill and a capture away from the serving DR side.
 */
class UntaggableBucketsEndToEndTest {
  private static final String PRIMARY = DemoWorkspace.PRIMARY_BUCKET;
  private static final String REPLICA = DemoWorkspace.REPLICA_BUCKET;

  private static RunReport run(Sandbox sandbox, Runbook runbook, Mode mode) {
    return sandbox.runApproved(
        runbook,
        mode,
        "INC-2026-12-04",
        new Approval("oncall-sre", "us-east-1 is down"),
        new PrintWriter(new StringWriter()));
  }

  private static String capture(Sandbox sandbox) {
    StringWriter out = new StringWriter();
    CommandLine capture = FailoverCli.commandLine();
    capture.setOut(new PrintWriter(out));
    capture.setErr(new PrintWriter(out));
    int code =
        capture.execute(
            "capture", "-f", "../runbooks/sandbox.yaml", "--address", sandbox.temporalAddress());
    assertThat(code).as(out.toString()).isEqualTo(ExitCodes.OK);
    return out.toString();
  }

  private static String marker(S3State s3, String bucket) {
    return new String(
        s3.getObject(bucket, RoleMarker.key("acme-lakehouse", bucket)).content(),
        StandardCharsets.UTF_8);
  }

  @Test
  void failoverAndFailbackRunOnTheMarkerAndDrillsAndCapturesStayAway() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      S3State s3 = sandbox.simulator().s3();
      assertThat(s3.tagsOrEmpty(PRIMARY)).containsKey(S3State.STACK_NAME_TAG);
      assertThat(s3.tagsOrEmpty(REPLICA)).containsKey(S3State.STACK_NAME_TAG);
      s3.setAbac(REPLICA, true);

      RunReport failover = run(sandbox, runbook, Mode.FAILOVER);

      assertThat(failover.outcome()).as(failover.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(failover.storage().get(0).done())
          .anyMatch(line -> line.startsWith("could not tag " + REPLICA + " failover:role=active"));
      assertThat(s3.tagsOrEmpty(REPLICA)).doesNotContainKey("failover:role");
      assertThat(marker(s3, REPLICA)).contains("\"role\":\"active\"");
      // The primary, a stack bucket without ABAC, is tagged with its system tags kept.
      assertThat(s3.tagsOrEmpty(PRIMARY))
          .containsKey(S3State.STACK_NAME_TAG)
          .containsEntry("failover:role", "standby");

      // A capture skips the primary: the marker says DR serves.
      assertThat(capture(sandbox))
          .contains(
              "Skipped the capture of runbook acme-lakehouse: bucket "
                  + REPLICA
                  + " is marked failover:role=active");

      // A drill is refused at readiness; the operator aborts it.
      CompletableFuture<RunReport> drill =
          CompletableFuture.supplyAsync(
              () -> sandbox.run(runbook, Mode.DRILL, null, new PrintWriter(new StringWriter())));
      RunReport refused =
          SandboxDrillEndToEndTest.awaitWaiting(sandbox, "a decision on step readiness");
      assertThat(refused.steps().get(0).message())
          .contains(REPLICA + " is marked failover:role=active")
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
      assertThat(drill.get(2, TimeUnit.MINUTES).outcome()).isEqualTo(Outcome.ABORTED);

      String written = sandbox.writeInDr();
      RunReport failback = run(sandbox, runbook, Mode.FAILBACK);

      assertThat(failback.outcome()).as(failback.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(s3.objectKeys(PRIMARY)).contains(written);
      assertThat(marker(s3, REPLICA)).contains("\"role\":\"standby\"");
      assertThat(marker(s3, PRIMARY)).contains("\"role\":\"active\"");
      assertThat(s3.tagsOrEmpty(PRIMARY))
          .containsKey(S3State.STACK_NAME_TAG)
          .containsEntry("failover:role", "active");
      // Captures resume once the primary serves again.
      assertThat(capture(sandbox)).contains("Captured the primary of runbook acme-lakehouse");
    }
  }
}
