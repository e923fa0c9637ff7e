package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A drill whose worker is the demo's {@code dr-worker}, a service principal that is neither a
 * workspace admin nor a metastore admin and holds no Unity Catalog privilege: readiness checks the
 * worker's rights read-only and fails naming what it lacks, before converge writes anything to
 * either workspace. (DR has no metastore assigned before the first converge, so there the check is
 * workspace admin only; {@code WorkerRightsReadinessTest} covers the metastore privileges.) (That a
 * worker which may not set a job's run-as identity gets the job refused by name is {@code
 * JobRunAsComponentTest}'s.)
 */
class NonAdminWorkerDrillEndToEndTest {
  @Test
  void readinessNamesEveryMissingRightAndNothingIsWrittenToEitherWorkspace() throws Exception {
    // A step that fails ends the run here, rather than waiting for an operator's decision.
    Runbook runbook =
        RunbookFiles.bundledSandboxRunbook()
            .withOnStepFailure(new Runbook.OnStepFailure(false, 60));
    try (Sandbox sandbox = Sandbox.start(runbook, 0, Optional.empty(), "dr-worker")) {
      RunReport drill = sandbox.run(runbook, Mode.DRILL, null, new PrintWriter(new StringWriter()));

      assertThat(drill.outcome()).isEqualTo(Outcome.FAILED);
      StepReport readiness = step(drill, "readiness");
      assertThat(readiness.status()).isEqualTo(StepStatus.FAILED);
      assertThat(readiness.message())
          .contains(DemoWorkspace.DR_WORKER + " lacks in the")
          .contains("workspace admin (a member of the workspace's admins group)")
          .contains("Least privilege");
      assertThat(sandbox.simulator().requests().mutating("databricks", "primary")).isEmpty();
      assertThat(sandbox.simulator().requests().mutating("databricks", "secondary")).isEmpty();
      assertThat(sandbox.simulator().workspace("secondary").jobs().jobs()).isEmpty();
    }
  }

  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
