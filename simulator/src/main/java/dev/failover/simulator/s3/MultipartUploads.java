package dev.failover.simulator.s3;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * Multipart uploads, after the S3 API reference (CreateMultipartUpload, UploadPart, UploadPartCopy,
 * CompleteMultipartUpload, AbortMultipartUpload) and the limits of the S3 user guide ("Amazon S3
 * multipart upload limits"): part numbers 1 to 10,000; parts of 5 MiB to 5 GiB, the last one
 * excepted from the minimum. The upload's encryption and tags are given at creation and apply to
 * the object Complete assembles, whose ETag is the MD5 of the parts' MD5s followed by {@code
 * -<parts>}. Not modelled: ListParts and ListMultipartUploads, and the per-part checksums an upload
 * created with {@code x-amz-checksum-algorithm} requires at completion.
 */
final class MultipartUploads {
  /** The smallest part but the last (S3 user guide, "Amazon S3 multipart upload limits"). */
  static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private static final int MAX_PARTS = 10_000;

  private record Part(byte[] content, String etag) {}

  private record Upload(
      String bucket,
      String key,
      String contentType,
      Map<String, String> metadata,
      S3State.Encryption encryption,
      Map<String, String> tags,
      Map<Integer, Part> parts) {}

  private final S3State state;
  private final Map<String, Upload> uploads = new HashMap<>();

  MultipartUploads(S3State state) {
    this.state = state;
  }

  int handle(
      HttpExchange exchange, String method, String bucket, String key, Map<String, String> query)
      throws IOException {
    if (method.equals("POST") && query.containsKey("uploads")) {
      return create(exchange, bucket, key);
    }
    String uploadId = query.get("uploadId");
    if (uploadId == null) {
      throw S3Api.notAllowed(bucket);
    }
    return switch (method) {
      case "PUT" ->
          exchange.getRequestHeaders().getFirst(S3Objects.COPY_SOURCE) != null
              ? uploadPartCopy(exchange, bucket, key, uploadId, query.get("partNumber"))
              : uploadPart(exchange, bucket, key, uploadId, query.get("partNumber"));
      case "POST" -> complete(exchange, bucket, key, uploadId);
      case "DELETE" -> {
        exchange.getRequestBody().readAllBytes();
        abort(bucket, key, uploadId);
        yield S3Api.empty(exchange, 204);
      }
      case "GET" -> throw S3Api.notImplemented(bucket);
      default -> throw S3Api.notAllowed(bucket);
    };
  }

  private int create(HttpExchange exchange, String bucket, String key) throws IOException {
    exchange.getRequestBody().readAllBytes();
    Headers headers = exchange.getRequestHeaders();
    String region = state.region(bucket);
    S3State.Encryption encryption = S3Objects.encryption(headers, region, bucket);
    if (encryption != null && encryption.isKms()) {
      KmsKeys.requireInRegion(encryption.kmsKeyId(), region, bucket);
    }
    Map<String, String> tags = ObjectTags.parse(headers.getFirst("x-amz-tagging"), bucket);
    ObjectTags.validate(tags, bucket);
    String uploadId = UUID.randomUUID().toString().replace("-", "");
    synchronized (this) {
      uploads.put(
          uploadId,
          new Upload(
              bucket,
              key,
              headers.getFirst("Content-Type"),
              S3Objects.metadata(headers),
              encryption,
              tags,
              new TreeMap<>()));
    }
    putEncryption(exchange.getResponseHeaders(), encryption);
    return S3Api.xml(
        exchange,
        "<InitiateMultipartUploadResult xmlns=\""
            + S3Xml.NS
            + "\">"
            + S3Xml.element("Bucket", bucket)
            + S3Xml.element("Key", key)
            + S3Xml.element("UploadId", uploadId)
            + "</InitiateMultipartUploadResult>");
  }

  private int uploadPart(
      HttpExchange exchange, String bucket, String key, String uploadId, String partNumber)
      throws IOException {
    Headers headers = exchange.getRequestHeaders();
    if (S3Objects.declaredLength(headers) > state.singleRequestLimit()) {
      exchange.getRequestBody().readAllBytes();
      throw S3State.entityTooLarge(bucket);
    }
    S3Objects.Upload body = S3Objects.upload(exchange, bucket);
    Upload upload = upload(bucket, key, uploadId);
    String etag = store(upload, partNumber(partNumber, bucket), body.content());
    Headers out = exchange.getResponseHeaders();
    out.set("ETag", "\"" + etag + "\"");
    if (body.checksum() != null) {
      out.set(
          "x-amz-checksum-" + body.checksum().algorithm().toLowerCase(java.util.Locale.ROOT),
          body.checksum().value());
    }
    putEncryption(out, upload.encryption());
    return S3Api.empty(exchange, 200);
  }

  /**
   * UploadPartCopy: the part is the copy source's bytes, or the inclusive range {@code
   * x-amz-copy-source-range: bytes=first-last} of them.
   */
  private int uploadPartCopy(
      HttpExchange exchange, String bucket, String key, String uploadId, String partNumber)
      throws IOException {
    exchange.getRequestBody().readAllBytes();
    Headers headers = exchange.getRequestHeaders();
    S3Objects.CopySource source =
        S3Objects.CopySource.parse(headers.getFirst(S3Objects.COPY_SOURCE), bucket);
    Upload upload = upload(bucket, key, uploadId);
    int number = partNumber(partNumber, bucket);
    S3State.ObjectVersion from = state.getObject(source.bucket(), source.key(), source.versionId());
    byte[] content = range(from.content(), headers.getFirst("x-amz-copy-source-range"), bucket);
    if (content.length > state.singleRequestLimit()) {
      throw S3Error.invalidRequest(
          "The specified copy source is larger than the maximum allowable size for a copy source: "
              + state.singleRequestLimit(),
          bucket);
    }
    String etag = store(upload, number, content);
    Headers out = exchange.getResponseHeaders();
    if (!from.versionId().equals("null")) {
      out.set("x-amz-copy-source-version-id", from.versionId());
    }
    putEncryption(out, upload.encryption());
    return S3Api.xml(
        exchange,
        "<CopyPartResult xmlns=\""
            + S3Xml.NS
            + "\">"
            + S3Xml.element("ETag", "\"" + etag + "\"")
            + S3Xml.element("LastModified", java.time.Instant.now().toString())
            + "</CopyPartResult>");
  }

