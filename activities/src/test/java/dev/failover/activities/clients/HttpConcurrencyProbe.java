package dev.failover.activities.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.InFlight;
import dev.failover.simulator.profile.CloudProfile;
import dev.failover.simulator.s3.S3State;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * A measurement, not part of the normal test run (its name does not end in {@code Test}): how many
 * requests the worker's own SDK clients, built by {@link CloudClients}, really keep in flight
 * against the simulator when 32 threads send at once, counted both around the client calls and in
 * the simulator's handlers. Run it alone:
 *
 * <pre>
 * mvn -B -o -q -pl activities -am test -Dtest=HttpConcurrencyProbe -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read {@code activities/target/surefire-reports/*HttpConcurrencyProbe-output.txt} ({@code
 * -DargLine=-Dprobe.requests=3000} for a longer burst).
 */
class HttpConcurrencyProbe {
  private static final int THREADS = 32;
  private static final int REQUESTS = Integer.getInteger("probe.requests", 600);

  @TempDir Path dir;
  private SimulatedCloud cloud;

  @BeforeEach
  void start() {
    // The tests' default logback configuration logs every SDK request at DEBUG, which costs more
    // CPU than the requests themselves.
    ((ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.INFO);
    cloud = new SimulatedCloud(dir);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void headObjectsUnderTheRealisticProfile() throws Exception {
    S3State s3State = cloud.simulator.s3();
    Instant now = Instant.now();
    s3State.seedHistory(
        DemoWorkspace.PRIMARY_BUCKET,
        "probe/",
        REQUESTS,
        now.minus(Duration.ofHours(2)),
        now,
        S3State.COMPLETED,
        0);
    S3Client s3 = cloud.clients.s3(SimulatedCloud.primaryBucket());
    List<ObjectVersion> versions =
        s3
            .listObjectVersionsPaginator(
                l -> l.bucket(DemoWorkspace.PRIMARY_BUCKET).prefix("probe/"))
            .versions()
            .stream()
            .toList();
    cloud.simulator.useProfile(CloudProfile.load(CloudProfile.REALISTIC));
    CloudProfile.Latency latency =
        CloudProfile.load(CloudProfile.REALISTIC).s3Family("HEAD").latencyMs();

    Call<ObjectVersion> head =
        v ->
            s3.headObject(
                h -> h.bucket(DemoWorkspace.PRIMARY_BUCKET).key(v.key()).versionId(v.versionId()));
    print("S3 HeadObject, realistic profile, cold JVM", measure(versions, head), meanOf(latency));
    Measured measured = measure(versions, head);
    print("S3 HeadObject, realistic profile, again", measured, meanOf(latency));
    assertNothingHoldsTheThreadsBack(measured);
  }

  @Test
  void databricksGetsAtAFixedLatency() throws Exception {
    WorkspaceClient workspace = cloud.clients.workspace(SimulatedCloud.primary());
    List<Long> jobIds = new ArrayList<>();
    for (BaseJob job : workspace.jobs().list(new ListJobsRequest())) {
      jobIds.add(job.getJobId());
    }
    List<Long> gets = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      gets.add(jobIds.get(i % jobIds.size()));
    }
    // A fixed latency rather than the profile: its rate limits (20 a second for jobs) would cap
    // the throughput before the HTTP path did.
    long latencyMillis = 80;
    cloud.simulator.setLatency("databricks", "primary", latencyMillis);

    Call<Long> get = id -> workspace.jobs().get(id);
    print("Databricks jobs/get, fixed latency, cold JVM", measure(gets, get), latencyMillis);
    Measured measured = measure(gets, get);
    print("Databricks jobs/get, fixed latency, again", measured, latencyMillis);
    assertNothingHoldsTheThreadsBack(measured);
  }

  /**
   * What does not depend on the machine's load: every thread's request reaches the handlers at some
   * point (no pool smaller than the threads), and the connections are kept alive (no more of them
   * than threads). Throughput and the average in flight are printed: on a shared machine they
   * follow the CPU the JVM gets.
   */
  private static void assertNothingHoldsTheThreadsBack(Measured measured) {
    assertThat(measured.serverPeak()).isGreaterThanOrEqualTo(THREADS);
    assertThat(measured.connections()).isLessThanOrEqualTo(THREADS);
  }

  /** What one burst of requests showed. */
  private record Measured(
      int requests,
      long wallMillis,
      double clientAverage,
      int serverPeak,
      double serverAverage,
      int connections,
      double cpuMillisPerRequest) {
    double perSecond() {
      return requests * 1000.0 / wallMillis;
    }
  }

  private interface Call<T> {
    void send(T item) throws Exception;
  }

  private <T> Measured measure(List<T> items, Call<T> call) throws Exception {
    AtomicLong clientBusyNanos = new AtomicLong();
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    InFlight server = cloud.simulator.inFlight();
    try {
      server.reset();
      long cpuBefore = processCpuNanos();
      long started = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(
            pool.submit(
                () -> {
                  long sent = System.nanoTime();
                  call.send(item);
                  clientBusyNanos.addAndGet(System.nanoTime() - sent);
                  done.incrementAndGet();
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      long wallNanos = System.nanoTime() - started;
      return new Measured(
          done.get(),
          wallNanos / 1_000_000,
          (double) clientBusyNanos.get() / wallNanos,
          server.peak(),
          server.average(),
          server.connections(),
          (processCpuNanos() - cpuBefore) / 1e6 / done.get());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The CPU time this JVM (client and simulator together) has used. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double meanOf(CloudProfile.Latency latency) {
    double sigma = latency.sigmaOf();
    return latency.median() * Math.exp(sigma * sigma / 2);
  }

  private static void print(String what, Measured m, double meanLatencyMillis) {
    System.out.printf(
        "%s: %d requests, %d threads, %d ms, %.0f/s (expected about %.0f/s at a mean latency of"
            + " %.0f ms); in flight: client %.1f on average, server %.1f on average, %d at the"
            + " peak; %d connections; %.1f ms of CPU a request (client and simulator), load average %.1f%n",
        what,
        m.requests(),
        THREADS,
        m.wallMillis(),
        m.perSecond(),
        THREADS * 1000 / meanLatencyMillis,
        meanLatencyMillis,
        m.clientAverage(),
        m.serverAverage(),
        m.serverPeak(),
        m.connections(),
        m.cpuMillisPerRequest(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
