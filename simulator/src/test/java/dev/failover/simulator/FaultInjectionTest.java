package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InternalError;
import com.databricks.sdk.service.catalog.CreateCatalog;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Faults are answered in each service's own error format and change nothing. */
class FaultInjectionTest {
  private Simulator simulator;
  private WorkspaceClient workspace;
  private S3Client s3;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    simulator.s3().createBucket("dr-bucket", "us-west-2", "secondary");
    workspace = SdkClients.workspace(simulator, "primary");
    s3 =
        SimulatorS3.builder(simulator)
            .region(Region.US_WEST_2)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .build();
  }

  @AfterEach
  void stop() {
    s3.close();
    simulator.close();
  }

  @Test
  void serverErrorOnACreateSurfacesAsTheSdksInternalErrorAndCreatesNothing() {
    simulator
        .faults()
        .add(
            new Faults.Rule(
                "databricks",
                "/api/2.1/unity-catalog/catalogs",
                1.0,
                List.of(Faults.Kind.SERVER_ERROR),
                0));
    assertThatThrownBy(() -> workspace.catalogs().create(new CreateCatalog().setName("sales")))
        .isInstanceOf(InternalError.class);
    assertThat(simulator.workspace("primary").catalogs()).isEmpty();
    assertThat(simulator.requests().all()).anyMatch(r -> r.status() == 500);
  }

  @Test
  void s3ThrottlingIsSlowDownAndDroppedConnectionsAreClientErrors() {
    simulator
        .faults()
        .add(new Faults.Rule("s3", "/dr-bucket", 1.0, List.of(Faults.Kind.THROTTLE), 0));
    assertThatThrownBy(() -> s3.getBucketVersioning(b -> b.bucket("dr-bucket")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
            });
    simulator.faults().clear();
    simulator.faults().add(new Faults.Rule("s3", "/dr-bucket", 1.0, List.of(Faults.Kind.DROP), 0));
    assertThatThrownBy(() -> s3.getBucketVersioning(b -> b.bucket("dr-bucket")))
        .isInstanceOf(SdkClientException.class);
    assertThat(simulator.faults().injected()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aSparedRouteIsLeftOutOfTheRulesAddedAfterIt() {
    simulator.faults().add(Faults.Rule.spare("s3", "/dr-bucket"));
    simulator.faults().add(Faults.Rule.everywhere(1.0, 0));
    s3.getBucketVersioning(b -> b.bucket("dr-bucket"));
    assertThat(simulator.faults().injected()).isZero();
    assertThatThrownBy(() -> s3.listBuckets()).isInstanceOf(SdkException.class);
    assertThat(simulator.faults().injected()).isPositive();
  }

  @Test
  void latencyDelaysOneSidesRequestsOnly() {
    simulator.setLatency("s3", "secondary", 300);
    long start = System.nanoTime();
    s3.getBucketVersioning(b -> b.bucket("dr-bucket"));
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
    assertThat(simulator.requests().all()).isNotEmpty().allMatch(r -> r.status() == 200);
  }

  @Test
  void rateOutsideZeroToOneIsRejected() {
    assertThatThrownBy(() -> Faults.Rule.everywhere(1.5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 and 1");
  }
}
