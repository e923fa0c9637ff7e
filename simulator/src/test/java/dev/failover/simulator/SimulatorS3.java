package dev.failover.simulator;

import dev.failover.simulator.iam.IamState;
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
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "secret")));
  }

  /** The access key the tests sign with. */
  static final String ACCESS_KEY = "AKIDEXAMPLE";

  /** The role {@link #ACCESS_KEY} belongs to once {@link #callerMayPassAnyRole} made it so. */
  static final String CALLER_ROLE = "arn:aws:iam::123456789012:role/s3-test-admin";

  /**
   * Makes the tests' access key that of a role that may pass any role to S3, as an account
   * administrator may, so that PutBucketReplication is not refused for want of iam:PassRole.
   */
  static void callerMayPassAnyRole(Simulator simulator) {
    simulator.iam().createRole(CALLER_ROLE);
    simulator.iam().allow(CALLER_ROLE, "*", IamState.PASS_ROLE);
    simulator.iam().signAs(ACCESS_KEY, CALLER_ROLE);
  }

  static S3Client client(Simulator simulator) {
    return builder(simulator).build();
  }
}
