package dev.failover.activities.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.activities.SimulatedCloud;
import dev.failover.simulator.RecordedRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request an activity sends names the activity ({@code X-Failover-Activity}), those it sends
 * from the threads it starts to read side by side included, to Databricks and to S3 alike: the
 * benchmark tells a drill's capture from the readiness beside it by that name.
 */
class RequestCallerTest {
  @TempDir Path dir;
  private ControlPlaneActivities activities;

  @BeforeEach
  void start() {
    activities = new ControlPlaneActivities(dir);
  }

  @AfterEach
  void stop() {
    activities.close();
  }

  @Test
  void everyRequestOfAnActivityNamesIt() {
    activities.cloud.simulator.requests().clear();

    activities.capture.captureControlPlane(
        SimulatedCloud.primary(),
        List.of(),
        SimulatedCloud.replicaBucket(),
        "failover/acme-lakehouse/snapshots/named.json.gz");

    List<RecordedRequest> sent = activities.cloud.simulator.requests().all();
    assertThat(sent).extracting(RecordedRequest::service).contains("databricks", "s3");
    // Capture reads its components side by side, each on threads of its own.
    assertThat(sent.size()).isGreaterThan(20);
    assertThat(sent).allMatch(r -> r.caller().equals("CaptureControlPlane"), "named by capture");
  }
}
