package dev.failover.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.clients.ApiLimits;
import dev.failover.cli.RunbookFiles;
import dev.failover.cli.sandbox.Sandbox;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.profile.CloudProfile;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.runbook.Runbook;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not part of the normal test run (its name does not end in {@code Test}): one drill
 * of the sandbox under the realistic profile at a tiny benchmark scale, printing each step's wall
 * time and, for readiness, every gap of more than half a second between the requests the simulator
 * answered, so that the step's time can be told apart into round trips and waits. Run it alone:
 *
 * <pre>
 * mvn -B -o -q -pl cli -am test -Dtest=ReadinessTimingProbe -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read {@code cli/target/surefire-reports/*ReadinessTimingProbe-output.txt}.
 */
class ReadinessTimingProbe {
  private static final double SCALE =
      Double.parseDouble(System.getProperty("probe.scale", "0.001"));

  @Test
  void readinessUnderTheRealisticProfile() throws Exception {
    CloudProfile profile = CloudProfile.load(CloudProfile.REALISTIC);
    byte[] profileBytes;
    try (InputStream in = CloudProfile.class.getResourceAsStream("/profiles/realistic.json")) {
      profileBytes = in.readAllBytes();
    }
    ApiLimits limits = ApiLimits.parse(CloudProfile.REALISTIC, profileBytes, 1.0);
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    BenchmarkWorkspace workspace = new BenchmarkWorkspace(SCALE, false);
    Sandbox.Performance performance =
        new Sandbox.Performance(workspace::seed, profile, limits, 8, 0);
    try (Sandbox sandbox = Sandbox.start(runbook, performance)) {
      sandbox.simulator().requests().clear();
      StringWriter progress = new StringWriter();
      PrintWriter writer = new PrintWriter(progress, true);
      long started = System.currentTimeMillis();
      Thread drill =
          new Thread(
              () -> {
                try {
                  sandbox.run(runbook, Mode.DRILL, "PROBE-READINESS", writer, true);
                } catch (RuntimeException e) {
                  // The sandbox closes under the run once readiness is over.
                }
              });
      drill.setDaemon(true);
      drill.start();
      // Readiness is over when the run goes on to capture: the drill stops there.
      while (!progress.toString().contains("capture") && drill.isAlive()) {
        Thread.sleep(100);
      }
      long over = System.currentTimeMillis();
      System.out.printf("drill at scale %s: readiness over after %d ms%n", SCALE, over - started);
      System.out.println(progress);
      List<RecordedRequest> requests = sandbox.simulator().requests().all();
      printGaps(requests, started, over);
      assertThat(requests).isNotEmpty();
    }
  }

  private static void printGaps(List<RecordedRequest> requests, long from, long to) {
    long last = from;
    for (RecordedRequest r : requests) {
      if (r.answeredAtMillis() < from || r.answeredAtMillis() > to) {
        continue;
      }
      if (r.answeredAtMillis() - last > 500) {
        System.out.printf(
            "  gap of %d ms before +%d ms %s %s %s %s%n",
            r.answeredAtMillis() - last,
            r.answeredAtMillis() - from,
            r.service(),
            r.side(),
            r.method(),
            r.path());
      }
      last = r.answeredAtMillis();
    }
    System.out.printf("  last request at +%d ms, step ended at +%d ms%n", last - from, to - from);
    java.util.Map<Long, java.util.Map<String, Long>> perSecond = new java.util.TreeMap<>();
    for (RecordedRequest r : requests) {
      if (r.answeredAtMillis() >= from && r.answeredAtMillis() <= to) {
        perSecond
            .computeIfAbsent((r.answeredAtMillis() - from) / 1000, k -> new java.util.TreeMap<>())
            .merge(r.service() + " " + r.method(), 1L, Long::sum);
      }
    }
    perSecond.forEach((second, counts) -> System.out.printf("  second %d: %s%n", second, counts));
  }
}
