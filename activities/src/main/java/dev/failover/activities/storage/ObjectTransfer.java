package dev.failover.activities.storage;

import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Copies one object from a bucket read with one client to a bucket written with another (the
 * replica's profile reads and the primary's writes; the worker reads and Unity Catalog's temporary
 * credentials write), so a server-side CopyObject, which needs one principal that may do both, is
 * not an option.
 *
 * <p>Every request body survives the SDK's own retries: it is re-opened for each attempt as a
 * GetObject of the pinned source version (ranged, for a part), never a stream that can be read
 * once. An object above the single-request limit (5 GiB; S3 user guide, "Uploading objects") goes
 * as a multipart upload: parts of at least {@link Limits#partBytes()}, larger when the object would
 * need more than 10,000 of them, each call retried on its own through the {@link CallRetry}. A
 * multipart upload that fails is aborted, so its parts are not left to be billed.
 */
public final class ObjectTransfer {
  private static final long MIB = 1024L * 1024;

  /** S3's limits (S3 user guide, "Amazon S3 multipart upload limits"). */
  static final long MIN_PART_BYTES = 5 * MIB;

  static final int MAX_PARTS = 10_000;

  /**
   * When to upload in parts, and the size of the parts.
   *
   * @param singleRequestBytes the largest object one PutObject carries
   * @param partBytes the part size of a multipart upload, unless the object needs larger parts to
   *     stay within 10,000 of them
   */
  public record Limits(long singleRequestBytes, long partBytes) {
    /** S3's own limit, 5 GiB, and parts of 64 MiB. */
    public static final Limits S3 = new Limits(5L * 1024 * MIB, 64 * MIB);

    public Limits {
      if (partBytes < MIN_PART_BYTES || partBytes > singleRequestBytes) {
        throw new IllegalArgumentException(
            "partBytes must be between 5 MiB and singleRequestBytes, got " + partBytes);
      }
    }
  }

  /**
   * The object to copy: the version is pinned, so that every attempt and every part reads the same
   * bytes.
   */
  public record Source(S3Client client, String bucket, String key, String versionId, long size) {}

  /**
   * What the copy writes besides the bytes.
   *
   * @param contentType the content type, or null
   * @param metadata user metadata ({@code x-amz-meta-*})
   * @param kmsKeyId the SSE-KMS key (an ARN in the destination's region), or null for the bucket's
   *     default encryption
   * @param tags the object tags
   */
  public record Settings(
      String contentType, Map<String, String> metadata, String kmsKeyId, Map<String, String> tags) {
    public static Settings contentTypeOnly(String contentType) {
      return new Settings(contentType, Map.of(), null, Map.of());
    }
  }

  private final CallRetry retry;
  private final Limits limits;

  public ObjectTransfer(CallRetry retry, Limits limits) {
    this.retry = retry;
    this.limits = limits;
  }

  /** Copies the source to {@code bucket}/{@code key} with {@code writer}; returns the new ETag. */
  public String copy(Source from, S3Client writer, String bucket, String key, Settings settings) {
    String what =
        "copy s3://" + from.bucket() + "/" + from.key() + " to s3://" + bucket + "/" + key;
    if (from.size() <= limits.singleRequestBytes()) {
      return retry.aws(what, () -> putWhole(from, writer, bucket, key, settings));
    }
    return copyInParts(what, from, writer, bucket, key, settings);
  }

  private String putWhole(
      Source from, S3Client writer, String bucket, String key, Settings settings) {
    try (Reopening body = new Reopening(from, 0, from.size())) {
      return writer
          .putObject(
              put -> {
                put.bucket(bucket)
                    .key(key)
                    .contentType(settings.contentType())
                    .metadata(settings.metadata());
                if (settings.kmsKeyId() != null) {
                  put.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                      .ssekmsKeyId(settings.kmsKeyId());
                }
                if (!settings.tags().isEmpty()) {
                  put.tagging(tagging(settings.tags()));
                }
              },
              RequestBody.fromContentProvider(body, from.size(), contentType(settings)))
          .eTag();
    }
  }

  private String copyInParts(
      String what, Source from, S3Client writer, String bucket, String key, Settings settings) {
    String uploadId =
        retry.aws(
            "start " + what,
            () ->
                writer
                    .createMultipartUpload(
                        create -> {
                          create
                              .bucket(bucket)
                              .key(key)
                              .contentType(settings.contentType())
                              .metadata(settings.metadata());
                          if (settings.kmsKeyId() != null) {
                            create
                                .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                                .ssekmsKeyId(settings.kmsKeyId());
                          }
                          if (!settings.tags().isEmpty()) {
                            create.tagging(tagging(settings.tags()));
                          }
                        })
                    .uploadId());
    List<CompletedPart> parts;
    try {
      parts = uploadParts(what, from, writer, bucket, key, uploadId);
    } catch (RuntimeException e) {
      abort(writer, bucket, key, uploadId, e);
      throw e;
    }
    try {
      return retry.aws(
          "complete " + what,
          () ->
              writer
                  .completeMultipartUpload(
                      complete ->
                          complete
                              .bucket(bucket)
                              .key(key)
                              .uploadId(uploadId)
                              .multipartUpload(upload -> upload.parts(parts)))
                  .eTag());
    } catch (ApplicationFailure e) {
      // A retried Complete whose first answer was lost finds the upload gone (NoSuchUpload): the
      // object it assembled is there.
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        String landed = assembled(writer, bucket, key, from.size(), parts.size(), settings);
        if (landed != null) {
          return landed;
        }
      }
      abort(writer, bucket, key, uploadId, e);
      throw e;
    }
  }

  /**
   * The ETag of the object a lost Complete assembled: the destination's current version, when it
   * has the size, the part count ({@code -N} ETag) and the metadata of this copy; else null.
   */
  private String assembled(
      S3Client writer, String bucket, String key, long size, int parts, Settings settings) {
    HeadObjectResponse head =
        retry.aws(
            "read s3://" + bucket + "/" + key,
            () -> writer.headObject(h -> h.bucket(bucket).key(key)));
    boolean ours =
        head.contentLength() == size
            && head.eTag().endsWith("-" + parts + "\"")
            && head.metadata().entrySet().containsAll(settings.metadata().entrySet());
    return ours ? head.eTag() : null;
  }

  private List<CompletedPart> uploadParts(
      String what, Source from, S3Client writer, String bucket, String key, String uploadId) {
    long partSize = partSize(from.size());
    List<CompletedPart> parts = new ArrayList<>();
    for (long offset = 0; offset < from.size(); offset += partSize) {
      int number = parts.size() + 1;
      long length = Math.min(partSize, from.size() - offset);
      long start = offset;
      String etag =
          retry.aws(
              "part " + number + " of " + what,
              () -> {
                try (Reopening body = new Reopening(from, start, length)) {
                  return writer
                      .uploadPart(
                          part ->
                              part.bucket(bucket)
                                  .key(key)
                                  .uploadId(uploadId)
                                  .partNumber(number)
                                  .contentLength(length),
                          RequestBody.fromContentProvider(body, length, "application/octet-stream"))
                      .eTag();
                }
              });
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }
    return parts;
  }

  /** The configured part size, or the smallest whole MiB that keeps within 10,000 parts. */
  long partSize(long size) {
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    long roundedUp = (needed + MIB - 1) / MIB * MIB;
    return Math.max(limits.partBytes(), roundedUp);
  }

  private void abort(S3Client writer, String bucket, String key, String uploadId, Exception cause) {
    try {
      writer.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // The upload stays until a lifecycle rule removes it; the original failure is what matters.
      cause.addSuppressed(e);
    }
  }

  private static String contentType(Settings settings) {
    return settings.contentType() == null ? "binary/octet-stream" : settings.contentType();
  }

  /** The {@code x-amz-tagging} form of a tag set: URL-encoded {@code key=value} pairs. */
  static String tagging(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(
            tag ->
                SdkHttpUtils.urlEncode(tag.getKey()) + "=" + SdkHttpUtils.urlEncode(tag.getValue()))
        .collect(Collectors.joining("&"));
  }

  /**
   * A request body that the SDK can read as often as it retries: each {@link #newStream()} opens
   * the source range anew (closing the stream it opened before), and {@link #close()} closes the
   * last one.
   */
  private static final class Reopening implements ContentStreamProvider, AutoCloseable {
    private final Source from;
    private final long start;
    private final long length;
    private InputStream open;

    Reopening(Source from, long start, long length) {
      this.from = from;
      this.start = start;
      this.length = length;
    }

    @Override
    public InputStream newStream() {
      close();
      boolean whole = start == 0 && length == from.size();
      open =
          from.client()
              .getObject(
                  get -> {
                    get.bucket(from.bucket()).key(from.key()).versionId(from.versionId());
                    if (!whole) {
                      get.range("bytes=" + start + "-" + (start + length - 1));
                    }
                  });
      return open;
    }

    @Override
    public void close() {
      if (open == null) {
        return;
      }
      // A stream the SDK did not read to its end is aborted rather than drained.
      if (open instanceof ResponseInputStream<?> response) {
        response.abort();
      }
      try {
        open.close();
      } catch (IOException e) {
        // The body was sent or the attempt failed; a stream that does not close changes neither.
      } finally {
        open = null;
      }
    }
  }
}
