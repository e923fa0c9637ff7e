package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.ReportPrinter;
import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.ReportMarkdown;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * A reverse replication role that may not replicate DR back to the primary, in the sandbox: a drill
 * says so without writing to the primary, and a failover stops at promotion, naming the role,
 * before DR is made the active side.
 */
class ReversePathEndToEndTest {
  private static final String ROLE = DemoWorkspace.REVERSE_ROLE;

  @Test
  void aReverseRoleThatMayNotReplicateBackIsReportedByADrillAndStopsAFailoverAtPromotion()
      throws Exception {
    // A step that fails ends the run here, rather than waiting for an operator's decision.
    Runbook runbook =
        RunbookFiles.bundledSandboxRunbook()
            .withOnStepFailure(new Runbook.OnStepFailure(false, 60));
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      DemoWorkspace.denyReplicatingBack(sandbox.simulator());

      RunReport drill = sandbox.run(runbook, Mode.DRILL, null, new PrintWriter(new StringWriter()));

      assertThat(drill.outcome()).as(drill.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(drill.replication())
          .singleElement()
          .satisfies(
              health ->
                  assertThat(health.reversePath())
                      .startsWith("reverse path would NOT work: role " + ROLE + " may not")
                      .contains("s3:ReplicateObject on arn:aws:s3:::acme-lakehouse-use1/*"));
      assertThat(step(drill, "readiness").message())
          .contains("WARNING: reverse path would NOT work");
      StringWriter text = new StringWriter();
      ReportPrinter.text(drill, new PrintWriter(text, true));
      assertThat(text.toString()).contains("reverse path would NOT work: role " + ROLE);
      assertThat(ReportMarkdown.render(drill))
          .contains("- pair lakehouse: reverse path would NOT work: role " + ROLE);
      StringWriter json = new StringWriter();
      ReportPrinter.json(drill, new PrintWriter(json, true));
      assertThat(json.toString()).contains("\"reversePath\" : \"reverse path would NOT work: role");
      assertThat(sandbox.simulator().requests().mutating("s3", "primary")).isEmpty();

      RunReport failover =
          sandbox.runApproved(
              runbook,
              Mode.FAILOVER,
              "INC-REVERSE",
              new Approval("oncall-sre", "us-east-1 is degraded"),
              new PrintWriter(new StringWriter()));

      assertThat(failover.outcome()).isEqualTo(Outcome.FAILED);
      StepReport promotion = step(failover, "promote-storage");
      assertThat(promotion.status()).isEqualTo(StepStatus.FAILED);
      assertThat(promotion.message())
          .contains("ended FAILED: role " + ROLE + " may not replicate acme-lakehouse-usw2 to")
          .contains("s3:ReplicateObject");
      // The promotion had changed the rules, so DR is marked active (no drill or capture takes
      // the pair meanwhile), but the run stopped there: DR's jobs were not resumed.
      assertThat(sandbox.simulator().s3().tagsOrEmpty(DemoWorkspace.REPLICA_BUCKET))
          .containsEntry("failover:role", "active");
      assertThat(failover.steps())
          .filteredOn(s -> s.name().equals("restore-schedules"))
          .allMatch(s -> s.status() != StepStatus.SUCCEEDED);
    }
  }

  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
