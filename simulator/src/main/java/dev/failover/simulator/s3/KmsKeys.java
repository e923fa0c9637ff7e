package dev.failover.simulator.s3;

/**
 * KMS key identifiers as S3 takes them in {@code x-amz-server-side-encryption-aws-kms-key-id}: a
 * key ARN, an alias ARN, a bare key id or alias (resolved in the bucket's region and account).
 * Responses name the key by ARN, as S3's do.
 */
final class KmsKeys {
  /** The account the simulator resolves bare key ids and aliases in. */
  static final String ACCOUNT = "123456789012";

  private KmsKeys() {}

  /**
   * The ARN of the key a request names, resolved in the bucket's region. Without a key id, S3 uses
   * the AWS managed key {@code aws/s3} (S3 API reference, PutObject: "If you specify
   * x-amz-server-side-encryption:aws:kms ... but do not provide
   * x-amz-server-side-encryption-aws-kms-key-id, Amazon S3 uses the AWS managed key (aws/s3)"); the
   * simulator names it by its alias ARN, where S3 gives the key's own ARN.
   */
  static String resolve(String keyId, String region) {
    if (keyId == null || keyId.isEmpty()) {
      return "arn:aws:kms:" + region + ":" + ACCOUNT + ":alias/aws/s3";
    }
    if (keyId.startsWith("arn:")) {
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
