package dev.failover.simulator.s3;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * KMS key identifiers as S3 takes them in {@code x-amz-server-side-encryption-aws-kms-key-id}: a
 * key ARN, an alias ARN, a bare key id or alias (resolved in the bucket's region and account).
 * Responses name the key by ARN, as S3's do.
 */
public final class KmsKeys {
  /** The account the simulator resolves bare key ids and aliases in. */
  public static final String ACCOUNT = "123456789012";

  /** The alias of the AWS managed key for S3, in every region of the account. */
  public static final String AWS_S3_ALIAS = "alias/aws/s3";

  private KmsKeys() {}

  /**
   * The AWS managed key {@code aws/s3} of a region, named by its key ARN: one per region (KMS keys
   * are regional; the AWS managed key for a service is created in each region where it is first
   * used), with an id the simulator derives from the region, so that every run names the same key.
   * S3 reports this key ARN, never the alias: a LocalStack snapshot recorded against AWS
   * (localstack/localstack, tests/aws/services/s3/test_s3.snapshot.json, {@code
   * TestS3::test_s3_sse_default_kms_key}, PutObject with {@code ServerSideEncryption=aws:kms} and
   * no key id, recorded 2026-02-21) has {@code "SSEKMSKeyId":
   * "arn:<partition>:kms:<region>:111111111111:key/<SSEKMSKeyId:1>"}.
   */
  public static String awsManagedKey(String region) {
    return "arn:aws:kms:"
        + region
        + ":"
        + ACCOUNT
        + ":key/"
        + UUID.nameUUIDFromBytes(("aws/s3 " + region).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The ARN of the key a request names, resolved in the bucket's region. Without a key id, S3 uses
   * the AWS managed key {@code aws/s3} (S3 API reference, PutObject: "If you specify
   * x-amz-server-side-encryption:aws:kms ... but do not provide
   * x-amz-server-side-encryption-aws-kms-key-id, Amazon S3 uses the AWS managed key (aws/s3)"), and
   * names it by its key ARN ({@link #awsManagedKey}); so does a request that names it by its alias
   * or alias ARN. Other aliases are kept as alias ARNs: the simulator holds no alias table.
   */
  static String resolve(String keyId, String region) {
    if (keyId == null || keyId.isEmpty() || keyId.equals(AWS_S3_ALIAS)) {
      return awsManagedKey(region);
    }
    if (keyId.startsWith("arn:")) {
      String[] parts = keyId.split(":", 6);
      if (parts.length == 6 && parts[2].equals("kms") && parts[5].equals(AWS_S3_ALIAS)) {
        return awsManagedKey(parts[3]);
      }
      return keyId;
    }
    return "arn:aws:kms:"
        + region
        + ":"
        + ACCOUNT
        + ":"
        + (keyId.startsWith("alias/") ? "" : "key/")
        + keyId;
  }

  /**
   * Refuses a key of another region: KMS keys are regional, and S3 encrypts an object only with a
   * key in the bucket's region (S3 user guide, "Specifying server-side encryption with AWS KMS":
   * the key must be in the same Region as the bucket; "Replicating encrypted objects": S3 treats a
   * multi-Region key as a single-Region key, so its replica in the bucket's region must be named).
   * The error S3 answers is not documented; the simulator answers 400 {@code
   * KMS.NotFoundException}, as KMS does for a key it cannot find in the region asked.
   */
  static void requireInRegion(String keyArn, String region, String bucket) {
    String[] parts = keyArn.split(":", 6);
    if (parts.length < 6 || !parts[2].equals("kms") || !parts[3].equals(region)) {
      throw new S3Error(
          400,
          "KMS.NotFoundException",
          "Invalid keyId " + keyArn + ": the key must be in the bucket's region " + region,
          bucket);
    }
  }
}
