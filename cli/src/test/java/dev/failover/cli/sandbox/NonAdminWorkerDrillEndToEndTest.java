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
 * A drill whose worker is the demo's {@code dr-worker}, a service principal that is no workspace
 * admin and holds no {@code servicePrincipal.user} role: the worker calls as that principal, and
 * the jobs step refuses every job whose run-as identity it may not set, naming each, instead of
 * creating copies that would run as the worker.
 */
class NonAdminWorkerDrillEndToEndTest {
  @Test
  void aWorkerThatMayNotSetTheJobsRunAsGetsThemRefusedByNameAndCreatesNoJob() throws Exception {
    // A step that fails ends the run here, rather than waiting for an operator's decision.
    Runbook runbook =
        RunbookFiles.bundledSandboxRunbook()
            .withOnStepFailure(new Runbook.OnStepFailure(false, 60));
    try (Sandbox sandbox = Sandbox.start(runbook, 0, Optional.empty(), "dr-worker")) {
      RunReport drill = sandbox.run(runbook, Mode.DRILL, null, new PrintWriter(new StringWriter()));

      assertThat(step(drill, "readiness").message())
          .contains("answers as " + DemoWorkspace.DR_WORKER);
      assertThat(drill.outcome()).isEqualTo(Outcome.FAILED);
      StepReport jobs = step(drill, "converge-jobs");
      assertThat(jobs.status()).isEqualTo(StepStatus.FAILED);
      assertThat(jobs.message())
          .contains(
              "job nightly-orders-etl runs as service principal "
                  + DemoWorkspace.ETL_RUNNER
                  + ", and the worker ("
                  + DemoWorkspace.DR_WORKER
                  + ") may not set run_as to it")
          .contains("it needs the servicePrincipal.user role on " + DemoWorkspace.ETL_RUNNER)
          .contains("job quarterly-archive runs as user " + DemoWorkspace.ARCHIVE_OWNER)
          .contains("it must be that user or a workspace admin");
      // No copy was created to run as the worker.
      assertThat(sandbox.simulator().workspace("secondary").jobs().jobs()).isEmpty();
    }
  }

  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
