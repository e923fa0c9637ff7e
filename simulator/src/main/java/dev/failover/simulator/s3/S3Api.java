package dev.failover.simulator.s3;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * The S3 REST surface (path-style: {@code /bucket/key}) for the operations the runbooks use.
 * Requests must carry an {@code Authorization} header; signatures are not verified.
 */
public final class S3Api {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final S3State state;

  public S3Api(S3State state) {
    this.state = state;
  }

  /** The bucket a request addresses, or "" for service-level requests. */
  public static String bucketOf(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    String rest = path.startsWith("/") ? path.substring(1) : path;
    int slash = rest.indexOf('/');
    return HttpExchanges.decode(slash < 0 ? rest : rest.substring(0, slash));
  }

  /** Answers one request; returns the HTTP status sent. */
  public int handle(HttpExchange exchange) throws IOException {
    String bucket = bucketOf(exchange);
    exchange.getResponseHeaders().set("x-amz-request-id", requestId());
    try {
      if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
        throw new S3Error(403, "AccessDenied", "Access Denied", bucket);
      }
      return route(exchange, bucket);
    } catch (S3Error e) {
      String xml =
          S3Xml.DECLARATION
              + "<Error>"
              + S3Xml.element("Code", e.code())
              + S3Xml.element("Message", e.getMessage())
              + (e.bucket() == null || e.bucket().isEmpty()
                  ? ""
                  : S3Xml.element("BucketName", e.bucket()))
              + S3Xml.element(
                  "RequestId", exchange.getResponseHeaders().getFirst("x-amz-request-id"))
              + "</Error>";
      HttpExchanges.send(
          exchange, e.status(), "application/xml", xml.getBytes(StandardCharsets.UTF_8));
      return e.status();
    }
  }

  private int route(HttpExchange exchange, String bucket) throws IOException {
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    Map<String, String> query = HttpExchanges.query(exchange);
    if (bucket.isEmpty()) {
      if (method.equals("GET")) {
        return xml(exchange, 200, listBuckets());
      }
      throw new S3Error(
          405,
          "MethodNotAllowed",
          "The specified method is not allowed against this resource.",
          "");
    }
    int slash = rawPath.indexOf('/', 1);
    String key = slash < 0 ? "" : HttpExchanges.decode(rawPath.substring(slash + 1));
    if (key.isEmpty()) {
      return bucketRequest(exchange, method, bucket, query);
    }
    return objectRequest(exchange, method, bucket, key, query);
  }

  private int bucketRequest(
      HttpExchange exchange, String method, String bucket, Map<String, String> query)
      throws IOException {
    if (query.containsKey("versioning")) {
      return switch (method) {
        case "GET" -> xml(exchange, 200, versioning(bucket));
        case "PUT" -> {
          Element root = S3Xml.parse(body(exchange), bucket);
          state.setVersioning(bucket, S3Xml.text(root, "Status"));
          yield empty(exchange, 200);
        }
        default -> throw notAllowed(bucket);
      };
    }
    if (query.containsKey("replication")) {
      return switch (method) {
        case "GET" -> xml(exchange, 200, ReplicationXml.write(state.replication(bucket)));
        case "PUT" -> {
          state.putReplication(
              bucket, ReplicationXml.read(S3Xml.parse(body(exchange), bucket), bucket));
          yield empty(exchange, 200);
        }
        case "DELETE" -> {
          state.region(bucket);
          state.deleteReplication(bucket);
          yield empty(exchange, 204);
        }
        default -> throw notAllowed(bucket);
      };
    }
    if (query.containsKey("location")) {
      String region = state.region(bucket);
      return xml(
          exchange,
          200,
          "<LocationConstraint xmlns=\""
              + S3Xml.NS
              + "\">"
              + S3Xml.escape(region.equals("us-east-1") ? "" : region)
              + "</LocationConstraint>");
    }
    return switch (method) {
      case "HEAD" -> {
        exchange.getResponseHeaders().set("x-amz-bucket-region", state.region(bucket));
        yield empty(exchange, 200);
      }
      case "PUT" -> {
        byte[] body = body(exchange);
        String region = "us-east-1";
        if (body.length > 0) {
          String constraint = S3Xml.text(S3Xml.parse(body, bucket), "LocationConstraint");
          if (constraint != null && !constraint.isEmpty()) {
            region = constraint;
          }
        }
        state.createBucket(bucket, region, "");
        exchange.getResponseHeaders().set("Location", "/" + bucket);
        yield empty(exchange, 200);
      }
      case "DELETE" -> {
        state.deleteBucket(bucket);
        yield empty(exchange, 204);
      }
      case "GET" -> {
        if (!"2".equals(query.get("list-type"))) {
          throw S3Error.invalidRequest(
              "Only ListObjectsV2 (list-type=2) is supported by this simulator", bucket);
        }
        yield xml(exchange, 200, listObjectsV2(bucket, query));
      }
      default -> throw notAllowed(bucket);
    };
  }

  private int objectRequest(
      HttpExchange exchange, String method, String bucket, String key, Map<String, String> query)
      throws IOException {
    Headers headers = exchange.getRequestHeaders();
    String versionId = query.get("versionId");
    switch (method) {
      case "PUT" -> {
        byte[] raw = body(exchange);
        byte[] content = raw;
        String checksumAlgorithm = null;
        String checksum = null;
        List<String> encodings = new ArrayList<>();
        if (headers.getFirst("Content-Encoding") != null) {
          encodings.addAll(
              Arrays.stream(headers.getFirst("Content-Encoding").split(","))
                  .map(String::trim)
                  .filter(s -> !s.isEmpty())
                  .toList());
        }
        String sha = headers.getFirst("x-amz-content-sha256");
        if (encodings.remove("aws-chunked") || (sha != null && sha.startsWith("STREAMING-"))) {
          AwsChunkedBody decoded = AwsChunkedBody.decode(raw, bucket);
          content = decoded.content();
          if (decoded.trailers().containsKey("x-amz-checksum-crc32")) {
            checksumAlgorithm = "CRC32";
            checksum = decoded.trailers().get("x-amz-checksum-crc32");
          }
        } else if (headers.getFirst("x-amz-checksum-crc32") != null) {
          checksum = headers.getFirst("x-amz-checksum-crc32");
          if (!checksum.equals(AwsChunkedBody.crc32Base64(content))) {
            throw new S3Error(
                400,
                "BadDigest",
                "The CRC32 you specified did not match the calculated checksum.",
                bucket);
          }
          checksumAlgorithm = "CRC32";
        }
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
                content,
                headers.getFirst("Content-Type"),
                encodings.isEmpty() ? null : String.join(",", encodings),
                metadata,
                checksumAlgorithm,
                checksum);
        exchange.getResponseHeaders().set("ETag", "\"" + stored.etag() + "\"");
        if (!stored.versionId().equals("null")) {
          exchange.getResponseHeaders().set("x-amz-version-id", stored.versionId());
        }
        if (stored.checksum() != null) {
          exchange.getResponseHeaders().set("x-amz-checksum-crc32", stored.checksum());
        }
        return empty(exchange, 200);
      }
      case "GET", "HEAD" -> {
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
        if (object.checksum() != null
            && "ENABLED".equalsIgnoreCase(headers.getFirst("x-amz-checksum-mode"))) {
          out.set("x-amz-checksum-crc32", object.checksum());
          out.set("x-amz-checksum-type", "FULL_OBJECT");
        }
        HttpExchanges.send(exchange, 200, object.contentType(), object.content());
        return 200;
      }
      case "DELETE" -> {
        state.region(bucket);
        String marker = state.deleteObject(bucket, key, versionId);
        if (marker != null) {
          exchange.getResponseHeaders().set("x-amz-version-id", marker);
          if (versionId == null) {
            exchange.getResponseHeaders().set("x-amz-delete-marker", "true");
          }
        }
        return empty(exchange, 204);
      }
      default -> throw notAllowed(bucket);
    }
  }

  private String listBuckets() {
    StringBuilder xml = new StringBuilder("<ListAllMyBucketsResult xmlns=\"" + S3Xml.NS + "\">");
    xml.append("<Owner><ID>simulator</ID><DisplayName>simulator</DisplayName></Owner><Buckets>");
    for (String name : state.bucketNames()) {
      xml.append("<Bucket>")
          .append(S3Xml.element("Name", name))
          .append(S3Xml.element("CreationDate", state.created(name).toString()))
          .append(S3Xml.element("BucketRegion", state.region(name)))
          .append("</Bucket>");
    }
    return xml.append("</Buckets></ListAllMyBucketsResult>").toString();
  }

  private String versioning(String bucket) {
    String status = state.versioning(bucket);
    return "<VersioningConfiguration xmlns=\""
        + S3Xml.NS
        + "\">"
        + S3Xml.element("Status", status)
        + "</VersioningConfiguration>";
  }

  /** ListObjectsV2 with prefix, start-after, max-keys and continuation tokens. */
  private String listObjectsV2(String bucket, Map<String, String> query) {
    String prefix = query.getOrDefault("prefix", "");
    int maxKeys;
    try {
      maxKeys = Math.min(1000, Integer.parseInt(query.getOrDefault("max-keys", "1000")));
    } catch (NumberFormatException e) {
      throw new S3Error(
          400,
          "InvalidArgument",
          "Provided max-keys not an integer or within integer range",
          bucket);
    }
    String token = query.get("continuation-token");
    String after = query.getOrDefault("start-after", "");
    if (token != null) {
      try {
        after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new S3Error(
            400, "InvalidArgument", "The continuation token provided is incorrect", bucket);
      }
    }
    List<String> page = new ArrayList<>();
    boolean truncated = false;
    for (String key : state.objectKeys(bucket)) {
      if (!key.startsWith(prefix) || key.compareTo(after) <= 0) {
        continue;
      }
      if (page.size() == maxKeys) {
        truncated = true;
        break;
      }
      page.add(key);
    }
    StringBuilder xml = new StringBuilder("<ListBucketResult xmlns=\"" + S3Xml.NS + "\">");
    xml.append(S3Xml.element("Name", bucket))
        .append(S3Xml.element("Prefix", prefix))
        .append(S3Xml.element("KeyCount", page.size()))
        .append(S3Xml.element("MaxKeys", maxKeys))
        .append(S3Xml.element("IsTruncated", truncated));
    if (token != null) {
      xml.append(S3Xml.element("ContinuationToken", token));
    }
    if (truncated) {
      xml.append(
          S3Xml.element(
              "NextContinuationToken",
              Base64.getUrlEncoder()
                  .encodeToString(page.get(page.size() - 1).getBytes(StandardCharsets.UTF_8))));
    }
    for (String key : page) {
      S3State.ObjectVersion object = state.getObject(bucket, key, null);
      xml.append("<Contents>")
          .append(S3Xml.element("Key", key))
          .append(S3Xml.element("LastModified", object.lastModified().toString()))
          .append(S3Xml.element("ETag", "\"" + object.etag() + "\""))
          .append(S3Xml.element("Size", object.content().length))
          .append(S3Xml.element("StorageClass", "STANDARD"))
          .append("</Contents>");
    }
    return xml.append("</ListBucketResult>").toString();
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    return exchange.getRequestBody().readAllBytes();
  }

  private static int xml(HttpExchange exchange, int status, String body) throws IOException {
    HttpExchanges.send(
        exchange,
        status,
        "application/xml",
        (S3Xml.DECLARATION + body).getBytes(StandardCharsets.UTF_8));
    return status;
  }

  private static int empty(HttpExchange exchange, int status) throws IOException {
    HttpExchanges.send(exchange, status, null, null);
    return status;
  }

  private static S3Error notAllowed(String bucket) {
    return new S3Error(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        bucket);
  }

  private static String requestId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
  }
}
