package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.simulator.s3.ReplicationConfiguration;
import dev.failover.simulator.s3.S3State;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * What an object carries besides its bytes, and how it is copied, through the real {@code
 * S3Client}: SSE-KMS key ids, object tags, CopyObject's directives, multipart uploads and the
 * single-request limit, and what replication carries of them.
 */
class S3ObjectCopyTest {
  private static final String EAST_KEY =
      "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String WEST_KEY =
      "arn:aws:kms:us-west-2:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321";
  private static final int MIB = 1024 * 1024;

  private Simulator simulator;
  private S3State state;
  private S3Client s3;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    state = simulator.s3();
    s3 =
        SimulatorS3.builder(simulator)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "s")))
            .build();
    for (String bucket : List.of("east", "west")) {
      state.createBucket(bucket, bucket.equals("east") ? "us-east-1" : "us-west-2", "");
      state.setVersioning(bucket, "Enabled");
    }
  }

  @AfterEach
  void stop() {
    s3.close();
    simulator.close();
  }

  @Test
  void aVersionKeepsItsKmsKeyAndTagsAndAKeyOfAnotherRegionIsRefused() {
    s3.putObject(
        put ->
            put.bucket("east")
                .key("t/a.json")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(EAST_KEY)
                .tagging("owner=data%20team&class=pii"),
        RequestBody.fromString("{}"));

    HeadObjectResponse head = s3.headObject(h -> h.bucket("east").key("t/a.json"));
    assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
    assertThat(head.ssekmsKeyId()).isEqualTo(EAST_KEY);
    assertThat(s3.getObjectTagging(t -> t.bucket("east").key("t/a.json")).tagSet())
        .containsExactlyInAnyOrder(tag("class", "pii"), tag("owner", "data team"));
    assertThat(s3.getObjectAsBytes(g -> g.bucket("east").key("t/a.json")).response().tagCount())
        .isEqualTo(2);
    // Without instructions S3 encrypts with SSE-S3, and says so.
    s3.putObject(p -> p.bucket("east").key("t/plain"), RequestBody.fromString("x"));
    assertThat(s3.headObject(h -> h.bucket("east").key("t/plain")).serverSideEncryption())
        .isEqualTo(ServerSideEncryption.AES256);

    assertThatThrownBy(
            () ->
                s3.putObject(
                    put ->
                        put.bucket("east")
                            .key("t/b.json")
                            .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                            .ssekmsKeyId(WEST_KEY),
                    RequestBody.fromString("{}")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KMS.NotFoundException"));
    assertThatThrownBy(
            () ->
                s3.putObject(
                    put -> put.bucket("east").key("t/c").tagging("aws:x=1"),
                    RequestBody.fromString("{}")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidTag"));
  }

  @Test
  void copyObjectKeepsMetadataAndTagsByDefaultButNotTheSourcesEncryption() {
    s3.putObject(
        put ->
            put.bucket("east")
                .key("src")
                .contentType("application/json")
                .metadata(Map.of("origin", "job-7"))
                .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(EAST_KEY)
                .tagging("class=pii"),
        RequestBody.fromString("{\"a\":1}"));

    s3.copyObject(
        c ->
            c.sourceBucket("east").sourceKey("src").destinationBucket("east").destinationKey("d1"));
    HeadObjectResponse copied = s3.headObject(h -> h.bucket("east").key("d1"));
    assertThat(copied.metadata()).containsEntry("origin", "job-7");
    assertThat(copied.contentType()).isEqualTo("application/json");
    assertThat(copied.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(s3.getObjectTagging(t -> t.bucket("east").key("d1")).tagSet())
        .containsExactly(tag("class", "pii"));

    s3.copyObject(
        c ->
            c.sourceBucket("east")
                .sourceKey("src")
                .destinationBucket("east")
                .destinationKey("d2")
                .metadataDirective(MetadataDirective.REPLACE)
                .taggingDirective(TaggingDirective.REPLACE)
                .tagging("class=public")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(EAST_KEY));
    HeadObjectResponse replaced = s3.headObject(h -> h.bucket("east").key("d2"));
    assertThat(replaced.metadata()).isEmpty();
    assertThat(replaced.ssekmsKeyId()).isEqualTo(EAST_KEY);
    assertThat(s3.getObjectTagging(t -> t.bucket("east").key("d2")).tagSet())
        .containsExactly(tag("class", "public"));
    assertThatThrownBy(
            () ->
                s3.copyObject(
                    c ->
                        c.sourceBucket("east")
                            .sourceKey("src")
                            .destinationBucket("east")
                            .destinationKey("src")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
  }

  @Test
  void aboveTheSingleRequestLimitOnlyAMultipartUploadCarriesTheObject() {
    state.lowerSingleRequestLimitForTests(6L * MIB);
    byte[] big = new byte[7 * MIB];
    big[big.length - 1] = 42;

    assertThatThrownBy(
            () -> s3.putObject(p -> p.bucket("east").key("big"), RequestBody.fromBytes(big)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityTooLarge"));

    String uploadId =
        s3.createMultipartUpload(
                c ->
                    c.bucket("east")
                        .key("big")
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId(EAST_KEY)
                        .tagging("class=pii"))
            .uploadId();
    String first =
        s3.uploadPart(
                u -> u.bucket("east").key("big").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(java.util.Arrays.copyOfRange(big, 0, 5 * MIB)))
            .eTag();
    String second =
        s3.uploadPart(
                u -> u.bucket("east").key("big").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(java.util.Arrays.copyOfRange(big, 5 * MIB, big.length)))
            .eTag();
    // A part below 5 MiB may only be the last.
    assertThatThrownBy(
            () ->
                s3.completeMultipartUpload(
                    c ->
                        c.bucket("east")
                            .key("big")
                            .uploadId(uploadId)
                            .multipartUpload(m -> m.parts(part(2, second), part(3, second)))))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityTooSmall"));
    s3.completeMultipartUpload(
        c ->
            c.bucket("east")
                .key("big")
                .uploadId(uploadId)
                .multipartUpload(m -> m.parts(part(1, first), part(2, second))));

    HeadObjectResponse head = s3.headObject(h -> h.bucket("east").key("big"));
    assertThat(head.contentLength()).isEqualTo(big.length);
    assertThat(head.eTag()).endsWith("-2\"");
    assertThat(head.ssekmsKeyId()).isEqualTo(EAST_KEY);
    assertThat(state.getObject("east", "big").content()).isEqualTo(big);
    assertThat(state.objectTags("east", "big", null)).containsEntry("class", "pii");

    // CopyObject refuses the source; UploadPartCopy by ranges carries it.
    assertThatThrownBy(
            () ->
                s3.copyObject(
                    c ->
                        c.sourceBucket("east")
                            .sourceKey("big")
                            .destinationBucket("west")
                            .destinationKey("big")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e ->
                assertThat(e.awsErrorDetails().errorMessage())
                    .startsWith("The specified copy source is larger than the maximum"));
    String copyId =
        s3.createMultipartUpload(c -> c.bucket("west").key("big").tagging("class=pii")).uploadId();
    String p1 =
        s3.uploadPartCopy(
                u ->
                    u.sourceBucket("east")
                        .sourceKey("big")
                        .destinationBucket("west")
                        .destinationKey("big")
                        .uploadId(copyId)
                        .partNumber(1)
                        .copySourceRange("bytes=0-" + (5 * MIB - 1)))
            .copyPartResult()
            .eTag();
    String p2 =
        s3.uploadPartCopy(
                u ->
                    u.sourceBucket("east")
                        .sourceKey("big")
                        .destinationBucket("west")
                        .destinationKey("big")
                        .uploadId(copyId)
                        .partNumber(2)
                        .copySourceRange("bytes=" + 5 * MIB + "-" + (big.length - 1)))
            .copyPartResult()
            .eTag();
    s3.completeMultipartUpload(
        c ->
            c.bucket("west")
                .key("big")
                .uploadId(copyId)
                .multipartUpload(m -> m.parts(part(1, p1), part(2, p2))));
    assertThat(state.getObject("west", "big").content()).isEqualTo(big);

    String aborted = s3.createMultipartUpload(c -> c.bucket("west").key("gone")).uploadId();
    s3.abortMultipartUpload(a -> a.bucket("west").key("gone").uploadId(aborted));
    assertThatThrownBy(
            () ->
                s3.uploadPart(
                    u -> u.bucket("west").key("gone").uploadId(aborted).partNumber(1),
                    RequestBody.fromString("x")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));
  }

  @Test
  void replicationCarriesTagsAndReplicatesSseKmsObjectsOnlyWhenTheRuleOptsIn() {
    ReplicationConfiguration.Rule plain =
        ReplicationConfiguration.Rule.of(
            "east-to-west", 1, "Enabled", "", "arn:aws:s3:::west", "Enabled");
    state.iam().createReplicationRole("arn:aws:iam::1:role/r", "east", "west");
    state.putReplication(
        "east", new ReplicationConfiguration("arn:aws:iam::1:role/r", List.of(plain)));
    s3.putObject(
        p ->
            p.bucket("east")
                .key("kms")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(EAST_KEY),
        RequestBody.fromString("secret"));
    s3.putObject(
        p -> p.bucket("east").key("tagged").tagging("class=pii"), RequestBody.fromString("x"));

    assertThat(state.replicationStatus("east", "kms")).isNull();
    assertThat(state.objectKeys("west")).containsExactly("tagged");
    assertThat(state.objectTags("west", "tagged", null)).containsEntry("class", "pii");

    ReplicationConfiguration.Rule optInWithoutKey = withKms(plain, null);
    assertThatThrownBy(
            () ->
                state.putReplication(
                    "east",
                    new ReplicationConfiguration(
                        "arn:aws:iam::1:role/r", List.of(optInWithoutKey))))
        .hasMessageContaining("ReplicaKmsKeyID");
    state.putReplication(
        "east",
        new ReplicationConfiguration("arn:aws:iam::1:role/r", List.of(withKms(plain, WEST_KEY))));
    s3.putObject(
        p ->
            p.bucket("east")
                .key("kms")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(EAST_KEY),
        RequestBody.fromString("secret 2"));
    assertThat(state.replicationStatus("east", "kms")).isEqualTo("COMPLETED");
    S3State.ObjectVersion replica = state.getObject("west", "kms");
    assertThat(replica.encryption()).isEqualTo(S3State.Encryption.kms(WEST_KEY));
  }

  private static ReplicationConfiguration.Rule withKms(
      ReplicationConfiguration.Rule rule, String replicaKey) {
    ReplicationConfiguration.Destination d = rule.destination();
    return new ReplicationConfiguration.Rule(
        rule.id(),
        rule.priority(),
        rule.status(),
        rule.legacyPrefix(),
        rule.filter(),
        new ReplicationConfiguration.Destination(
            d.bucket(),
            d.account(),
            d.storageClass(),
            d.ownerOverride(),
            replicaKey,
            d.replicationTime(),
            d.metrics()),
        rule.deleteMarkerReplication(),
        rule.existingObjectReplication(),
        "Enabled",
        rule.replicaModifications());
  }

  private static CompletedPart part(int number, String etag) {
    return CompletedPart.builder().partNumber(number).eTag(etag).build();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}
