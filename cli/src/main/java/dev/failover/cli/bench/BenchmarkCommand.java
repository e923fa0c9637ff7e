package dev.failover.cli.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.failover.activities.clients.ApiLimits;
import dev.failover.cli.RunbookFiles;
import dev.failover.cli.sandbox.Sandbox;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.profile.CloudProfile;
import dev.failover.worker.FailoverWorker;
import dev.failover.workflows.capture.CaptureWorkflow;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javax.management.MBeanServerConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the sandbox under a cloud profile through readiness, capture, a full converge (a drill that
 * keeps its DR objects), a second converge with nothing to do, a failover after a 1% drift, and the
 * full converge again with one activity and one request in flight at a time at a smaller scale;
 * writes {@code benchmark.json} and {@code benchmark.md} and prints the table.
 */
@Command(
    name = "benchmark",
    description =
        "Measure readiness, capture, converge and failover of a generated large workspace under"
            + " the simulator's realistic cloud profile, against the profile's lower bound.")
public final class BenchmarkCommand implements Callable<Integer> {
  /** The activity type of capture's read of the primary, as it names itself on its requests. */
  private static final String CAPTURE = "CaptureControlPlane";

  @Option(
      names = "--scale",
      defaultValue = "0.01",
      description =
          "Size of the generated primary; 1.0 = 1,000 schemas, 20,000 tables, 50,000 grants,"
              + " 5,000 jobs, 1,000,000 object versions (default: ${DEFAULT-VALUE})")
  double scale;

  @Option(
      names = "--sequential-scale",
      description =
          "Scale of the sequential run, one activity and one request in flight at a time (default: scale / 10)")
  Double sequentialScale;

  @Option(
      names = "--profile",
      defaultValue = CloudProfile.REALISTIC,
      description = "Cloud profile: 'realistic' or a profile file (default: ${DEFAULT-VALUE})")
  String profileName;

  @Option(
      names = "--out",
      defaultValue = "benchmark",
      description = "Directory for benchmark.json and benchmark.md (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--request-log",
      description =
          "Also write each run's requests to OUT/requests-<run>.csv: milliseconds since the run"
              + " started, side, service, method, path, status, the activity that sent it (for"
              + " finding where a phase waits)")
  boolean requestLog;

  @Option(
      names = "--failover-from-newest-snapshot",
      description =
          "After the drift, capture the primary as a capture schedule would (its own row), then"
              + " fail over with --from-newest-snapshot, which converges DR from that capture"
              + " instead of reading the primary (default: the failover reads the primary)")
  boolean failoverFromNewestSnapshot;

  @Option(
      names = "--backlog-by-listing",
      description =
          "Leave S3 Replication metrics off the bucket's replication rule, so that readiness"
              + " lists the bucket's versions to measure the backlog (default: the rule enables"
              + " them, as set up a day before the run, and readiness reads them from CloudWatch)")
  boolean backlogByListing;

