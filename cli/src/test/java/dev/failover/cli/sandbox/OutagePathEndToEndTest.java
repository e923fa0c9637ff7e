package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.ExitCodes;
import dev.failover.cli.FailoverCli;
import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.Simulator;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The real-incident path: snapshots taken with {@code failover capture} (with drift between two),
 * then the primary region goes dark, and a failover converges DR from the newest snapshot, skipping
 * with reasons every step that needs the primary.
 */
class OutagePathEndToEndTest {
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

  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aFailoverWithThePrimaryRegionDownConvergesDrFromTheNewestSnapshot() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      Simulator simulator = sandbox.simulator();
      String first = capture(sandbox);
      assertThat(first)
          .contains("Captured the primary of runbook acme-lakehouse")
          .contains("Drift since nothing (the first snapshot of the primary)")
          .containsPattern("catalogs +\\+3 added");

      // The primary changes: a new schema, a grant revoked. The next capture says so.
      simulator
          .workspace("primary")
          .createSchema("sales", "platinum", "Top customers", Map.of(), null);
      simulator
          .workspace("primary")
          .changeGrants("schema", "sales.gold", "bi-service", List.of(), List.of("SELECT"));
      String second = capture(sandbox);
      assertThat(second)
          .containsPattern("schemas +\\+1 added +~0 changed +-0 removed +\\+sales.platinum")
          .containsPattern(
              "grants +\\+0 added +~1 changed +-0 removed +~schema sales.gold to bi-service");

      simulator.setRegionReachable("us-east-1", false, "primary");
      simulator.requests().clear();
      RunReport report =
          sandbox.runApproved(
              runbook,
              Mode.FAILOVER,
              "INC-OUTAGE-1",
              new Approval("oncall-sre", "us-east-1 is down"),
              new PrintWriter(new StringWriter()));

      assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(step(report, "readiness").message()).contains("primary workspace unreachable");
      assertThat(step(report, "fence-source").status()).isEqualTo(StepStatus.SKIPPED);
      assertThat(step(report, "capture").message())
          .startsWith("the primary does not answer: using its newest snapshot")
          .contains("/capture-");
      assertThat(report.controlPlaneRpoSeconds()).isNotNull().isBetween(0L, 300L);
      // The runbook captures hourly; a snapshot of minutes ago is well within that.
      assertThat(report.snapshotStale()).isFalse();
      assertThat(report.captureScheduleVerdict())
          .isEqualTo("within twice the capture interval of 3600 s");
      assertThat(step(report, "capture").message()).doesNotContain("older than twice");
      assertThat(report.storage().get(0).primaryReachable()).isFalse();
      assertThat(report.storage().get(0).notRun()).isNotEmpty();
      assertThat(report.dataRpoSeconds()).isNull();
      // DR has what the newest snapshot had, including the schema added before the outage.
      assertThat(simulator.workspace("secondary").schema("sales.platinum")).isNotNull();
      // Every request the failover sent to the primary region went unanswered.
      assertThat(simulator.requests().all())
          .filteredOn(r -> r.side().equals("primary"))
          .isNotEmpty()
          .allMatch(r -> r.status() == 0);

      // DR serves now: a capture (scheduled, say) skips the primary instead of failing on it.
      simulator.requests().clear();
      assertThat(capture(sandbox))
          .contains(
              "Skipped the capture of runbook acme-lakehouse: bucket acme-lakehouse-usw2 is marked"
                  + " failover:role=active")
          .contains("captures resume after the failback");
      assertThat(simulator.requests().all()).noneMatch(r -> r.side().equals("primary"));
    }
  }
}
