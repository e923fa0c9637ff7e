package dev.failover.simulator;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The AWS SDK's S3 client aimed at a simulator, as the tests of its S3 API use it. */
final class SimulatorS3 {
  private SimulatorS3() {}

  /**
   * Path-style requests to the simulator, in us-east-1, with test credentials; change as needed.
   */
  static S3ClientBuilder builder(Simulator simulator) {
    return S3Client.builder()
        .endpointOverride(simulator.s3Url())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
  }

  static S3Client client(Simulator simulator) {
    return builder(simulator).build();
  }
}
