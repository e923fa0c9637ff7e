package dev.failover.simulator.s3;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The object operations: PutObject, CopyObject, GetObject, HeadObject, DeleteObject,
 * GetObjectTagging, and the multipart uploads ({@link MultipartUploads}).
 */
final class S3Objects {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final S3State state;
  private final MultipartUploads multipart;

  S3Objects(S3State state) {
    this.state = state;
    this.multipart = new MultipartUploads(state);
  }

  /**
   * A request body as S3 stores it: aws-chunked framing removed, with the checksum it claimed and
   * the content encodings that remain once {@code aws-chunked} is taken off.
   */
  record Upload(byte[] content, Checksums.Claimed checksum, List<String> encodings) {}

  /** The request body, decoded and verified against its checksum and Content-MD5. */
  static byte[] verifiedBody(HttpExchange exchange, String bucket) throws IOException {
    return upload(exchange, bucket).content();
  }

  static Upload upload(HttpExchange exchange, String bucket) throws IOException {
    Headers headers = exchange.getRequestHeaders();
    byte[] raw = exchange.getRequestBody().readAllBytes();
    List<String> encodings = new ArrayList<>();
    String contentEncoding = headers.getFirst("Content-Encoding");
    if (contentEncoding != null) {
      Arrays.stream(contentEncoding.split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .forEach(encodings::add);
    }
    String sha = headers.getFirst("x-amz-content-sha256");
    boolean chunked =
        encodings.remove("aws-chunked") || (sha != null && sha.startsWith("STREAMING-"));
    Map<String, String> claimedIn = new TreeMap<>();
    byte[] content = raw;
    if (chunked) {
      AwsChunkedBody decoded = AwsChunkedBody.decode(raw, bucket);
      content = decoded.content();
      claimedIn.putAll(decoded.trailers());
      String decodedLength = headers.getFirst("x-amz-decoded-content-length");
      if (decodedLength != null && !decodedLength.equals(String.valueOf(content.length))) {
        throw new S3Error(
            400,
            "IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header",
            bucket);
      }
    }
    headers.forEach(
        (name, values) -> claimedIn.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0)));
    Checksums.Claimed claimed = Checksums.claimed(claimedIn);
    Checksums.verify(claimed, headers.getFirst("Content-MD5"), content, bucket);
    return new Upload(content, claimed, encodings);
  }

  int handle(
      HttpExchange exchange, String method, String bucket, String key, Map<String, String> query)
      throws IOException {
    String versionId = query.get("versionId");
    if (query.containsKey("uploads") || query.containsKey("uploadId")) {
      return multipart.handle(exchange, method, bucket, key, query);
    }
    if (query.containsKey("tagging")) {
      return tagging(exchange, method, bucket, key, versionId);
    }
    return switch (method) {
      case "PUT" ->
          exchange.getRequestHeaders().getFirst(COPY_SOURCE) != null
              ? copy(exchange, bucket, key)
              : put(exchange, bucket, key);
      case "GET", "HEAD" -> get(exchange, bucket, key, versionId);
      case "DELETE" -> {
        String marker = state.deleteObject(bucket, key, versionId);
        if (marker != null) {
          exchange.getResponseHeaders().set("x-amz-version-id", marker);
          if (versionId == null) {
            exchange.getResponseHeaders().set("x-amz-delete-marker", "true");
          }
        }
        yield S3Api.empty(exchange, 204);
      }
      default -> throw S3Api.notAllowed(bucket);
    };
  }

  static final String COPY_SOURCE = "x-amz-copy-source";

  /**
   * PutObject: answers the ETag, the version id when versioned, the encryption applied and the
   * checksum it verified. A body above the single-request limit is refused before it is read, as S3
   * refuses it from its declared length.
   */
  private int put(HttpExchange exchange, String bucket, String key) throws IOException {
    Headers headers = exchange.getRequestHeaders();
    if (declaredLength(headers) > state.singleRequestLimit()) {
      exchange.getRequestBody().readAllBytes();
      throw S3State.entityTooLarge(bucket);
    }
    Upload upload = upload(exchange, bucket);
    S3State.ObjectVersion stored =
        state.putObject(
            bucket,
            key,
            upload.content(),
            headers.getFirst("Content-Type"),
            upload.encodings().isEmpty() ? null : String.join(",", upload.encodings()),
            metadata(headers),
            upload.checksum() == null ? null : upload.checksum().algorithm(),
            upload.checksum() == null ? null : upload.checksum().value(),
            encryption(headers, state.region(bucket), bucket),
            ObjectTags.parse(headers.getFirst("x-amz-tagging"), bucket));
    Headers out = exchange.getResponseHeaders();
    out.set("ETag", "\"" + stored.etag() + "\"");
    if (!stored.versionId().equals("null")) {
      out.set("x-amz-version-id", stored.versionId());
    }
    putEncryption(out, stored);
    putChecksum(out, stored);
    return S3Api.empty(exchange, 200);
  }

  /** The object's length as the request declares it (the decoded length of aws-chunked bodies). */
  static long declaredLength(Headers headers) {
    String decoded = headers.getFirst("x-amz-decoded-content-length");
    String length = decoded != null ? decoded : headers.getFirst("Content-Length");
    try {
      return length == null ? 0 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The {@code x-amz-meta-*} headers, by their names without the prefix. */
  static Map<String, String> metadata(Headers headers) {
    Map<String, String> metadata = new TreeMap<>();
    headers.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (lower.startsWith("x-amz-meta-")) {
            metadata.put(lower.substring("x-amz-meta-".length()), values.get(0));
          }
        });
    return metadata;
  }

  /**
   * The encryption a write asks for, or null for the bucket's default (SSE-S3). A KMS key id
   * without {@code aws:kms} is refused as S3 refuses it (S3 API reference, PutObject: the key id
   * header is for {@code aws:kms} only).
   */
  static S3State.Encryption encryption(Headers headers, String region, String bucket) {
    String algorithm = headers.getFirst("x-amz-server-side-encryption");
    String keyId = headers.getFirst("x-amz-server-side-encryption-aws-kms-key-id");
    if (algorithm == null) {
      if (keyId != null) {
        throw new S3Error(
            400,
            "InvalidArgument",
            "Server Side Encryption with AWS KMS managed key requires HTTP header"
                + " x-amz-server-side-encryption : aws:kms",
            bucket);
      }
      return null;
    }
    return switch (algorithm) {
      case "AES256" -> S3State.Encryption.SSE_S3;
      case S3State.Encryption.KMS -> S3State.Encryption.kms(KmsKeys.resolve(keyId, region));
      default ->
          throw new S3Error(
              400,
              "InvalidArgument",
              "The encryption method specified is not supported: " + algorithm,
              bucket);
    };
  }

  /**
   * CopyObject, after the S3 API reference: the source is {@code x-amz-copy-source} ({@code
   * bucket/key}, URL-encoded, with an optional {@code ?versionId=}); metadata and content type come
   * from the source unless {@code x-amz-metadata-directive: REPLACE}, tags unless {@code
   * x-amz-tagging-directive: REPLACE}; the encryption is what the request asks for, and without
   * encryption headers the destination bucket's default ("if you don't specify encryption
   * information in your copy request, the encryption setting of the target object is set to the
   * default encryption configuration of the destination bucket"), never the source's. A copy of an
   * object onto itself must change something. A source above 5 GiB is refused as S3 refuses it
   * (recorded in rclone/rclone#2375: 400 InvalidRequest "The specified copy source is larger than
   * the maximum allowable size for a copy source: 5368709120").
   */
  private int copy(HttpExchange exchange, String bucket, String key) throws IOException {
    exchange.getRequestBody().readAllBytes();
    Headers headers = exchange.getRequestHeaders();
    CopySource source = CopySource.parse(headers.getFirst(COPY_SOURCE), bucket);
    S3State.ObjectVersion from = state.getObject(source.bucket(), source.key(), source.versionId());
    if (from.content().length > state.singleRequestLimit()) {
      throw S3Error.invalidRequest(
          "The specified copy source is larger than the maximum allowable size for a copy source: "
              + state.singleRequestLimit(),
          bucket);
    }
    boolean replaceMetadata = directive(headers, "x-amz-metadata-directive", bucket);
    boolean replaceTags = directive(headers, "x-amz-tagging-directive", bucket);
    S3State.Encryption encryption = encryption(headers, state.region(bucket), bucket);
    if (source.bucket().equals(bucket)
        && source.key().equals(key)
        && !replaceMetadata
        && encryption == null) {
      throw S3Error.invalidRequest(
          "This copy request is illegal because it is trying to copy an object to itself without"
              + " changing the object's metadata, storage class, website redirect location or"
              + " encryption attributes.",
          bucket);
    }
    S3State.ObjectVersion stored =
        state.putObject(
            bucket,
            key,
            from.content(),
            replaceMetadata ? headers.getFirst("Content-Type") : from.contentType(),
            replaceMetadata ? null : from.contentEncoding(),
            replaceMetadata ? metadata(headers) : from.metadata(),
            from.checksumAlgorithm(),
            from.checksum(),
            encryption,
            replaceTags
                ? ObjectTags.parse(headers.getFirst("x-amz-tagging"), bucket)
                : from.tags());
    Headers out = exchange.getResponseHeaders();
    if (!stored.versionId().equals("null")) {
      out.set("x-amz-version-id", stored.versionId());
    }
    if (!from.versionId().equals("null")) {
      out.set("x-amz-copy-source-version-id", from.versionId());
    }
    putEncryption(out, stored);
    return S3Api.xml(
        exchange,
        "<CopyObjectResult xmlns=\""
            + S3Xml.NS
            + "\">"
            + S3Xml.element("ETag", "\"" + stored.etag() + "\"")
            + S3Xml.element("LastModified", stored.lastModified().toString())
            + "</CopyObjectResult>");
  }

  /** Whether a copy directive says REPLACE; COPY is the default, anything else is refused. */
  private static boolean directive(Headers headers, String name, String bucket) {
    String value = headers.getFirst(name);
    if (value == null || value.equals("COPY")) {
      return false;
    }
    if (value.equals("REPLACE")) {
      return true;
    }
    throw new S3Error(400, "InvalidArgument", "Unknown " + name + ": " + value, bucket);
  }

  /** The object a copy reads: {@code [/]bucket/key[?versionId=id]}, URL-encoded. */
  record CopySource(String bucket, String key, String versionId) {
    static CopySource parse(String header, String bucket) {
      String value = header.startsWith("/") ? header.substring(1) : header;
      String versionId = null;
      int query = value.indexOf('?');
      if (query >= 0) {
        String parameter = value.substring(query + 1);
        if (parameter.startsWith("versionId=")) {
          versionId = HttpExchanges.decode(parameter.substring("versionId=".length()));
        }
        value = value.substring(0, query);
      }
      int slash = value.indexOf('/');
      if (slash <= 0 || slash == value.length() - 1) {
        throw new S3Error(
            400, "InvalidArgument", "Copy Source must mention the source bucket and key", bucket);
      }
      return new CopySource(
          HttpExchanges.decode(value.substring(0, slash)),
          HttpExchanges.decode(value.substring(slash + 1)),
          versionId);
    }
  }

  /** GetObjectTagging, of the current version or the one asked for. */
  private int tagging(
      HttpExchange exchange, String method, String bucket, String key, String versionId)
      throws IOException {
    if (!method.equals("GET")) {
      throw S3Api.notAllowed(bucket);
    }
    S3State.ObjectVersion object = state.getObject(bucket, key, versionId);
    if (!object.versionId().equals("null")) {
      exchange.getResponseHeaders().set("x-amz-version-id", object.versionId());
    }
    return S3Api.xml(exchange, TaggingXml.write(object.tags()));
  }

  /**
   * GetObject and HeadObject. The stored checksum is returned only when the client asks with {@code
   * x-amz-checksum-mode: ENABLED}, as S3 does; the SDK then validates the body against it.
   */
  private int get(HttpExchange exchange, String bucket, String key, String versionId)
      throws IOException {
    S3State.ObjectVersion object = state.getObject(bucket, key, versionId);
    Headers out = exchange.getResponseHeaders();
    out.set("ETag", "\"" + object.etag() + "\"");
    out.set("Last-Modified", HTTP_DATE.format(object.lastModified()));
    out.set("Accept-Ranges", "bytes");
    if (!object.versionId().equals("null")) {
      out.set("x-amz-version-id", object.versionId());
    }
    if (object.contentEncoding() != null) {
      out.set("Content-Encoding", object.contentEncoding());
    }
    object.metadata().forEach((name, value) -> out.set("x-amz-meta-" + name, value));
    if (object.replicationStatus() != null) {
      out.set("x-amz-replication-status", object.replicationStatus());
    }
    putEncryption(out, object);
    // GetObject reports how many tags the version has; HeadObject does not (S3 API reference).
    if (exchange.getRequestMethod().equals("GET") && !object.tags().isEmpty()) {
      out.set("x-amz-tagging-count", String.valueOf(object.tags().size()));
    }
    String range = exchange.getRequestHeaders().getFirst("Range");
    if (range != null && exchange.getRequestMethod().equals("GET")) {
      return sendRange(exchange, object, range, bucket);
    }
    if ("ENABLED".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("x-amz-checksum-mode"))) {
      putChecksum(out, object);
    }
    HttpExchanges.send(exchange, 200, object.contentType(), object.content());
    return 200;
  }

  /**
   * A ranged GetObject ({@code Range: bytes=first-last} or {@code bytes=first-}): 206 with {@code
   * Content-Range}, and without the whole object's checksum, which the part would not match. A
   * range that starts past the end is 416 {@code InvalidRange}.
   */
  private static int sendRange(
      HttpExchange exchange, S3State.ObjectVersion object, String range, String bucket)
      throws IOException {
    byte[] content = object.content();
    String spec = range.startsWith("bytes=") ? range.substring("bytes=".length()) : "";
    int dash = spec.indexOf('-');
    long first;
    long last;
    try {
      first = Long.parseLong(spec.substring(0, dash));
      last =
          dash == spec.length() - 1 ? content.length - 1 : Long.parseLong(spec.substring(dash + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // S3 ignores a Range header it cannot parse and answers the whole object.
      HttpExchanges.send(exchange, 200, object.contentType(), content);
      return 200;
    }
    if (first >= content.length || last < first) {
      throw new S3Error(416, "InvalidRange", "The requested range is not satisfiable", bucket);
    }
    last = Math.min(last, content.length - 1);
    exchange
        .getResponseHeaders()
        .set("Content-Range", "bytes " + first + "-" + last + "/" + content.length);
    HttpExchanges.send(
        exchange,
        206,
        object.contentType(),
        java.util.Arrays.copyOfRange(content, (int) first, (int) last + 1));
    return 206;
  }

  /** The encryption headers S3 answers on writes and reads of a version. */
  static void putEncryption(Headers out, S3State.ObjectVersion object) {
    S3State.Encryption encryption = object.encryption();
    if (encryption == null) {
      return;
    }
    out.set("x-amz-server-side-encryption", encryption.algorithm());
    if (encryption.isKms()) {
      out.set("x-amz-server-side-encryption-aws-kms-key-id", encryption.kmsKeyId());
    }
  }

  static void putChecksum(Headers out, S3State.ObjectVersion object) {
    if (object.checksum() != null) {
      out.set(
          "x-amz-checksum-" + object.checksumAlgorithm().toLowerCase(Locale.ROOT),
          object.checksum());
      out.set("x-amz-checksum-type", "FULL_OBJECT");
    }
  }
}
