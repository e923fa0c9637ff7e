package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.cli.FailoverCli;
import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.Simulator;
import dev.failover.workflows.capture.CaptureReport;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A failover asked to converge from the primary's newest snapshot while the primary answers: the
 * primary is fenced and promoted as usual, but its control plane is not read; DR gets what the
 * newest capture held, not what changed after it.
 */
class FromNewestSnapshotEndToEndTest {
  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aFailoverConvergesDrFromTheNewestCaptureWithoutReadingThePrimary() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      Simulator simulator = sandbox.simulator();
      simulator
          .workspace("primary")
          .createSchema("sales", "platinum", "Top customers", Map.of(), null);
      CaptureReport captured = sandbox.capture(runbook);
      // Made after the newest capture: the failover does not carry it over.
      simulator.workspace("primary").createSchema("sales", "diamond", "Later", Map.of(), null);

      simulator.requests().clear();
      RunReport report =
          sandbox
              .launcher()
              .fromNewestSnapshot(true)
              .run(
                  runbook,
                  Mode.FAILOVER,
                  "INC-PLANNED-1",
                  new PrintWriter(new StringWriter()),
                  sandbox.approving(new Approval("oncall-sre", "us-east-1 degraded")));

      assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(step(report, "readiness").message())
          .contains("DR will be converged from the primary's newest snapshot")
          .contains(captured.snapshot().key());
      assertThat(step(report, "fence-source").status()).isEqualTo(StepStatus.SUCCEEDED);
      assertThat(step(report, "capture").message())
          .startsWith("as asked (--from-newest-snapshot), the primary is not read")
          .contains(captured.snapshot().key());
      assertThat(report.snapshot().key()).isEqualTo(captured.snapshot().key());
      assertThat(report.controlPlaneRpoSeconds()).isNotNull().isBetween(0L, 300L);
      assertThat(report.controlPlaneRpoBasis()).contains("--from-newest-snapshot");
      assertThat(simulator.workspace("secondary").schema("sales.platinum")).isNotNull();
      assertThatThrownBy(() -> simulator.workspace("secondary").schema("sales.diamond"))
          .hasMessageContaining("does not exist");
      // The primary answered the fence and the promotion, but nothing read its control plane
      // into a snapshot.
      assertThat(simulator.requests().all())
          .filteredOn(r -> r.side().equals("primary"))
          .isNotEmpty()
          .noneMatch(r -> "CaptureControlPlane".equals(r.caller()));
    }
  }

  @Test
  void theFailoverCommandTakesTheOption() {
    var parsed =
        FailoverCli.commandLine()
            .parseArgs("failover", "-f", "runbook.yaml", "--from-newest-snapshot");
    var failover = parsed.subcommand().commandSpec().userObject();
    assertThat(failover).hasFieldOrPropertyWithValue("fromNewestSnapshot", true);
  }
}
