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

/** The object operations: PutObject, GetObject, HeadObject and DeleteObject. */
final class S3Objects {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final S3State state;

  S3Objects(S3State state) {
    this.state = state;
  }

  /**
   * A request body as S3 stores it: aws-chunked framing removed, with the checksum it claimed and
   * the content encodings that remain once {@code aws-chunked} is taken off.
   */
  private record Upload(byte[] content, Checksums.Claimed checksum, List<String> encodings) {}

  /** The request body, decoded and verified against its checksum and Content-MD5. */
  static byte[] verifiedBody(HttpExchange exchange, String bucket) throws IOException {
    return upload(exchange, bucket).content();
  }

  private static Upload upload(HttpExchange exchange, String bucket) throws IOException {
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
    return switch (method) {
      case "PUT" -> put(exchange, bucket, key);
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

  /** PutObject: answers the ETag, the version id when versioned, and the checksum it verified. */
  private int put(HttpExchange exchange, String bucket, String key) throws IOException {
    Upload upload = upload(exchange, bucket);
    Headers headers = exchange.getRequestHeaders();
    Map<String, String> metadata = new TreeMap<>();
    headers.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (lower.startsWith("x-amz-meta-")) {
            metadata.put(lower.substring("x-amz-meta-".length()), values.get(0));
          }
        });
    S3State.ObjectVersion stored =
        state.putObject(
            bucket,
            key,
            upload.content(),
            headers.getFirst("Content-Type"),
            upload.encodings().isEmpty() ? null : String.join(",", upload.encodings()),
            metadata,
            upload.checksum() == null ? null : upload.checksum().algorithm(),
            upload.checksum() == null ? null : upload.checksum().value());
    Headers out = exchange.getResponseHeaders();
    out.set("ETag", "\"" + stored.etag() + "\"");
    if (!stored.versionId().equals("null")) {
      out.set("x-amz-version-id", stored.versionId());
    }
    putChecksum(out, stored);
    return S3Api.empty(exchange, 200);
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
    if ("ENABLED".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("x-amz-checksum-mode"))) {
      putChecksum(out, object);
    }
    HttpExchanges.send(exchange, 200, object.contentType(), object.content());
    return 200;
  }

  private static void putChecksum(Headers out, S3State.ObjectVersion object) {
    if (object.checksum() != null) {
      out.set(
          "x-amz-checksum-" + object.checksumAlgorithm().toLowerCase(Locale.ROOT),
          object.checksum());
      out.set("x-amz-checksum-type", "FULL_OBJECT");
    }
  }
}
