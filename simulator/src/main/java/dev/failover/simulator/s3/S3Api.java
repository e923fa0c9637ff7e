package dev.failover.simulator.s3;

import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.http.HttpExchanges;
import dev.failover.simulator.iam.IamState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * The S3 REST surface (path-style: {@code /bucket/key}) for the operations the runbooks use.
 * Requests must carry an {@code Authorization} header; signatures are not verified. A request for a
 * sub-resource the simulator does not model (such as {@code ?acl}, or ListParts) is answered 501
 * {@code NotImplemented} rather than mistaken for a plain bucket or object request.
 */
public final class S3Api {
  /** Query parameters that select an operation on a bucket and that this simulator implements. */
  private static final Set<String> BUCKET_SUBRESOURCES =
      Set.of("versioning", "replication", "location", "tagging", "versions", "abac");

  /** Query parameters that select an operation on an object. */
  private static final Set<String> OBJECT_SUBRESOURCES =
      Set.of("tagging", "uploads", "uploadId", "partNumber");

  /**
   * Query parameters that only qualify a request: the SDK's {@code x-id} operation hint, the
   * listing parameters, and an object's version and response-header overrides.
   */
  private static final Set<String> PARAMETERS =
      Set.of(
          "x-id",
          "list-type",
          "prefix",
          "delimiter",
          "max-keys",
          "continuation-token",
          "start-after",
          "encoding-type",
          "fetch-owner",
          "key-marker",
          "version-id-marker",
          "versionId");

  private final S3State state;
  private final S3Objects objects;

