package dev.failover.activities.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.WorkspaceClient;
import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.DemoWorkspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker's bound on requests in flight, over both SDKs' clients, counted where the requests are
 * answered: in the simulator's handlers.
 */
class RequestGateTest {
  private static final int THREADS = 8;
  private static final int REQUESTS = 32;
  private static final long LATENCY_MILLIS = 40;

  @TempDir Path dir;
  private SimulatedCloud cloud;

  @BeforeEach
  void start() {
    cloud = new SimulatedCloud(dir);
    cloud.simulator.setLatency("databricks", "primary", LATENCY_MILLIS);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void oneRequestInFlightSendsDatabricksAndS3RequestsOneAfterAnother() throws Exception {
    try (CloudClients gated = clients(1)) {
      long started = System.nanoTime();
      sendFromThreads(gated);
      long wallMillis = (System.nanoTime() - started) / 1_000_000;

      // A request leaves the gate once its answer's headers are back; the handler may still be
      // closing the exchange when the next request arrives, hence at most two seen at once.
      assertThat(cloud.simulator.inFlight().peak()).isLessThanOrEqualTo(2);
      // Half the requests wait the simulated latency, and none of them overlap.
      assertThat(wallMillis).isGreaterThanOrEqualTo(REQUESTS / 2 * LATENCY_MILLIS);
    }
  }

  @Test
  void unboundedByDefault() throws Exception {
    try (CloudClients unbounded = clients(0)) {
      sendFromThreads(unbounded);
      assertThat(cloud.simulator.inFlight().peak()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aNegativeBoundIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CloudClientsConfig.builder().requestsInFlight(-1).build())
        .hasMessage("requestsInFlight must be 0 (unbounded) or more");
  }

  /** SCIM Me of the primary workspace and S3 HeadBucket, alternately, from several threads. */
  private void sendFromThreads(CloudClients clients) throws Exception {
    WorkspaceClient workspace = clients.workspace(SimulatedCloud.primary());
    S3Client s3 = clients.s3(SimulatedCloud.primaryBucket());
    cloud.simulator.inFlight().reset();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        boolean databricks = i % 2 == 0;
        sent.add(
            pool.submit(
                () ->
                    databricks
                        ? workspace.currentUser().me(new com.databricks.sdk.service.iam.MeRequest())
                        : s3.headBucket(h -> h.bucket(DemoWorkspace.PRIMARY_BUCKET))));
      }
      for (Future<?> request : sent) {
        request.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private CloudClients clients(int requestsInFlight) {
    return new CloudClients(
        cloud.config().httpTimeoutSeconds(10).requestsInFlight(requestsInFlight).build());
  }
}
