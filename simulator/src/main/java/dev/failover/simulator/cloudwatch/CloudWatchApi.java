package dev.failover.simulator.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.s3.ReplicationMetrics;
import dev.failover.simulator.s3.S3State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudWatch's {@code GetMetricData}, for the metrics this simulator has: S3 Replication metrics
 * (namespace {@code AWS/S3}, dimensions {@code SourceBucket}, {@code DestinationBucket} and {@code
 * RuleId}; S3 user guide, "Using S3 Replication metrics"), whose datapoints {@link
 * S3State#replicationMetric} publishes, and {@code ListMetrics}, which lists them while they have
 * datapoints (see {@link #listed}). Over Smithy RPC v2 CBOR ({@link RpcV2Cbor}): {@code POST
 * /service/GraniteServiceVersion20100801/operation/GetMetricData} and {@code .../ListMetrics}.
 *
 * <p>The region of a request is the one its SigV4 signature is scoped to ({@code
 * Credential=AKID/date/REGION/monitoring/aws4_request}), as each region's CloudWatch endpoint holds
 * only that region's metrics. Signatures are not verified. A metric CloudWatch does not hold
 * (another namespace, name or set of dimensions, another region, a unit that is not the metric's)
 * is answered with an empty result, status {@code Complete}, as CloudWatch answers (CloudWatch API
 * reference, GetMetricData: "If you specify a unit that does not match the data collected, the
 * results of the operation are null").
 *
 * <p>Validation follows the API reference (GetMetricData, MetricDataQuery, MetricStat): 1 to 500
 * queries; an {@code Id} unique in the request, starting with a lower-case letter, of letters,
 * digits and underscores (up to 255); {@code StartTime} before {@code EndTime}; {@code Period} at
 * least 1. Bad input is 400 {@code InvalidParameterValue} (missing input {@code MissingParameter})
 * with a message naming the field. Beyond the reference, refused as this simulator does not serve
 * them: {@code Expression} (metric math, Metrics Insights), {@code AccountId} (one account here), a
 * {@code Period} that is not a multiple of 60 (S3's metrics are standard resolution, so shorter
 * periods have no data in CloudWatch either), and statistics other than {@code Maximum}, {@code
 * Minimum}, {@code Average}, {@code Sum} and {@code SampleCount} (percentiles, trimmed means...).
 */
public final class CloudWatchApi {
  /** The path prefix of CloudWatch's operations in Smithy RPC v2 (service shape name). */
  public static final String OPERATIONS = "/service/GraniteServiceVersion20100801/operation/";

  public static final String GET_METRIC_DATA = OPERATIONS + "GetMetricData";

  public static final String LIST_METRICS = OPERATIONS + "ListMetrics";

  /**
   * The default and most datapoints one GetMetricData call returns before paginating: "a total of
   * as many as 100,800 data points" (CloudWatch API reference, GetMetricData, MaxDatapoints).
   */
  static final int MAX_DATAPOINTS = 100_800;

  /** "A single GetMetricData call can include up to 500 MetricDataQuery structures." */
  static final int MAX_QUERIES = 500;

  /** MetricDataQuery Id: "The first character must be a lowercase letter"; letters, digits, _. */
  private static final Pattern ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,254}");

  private static final Pattern CREDENTIAL =
      Pattern.compile("Credential=[^/,\\s]+/\\d{8}/([^/,\\s]+)/([^/,\\s]+)/aws4_request");

  private static final Set<String> STATS =
      Set.of("Maximum", "Minimum", "Average", "Sum", "SampleCount");

  /** StandardUnit's values (CloudWatch API reference, MetricStat, Unit). */
  private static final Set<String> UNITS =
      Set.of(
          "Seconds",
          "Microseconds",
          "Milliseconds",
          "Bytes",
          "Kilobytes",
          "Megabytes",
          "Gigabytes",
          "Terabytes",
          "Bits",
          "Kilobits",
          "Megabits",
          "Gigabits",
          "Terabits",
          "Percent",
          "Count",
          "Bytes/Second",
          "Kilobytes/Second",
          "Megabytes/Second",
          "Gigabytes/Second",
          "Terabytes/Second",
          "Bits/Second",
          "Kilobits/Second",
          "Megabits/Second",
          "Gigabits/Second",
          "Terabits/Second",
          "Count/Second",
          "None");

  private static final Set<String> DIMENSIONS =
      Set.of("SourceBucket", "DestinationBucket", "RuleId");

  private final S3State s3;

  public CloudWatchApi(S3State s3) {
    this.s3 = s3;
  }

  /** An error answer in CloudWatch's shape (see {@link RpcV2Cbor#error}). */
  static final class CloudWatchError extends RuntimeException {
    final int status;
    final String type;
    final String code;
    final String fault;

    CloudWatchError(int status, String type, String code, String fault, String message) {
      super(message);
      this.status = status;
      this.type = type;
      this.code = code;
      this.fault = fault;
    }

    /** 400 InvalidParameterValue (shape InvalidParameterValueException). */
    static CloudWatchError invalid(String message) {
      return new CloudWatchError(
          400, "InvalidParameterValueException", "InvalidParameterValue", "Sender", message);
    }

    /** 400 MissingParameter (shape MissingRequiredParameterException). */
    static CloudWatchError missing(String field) {
      return new CloudWatchError(
          400,
          "MissingRequiredParameterException",
          "MissingParameter",
          "Sender",
          "The parameter " + field + " is required.");
    }
  }

  /**
   * The region a request's SigV4 credential scope names, or null when it has none (then the request
   * is refused 403 before it reaches any region's metrics).
   */
  public static String regionOf(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      return null;
    }
    Matcher matcher = CREDENTIAL.matcher(authorization);
    return matcher.find() ? matcher.group(1) : null;
  }

  /** Answers one request; returns the HTTP status sent. */
  public int handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    try {
      return answer(exchange, body);
    } catch (CloudWatchError e) {
      return RpcV2Cbor.error(exchange, e.status, e.type, e.code, e.fault, e.getMessage());
    }
  }

  private int answer(HttpExchange exchange, byte[] body) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!exchange.getRequestMethod().equals("POST") || !path.startsWith(OPERATIONS)) {
      // Smithy RPC v2 CBOR: a request to no operation is 404 UnknownOperationException; the
      // Query API's code for an unknown action is InvalidAction.
      throw new CloudWatchError(
          404, "UnknownOperationException", "InvalidAction", "Sender", "Unknown operation " + path);
    }
    if (!path.equals(GET_METRIC_DATA) && !path.equals(LIST_METRICS)) {
      throw new CloudWatchError(
          404,
          "UnknownOperationException",
          "InvalidAction",
          "Sender",
          "Operation "
              + path.substring(OPERATIONS.length())
              + " is not served by this simulator (only GetMetricData and ListMetrics)");
    }
    String region = regionOf(exchange);
    if (region == null) {
      throw new CloudWatchError(
          403,
          "MissingAuthenticationTokenException",
          "MissingAuthenticationToken",
          "Sender",
          "Request is missing Authentication Token");
    }
    JsonNode request;
    try {
      request = RpcV2Cbor.read(body);
    } catch (IOException e) {
      throw new CloudWatchError(
          400, "SerializationException", "MalformedInput", "Sender", "Malformed CBOR body: " + e);
    }
    if (request == null || !request.isObject()) {
      throw new CloudWatchError(
          400, "SerializationException", "MalformedInput", "Sender", "The body is not a map");
    }
    if (path.equals(LIST_METRICS)) {
      ListMetrics listing = parseListMetrics(request);
      return RpcV2Cbor.ok(exchange, RpcV2Cbor.write(out -> list(out, listing, region)));
    }
    GetMetricData parsed = parse(request);
    return RpcV2Cbor.ok(exchange, RpcV2Cbor.write(out -> respond(out, parsed, region)));
  }

  /**
   * Up to 500 metrics a ListMetrics page: "Up to 500 results are returned for any one call"
   * (CloudWatch API reference, ListMetrics); the request has no page size.
   */
  static final int LIST_PAGE = 500;

  /** ListMetrics: "Array Members: Maximum number of 10 items" (Dimensions). */
  static final int MAX_DIMENSION_FILTERS = 10;

  /**
   * ListMetrics "doesn't return information about metrics if those metrics haven't reported data in
   * the past two weeks" (CloudWatch API reference, ListMetrics): a metric is listed while its
   * newest datapoint's minute starts within the last 14 days.
   */
  static final java.time.Duration LISTED_FOR = java.time.Duration.ofDays(14);

  /**
   * RecentlyActive {@code PT3H}: "only metrics that have had data points published in the past
   * three hours ... The results that are returned are an approximation of the value you specify.
   * There is a low probability that the returned results include metrics with last published data
   * as much as 50 minutes more than the specified time interval" (ListMetrics, RecentlyActive). The
   * simulator always includes those 50 minutes, the harsher choice: a metric listed as recently
   * active may have no datapoint in the last three hours.
   */
  static final java.time.Duration RECENTLY_ACTIVE = java.time.Duration.ofHours(3).plusMinutes(50);

  /**
   * "After you create a metric, allow up to 15 minutes for the metric to appear" (ListMetrics). A
   * metric is created by its first datapoint, readable {@link ReplicationMetrics#PUBLICATION_DELAY}
   * after its minute ends; the simulator lists it the whole 15 minutes after that (harsher).
   */
  static final java.time.Duration LISTED_AFTER = java.time.Duration.ofMinutes(15);

  /** One ListMetrics dimension filter: a name, and a value or null for any value. */
  private record DimensionFilter(String name, String value) {}

  private record ListMetrics(
      String namespace,
      String metricName,
      List<DimensionFilter> dimensions,
      boolean recentlyActive,
      int offset) {}

  /**
   * Validates a ListMetrics request (CloudWatch API reference, ListMetrics, DimensionFilter):
   * Namespace and MetricName 1 to 255 characters, at most 10 dimension filters each with a Name (1
   * to 255) and an optional Value (1 to 1024), RecentlyActive only {@code PT3H} ("This is the only
   * valid value for this parameter"). ListMetrics documents no InvalidNextToken error, only
   * InvalidParameterValue and InternalServiceFault, so a NextToken this simulator did not issue is
   * InvalidParameterValue. Beyond the reference, refused as this simulator holds one account and no
   * monitoring account: {@code IncludeLinkedAccounts} true and {@code OwningAccount}.
   */
  private static ListMetrics parseListMetrics(JsonNode request) {
    String namespace = text(request, "Namespace");
    String metricName = text(request, "MetricName");
    length(namespace, "Namespace", 255);
    length(metricName, "MetricName", 255);
    List<DimensionFilter> filters = new ArrayList<>();
    JsonNode list = request.get("Dimensions");
    if (list != null && !list.isNull()) {
      if (!list.isArray() || list.size() > MAX_DIMENSION_FILTERS) {
        throw CloudWatchError.invalid(
            "The parameter Dimensions must hold at most "
                + MAX_DIMENSION_FILTERS
                + " DimensionFilter structures; it holds "
                + list.size());
      }
      for (int d = 0; d < list.size(); d++) {
        String at = "Dimensions.member." + (d + 1);
        String name = text(list.get(d), "Name");
        String value = text(list.get(d), "Value");
        if (name == null) {
          throw CloudWatchError.missing(at + ".Name");
        }
        length(name, at + ".Name", 255);
        length(value, at + ".Value", 1024);
        filters.add(new DimensionFilter(name, value));
      }
    }
    boolean recentlyActive = false;
    String recently = text(request, "RecentlyActive");
    if (recently != null) {
      if (!recently.equals("PT3H")) {
        throw CloudWatchError.invalid(
            "The value "
                + recently
                + " for parameter RecentlyActive is not valid: the only valid value is PT3H");
      }
      recentlyActive = true;
    }
    JsonNode linked = request.get("IncludeLinkedAccounts");
    if (linked != null && !linked.isNull() && linked.asBoolean()) {
      throw CloudWatchError.invalid(
          "The parameter IncludeLinkedAccounts is not supported by this simulator (it holds one"
              + " account and no monitoring account)");
    }
    if (text(request, "OwningAccount") != null) {
      throw CloudWatchError.invalid(
          "The parameter OwningAccount is not supported by this simulator (it holds one account"
              + " and no monitoring account)");
    }
    int offset = 0;
    String token = text(request, "NextToken");
    if (token != null) {
      offset = listOffsetOf(token);
    }
    return new ListMetrics(namespace, metricName, filters, recentlyActive, offset);
  }

  private static void length(String value, String field, int max) {
    if (value != null && (value.isEmpty() || value.length() > max)) {
      throw CloudWatchError.invalid(
          "The value for parameter " + field + " must be 1 to " + max + " characters long");
    }
  }

  private static final String LIST_TOKEN_PREFIX = "simulated-cloudwatch-list:";

  private static String listTokenOf(int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((LIST_TOKEN_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int listOffsetOf(String token) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.startsWith(LIST_TOKEN_PREFIX)) {
        int offset = Integer.parseInt(decoded.substring(LIST_TOKEN_PREFIX.length()));
        if (offset > 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // Falls through to the refusal.
    }
    throw CloudWatchError.invalid("The value for parameter NextToken is not a valid token");
  }

  /** One listed metric. */
  private record Listed(String metricName, Map<String, String> dimensions) {}

  /**
   * The metrics {@code region}'s CloudWatch lists: the four replication metrics of each rule that
   * has datapoints there ({@link S3State#publishedReplicationMetrics}, the same minutes
   * GetMetricData serves), newest within {@link #LISTED_FOR} (or {@link #RECENTLY_ACTIVE}), first
   * at least {@link #LISTED_AFTER} ago; matching the filters. A dimension filter matches a metric
   * that has a dimension of that name (with that value, when given), whatever its other dimensions
   * (ListMetrics, Dimensions). The order is not documented; here by source bucket, destination
   * bucket, rule id, then metric name; a NextToken is an offset into that order, so metrics that
   * appear or go between pages may shift it (CloudWatch documents no consistency across pages).
   */
  private List<Listed> listed(ListMetrics request, String region) {
    List<Listed> listed = new ArrayList<>();
    if (request.namespace() != null && !request.namespace().equals("AWS/S3")) {
      return listed;
    }
    Instant now = s3.now();
    Instant newestSince = now.minus(request.recentlyActive() ? RECENTLY_ACTIVE : LISTED_FOR);
    List<String> names = new ArrayList<>(ReplicationMetrics.NAMES);
    Collections.sort(names);
    for (S3State.PublishedMetrics rule : s3.publishedReplicationMetrics(region)) {
      Instant created =
          rule.firstMinute().plusSeconds(60).plus(ReplicationMetrics.PUBLICATION_DELAY);
      if (rule.lastMinute().isBefore(newestSince) || created.plus(LISTED_AFTER).isAfter(now)) {
        continue;
      }
      Map<String, String> dimensions = new TreeMap<>();
      dimensions.put("DestinationBucket", rule.destinationBucket());
      dimensions.put("RuleId", rule.ruleId());
      dimensions.put("SourceBucket", rule.sourceBucket());
      boolean matches = true;
      for (DimensionFilter filter : request.dimensions()) {
        String value = dimensions.get(filter.name());
        matches &= value != null && (filter.value() == null || filter.value().equals(value));
      }
      if (!matches) {
        continue;
      }
      for (String name : names) {
        if (request.metricName() == null || request.metricName().equals(name)) {
          listed.add(new Listed(name, dimensions));
        }
      }
    }
    return listed;
  }

  private void list(CBORGenerator out, ListMetrics request, String region) throws IOException {
    List<Listed> listed = listed(request, region);
    int from = Math.min(request.offset(), listed.size());
    int to = Math.min(listed.size(), from + LIST_PAGE);
    out.writeStartObject();
    out.writeFieldName("Metrics");
    out.writeStartArray();
    for (Listed metric : listed.subList(from, to)) {
      out.writeStartObject();
      out.writeStringField("Namespace", "AWS/S3");
      out.writeStringField("MetricName", metric.metricName());
      out.writeFieldName("Dimensions");
      out.writeStartArray();
      for (Map.Entry<String, String> dimension : metric.dimensions().entrySet()) {
        out.writeStartObject();
        out.writeStringField("Name", dimension.getKey());
        out.writeStringField("Value", dimension.getValue());
        out.writeEndObject();
      }
      out.writeEndArray();
      out.writeEndObject();
    }
    out.writeEndArray();
    if (to < listed.size()) {
      out.writeStringField("NextToken", listTokenOf(to));
    }
    out.writeEndObject();
  }

  /** One metric query, validated. */
  private record Query(
      String id,
      String label,
      boolean returnData,
      String namespace,
      String metricName,
      Map<String, String> dimensions,
      boolean duplicateDimension,
      int period,
      String stat,
      String unit) {}

  private record GetMetricData(
      List<Query> queries,
      Instant start,
      Instant end,
      boolean ascending,
      int maxDatapoints,
      int resumeResult,
      int resumeOffset) {}

  private static GetMetricData parse(JsonNode request) {
    JsonNode queries = request.get("MetricDataQueries");
    if (queries == null || queries.isNull()) {
      throw CloudWatchError.missing("MetricDataQueries");
    }
    if (!queries.isArray() || queries.isEmpty() || queries.size() > MAX_QUERIES) {
      throw CloudWatchError.invalid(
          "The parameter MetricDataQueries must hold 1 to "
              + MAX_QUERIES
              + " MetricDataQuery structures; it holds "
              + queries.size());
    }
    Instant start = timestamp(request, "StartTime");
    Instant end = timestamp(request, "EndTime");
    if (!start.isBefore(end)) {
      throw CloudWatchError.invalid(
          "The parameter StartTime must be less than the parameter EndTime.");
    }
    // "Start time less than 15 days ago - Round down to the nearest whole minute" (GetMetricData,
    // StartTime); older minutes are not served at all (ReplicationMetrics.RETENTION).
    start = Instant.ofEpochSecond(Math.floorDiv(start.getEpochSecond(), 60) * 60);
    boolean ascending = false;
    JsonNode scanBy = request.get("ScanBy");
    if (scanBy != null && !scanBy.isNull()) {
      switch (scanBy.asText()) {
        case "TimestampAscending" -> ascending = true;
        case "TimestampDescending" -> ascending = false;
        default ->
            throw CloudWatchError.invalid(
                "The value "
                    + scanBy.asText()
                    + " for parameter ScanBy is not valid: TimestampDescending or"
                    + " TimestampAscending");
      }
    }
    int maxDatapoints = MAX_DATAPOINTS;
    JsonNode max = request.get("MaxDatapoints");
    if (max != null && !max.isNull()) {
      if (!max.canConvertToInt() || max.asInt() < 1) {
        throw CloudWatchError.invalid(
            "The value " + max.asText() + " for parameter MaxDatapoints must be at least 1");
      }
      maxDatapoints = Math.min(MAX_DATAPOINTS, max.asInt());
    }
    List<Query> parsed = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < queries.size(); i++) {
      Query query = query(queries.get(i), "MetricDataQueries.member." + (i + 1));
      if (!ids.add(query.id())) {
        throw CloudWatchError.invalid(
            "The value "
                + query.id()
                + " for parameter MetricDataQueries.member."
                + (i + 1)
                + ".Id is not unique in the request");
      }
      parsed.add(query);
    }
    int[] resume = {0, 0};
    JsonNode token = request.get("NextToken");
    if (token != null && !token.isNull()) {
      resume = resumeOf(token.asText(), parsed.size());
    }
    return new GetMetricData(parsed, start, end, ascending, maxDatapoints, resume[0], resume[1]);
  }

  private static Query query(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      throw CloudWatchError.invalid("The parameter " + field + " must be a MetricDataQuery");
    }
    String id = text(node, "Id");
    if (id == null) {
      throw CloudWatchError.missing(field + ".Id");
    }
    if (!ID.matcher(id).matches()) {
      throw CloudWatchError.invalid(
          "The value "
              + id
              + " for parameter "
              + field
              + ".Id is not valid: it must start with a lower-case letter and hold only letters,"
              + " digits and underscores (up to 255)");
    }
    if (text(node, "Expression") != null) {
      throw CloudWatchError.invalid(
          "The parameter "
              + field
              + ".Expression is not supported by this simulator (metric math and Metrics"
              + " Insights are not served); query the metric with MetricStat");
    }
    if (text(node, "AccountId") != null) {
      throw CloudWatchError.invalid(
          "The parameter "
              + field
              + ".AccountId is not supported by this simulator (it holds one account)");
    }
    JsonNode stat = node.get("MetricStat");
    if (stat == null || stat.isNull()) {
      throw CloudWatchError.missing(field + ".MetricStat");
    }
    JsonNode metric = stat.get("Metric");
    if (metric == null || metric.isNull()) {
      throw CloudWatchError.missing(field + ".MetricStat.Metric");
    }
    String namespace = text(metric, "Namespace");
    String metricName = text(metric, "MetricName");
    if (namespace == null) {
      throw CloudWatchError.missing(field + ".MetricStat.Metric.Namespace");
    }
    if (metricName == null) {
      throw CloudWatchError.missing(field + ".MetricStat.Metric.MetricName");
    }
    Map<String, String> dimensions = new TreeMap<>();
    boolean duplicate = false;
    JsonNode list = metric.get("Dimensions");
    if (list != null && !list.isNull()) {
      if (!list.isArray() || list.size() > 30) {
        throw CloudWatchError.invalid(
            "The parameter " + field + ".MetricStat.Metric.Dimensions must hold at most 30");
      }
      for (int d = 0; d < list.size(); d++) {
        String at = field + ".MetricStat.Metric.Dimensions.member." + (d + 1);
        String name = text(list.get(d), "Name");
        String value = text(list.get(d), "Value");
        if (name == null) {
          throw CloudWatchError.missing(at + ".Name");
        }
        if (value == null) {
          throw CloudWatchError.missing(at + ".Value");
        }
        duplicate |= dimensions.put(name, value) != null;
      }
    }
    JsonNode periodNode = stat.get("Period");
    if (periodNode == null || periodNode.isNull()) {
      throw CloudWatchError.missing(field + ".MetricStat.Period");
    }
    int period = periodNode.canConvertToInt() ? periodNode.asInt() : -1;
    if (period < 1 || period % 60 != 0) {
      throw CloudWatchError.invalid(
          "The value "
              + periodNode.asText()
              + " for parameter "
              + field
              + ".MetricStat.Period is not valid: this simulator's metrics are standard resolution,"
              + " so the period must be a multiple of 60");
    }
    String statistic = text(stat, "Stat");
    if (statistic == null) {
      throw CloudWatchError.missing(field + ".MetricStat.Stat");
    }
    if (!STATS.contains(statistic)) {
      throw CloudWatchError.invalid(
          "The value "
              + statistic
              + " for parameter "
              + field
              + ".MetricStat.Stat is not supported by this simulator: use Maximum, Minimum,"
              + " Average, Sum or SampleCount (percentiles and other extended statistics are not"
              + " served)");
    }
    String unit = text(stat, "Unit");
    if (unit != null && !UNITS.contains(unit)) {
      throw CloudWatchError.invalid(
          "The value " + unit + " for parameter " + field + ".MetricStat.Unit is not a unit");
    }
    // "If Label is omitted, CloudWatch generates a default" (API reference, MetricDataQuery,
    // Label); what that default is for a MetricStat is not documented: the metric's name here.
    String label = text(node, "Label");
    JsonNode returnData = node.get("ReturnData");
    return new Query(
        id,
        label == null ? metricName : label,
        returnData == null || returnData.isNull() || returnData.asBoolean(),
        namespace,
        metricName,
        dimensions,
        duplicate,
        period,
        statistic,
        unit);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** A timestamp field: CBOR tag 1 around epoch seconds, a number here once the tag is read. */
  private static Instant timestamp(JsonNode request, String field) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull()) {
      throw CloudWatchError.missing(field);
    }
    if (!node.isNumber()) {
      throw CloudWatchError.invalid(
          "The parameter " + field + " must be a timestamp (epoch seconds)");
    }
    return Instant.ofEpochMilli(Math.round(node.asDouble() * 1000));
  }

  private static final String TOKEN_PREFIX = "simulated-cloudwatch:";

  private static String tokenOf(int result, int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((TOKEN_PREFIX + result + ":" + offset).getBytes(StandardCharsets.UTF_8));
  }

  /** A NextToken this simulator issued, as {result, offset}; anything else is InvalidNextToken. */
  private static int[] resumeOf(String token, int results) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.startsWith(TOKEN_PREFIX)) {
        String[] parts = decoded.substring(TOKEN_PREFIX.length()).split(":");
        int result = Integer.parseInt(parts[0]);
        int offset = Integer.parseInt(parts[1]);
        if (parts.length == 2 && result >= 0 && result < results && offset >= 0) {
          return new int[] {result, offset};
        }
      }
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      // Falls through to the refusal.
    }
    throw new CloudWatchError(
        400,
        "InvalidNextToken",
        "InvalidNextToken",
        "Sender",
        "The service couldn't process the NextToken");
  }

  /** One result's datapoints, in the order the request scans them. */
  private record Series(List<Instant> timestamps, List<Double> values) {}

  private void respond(CBORGenerator out, GetMetricData request, String region) throws IOException {
    List<Query> returned = request.queries().stream().filter(Query::returnData).toList();
    int budget = request.maxDatapoints();
    String nextToken = null;
    out.writeStartObject();
    out.writeFieldName("MetricDataResults");
    out.writeStartArray();
    for (int r = 0; r < returned.size(); r++) {
      Query query = returned.get(r);
      Series series = r < request.resumeResult() ? null : series(query, request, region);
      int from = r == request.resumeResult() ? Math.min(request.resumeOffset(), size(series)) : 0;
      int to = from;
      boolean complete = true;
      if (series != null) {
        to = (int) Math.min(size(series), (long) from + Math.max(0, budget));
        budget -= to - from;
        if (to < size(series)) {
          complete = false;
          if (nextToken == null) {
            nextToken = tokenOf(r, to);
          }
        }
      }
      out.writeStartObject();
      out.writeStringField("Id", query.id());
      out.writeStringField("Label", query.label());
      out.writeFieldName("Timestamps");
      out.writeStartArray();
      for (int i = from; i < to; i++) {
        RpcV2Cbor.timestamp(out, series.timestamps().get(i));
      }
      out.writeEndArray();
      out.writeFieldName("Values");
      out.writeStartArray();
      for (int i = from; i < to; i++) {
        out.writeNumber(series.values().get(i));
      }
      out.writeEndArray();
      // "PartialData: ... more data points are available; use NextToken" (API reference,
      // MetricDataResult, StatusCode); a result cut by MaxDatapoints says so.
      out.writeStringField("StatusCode", complete ? "Complete" : "PartialData");
      out.writeFieldName("Messages");
      out.writeStartArray();
      out.writeEndArray();
      out.writeEndObject();
    }
    out.writeEndArray();
    if (nextToken != null) {
      out.writeStringField("NextToken", nextToken);
    }
    out.writeFieldName("Messages");
    out.writeStartArray();
    out.writeEndArray();
    out.writeEndObject();
  }

  private static int size(Series series) {
    return series == null ? 0 : series.timestamps().size();
  }

  /**
   * A query's datapoints: the published minutes of [start, end), aggregated by the statistic over
   * periods that start at the (rounded) start time, each period's timestamp its start. The API
   * reference does not say whether EndTime's own minute is included; leaving it out is the harsher
   * choice (a reading sees one minute less).
   */
  private Series series(Query query, GetMetricData request, String region) {
    List<Instant> timestamps = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    if (!query.namespace().equals("AWS/S3")
        || !ReplicationMetrics.NAMES.contains(query.metricName())
        || query.duplicateDimension()
        || !query.dimensions().keySet().equals(DIMENSIONS)
        || (query.unit() != null
            && !query.unit().equals(ReplicationMetrics.unitOf(query.metricName())))) {
      return new Series(timestamps, values);
    }
    List<ReplicationMetrics.Point> minutes =
        s3.replicationMetric(
            region,
            query.metricName(),
            query.dimensions().get("SourceBucket"),
            query.dimensions().get("DestinationBucket"),
            query.dimensions().get("RuleId"),
            request.start(),
            request.end());
    long periodMillis = query.period() * 1000L;
    long origin = request.start().toEpochMilli();
    TreeMap<Long, double[]> periods = new TreeMap<>();
    for (ReplicationMetrics.Point point : minutes) {
      long index = Math.floorDiv(point.minute().toEpochMilli() - origin, periodMillis);
      double[] stats =
          periods.computeIfAbsent(
              index, k -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
      stats[0]++;
      stats[1] += point.value();
      stats[2] = Math.min(stats[2], point.value());
      stats[3] = Math.max(stats[3], point.value());
    }
    List<Long> order = new ArrayList<>(periods.keySet());
    if (!request.ascending()) {
      Collections.reverse(order);
    }
    for (long index : order) {
      double[] stats = periods.get(index);
      timestamps.add(Instant.ofEpochMilli(origin + index * periodMillis));
      values.add(
          switch (query.stat()) {
            case "SampleCount" -> stats[0];
            case "Sum" -> stats[1];
            case "Average" -> stats[1] / stats[0];
            case "Minimum" -> stats[2];
            default -> stats[3];
          });
    }
    return new Series(timestamps, values);
  }
}
