package dev.failover.activities.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.profile.CloudProfile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers on one task queue stay within a workspace's limit by each taking its share: through
 * the real SDK against the simulator playing a profile with a tight Jobs API limit (10/s).
 */
class ApiPacingTest {
  private static final double JOBS_PER_SECOND = 10;

  @TempDir Path dir;
  private SimulatedCloud cloud;
  private Path profile;

  @BeforeEach
  void start() throws Exception {
    cloud = new SimulatedCloud(dir);
    profile = tightProfile();
    cloud.simulator.useProfile(CloudProfile.load(profile.toString()));
    cloud.simulator.requests().clear();
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void twoWorkersWithHalfTheLimitEachGetNo429() throws Exception {
    List<CloudClients> workers =
        List.of(worker(ApiLimits.read(profile, 0.5)), worker(ApiLimits.read(profile, 0.5)));

    listJobs(workers, 4);

    assertThat(jobsRequests()).isGreaterThanOrEqualTo(8);
    assertThat(throttled()).isZero();
    assertThat(workers.get(0).pacer().throttledCount()).isZero();
  }

  @Test
  void eachRequestTakesTheNextSlotAtTheSharedRateAndA429PushesTheFamilyBack() throws Exception {
    ApiPacer pacer = new ApiPacer(ApiLimits.read(profile, 0.5));
    long first = pacer.reserve("ws", "GET", "/api/2.2/jobs/list");
    long second = pacer.reserve("ws", "GET", "/api/2.2/jobs/get");
    long third = pacer.reserve("ws", "POST", "/api/2.2/jobs/create");
    // 10/s halved: one request every 200 ms, whichever thread asks.
    assertThat(first).isLessThan(20_000_000L);
    assertThat(second - first).isBetween(150_000_000L, 200_000_000L);
    assertThat(third - second).isBetween(150_000_000L, 200_000_000L);
    // Another family and another workspace have their own slots.
    assertThat(pacer.reserve("ws", "GET", "/api/2.0/permissions/jobs/1")).isLessThan(20_000_000L);
    assertThat(pacer.reserve("other", "GET", "/api/2.2/jobs/list")).isLessThan(20_000_000L);
    pacer.throttled("ws", "GET", "/api/2.2/jobs/list", 1);
    assertThat(pacer.reserve("ws", "GET", "/api/2.2/jobs/list")).isGreaterThan(900_000_000L);
    assertThat(pacer.throttledCount()).isEqualTo(1);
  }

  @Test
  void aLimitsFileWithoutARateIsOneLineNamingTheField() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(
        bad, "{\"databricks\":[{\"family\":\"jobs\",\"match\":[{\"prefix\":\"/api/\"}]}]}");
    assertThatThrownBy(() -> ApiLimits.read(bad, 1))
        .hasMessageEndingWith("databricks[0].requestsPerSecond: a positive number is needed");
    assertThatThrownBy(() -> ApiLimits.read(profile, 0))
        .hasMessageContaining("share must be in (0, 1]");
  }

  /** Each worker lists the jobs {@code calls} times from two threads at once. */
  private static void listJobs(List<CloudClients> workers, int calls) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (CloudClients worker : workers) {
        WorkspaceClient workspace = worker.workspace(SimulatedCloud.primary());
        for (int thread = 0; thread < 2; thread++) {
          done.add(
              threads.submit(
                  () -> {
                    for (int i = 0; i < calls / 2; i++) {
                      workspace
                          .jobs()
                          .list(new ListJobsRequest().setLimit(100L))
                          .iterator()
                          .hasNext();
                    }
                  }));
        }
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private CloudClients worker(ApiLimits limits) {
    return new CloudClients(
        CloudClientsConfig.builder()
            .databricksConfigFile(dir.resolve("databrickscfg"))
            .workspaceEndpoints(
                Map.of(SimulatedCloud.PRIMARY_HOST, cloud.simulator.workspaceUrl("primary")))
            .httpTimeoutSeconds(10)
            .apiLimits(limits)
            .build());
  }

  private long jobsRequests() {
    return cloud.simulator.requests().all().stream()
        .filter(r -> r.path().contains("/jobs/"))
        .count();
  }

  private long throttled() {
    return cloud.simulator.requests().all().stream().filter(r -> r.status() == 429).count();
  }

  /** The realistic profile with every family at 10/s and no latency. */
  private Path tightProfile() throws Exception {
    JsonNode tree;
    try (InputStream in = CloudProfile.class.getResourceAsStream("/profiles/realistic.json")) {
      tree = new ObjectMapper().readTree(in);
    }
    for (JsonNode family : tree.get("databricks")) {
      ((ObjectNode) family).put("requestsPerSecond", JOBS_PER_SECOND);
      ((ObjectNode) family.get("latencyMs")).put("median", 0).put("p99", 0);
    }
    Path file = dir.resolve("tight.json");
    Files.writeString(file, tree.toString());
    return file;
  }
}
