package dev.failover.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.RunbookFiles;
import dev.failover.cli.sandbox.Sandbox;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's worker runs in a JVM of its own against a sandbox that has no worker, and the
 * benchmark reads that JVM's heap over JMX: so the heap it reports is the worker's, not the
 * simulator's.
 */
class WorkerProcessTest {
  @TempDir Path out;

  @Test
  void aDrillRunsOnTheWorkerProcessWhoseHeapIsReadOverJmx() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    Sandbox.Performance noWorker = Sandbox.Performance.workerElsewhere(s -> {}, null);
    Path log = out.resolve("worker.log");
    try (Sandbox sandbox = Sandbox.start(runbook, noWorker);
        WorkerProcess worker =
            WorkerProcess.start(
                sandbox, runbook, "256m", List.of("--max-concurrent-activities", "4"), log)) {
      RuntimeMXBean workerRuntime =
          ManagementFactory.getPlatformMXBean(worker.beans(), RuntimeMXBean.class);
      assertThat(workerRuntime.getPid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(workerRuntime.getInputArguments()).contains("-Xmx256m");
      HeapWatch heap = new HeapWatch(worker.beans());
      heap.reset();

      RunReport report =
          sandbox.run(runbook, Mode.DRILL, "INC-BENCH", new PrintWriter(new StringWriter()));

      assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
      PhaseResult.Heap peaks = heap.peaks();
      assertThat(peaks.peakMiB()).isBetween(1L, 256L);
      // The sandbox has no worker of its own: the drill ran on the process, whose output is kept.
      assertThat(Files.readString(log)).contains("Worker polling task queue");
    }
  }
}
