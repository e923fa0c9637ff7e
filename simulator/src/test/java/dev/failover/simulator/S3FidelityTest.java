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
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplication;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The finer points of the simulated S3 API, driven through the real {@code S3Client}: checksums,
 * delimiters, the full replication rule shape, unsupported sub-resources, auth and the demo seed.
 */
class S3FidelityTest {
  private Simulator simulator;
  private S3Client s3;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    SimulatorS3.callerMayPassAnyRole(simulator);
    s3 =
        client(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
    simulator.s3().createBucket("src-bucket", "us-east-1", "primary");
    simulator.s3().setVersioning("src-bucket", "Enabled");
  }

  private S3Client client(AwsCredentialsProvider credentials) {
    return SimulatorS3.builder(simulator).credentialsProvider(credentials).build();
  }

  @AfterEach
  void stop() {
    s3.close();
    simulator.close();
  }

  private static void assertS3Error(Throwable thrown, int status, String code) {
    assertThat(thrown).isInstanceOf(S3Exception.class);
    S3Exception e = (S3Exception) thrown;
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
  }

  @Test
  void everyChecksumAlgorithmIsVerifiedOnUploadAndReturnedWhenAskedFor() {
    for (ChecksumAlgorithm algorithm :
        List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C, ChecksumAlgorithm.SHA256)) {
      String key = "k-" + algorithm;
      s3.putObject(
          b -> b.bucket("src-bucket").key(key).checksumAlgorithm(algorithm),
          RequestBody.fromString("payload " + algorithm));
      var object =
          s3.getObjectAsBytes(
              b -> b.bucket("src-bucket").key(key).checksumMode(ChecksumMode.ENABLED));
      assertThat(object.asUtf8String()).isEqualTo("payload " + algorithm);
      GetObjectResponse response = object.response();
      String returned =
          switch (algorithm) {
            case CRC32 -> response.checksumCRC32();
            case CRC32_C -> response.checksumCRC32C();
            default -> response.checksumSHA256();
          };
      assertThat(returned).as(algorithm.toString()).isNotBlank();
    }
  }

  @Test
  void aChecksumThatDoesNotMatchTheBodyIsBadDigestAndStoresNothing() {
    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket("src-bucket").key("corrupt").checksumCRC32("AAAAAA=="),
                    RequestBody.fromString("hello")))
        .satisfies(e -> assertS3Error(e, 400, "BadDigest"));
    assertThat(simulator.s3().objectKeys("src-bucket")).isEmpty();
  }

  @Test
  void aDelimiterRollsKeysUpIntoCommonPrefixesAcrossPages() {
    for (String key : List.of("uc/a/1", "uc/a/2", "uc/b/1", "uc/c", "uc/d/1", "uc/e", "other/x")) {
      simulator.s3().putObject("src-bucket", key, key.getBytes(StandardCharsets.UTF_8));
    }
    ListObjectsV2Response first =
        s3.listObjectsV2(b -> b.bucket("src-bucket").prefix("uc/").delimiter("/").maxKeys(3));
    assertThat(first.commonPrefixes())
        .extracting(p -> p.prefix())
        .containsExactly("uc/a/", "uc/b/");
    assertThat(first.contents()).extracting(o -> o.key()).containsExactly("uc/c");
    assertThat(first.isTruncated()).isTrue();
    ListObjectsV2Response second =
        s3.listObjectsV2(
            b ->
                b.bucket("src-bucket")
                    .prefix("uc/")
                    .delimiter("/")
                    .maxKeys(3)
                    .continuationToken(first.nextContinuationToken()));
    assertThat(second.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("uc/d/");
    assertThat(second.contents()).extracting(o -> o.key()).containsExactly("uc/e");
    assertThat(second.isTruncated()).isFalse();
    assertThat(s3.listObjectsV2(b -> b.bucket("src-bucket").startAfter("uc/c")).contents())
        .extracting(o -> o.key())
        .containsExactly("uc/d/1", "uc/e");
  }

  @Test
  void replicationKeepsTagFiltersAndRequiresDeleteMarkerReplicationAndAVersionedDestination() {
    simulator.s3().createBucket("dr-bucket", "us-west-2", "secondary");
    ReplicationRule tagged =
        ReplicationRule.builder()
            .id("tagged")
            .priority(2)
            .status(ReplicationRuleStatus.ENABLED)
            .filter(
                f ->
                    f.and(
                        a -> a.prefix("uc/").tags(Tag.builder().key("tier").value("gold").build())))
            .destination(d -> d.bucket("arn:aws:s3:::dr-bucket").account("123456789012"))
            .deleteMarkerReplication(m -> m.status(DeleteMarkerReplicationStatus.DISABLED))
            .existingObjectReplication(x -> x.status("Enabled"))
            .build();
    assertThatThrownBy(() -> putReplication(tagged))
        .satisfies(e -> assertS3Error(e, 400, "InvalidRequest"))
        .hasMessageContaining("Destination bucket must have versioning enabled");

    simulator.s3().setVersioning("dr-bucket", "Enabled");
    assertThatThrownBy(
            () ->
                putReplication(
                    tagged.toBuilder()
                        .deleteMarkerReplication((DeleteMarkerReplication) null)
                        .build()))
        .satisfies(e -> assertS3Error(e, 400, "InvalidRequest"))
        .hasMessageContaining("DeleteMarkerReplication");

    putReplication(tagged);
    ReplicationRule read =
        s3.getBucketReplication(b -> b.bucket("src-bucket"))
            .replicationConfiguration()
            .rules()
            .get(0);
    assertThat(read.filter().and().prefix()).isEqualTo("uc/");
    assertThat(read.filter().and().tags())
        .singleElement()
        .satisfies(t -> assertThat(t.value()).isEqualTo("gold"));
    assertThat(read.destination().account()).isEqualTo("123456789012");
    assertThat(read.existingObjectReplication().statusAsString()).isEqualTo("Enabled");
    ReplicationConfiguration.Rule stored = simulator.s3().replication("src-bucket").rules().get(0);
    assertThat(stored.filter().tags()).containsExactly(Map.entry("tier", "gold"));
    assertThat(stored.keyPrefix()).isEqualTo("uc/");
  }

  private void putReplication(ReplicationRule rule) {
    s3.putBucketReplication(
        b ->
            b.bucket("src-bucket")
                .replicationConfiguration(c -> c.role("arn:aws:iam::1:role/r").rules(rule)));
  }

  @Test
  void bucketErrorsAndUnsupportedSubresourcesAnswerAsS3Does() {
    assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("src-bucket")))
        .isInstanceOf(BucketAlreadyOwnedByYouException.class);
    assertThatThrownBy(() -> s3.getBucketAcl(b -> b.bucket("src-bucket")))
        .satisfies(e -> assertS3Error(e, 501, "NotImplemented"));
    assertThat(s3.getBucketLocation(b -> b.bucket("src-bucket")).locationConstraintAsString())
        .isEmpty();
    try (S3Client anonymous = client(AnonymousCredentialsProvider.create())) {
      assertThatThrownBy(() -> anonymous.listBuckets())
          .satisfies(e -> assertS3Error(e, 403, "AccessDenied"));
    }
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.status() == 403)
        .singleElement()
        .satisfies(r -> assertThat(r.side()).isEmpty());
  }

  @Test
  void theDemoSeedsReplicatedVersionedBuckets() {
    DemoWorkspace.seed(simulator);
    var replication =
        s3.getBucketReplication(b -> b.bucket(DemoWorkspace.PRIMARY_BUCKET))
            .replicationConfiguration();
    assertThat(replication.role()).isEqualTo("arn:aws:iam::123456789012:role/s3-replication");
    assertThat(replication.rules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.id()).isEqualTo("lakehouse-to-dr");
              assertThat(rule.priority()).isEqualTo(1);
              assertThat(rule.filter().prefix()).isEmpty();
              assertThat(rule.destination().bucket()).isEqualTo("arn:aws:s3:::acme-lakehouse-usw2");
              assertThat(rule.deleteMarkerReplication().status())
                  .isEqualTo(DeleteMarkerReplicationStatus.ENABLED);
            });
    assertThat(s3.getBucketVersioning(b -> b.bucket(DemoWorkspace.REPLICA_BUCKET)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
    assertThat(
            s3.getBucketLocation(b -> b.bucket(DemoWorkspace.REPLICA_BUCKET))
                .locationConstraintAsString())
        .isEqualTo("us-west-2");
    // Everything reached the replica by replication, except the data file that failed to.
    List<String> primaryKeys = simulator.s3().objectKeys(DemoWorkspace.PRIMARY_BUCKET);
    List<String> replicaKeys = simulator.s3().objectKeys(DemoWorkspace.REPLICA_BUCKET);
    assertThat(primaryKeys)
        .hasSizeGreaterThan(10)
        .allMatch(key -> key.startsWith("uc/") || key.startsWith("mlflow-artifacts/4242/"));
    List<String> failed =
        primaryKeys.stream()
            .filter(
                key ->
                    "FAILED"
                        .equals(
                            simulator.s3().replicationStatus(DemoWorkspace.PRIMARY_BUCKET, key)))
            .toList();
    assertThat(failed)
        .singleElement()
        .satisfies(
            key ->
                assertThat(key)
                    .startsWith(DemoWorkspace.DELTA_TABLES.get(DemoWorkspace.TORN_TABLE))
                    .endsWith(".parquet"));
    assertThat(replicaKeys)
        .containsExactlyElementsOf(
            primaryKeys.stream().filter(key -> !failed.contains(key)).toList());
    assertThat(replicaKeys)
        .allMatch(
            key ->
                "REPLICA"
                    .equals(simulator.s3().replicationStatus(DemoWorkspace.REPLICA_BUCKET, key)));
  }
}