  private static byte[] range(byte[] content, String header, String bucket) {
    if (header == null) {
      return content;
    }
    String spec = header.startsWith("bytes=") ? header.substring("bytes=".length()) : "";
    int dash = spec.indexOf('-');
    try {
      long first = Long.parseLong(spec.substring(0, dash));
      long last = Long.parseLong(spec.substring(dash + 1));
      if (first < 0 || last < first || last >= content.length) {
        throw invalidRange(bucket);
      }
      return java.util.Arrays.copyOfRange(content, (int) first, (int) last + 1);
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw invalidRange(bucket);
    }
  }

  private static S3Error invalidRange(String bucket) {
    return new S3Error(
        400,
        "InvalidArgument",
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and"
            + " last are the zero-based offsets of the first and last bytes to copy",
        bucket);
  }

  /**
   * CompleteMultipartUpload: the parts listed, in ascending order, each with the ETag its upload
   * answered, every one but the last at least {@link #MIN_PART_SIZE}.
   */
  private int complete(HttpExchange exchange, String bucket, String key, String uploadId)
      throws IOException {
    Element root = S3Xml.parse(S3Objects.verifiedBody(exchange, bucket), bucket);
    Upload upload = upload(bucket, key, uploadId);
    List<Element> listed = S3Xml.children(root, "Part");
    if (!S3Xml.localName(root).equals("CompleteMultipartUpload") || listed.isEmpty()) {
      throw S3Error.malformedXml(bucket);
    }
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    ByteArrayOutputStream digests = new ByteArrayOutputStream();
    int previous = 0;
    for (int i = 0; i < listed.size(); i++) {
      int number = partNumber(S3Xml.text(listed.get(i), "PartNumber"), bucket);
      if (number <= previous) {
        throw new S3Error(
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order. The parts list must be specified in"
                + " order by part number.",
            bucket);
      }
      previous = number;
      Part part;
      synchronized (this) {
        part = upload.parts().get(number);
      }
      String etag = S3Xml.text(listed.get(i), "ETag");
      if (part == null || etag == null || !etag.replace("\"", "").equals(part.etag())) {
        throw new S3Error(
            400,
            "InvalidPart",
            "One or more of the specified parts could not be found. The part may not have been"
                + " uploaded, or the specified entity tag may not match the part's entity tag.",
            bucket);
      }
      if (i < listed.size() - 1 && part.content().length < MIN_PART_SIZE) {
        throw new S3Error(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed object size.",
            bucket);
      }
      content.write(part.content());
      digests.write(HexFormat.of().parseHex(part.etag()));
    }
    String etag = Checksums.md5Hex(digests.toByteArray()) + "-" + listed.size();
    S3State.ObjectVersion stored =
        state.putAssembled(
            bucket,
            key,
            content.toByteArray(),
            etag,
            upload.contentType(),
            upload.metadata(),
            upload.encryption(),
            upload.tags());
    synchronized (this) {
      uploads.remove(uploadId);
    }
    Headers out = exchange.getResponseHeaders();
    if (!stored.versionId().equals("null")) {
      out.set("x-amz-version-id", stored.versionId());
    }
    S3Objects.putEncryption(out, stored);
    return S3Api.xml(
        exchange,
        "<CompleteMultipartUploadResult xmlns=\""
            + S3Xml.NS
            + "\">"
            + S3Xml.element("Location", "/" + bucket + "/" + key)
            + S3Xml.element("Bucket", bucket)
            + S3Xml.element("Key", key)
            + S3Xml.element("ETag", "\"" + etag + "\"")
            + "</CompleteMultipartUploadResult>");
  }

  private synchronized void abort(String bucket, String key, String uploadId) {
    upload(bucket, key, uploadId);
    uploads.remove(uploadId);
  }

  private synchronized Upload upload(String bucket, String key, String uploadId) {
    Upload upload = uploads.get(uploadId);
    if (upload == null || !upload.bucket().equals(bucket) || !upload.key().equals(key)) {
      throw new S3Error(
          404,
          "NoSuchUpload",
          "The specified upload does not exist. The upload ID may be invalid, or the upload may"
              + " have been aborted or completed.",
          bucket);
    }
    return upload;
  }

  private synchronized String store(Upload upload, int number, byte[] content) {
    String etag = Checksums.md5Hex(content);
    upload.parts().put(number, new Part(content, etag));
    return etag;
  }

  private static int partNumber(String value, String bucket) {
    try {
      int number = Integer.parseInt(value);
      if (number >= 1 && number <= MAX_PARTS) {
        return number;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new S3Error(
        400,
        "InvalidArgument",
        "Part number must be an integer between 1 and 10000, inclusive",
        bucket);
  }

  private static void putEncryption(Headers out, S3State.Encryption encryption) {
    if (encryption != null) {
      out.set("x-amz-server-side-encryption", encryption.algorithm());
      if (encryption.isKms()) {
        out.set("x-amz-server-side-encryption-aws-kms-key-id", encryption.kmsKeyId());
      }
    }
  }
}
