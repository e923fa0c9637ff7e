package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.simulator.s3.ReplicationConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The simulated S3 API, driven only through the real AWS SDK for Java v2 {@code S3Client}. */
class S3ApiTest {
  private Simulator simulator;
  private S3Client s3;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of());
    SimulatorS3.callerMayPassAnyRole(simulator);
    s3 = SimulatorS3.builder(simulator).region(Region.US_WEST_2).build();
  }

  @AfterEach
  void stop() {
    s3.close();
    simulator.close();
  }

  private void versionedBucket(String name) {
    s3.createBucket(
        b ->
            b.bucket(name)
                .createBucketConfiguration(
                    c -> c.locationConstraint(BucketLocationConstraint.US_WEST_2)));
    s3.putBucketVersioning(
        b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  @Test
  void bucketsHaveARegionAndVersioningThatStartsUnset() {
    s3.createBucket(
        b ->
            b.bucket("dr-bucket")
                .createBucketConfiguration(
                    c -> c.locationConstraint(BucketLocationConstraint.US_WEST_2)));
    s3.headBucket(b -> b.bucket("dr-bucket"));
    assertThat(s3.getBucketLocation(b -> b.bucket("dr-bucket")).locationConstraintAsString())
        .isEqualTo("us-west-2");
    assertThat(s3.getBucketVersioning(b -> b.bucket("dr-bucket")).status()).isNull();
    s3.putBucketVersioning(
        b ->
            b.bucket("dr-bucket")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    assertThat(s3.getBucketVersioning(b -> b.bucket("dr-bucket")).status())
        .isEqualTo(BucketVersioningStatus.SUSPENDED);
    assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("dr-bucket");
    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("missing")))
        .isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> s3.getBucketVersioning(b -> b.bucket("missing")))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void replicationNeedsVersioningAndRoundTripsEveryRuleField() {
    s3.createBucket(b -> b.bucket("src"));
    versionedBucket("dr-bucket");
    ReplicationRule rule =
        ReplicationRule.builder()
            .id("to-dr")
            .priority(1)
            .status(ReplicationRuleStatus.ENABLED)
            .filter(f -> f.prefix("uc/"))
            .destination(
                d ->
                    d.bucket("arn:aws:s3:::dr-bucket")
                        .storageClass("STANDARD")
                        .replicationTime(t -> t.status("Enabled").time(m -> m.minutes(15)))
                        .metrics(m -> m.status("Enabled").eventThreshold(t -> t.minutes(15))))
            .deleteMarkerReplication(m -> m.status(DeleteMarkerReplicationStatus.ENABLED))
            .sourceSelectionCriteria(c -> c.replicaModifications(r -> r.status("Enabled")))
            .build();
    assertThatThrownBy(
            () ->
                s3.putBucketReplication(
                    b ->
                        b.bucket("src")
                            .replicationConfiguration(
                                c -> c.role("arn:aws:iam::1:role/r").rules(rule))))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
            });

    s3.putBucketVersioning(
        b ->
            b.bucket("src").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    s3.putBucketReplication(
        b ->
            b.bucket("src")
                .replicationConfiguration(c -> c.role("arn:aws:iam::1:role/r").rules(rule)));

    ReplicationRule read =
        s3.getBucketReplication(b -> b.bucket("src")).replicationConfiguration().rules().get(0);
    assertThat(read.id()).isEqualTo("to-dr");
    assertThat(read.priority()).isEqualTo(1);
    assertThat(read.status()).isEqualTo(ReplicationRuleStatus.ENABLED);
    assertThat(read.filter().prefix()).isEqualTo("uc/");
    assertThat(read.destination().bucket()).isEqualTo("arn:aws:s3:::dr-bucket");
    assertThat(read.destination().replicationTime().time().minutes()).isEqualTo(15);
    assertThat(read.deleteMarkerReplication().status())
        .isEqualTo(DeleteMarkerReplicationStatus.ENABLED);
    assertThat(read.sourceSelectionCriteria().replicaModifications().statusAsString())
        .isEqualTo("Enabled");
    ReplicationConfiguration.Rule stored = simulator.s3().replication("src").rules().get(0);
    assertThat(stored.destination().bucketName()).isEqualTo("dr-bucket");
    assertThat(stored.destination().replicationTime().minutes()).isEqualTo(15);
    assertThat(stored.destination().metrics().minutes()).isEqualTo(15);
    assertThat(stored.keyPrefix()).isEqualTo("uc/");
    assertThat(stored.replicaModifications()).isEqualTo("Enabled");

    s3.deleteBucketReplication(b -> b.bucket("src"));
    assertThatThrownBy(() -> s3.getBucketReplication(b -> b.bucket("src")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorCode())
                  .isEqualTo("ReplicationConfigurationNotFoundError");
            });
  }

  @Test
  void versionedObjectsWithTheSdksDefaultChecksums() {
    versionedBucket("dr-bucket");
    PutObjectResponse v1 =
        s3.putObject(
            b ->
                b.bucket("dr-bucket")
                    .key("a/b c.json")
                    .contentType("application/json")
                    .metadata(Map.of("sha256", "x")),
            RequestBody.fromString("{\"v\":1}"));
    PutObjectResponse v2 =
        s3.putObject(
            b -> b.bucket("dr-bucket").key("a/b c.json"), RequestBody.fromString("{\"v\":2}"));
    assertThat(v1.versionId()).isNotBlank().isNotEqualTo(v2.versionId());
    assertThat(v1.eTag()).startsWith("\"");

    assertThat(s3.getObjectAsBytes(b -> b.bucket("dr-bucket").key("a/b c.json")).asUtf8String())
        .isEqualTo("{\"v\":2}");
    var first =
        s3.getObjectAsBytes(b -> b.bucket("dr-bucket").key("a/b c.json").versionId(v1.versionId()));
    assertThat(first.asUtf8String()).isEqualTo("{\"v\":1}");
    GetObjectResponse meta = first.response();
    assertThat(meta.contentType()).isEqualTo("application/json");
    assertThat(meta.metadata()).containsEntry("sha256", "x");
    assertThat(s3.headObject(b -> b.bucket("dr-bucket").key("a/b c.json")).contentLength())
        .isEqualTo(7);

    s3.deleteObject(b -> b.bucket("dr-bucket").key("a/b c.json"));
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("dr-bucket").key("a/b c.json")))
        .isInstanceOf(NoSuchKeyException.class);
    assertThat(
            s3.getObjectAsBytes(
                    b -> b.bucket("dr-bucket").key("a/b c.json").versionId(v2.versionId()))
                .asUtf8String())
        .isEqualTo("{\"v\":2}");
  }

  @Test
  void largeUploadsDecodeFromAwsChunkedFraming() {
    versionedBucket("dr-bucket");
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    s3.putObject(b -> b.bucket("dr-bucket").key("big.bin"), RequestBody.fromBytes(big));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("dr-bucket").key("big.bin")).asByteArray())
        .isEqualTo(big);
    assertThat(simulator.s3().getObject("dr-bucket", "big.bin").content()).isEqualTo(big);
  }

  @Test
  void listObjectsV2PaginatesWithContinuationTokens() {
    versionedBucket("dr-bucket");
    for (int i = 0; i < 25; i++) {
      String key = String.format("uc/k%02d", i);
      simulator.s3().putObject("dr-bucket", key, key.getBytes(StandardCharsets.UTF_8));
    }
    simulator.s3().putObject("dr-bucket", "other", new byte[1]);
    simulator.requests().clear();

    List<S3Object> listed =
        s3
            .listObjectsV2Paginator(b -> b.bucket("dr-bucket").prefix("uc/").maxKeys(10))
            .contents()
            .stream()
            .toList();

    assertThat(listed).hasSize(25);
    assertThat(listed.get(0).key()).isEqualTo("uc/k00");
    assertThat(listed.get(24).size()).isEqualTo(6);
    assertThat(simulator.requests().all()).hasSize(3);
  }

  @Test
  void requestLogRecordsTheBucketsSideAndWhetherTheRequestMutates() {
    simulator.s3().createBucket("prim", "us-east-1", "primary");
    simulator.s3().setVersioning("prim", "Enabled");
    s3.getBucketVersioning(b -> b.bucket("prim"));
    s3.putObject(b -> b.bucket("prim").key("k"), RequestBody.fromString("x"));
    assertThat(simulator.requests().all())
        .extracting(RecordedRequest::side, RecordedRequest::method, RecordedRequest::mutating)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("primary", "GET", false),
            org.assertj.core.groups.Tuple.tuple("primary", "PUT", true));
    assertThat(simulator.requests().mutating("s3", "primary")).hasSize(1);
  }
}
