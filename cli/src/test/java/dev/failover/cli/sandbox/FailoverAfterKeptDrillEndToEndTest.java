package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A drill with {@code --keep}, a change on the primary, then a failover, in the sandbox: the
 * failover converges and checks only what changed since the drill's smoke test, and leaves its own
 * record for the next one.
 */
class FailoverAfterKeptDrillEndToEndTest {
  @Test
  void aFailoverOntoAKeptDrillsDrConvergesOnlyWhatChangedSince() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      RunReport drill = sandbox.run(runbook, Mode.DRILL, "INC-1", quiet(), true);
      assertThat(drill.outcome()).as(drill.failure()).isEqualTo(Outcome.SUCCEEDED);
      DemoWorkspace.addPythonJob(sandbox.simulator().workspace("primary"), "added-after-the-drill");
      sandbox.simulator().requests().clear();

      RunReport failover =
          sandbox.runApproved(
              runbook, Mode.FAILOVER, "INC-2", new Approval("oncall-sre", "go"), quiet());

      assertThat(failover.outcome()).as(failover.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(step(failover, "capture").message())
          .contains("only what changed since is converged and checked");
      assertThat(jobNames(sandbox, "secondary")).contains("added-after-the-drill");
      // The notebooks did not change: DR's workspace objects were neither read nor written.
      assertThat(drRequests(sandbox)).noneMatch(r -> r.path().startsWith("/api/2.0/workspace/"));
      String record =
          new String(
              sandbox
                  .simulator()
                  .s3()
                  .getObject(
                      DemoWorkspace.REPLICA_BUCKET,
                      "failover/" + runbook.name() + "/verified-target.json")
                  .content(),
              StandardCharsets.UTF_8);
      assertThat(record).contains("\"mode\":\"failover\"");
    }
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }

  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> jobNames(Sandbox sandbox, String side) {
    return sandbox.simulator().workspace(side).jobs().jobs().stream()
        .map(j -> j.settings().get("name").asText())
        .toList();
  }

  private static List<RecordedRequest> drRequests(Sandbox sandbox) {
    return sandbox.simulator().requests().all().stream()
        .filter(r -> r.service().equals("databricks") && r.side().equals("secondary"))
        .toList();
  }
}
