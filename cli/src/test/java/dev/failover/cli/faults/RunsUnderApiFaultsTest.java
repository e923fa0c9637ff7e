package dev.failover.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.RunbookFiles;
import dev.failover.cli.sandbox.Sandbox;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With 30% of all API requests failing, on every route of both services (429 with Retry-After, 500,
 * 503, responses slower than the client's timeout whose effect lands after the client gave up,
 * dropped connections), a drill, a failover and a failback each succeed and leave exactly the state
 * that runs without faults leave, object by object ({@link DrState}), and their reports count the
 * retries they took. The kept drill's sandbox then fails over too, converging only what changed on
 * the primary since the drill's smoke test.
 */
class RunsUnderApiFaultsTest {
  private static final double FAULT_RATE = 0.3;

  /** A fixed seed, so that a failure can be replayed (as far as concurrent requests allow). */
  private static final long FAULT_SEED = 7;

  private static final String PRIMARY = DemoWorkspace.PRIMARY_BUCKET;
  private static final String REPLICA = DemoWorkspace.REPLICA_BUCKET;

  /** What the runs of one fault rate leave, and how many retries and faults they saw. */
  private record States(
      List<String> afterDrill,
      List<String> afterTrustingFailover,
      List<String> afterFailover,
      List<String> afterFailback,
      List<Integer> retries,
      int faults,
      List<String> drillMutationsOfPrimary) {}

  private record Drilled(
      List<String> state,
      List<String> afterTrustingFailover,
      List<Integer> retries,
      int faults,
      List<String> mutations) {}

  private record FailedOverAndBack(
      List<String> afterFailover, List<String> afterFailback, List<Integer> retries, int faults) {}

  @Test
  // A step that stops for a decision would wait for one forever: fail instead.
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void drillFailoverAndFailbackUnderThirtyPercentFaultsEndInTheStatesOfRunsWithout()
      throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    // Four sandboxes at once: runs under faults spend their time waiting, so this keeps the test's
    // time close to that of the longest run.
    ExecutorService runs = Executors.newFixedThreadPool(4);
    States without;
    States with;
    try {
      CompletableFuture<States> withoutFaults = runAll(runbook, 0, runs);
      with = runAll(runbook, FAULT_RATE, runs).join();
      without = withoutFaults.join();
    } finally {
      runs.shutdownNow();
    }

    assertThat(without.afterDrill()).isNotEmpty();
    assertThat(with.afterDrill()).isEqualTo(without.afterDrill());
    assertThat(with.afterTrustingFailover()).isEqualTo(without.afterTrustingFailover());
    assertThat(with.afterFailover()).isEqualTo(without.afterFailover());
    assertThat(with.afterFailback()).isEqualTo(without.afterFailback());
    assertThat(with.faults()).isPositive();
    assertThat(with.retries()).allMatch(retries -> retries > 0);
    assertThat(with.drillMutationsOfPrimary()).isEmpty();
  }

  /**
   * A drill (kept, so that its DR objects can be compared) in one sandbox, and a failover, DR
   * written to, then a failback in another, the two at the same time.
   */
  private static CompletableFuture<States> runAll(
      Runbook runbook, double faultRate, ExecutorService runs) {
    CompletableFuture<Drilled> drill =
        CompletableFuture.supplyAsync(() -> drill(runbook, faultRate), runs);
    CompletableFuture<FailedOverAndBack> failoverAndBack =
        CompletableFuture.supplyAsync(() -> failoverAndBack(runbook, faultRate), runs);
    return drill.thenCombine(failoverAndBack, RunsUnderApiFaultsTest::states);
  }

  private static States states(Drilled drilled, FailedOverAndBack failedOverAndBack) {
    List<Integer> retries = new ArrayList<>(drilled.retries());
    retries.addAll(failedOverAndBack.retries());
    return new States(
        drilled.state(),
        drilled.afterTrustingFailover(),
        failedOverAndBack.afterFailover(),
        failedOverAndBack.afterFailback(),
        retries,
        drilled.faults() + failedOverAndBack.faults(),
        drilled.mutations());
  }

  private static Drilled drill(Runbook runbook, double faultRate) {
    try (Sandbox sandbox = start(runbook, faultRate)) {
      RunReport report =
          sandbox.run(runbook, Mode.DRILL, "FAULTS-1", new PrintWriter(new StringWriter()), true);
      assertSucceeded(report, faultRate);
      List<String> mutations = new ArrayList<>();
      sandbox
          .simulator()
          .requests()
          .mutating("databricks", "primary")
          .forEach(r -> mutations.add(r.toString()));
      sandbox
          .simulator()
          .requests()
          .mutating("s3", "primary")
          .forEach(r -> mutations.add(r.toString()));
      List<String> afterDrill = DrState.of(sandbox.simulator(), "secondary", REPLICA);
      DemoWorkspace.addPythonJob(sandbox.simulator().workspace("primary"), "added-after-the-drill");
      RunReport failover = approved(sandbox, runbook, Mode.FAILOVER);
      assertSucceeded(failover, faultRate);
      if (faultRate == 0) {
        // Under faults a claim whose answer was lost leaves no record, and the failover then
        // compares everything: the same end state, by another way.
        assertThat(step(failover, "capture").message())
            .contains("only what changed since is converged and checked");
      }
      return new Drilled(
          afterDrill,
          DrState.of(sandbox.simulator(), "secondary", REPLICA, PRIMARY),
          List.of(retries(report), retries(failover)),
          sandbox.simulator().faults().injected(),
          mutations);
    }
  }

  private static FailedOverAndBack failoverAndBack(Runbook runbook, double faultRate) {
    try (Sandbox sandbox = start(runbook, faultRate)) {
      RunReport failover = approved(sandbox, runbook, Mode.FAILOVER);
      assertSucceeded(failover, faultRate);
      List<String> afterFailover = DrState.of(sandbox.simulator(), "secondary", REPLICA, PRIMARY);
      sandbox.writeInDr();
      RunReport failback = approved(sandbox, runbook, Mode.FAILBACK);
      assertSucceeded(failback, faultRate);
      List<String> afterFailback = new ArrayList<>();
      DrState.of(sandbox.simulator(), "secondary", REPLICA, PRIMARY)
          .forEach(line -> afterFailback.add("secondary: " + line));
      DrState.of(sandbox.simulator(), "primary")
          .forEach(line -> afterFailback.add("primary: " + line));
      return new FailedOverAndBack(
          afterFailover,
          afterFailback,
          List.of(retries(failover), retries(failback)),
          sandbox.simulator().faults().injected());
    }
  }

  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static Sandbox start(Runbook runbook, double faultRate) {
    Sandbox sandbox = Sandbox.start(runbook, faultRate);
    sandbox.simulator().faults().seed(FAULT_SEED);
    return sandbox;
  }

  private static RunReport approved(Sandbox sandbox, Runbook runbook, Mode mode) {
    return sandbox.runApproved(
        runbook,
        mode,
        "FAULTS-1",
        new Approval("oncall-sre", "a run under API faults"),
        new PrintWriter(new StringWriter()));
  }

  private static void assertSucceeded(RunReport report, double faultRate) {
    assertThat(report.outcome())
        .as("%s at fault rate %s: %s", report.mode(), faultRate, report.failure())
        .isEqualTo(Outcome.SUCCEEDED);
  }

  private static int retries(RunReport report) {
    return report.steps().stream()
        .map(StepReport::counts)
        .filter(Objects::nonNull)
        .mapToInt(c -> c.retries())
        .sum();
  }
}
