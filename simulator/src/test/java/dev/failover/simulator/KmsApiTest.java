package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.simulator.s3.KmsKeys;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * S3's AWS managed key {@code aws/s3}, named by a key ARN of the bucket's region, and KMS's
 * DescribeKey of it, through the real {@code S3Client} and {@code KmsClient}.
 */
class KmsApiTest {
  private Simulator simulator;
  private S3Client s3;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of());
    s3 = SimulatorS3.builder(simulator).region(Region.US_WEST_2).build();
    simulator.s3().createBucket("dr-bucket", "us-west-2", "secondary");
    s3.putBucketVersioning(
        b ->
            b.bucket("dr-bucket")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  @AfterEach
  void stop() {
    s3.close();
    simulator.close();
  }

  private KmsClient kms(Region region) {
    return KmsClient.builder()
        .endpointOverride(simulator.kmsUrl())
        .region(region)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "s")))
        .build();
  }

  @Test
  void awsKmsWithoutAKeyIdIsReportedAsTheRegionsAwsManagedKeyArnWhichKmsDescribesAsAwsManaged() {
    String put =
        s3.putObject(
                b ->
                    b.bucket("dr-bucket")
                        .key("k")
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("x"))
            .ssekmsKeyId();
    String viaAlias =
        s3.putObject(
                b ->
                    b.bucket("dr-bucket")
                        .key("k2")
                        .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId("alias/aws/s3"),
                RequestBody.fromString("x"))
            .ssekmsKeyId();
    assertThat(put)
        .isEqualTo(KmsKeys.awsManagedKey("us-west-2"))
        .matches("arn:aws:kms:us-west-2:123456789012:key/[0-9a-f-]{36}")
        .isNotEqualTo(KmsKeys.awsManagedKey("us-east-1"));
    assertThat(viaAlias).isEqualTo(put);
    assertThat(s3.headObject(b -> b.bucket("dr-bucket").key("k")).ssekmsKeyId()).isEqualTo(put);

    try (KmsClient west = kms(Region.US_WEST_2);
        KmsClient east = kms(Region.US_EAST_1)) {
      KeyMetadata key = west.describeKey(d -> d.keyId(put)).keyMetadata();
      assertThat(key.keyManager()).isEqualTo(KeyManagerType.AWS);
      assertThat(key.arn()).isEqualTo(put);
      assertThat(west.describeKey(d -> d.keyId("alias/aws/s3")).keyMetadata().arn()).isEqualTo(put);
      // A customer's key the simulator does not hold, and a key of another region, are not found.
      assertThatThrownBy(
              () ->
                  west.describeKey(
                      d ->
                          d.keyId(
                              "arn:aws:kms:us-west-2:123456789012:key/"
                                  + "1234abcd-12ab-34cd-56ef-1234567890ab")))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> east.describeKey(d -> d.keyId(put)))
          .isInstanceOf(NotFoundException.class);
    }
  }
}
