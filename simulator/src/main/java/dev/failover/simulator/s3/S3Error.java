package dev.failover.simulator.s3;

/** An S3 error response: HTTP status, S3 error code and message. */
public final class S3Error extends RuntimeException {
  private final int status;
  private final String code;
  private final String bucket;

  public S3Error(int status, String code, String message, String bucket) {
    super(message);
    this.status = status;
    this.code = code;
    this.bucket = bucket;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String bucket() {
    return bucket;
  }

  static S3Error noSuchBucket(String bucket) {
    return new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", bucket);
  }

  static S3Error invalidRequest(String message, String bucket) {
    return new S3Error(400, "InvalidRequest", message, bucket);
  }

  static S3Error malformedXml(String bucket) {
    return new S3Error(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published"
            + " schema",
        bucket);
  }
}