  public S3Api(S3State state) {
    this.state = state;
    this.objects = new S3Objects(state);
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
    String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    exchange.getResponseHeaders().set("x-amz-request-id", requestId.toUpperCase(Locale.ROOT));
    try {
      if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
        throw new S3Error(403, "AccessDenied", "Access Denied", bucket);
      }
      return route(exchange, bucket);
    } catch (S3Error e) {
      exchange.getRequestBody().readAllBytes();
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
      // A HEAD response has no body, so the SDK reads the error from the status alone.
      HttpExchanges.send(
          exchange, e.status(), "application/xml", xml.getBytes(StandardCharsets.UTF_8));
      return e.status();
    }
  }

  private int route(HttpExchange exchange, String bucket) throws IOException {
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    Map<String, String> query = HttpExchanges.query(exchange);
    for (String name : query.keySet()) {
      if (!PARAMETERS.contains(name)
          && !name.startsWith("response-")
          && !BUCKET_SUBRESOURCES.contains(name)
          && !OBJECT_SUBRESOURCES.contains(name)) {
        throw notImplemented(bucket);
      }
    }
    if (bucket.isEmpty()) {
      authorize(exchange, method, bucket, "", query);
      if (method.equals("GET")) {
        return xml(exchange, listBuckets());
      }
      throw notAllowed(bucket);
    }
    int slash = rawPath.indexOf('/', 1);
    String key = slash < 0 ? "" : HttpExchanges.decode(rawPath.substring(slash + 1));
    authorize(exchange, method, bucket, key, query);
    if (key.isEmpty()) {
      if (query.keySet().stream()
          .anyMatch(name -> OBJECT_SUBRESOURCES.contains(name) && !name.equals("tagging"))) {
        throw notImplemented(bucket);
      }
      return bucketRequest(exchange, method, bucket, query);
    }
    if (query.keySet().stream()
        .anyMatch(name -> BUCKET_SUBRESOURCES.contains(name) && !name.equals("tagging"))) {
      throw notImplemented(bucket);
    }
    return objects.handle(exchange, method, bucket, key, query);
  }

  /**
   * Temporary credentials ({@link S3State#issueCredentials}) reach only objects under their prefix:
   * GET and HEAD of an object and ListObjectsV2 with a prefix inside theirs read; PUT, POST and
   * DELETE of an object write. Other credentials are not checked.
   */
  private void authorize(
      HttpExchange exchange, String method, String bucket, String key, Map<String, String> query) {
    String accessKeyId = accessKeyId(exchange.getRequestHeaders().getFirst("Authorization"));
    if (accessKeyId == null || !state.temporary(accessKeyId)) {
      return;
    }
    String token = exchange.getRequestHeaders().getFirst("x-amz-security-token");
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (!key.isEmpty()) {
      state.authorize(accessKeyId, token, bucket, key, null, !read);
      return;
    }
    boolean listing =
        method.equals("GET")
            && "2".equals(query.get("list-type"))
            && query.keySet().stream().noneMatch(BUCKET_SUBRESOURCES::contains);
    // Anything else on a bucket (or on the service) has neither a key nor a listing prefix, and is
    // refused.
    state.authorize(
        accessKeyId, token, bucket, null, listing ? query.getOrDefault("prefix", "") : null, !read);
  }

  /**
   * PutBucketReplication passes the configuration's role to S3, so its caller must be allowed
   * {@code iam:PassRole} on it (AWS S3 user guide, "Setting up live replication" pages
   * enable-replication and replication-add-config: "To add a replication configuration to a bucket,
   * you must have the {@code iam:PassRole} permission. This permission allows you to pass the IAM
   * role that grants Amazon S3 replication permissions"); the caller is the principal of the
   * request's access key ({@link IamState#principalOf}), one none is known for is refused. Whether
   * S3 checks it again when the same role is put again (a rule disabled, say) is not documented:
   * every PutBucketReplication names the role, and the simulator takes the harsher reading and
   * checks every time. The refusal is 403 {@code AccessDenied}, S3's answer to a request its caller
   * may not make; its exact message for this case is not documented, so S3's generic one is given.
   */
  private void requirePassRole(HttpExchange exchange, String bucket, String role) {
    String principal =
        state
            .iam()
            .principalOf(accessKeyId(exchange.getRequestHeaders().getFirst("Authorization")));
    if (principal == null || !state.iam().allowed(principal, IamState.PASS_ROLE, role)) {
      throw new S3Error(403, "AccessDenied", "Access Denied", bucket);
    }
  }

  /** The access key id of a SigV4 {@code Authorization} header, or null. */
  static String accessKeyId(String authorization) {
    if (authorization == null) {
      return null;
    }
    int at = authorization.indexOf("Credential=");
    if (at < 0) {
      return null;
    }
    int start = at + "Credential=".length();
    int end = authorization.indexOf('/', start);
    return end < 0 ? null : authorization.substring(start, end);
  }

  private int bucketRequest(
      HttpExchange exchange, String method, String bucket, Map<String, String> query)
      throws IOException {
    if (query.containsKey("versioning")) {
      return switch (method) {
        case "GET" -> xml(exchange, versioning(bucket));
        case "PUT" -> {
          Element root = S3Xml.parse(S3Objects.verifiedBody(exchange, bucket), bucket);
          state.setVersioning(bucket, S3Xml.text(root, "Status"));
          yield empty(exchange, 200);
        }
        default -> throw notAllowed(bucket);
      };
    }
    if (query.containsKey("replication")) {
      return switch (method) {
        case "GET" -> xml(exchange, ReplicationXml.write(state.replication(bucket)));
        case "PUT" -> {
          Element root = S3Xml.parse(S3Objects.verifiedBody(exchange, bucket), bucket);
          ReplicationConfiguration configuration = ReplicationXml.read(root, bucket);
          requirePassRole(exchange, bucket, configuration.role());
          state.putReplication(bucket, configuration);
          yield empty(exchange, 200);
        }
        case "DELETE" -> {
          state.deleteReplication(bucket);
          yield empty(exchange, 204);
        }
        default -> throw notAllowed(bucket);
      };
    }
    if (query.containsKey("tagging")) {
      return switch (method) {
        case "GET" -> xml(exchange, TaggingXml.write(state.tags(bucket)));
        case "PUT" -> {
          Element root = S3Xml.parse(S3Objects.verifiedBody(exchange, bucket), bucket);
          state.putTags(bucket, TaggingXml.read(root, bucket));
          yield empty(exchange, 204);
        }
        case "DELETE" -> {
          state.deleteTags(bucket);
          yield empty(exchange, 204);
        }
        default -> throw notAllowed(bucket);
      };
    }
    if (query.containsKey("abac")) {
      return switch (method) {
        case "GET" -> xml(exchange, abacStatus(state.abac(bucket)));
        case "PUT" -> {
          Element root = S3Xml.parse(S3Objects.verifiedBody(exchange, bucket), bucket);
          String status = S3Xml.text(root, "Status");
          if (!S3Xml.localName(root).equals("AbacStatus")
              || !("Enabled".equals(status) || "Disabled".equals(status))) {
            throw S3Error.malformedXml(bucket);
          }
          state.setAbac(bucket, status.equals("Enabled"));
          yield empty(exchange, 200);
        }
        default -> throw notAllowed(bucket);
      };
    }
    if (query.containsKey("versions")) {
      if (!method.equals("GET")) {
        throw notAllowed(bucket);
      }
      return xml(exchange, ListObjectVersions.list(state, bucket, query));
    }
    if (query.containsKey("location")) {
      if (!method.equals("GET")) {
        throw notAllowed(bucket);
      }
      // S3 reports us-east-1 as an empty constraint, for compatibility with its oldest buckets.
      String region = state.region(bucket);
      return xml(
          exchange,
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
      case "PUT" -> createBucket(exchange, bucket);
      case "DELETE" -> {
        state.deleteBucket(bucket);
        yield empty(exchange, 204);
      }
      case "GET" -> {
        if (!"2".equals(query.get("list-type"))) {
          throw notImplemented(bucket);
        }
        yield xml(exchange, ListObjectsV2.list(state, bucket, query));
      }
      default -> throw notAllowed(bucket);
    };
  }

  /**
   * CreateBucket: the region is the body's LocationConstraint, us-east-1 without one. S3 rejects an
   * explicit {@code us-east-1} constraint, which only the absence of one means.
   */
  private int createBucket(HttpExchange exchange, String bucket) throws IOException {
    byte[] body = S3Objects.verifiedBody(exchange, bucket);
    String region = "us-east-1";
    if (body.length > 0) {
      String constraint = S3Xml.text(S3Xml.parse(body, bucket), "LocationConstraint");
      if ("us-east-1".equals(constraint)) {
        throw new S3Error(
            400,
            "InvalidLocationConstraint",
            "The specified location-constraint is not valid",
            bucket);
      }
      if (constraint != null && !constraint.isEmpty()) {
        region = constraint;
      }
    }
    state.createBucket(bucket, region, "");
    exchange.getResponseHeaders().set("Location", "/" + bucket);
    return empty(exchange, 200);
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

  /** A bucket whose versioning was never set answers an empty configuration, as S3 does. */
  private String versioning(String bucket) {
    return "<VersioningConfiguration xmlns=\""
        + S3Xml.NS
        + "\">"
        + S3Xml.element("Status", state.versioning(bucket))
        + "</VersioningConfiguration>";
  }

  static int xml(HttpExchange exchange, String body) throws IOException {
    HttpExchanges.send(
        exchange,
        200,
        "application/xml",
        (S3Xml.DECLARATION + body).getBytes(StandardCharsets.UTF_8));
    return 200;
  }

  static int empty(HttpExchange exchange, int status) throws IOException {
    HttpExchanges.send(exchange, status, null, null);
    return status;
  }

  static S3Error notAllowed(String bucket) {
    return new S3Error(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        bucket);
  }

  static S3Error notImplemented(String bucket) {
    return new S3Error(
        501,
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
        bucket);
  }

  /** GetBucketAbac's document (S3 API reference, GetBucketAbac). */
  private static String abacStatus(boolean enabled) {
    return "<AbacStatus xmlns=\""
        + S3Xml.NS
        + "\">"
        + S3Xml.element("Status", enabled ? "Enabled" : "Disabled")
        + "</AbacStatus>";
  }
}
