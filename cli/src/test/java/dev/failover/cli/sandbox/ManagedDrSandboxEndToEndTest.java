package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.cli.ExitCodes;
import dev.failover.cli.FailoverCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bundled managed DR runbook in the sandbox, through the CLI as an operator types it: the
 * failback command runs a failover (the group moves to us-west-2, its stable URL to DR) and then
 * the failback (both back), each report showing the group's step and the control-plane RPO.
 */
class ManagedDrSandboxEndToEndTest {
  private static final String GROUP =
      "accounts/7a1c3e52-9b4d-4f6a-8e21-5c0d3b9f4a17/failover-groups/acme-lakehouse";

  private static JsonNode step(JsonNode report, String name) {
    for (JsonNode step : report.path("steps")) {
      if (step.path("name").asText().equals(name)) {
        return step;
      }
    }
    throw new AssertionError("no step " + name + " in " + report);
  }

  @Test
  void aDryRunChecksTheGroupAndSaysWhichCatalogsItCoversChangingNothing() throws Exception {
    dev.failover.workflows.runbook.Runbook runbook =
        dev.failover.cli.RunbookFiles.load(
            java.nio.file.Path.of("..", "runbooks", "sandbox-managed-dr.yaml"));
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      StringWriter out = new StringWriter();
      CommandLine plan = FailoverCli.commandLine();
      plan.setOut(new PrintWriter(out));

      int code =
          plan.execute(
              "plan",
              "-f",
              "../runbooks/sandbox-managed-dr.yaml",
              "--mode",
              "failover",
              "--address",
              sandbox.temporalAddress());

      assertThat(code).as(out.toString()).isEqualTo(ExitCodes.OK);
      assertThat(out.toString())
          .contains("failover-group  (after fence-source)")
          .contains("failover group " + GROUP + " is ACTIVE in us-east-1")
          .contains(
              "the failover group replicates no catalogs: the engine converges every catalog");
      assertThat(sandbox.simulator().requests().all())
          .noneMatch(dev.failover.simulator.RecordedRequest::mutating);
    }
  }

  @Test
  void failoverThenFailbackMoveTheGroupAndItsStableUrlAndBack() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = FailoverCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int code =
        cli.execute(
            "sandbox",
            "failback",
            "--auto-approve",
            "-f",
            "../runbooks/sandbox-managed-dr.yaml",
            "--output",
            "json");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    // The failover before the failback, as its progress lines show it.
    assertThat(err.toString())
        .contains(
            "failed " + GROUP + " over to us-west-2; 1 stable URL(s) serve workspace 2076813776007")
        .contains("failover group " + GROUP + " is ACTIVE in us-east-1")
        .contains("control-plane RPO of " + GROUP + " is ");
    JsonNode failback = new ObjectMapper().readTree(out.toString());
    assertThat(failback.path("mode").asText()).isEqualTo("FAILBACK");
    assertThat(failback.path("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(step(failback, "readiness").path("message").asText())
        .contains("failover group " + GROUP + " is ACTIVE in us-west-2")
        .contains("1 stable URL(s) serve workspace 2076813776007")
        .contains("control-plane RPO of " + GROUP)
        .contains("the failover group replicates no workspace assets");
    // The group's replication point age is the report's structured control-plane RPO.
    assertThat(failback.path("controlPlaneRpoSeconds").isIntegralNumber()).isTrue();
    assertThat(failback.path("controlPlaneRpoSeconds").asLong()).isBetween(0L, 15 * 60L);
    assertThat(failback.path("controlPlaneRpoFrom").asText()).isEqualTo("failover-group");
    assertThat(step(failback, "failover-group").path("message").asText())
        .isEqualTo(
            "failed "
                + GROUP
                + " over to us-east-1; 1 stable URL(s) serve workspace 1185969127007");
  }
}