  @Option(
      names = "--worker-heap",
      defaultValue = "1g",
      description =
          "The worker process's -Xmx: the benchmark runs the worker in a JVM of its own, as in"
              + " production, and reports that JVM's heap (default: ${DEFAULT-VALUE})")
  String workerHeap;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!(scale > 0) || (sequentialScale != null && !(sequentialScale > 0))) {
      throw new IllegalArgumentException("--scale and --sequential-scale must be positive");
    }
    if (!workerHeap.matches("[1-9][0-9]*[kKmMgG]?")) {
      throw new IllegalArgumentException(
          "--worker-heap must be a size as -Xmx takes it (e.g. 1g, 768m), got '"
              + workerHeap
              + "'");
    }
    CloudProfile profile = CloudProfile.load(profileName);
    byte[] profileBytes = profileBytes();
    // The worker reads the same limits from a file; a bad one fails here, before anything starts.
    ApiLimits.parse(profileName, profileBytes, 1.0);
    Files.createDirectories(out);
    Path limits = Files.write(out.resolve("worker-api-limits.json"), profileBytes);
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    PrintWriter console = spec.commandLine().getOut();
    List<PhaseResult> results = new ArrayList<>();
    PhaseMeter meter = new PhaseMeter(profile);
    console.printf(
        "Generating the primary at scale %s and running under profile %s%n", scale, profile.name());
    console.flush();
    results.addAll(parallelPhases(runbook, profile, limits, meter));
    double sequential = sequentialScale == null ? scale / 10 : sequentialScale;
    results.add(sequentialPhase(runbook, profile, limits, meter, sequential));
    BenchmarkReport report = new BenchmarkReport(profile.name(), results);
    Files.writeString(out.resolve("benchmark.json"), report.json());
    Files.writeString(out.resolve("benchmark.md"), report.markdown());
    console.println(report.markdown());
    console.println(
        "Written: " + out.resolve("benchmark.json") + ", " + out.resolve("benchmark.md"));
    return 0;
  }

  private List<PhaseResult> parallelPhases(
      Runbook runbook, CloudProfile profile, Path limits, PhaseMeter meter)
      throws IOException, InterruptedException {
    BenchmarkWorkspace workspace = new BenchmarkWorkspace(scale, !backlogByListing);
    List<PhaseResult> results = new ArrayList<>();
    Sandbox.Performance performance = Sandbox.Performance.workerElsewhere(workspace::seed, profile);
    try (Sandbox sandbox = Sandbox.start(runbook, performance);
        WorkerProcess process =
            startWorker(sandbox, runbook, limits, FailoverWorker.MAX_CONCURRENT_ACTIVITIES, 0)) {
      Meters worker = new Meters(sandbox, process);
      Measured first = run(worker, () -> drill(sandbox, runbook, "BENCH-CONVERGE-1"));
      logRequests("full-converge", first);
      // A drill's capture runs beside readiness: each row counts the requests its own activities
      // sent, as they name themselves to the simulator (X-Failover-Activity).
      results.add(
          first.step(meter, "readiness", "readiness", scale, r -> !CAPTURE.equals(r.caller())));
      results.add(first.step(meter, "capture", "capture", scale, r -> CAPTURE.equals(r.caller())));
      results.add(first.whole(meter, "full converge (drill --keep)", scale));
      Measured second = run(worker, () -> drill(sandbox, runbook, "BENCH-CONVERGE-2"));
      logRequests("second-converge", second);
      results.add(second.whole(meter, "second converge (nothing to do)", scale));
      workspace.drift(sandbox.simulator().workspace("primary"));
      if (failoverFromNewestSnapshot) {
        results.add(scheduledCapture(worker, runbook, meter));
      }
      Measured failover =
          run(
              worker,
              () ->
                  sandbox
                      .launcher()
                      .fromNewestSnapshot(failoverFromNewestSnapshot)
                      .run(
                          runbook,
                          Mode.FAILOVER,
                          "BENCH-FAILOVER",
                          quiet(),
                          sandbox.approving(
                              new Approval("benchmark", "failover after a 1% drift"))));
      logRequests("failover", failover);
      String phase =
          failoverFromNewestSnapshot
              ? "failover from the newest snapshot after 1% drift"
              : "failover after 1% drift";
      results.add(failover.whole(meter, phase, scale));
      results.add(failover.failoverTarget(meter, phase, scale));
    }
    return results;
  }

  /** The drift's capture, as the runbook's capture schedule would take it before an incident. */
  private PhaseResult scheduledCapture(Meters worker, Runbook runbook, PhaseMeter meter)
      throws IOException {
    Sandbox sandbox = worker.sandbox();
    sandbox.simulator().requests().clear();
    worker.heap().reset();
    CpuClock cpu = worker.clock();
    long started = System.currentTimeMillis();
    sandbox.capture(runbook);
    long ended = System.currentTimeMillis();
    PhaseResult.Cpu used = cpu.used();
    PhaseResult.Heap heap = worker.heap().peaks();
    long events = historyEvents(sandbox, CaptureWorkflow.workflowId(runbook.name()), null);
    List<RecordedRequest> requests = sandbox.simulator().requests().all();
    sandbox.simulator().requests().clear();
    return meter
        .measure(
            "capture after the drift (as a capture schedule takes it)",
            scale,
            (ended - started) / 1000.0,
            requests,
            heap,
            events)
        .withCpu(used);
  }

  private PhaseResult sequentialPhase(
      Runbook runbook, CloudProfile profile, Path limits, PhaseMeter meter, double at)
      throws IOException, InterruptedException {
    BenchmarkWorkspace workspace = new BenchmarkWorkspace(at, !backlogByListing);
    Sandbox.Performance performance = Sandbox.Performance.workerElsewhere(workspace::seed, profile);
    try (Sandbox sandbox = Sandbox.start(runbook, performance);
        WorkerProcess process = startWorker(sandbox, runbook, limits, 1, 1)) {
      Measured run =
          run(new Meters(sandbox, process), () -> drill(sandbox, runbook, "BENCH-SEQUENTIAL"));
      return run.whole(meter, "sequential full converge (one request in flight)", at);
    }
  }

  /**
   * The worker, in a JVM of its own with {@code --worker-heap}, paced by the profile's limits, its
   * output appended to {@code OUT/worker.log}.
   */
  private WorkerProcess startWorker(
      Sandbox sandbox, Runbook runbook, Path limits, int activities, int requestsInFlight)
      throws IOException, InterruptedException {
    return WorkerProcess.start(
        sandbox,
        runbook,
        workerHeap,
        List.of(
            "--api-limits",
            limits.toString(),
            "--max-concurrent-activities",
            String.valueOf(activities),
            "--requests-in-flight",
            String.valueOf(requestsInFlight)),
        out.resolve("worker.log"));
  }

  /** With {@code --request-log}, the run's requests as CSV, in the order they were answered. */
  private void logRequests(String run, Measured measured) {
    if (!requestLog) {
      return;
    }
    StringBuilder csv = new StringBuilder("millis,side,service,method,path,status,activity\n");
    for (RecordedRequest r : measured.requests()) {
      csv.append(r.answeredAtMillis() - measured.startedMillis())
          .append(',')
          .append(r.side())
          .append(',')
          .append(r.service())
          .append(',')
          .append(r.method())
          .append(',')
          .append(r.path().replace(',', ' '))
          .append(',')
          .append(r.status())
          .append(',')
          .append(r.caller())
          .append('\n');
    }
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("requests-" + run + ".csv"), csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RunReport drill(Sandbox sandbox, Runbook runbook, String incident) {
    return sandbox.run(runbook, Mode.DRILL, incident, quiet(), true);
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }

  /** The events in a workflow's history: of the run given, or of its latest run (null). */
  private static long historyEvents(Sandbox sandbox, String workflowId, String runId) {
    var client = sandbox.temporal().client();
    var history =
        runId == null ? client.fetchHistory(workflowId) : client.fetchHistory(workflowId, runId);
    return history.getHistory().getEventsCount();
  }

  /**
   * Runs one run, with the request log, the worker's heap peaks, the CPU time and the wall time of
   * it alone.
   */
  private static Measured run(Meters worker, Supplier<RunReport> runner) throws IOException {
    Sandbox sandbox = worker.sandbox();
    sandbox.simulator().requests().clear();
    worker.heap().reset();
    CpuClock cpu = worker.clock();
    long started = System.currentTimeMillis();
    RunReport report = runner.get();
    long ended = System.currentTimeMillis();
    PhaseResult.Cpu used = cpu.used();
    PhaseResult.Heap heap = worker.heap().peaks();
    long events = historyEvents(sandbox, report.workflowId(), report.runId());
    List<RecordedRequest> requests = sandbox.simulator().requests().all();
    sandbox.simulator().requests().clear();
    return new Measured(report, started, ended, requests, heap, events, used);
  }

  /** What the benchmark reads of the sandbox and of its worker process. */
  private record Meters(Sandbox sandbox, MBeanServerConnection workerBeans, HeapWatch heap) {
    Meters(Sandbox sandbox, WorkerProcess worker) throws IOException {
      this(sandbox, worker.beans(), new HeapWatch(worker.beans()));
    }

    /** A clock of the CPU time used from now. */
    CpuClock clock() throws IOException {
      return new CpuClock(this);
    }
  }

  /**
   * The worker's and the sandbox's CPU time, the simulator's share of the sandbox's, and the
   * worker's collectors' pauses, from when it was made.
   */
  private static final class CpuClock {
    private static final OperatingSystemMXBean SANDBOX =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Meters meters;
    private final OperatingSystemMXBean worker;
    private final List<GarbageCollectorMXBean> workerCollectors;
    private final long workerCpu;
    private final long sandboxCpu;
    private final long simulatorCpu;
    private final long workerGcPauses;

    CpuClock(Meters meters) throws IOException {
      this.meters = meters;
      this.worker =
          ManagementFactory.getPlatformMXBean(meters.workerBeans(), OperatingSystemMXBean.class);
      this.workerCollectors =
          ManagementFactory.getPlatformMXBeans(meters.workerBeans(), GarbageCollectorMXBean.class);
      this.workerCpu = worker.getProcessCpuTime();
      this.sandboxCpu = SANDBOX.getProcessCpuTime();
      this.simulatorCpu = meters.sandbox().simulator().answerCpuNanos();
      this.workerGcPauses = gcPauseMillis();
    }

    PhaseResult.Cpu used() {
      return new PhaseResult.Cpu(
          (worker.getProcessCpuTime() - workerCpu) / 1e9,
          (SANDBOX.getProcessCpuTime() - sandboxCpu) / 1e9,
          (meters.sandbox().simulator().answerCpuNanos() - simulatorCpu) / 1e9,
          (gcPauseMillis() - workerGcPauses) / 1e3,
          Runtime.getRuntime().availableProcessors());
    }

    private long gcPauseMillis() {
      return workerCollectors.stream().mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }
  }

  private byte[] profileBytes() throws IOException {
    if (!profileName.equals(CloudProfile.REALISTIC)) {
      return Files.readAllBytes(Path.of(profileName));
    }
    try (InputStream in = CloudProfile.class.getResourceAsStream("/profiles/realistic.json")) {
      return in.readAllBytes();
    }
  }

  /** One run and what it sent. */
  private record Measured(
      RunReport report,
      long startedMillis,
      long endedMillis,
      List<RecordedRequest> requests,
      PhaseResult.Heap heap,
      long historyEvents,
      PhaseResult.Cpu cpu) {

    PhaseResult whole(PhaseMeter meter, String phase, double scale) {
      return meter
          .measure(
              label(phase),
              scale,
              (endedMillis - startedMillis) / 1000.0,
              requests,
              heap,
              historyEvents)
          .withSteps(stepSeconds())
          .withCpu(cpu);
    }

    /** Each step that ran, by its start and end times, in the order the steps started. */
    private Map<String, Double> stepSeconds() {
      Map<String, Double> seconds = new LinkedHashMap<>();
      report.steps().stream()
          .filter(s -> s.startedAt() != null && s.endedAt() != null)
          .sorted(Comparator.comparing(s -> Instant.parse(s.startedAt())))
          .forEach(
              s ->
                  seconds.put(
                      s.name(),
                      Duration.between(Instant.parse(s.startedAt()), Instant.parse(s.endedAt()))
                              .toMillis()
                          / 1000.0));
      return seconds;
    }

    /**
     * The failover against its own target: the bound of what a failover of a converged DR cannot
     * avoid (readiness, the fence, the storage promotion) plus that of its writes to DR (the drift,
     * the schedules restored), the parts' bounds added as if none overlapped.
     */
    PhaseResult failoverTarget(PhaseMeter meter, String phase, double scale) {
      Map<String, List<RecordedRequest>> parts = new LinkedHashMap<>();
      parts.put("readiness", within("readiness"));
      parts.put("fence", within("fence-source"));
      // Capture and the converge steps run while storage is promoted; the promotion is S3's.
      parts.put(
          "promotion",
          within("promote-storage").stream()
              .filter(r -> !r.service().equals("databricks"))
              .toList());
      parts.put(
          "writes to DR",
          requests.stream()
              .filter(r -> r.mutating() && r.service().equals("databricks"))
              .filter(r -> r.side().equals("secondary"))
              .toList());
      return meter.measureParts(
          label(phase) + " against its target",
          scale,
          (endedMillis - startedMillis) / 1000.0,
          parts,
          historyEvents);
    }

    /** The requests answered while one step ran, by its start and end times. */
    private List<RecordedRequest> within(String stepName) {
      StepReport step = stepNamed(stepName);
      if (step == null) {
        return List.of();
      }
      long from = Instant.parse(step.startedAt()).toEpochMilli();
      long to = Instant.parse(step.endedAt()).toEpochMilli();
      return requests.stream()
          .filter(r -> r.answeredAtMillis() >= from && r.answeredAtMillis() <= to)
          .toList();
    }

    /**
     * One step of the run, by its start and end times, counting the requests answered meanwhile
     * that {@code own} keeps.
     */
    PhaseResult step(
        PhaseMeter meter,
        String phase,
        String stepName,
        double scale,
        java.util.function.Predicate<RecordedRequest> own) {
      StepReport step = stepNamed(stepName);
      if (step == null) {
        return meter.measure(
            label(phase) + " (step not run)", scale, 0, List.of(), PhaseResult.Heap.NONE, -1);
      }
      double seconds =
          Duration.between(Instant.parse(step.startedAt()), Instant.parse(step.endedAt()))
                  .toMillis()
              / 1000.0;
      return meter.measure(
          label(phase),
          scale,
          seconds,
          within(stepName).stream().filter(own).toList(),
          PhaseResult.Heap.NONE,
          -1);
    }

    /** The step of that name, if it ran to an end. */
    private StepReport stepNamed(String stepName) {
      return report.steps().stream()
          .filter(s -> s.name().equals(stepName))
          .filter(s -> s.startedAt() != null && s.endedAt() != null)
          .findFirst()
          .orElse(null);
    }

    private String label(String phase) {
      return switch (report.outcome()) {
        case SUCCEEDED -> phase;
        default -> phase + " [" + report.outcome() + ": " + report.failure() + "]";
      };
    }
  }
}
