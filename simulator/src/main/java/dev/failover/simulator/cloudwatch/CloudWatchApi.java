package dev.failover.simulator.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.sun.net.httpserver.HttpExchange;
import dev.failover.simulator.s3.ReplicationMetrics;
import dev.failover.simulator.s3.S3State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * least 1. Bad input is 400 {@code ValidationError} ({@link CloudWatchError#validation}; missing
 * input {@code MissingParameter}) with a message naming the field. Not the cloud: refused as this
 * simulator does not serve them, where CloudWatch would answer: {@code Expression} (metric math,
 * Metrics Insights), {@code AccountId} (one account here), a {@code Period} that is not a multiple
 * of 60 (the reference allows 1, 5, 10, 20 and 30 for high-resolution metrics; S3's are standard
 * resolution, so CloudWatch would likely return no datapoints rather than refuse), and statistics
 * other than {@code Maximum}, {@code Minimum}, {@code Average}, {@code Sum} and {@code SampleCount}
 * (percentiles, trimmed means...).
 *
 * <p>A test fixture, not a fault of the cloud as such: {@link #failResults} and {@link
 * #failResultsOf} make results come back with the documented status {@code InternalError}.
 */
public final class CloudWatchApi {
  /** The path prefix of CloudWatch's operations in Smithy RPC v2 (service shape name). */
  public static final String OPERATIONS = "/service/GraniteServiceVersion20100801/operation/";

  public static final String GET_METRIC_DATA = OPERATIONS + "GetMetricData";

  public static final String LIST_METRICS = OPERATIONS + "ListMetrics";

  /**
   * The default and most datapoints one GetMetricData call returns before paginating: "a total of
   * as many as 100,800 data points" (CloudWatch API reference, GetMetricData; MaxDatapoints: "If
   * you omit this, the default of 100,800 is used"). What CloudWatch does with a larger
   * MaxDatapoints is unknown; the simulator clamps it to the default.
   */
  static final int MAX_DATAPOINTS = 100_800;

  /**
   * "A single GetMetricData call can include up to 500 MetricDataQuery structures." What CloudWatch
   * answers to more is not documented (its Messages suggest it may run part of the request); the
   * simulator refuses the request, the harsher choice.
   */
  static final int MAX_QUERIES = 500;

  /** "You can assign up to 30 dimensions to a metric" (CloudWatch API reference, Dimension). */
  static final int MAX_DIMENSIONS = 30;

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

    /**
     * 400 ValidationError, GetMetricData's answer to bad input. The code is observed, not
     * documented: the GetMetricData reference lists only InvalidNextToken, while real answers seen
     * publicly are "api error ValidationError: The parameter StartTime must not equal parameter
     * EndTime." (elastic/beats#32687, StatusCode 400) and {@code <Code>ValidationError</Code>} for
     * the same (prometheus-community/yet-another-cloudwatch-exporter#729). What CloudWatch sends in
     * {@code __type} for it under RPC v2 CBOR is unknown: here {@code ValidationError}, which is no
     * shape of the SDK's model, so the SDK raises the base {@code CloudWatchException} with the
     * code from {@code x-amzn-query-error}.
     */
    static CloudWatchError validation(String message) {
      return new CloudWatchError(400, "ValidationError", "ValidationError", "Sender", message);
    }

    /** 400 InvalidParameterValue (shape InvalidParameterValueException), ListMetrics' answer. */
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
      // The code of an unknown action is InvalidAction, "HTTP Status Code: 400" (CloudWatch API
      // reference, Common Errors); the status CloudWatch sends for it under RPC v2 CBOR is not
      // documented (unknown): 404, as the Smithy RPC v2 CBOR specification answers a request to no
      // operation (UnknownOperationException).
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
    GetMetricData parsed = parse(request, s3.now());
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
  static final Duration LISTED_FOR = Duration.ofDays(14);

  /**
   * RecentlyActive {@code PT3H}: "only metrics that have had data points published in the past
   * three hours ... The results that are returned are an approximation of the value you specify.
   * There is a low probability that the returned results include metrics with last published data
   * as much as 50 minutes more than the specified time interval" (ListMetrics, RecentlyActive). The
   * simulator always includes those 50 minutes, the harsher choice: a metric listed as recently
   * active may have no datapoint in the last three hours.
   */
  static final Duration RECENTLY_ACTIVE = Duration.ofHours(3).plusMinutes(50);

  /**
   * "After you create a metric, allow up to 15 minutes for the metric to appear" (ListMetrics). A
   * metric is created by its first datapoint, readable {@link ReplicationMetrics#PUBLICATION_DELAY}
   * after its minute ends; the simulator lists it the whole 15 minutes after that (harsher).
   */
  static final Duration LISTED_AFTER = Duration.ofMinutes(15);

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
   * The metrics {@code region}'s CloudWatch lists: the replication metrics that have datapoints
   * there ({@link S3State#publishedReplicationMetrics}, the same minutes GetMetricData serves: the
   * pending and latency metrics in the destination's region, the failed operations in the
   * source's), newest within {@link #LISTED_FOR} (or {@link #RECENTLY_ACTIVE}), first at least
   * {@link #LISTED_AFTER} ago; matching the filters. A dimension filter matches a metric that has a
   * dimension of that name (with that value, when given), whatever its other dimensions
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
    for (S3State.PublishedMetrics metric : s3.publishedReplicationMetrics(region)) {
      Instant created =
          metric.firstMinute().plusSeconds(60).plus(ReplicationMetrics.PUBLICATION_DELAY);
      if (metric.lastMinute().isBefore(newestSince)
          || created.plus(LISTED_AFTER).isAfter(now)
          || (request.metricName() != null && !request.metricName().equals(metric.metricName()))) {
        continue;
      }
      Map<String, String> dimensions = new TreeMap<>();
      dimensions.put("DestinationBucket", metric.destinationBucket());
      dimensions.put("RuleId", metric.ruleId());
      dimensions.put("SourceBucket", metric.sourceBucket());
      if (matches(dimensions, request.dimensions())) {
        listed.add(new Listed(metric.metricName(), dimensions));
      }
    }
    return listed;
  }

  private static boolean matches(Map<String, String> dimensions, List<DimensionFilter> filters) {
    for (DimensionFilter filter : filters) {
      String value = dimensions.get(filter.name());
      if (value == null || (filter.value() != null && !filter.value().equals(value))) {
        return false;
      }
    }
    return true;
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

  /**
   * A validated request; {@code start} rounded, {@code granularity} what the StartTime's age asks
   * the Period to be a multiple of ({@link #granularityOf}), in seconds.
   */
  private record GetMetricData(
      List<Query> queries,
      Instant start,
      Instant end,
      int granularity,
      boolean ascending,
      int maxDatapoints,
      int resumeResult,
      int resumeOffset) {}

  private static GetMetricData parse(JsonNode request, Instant now) {
    JsonNode queries = request.get("MetricDataQueries");
    if (queries == null || queries.isNull()) {
      throw CloudWatchError.missing("MetricDataQueries");
    }
    if (!queries.isArray() || queries.isEmpty() || queries.size() > MAX_QUERIES) {
      throw CloudWatchError.validation(
          "The parameter MetricDataQueries must hold 1 to "
              + MAX_QUERIES
              + " MetricDataQuery structures; it holds "
              + queries.size());
    }
    Instant start = timestamp(request, "StartTime");
    Instant end = timestamp(request, "EndTime");
    if (start.equals(end)) {
      // Observed (elastic/beats#32687).
      throw CloudWatchError.validation("The parameter StartTime must not equal parameter EndTime.");
    }
    if (start.isAfter(end)) {
      // The real message for this case is not known.
      throw CloudWatchError.validation(
          "The parameter StartTime must be less than the parameter EndTime.");
    }
    int granularity = granularityOf(Duration.between(start, now));
    start = Instant.ofEpochSecond(Math.floorDiv(start.getEpochSecond(), granularity) * granularity);
    List<Query> parsed = queries(queries);
    int[] resume = {0, 0};
    JsonNode token = request.get("NextToken");
    if (token != null && !token.isNull()) {
      resume = resumeOf(token.asText(), parsed.size());
    }
    return new GetMetricData(
        parsed,
        start,
        end,
        granularity,
        ascending(request),
        maxDatapoints(request),
        resume[0],
        resume[1]);
  }

  /**
   * By the StartTime's age, how CloudWatch rounds it and what a query's Period must be a multiple
   * of for the query to have datapoints, in seconds; the two rules share their ages. StartTime (API
   * reference, GetMetricData): "Start time less than 15 days ago - Round down to the nearest whole
   * minute", "between 15 and 63 days ago - Round down to the nearest 5-minute clock interval",
   * "greater than 63 days ago - Round down to the nearest 1-hour clock interval". Period
   * (MetricStat): "If the StartTime parameter specifies a time stamp that is greater than 3 hours
   * ago, you must specify the period as follows or no data points in that time range is returned":
   * a multiple of 60 seconds between 3 hours and 15 days, of 300 between 15 and 63 days, of 3600
   * beyond (within 3 hours, any; here a multiple of 60 anyway). At exactly 15 or 63 days the older
   * rule applies, as the StartTime rule says "less than 15 days" (harsher).
   */
  static int granularityOf(Duration age) {
    if (age.compareTo(Duration.ofDays(63)) >= 0) {
      return 3600;
    }
    return age.compareTo(Duration.ofDays(15)) >= 0 ? 300 : 60;
  }

  /** ScanBy: TimestampDescending (the default) or TimestampAscending. */
  private static boolean ascending(JsonNode request) {
    String scanBy = text(request, "ScanBy");
    if (scanBy == null || scanBy.equals("TimestampDescending")) {
      return false;
    }
    if (scanBy.equals("TimestampAscending")) {
      return true;
    }
    throw CloudWatchError.validation(
        "The value "
            + scanBy
            + " for parameter ScanBy is not valid: TimestampDescending or TimestampAscending");
  }

  private static int maxDatapoints(JsonNode request) {
    JsonNode max = request.get("MaxDatapoints");
    if (max == null || max.isNull()) {
      return MAX_DATAPOINTS;
    }
    if (!max.canConvertToInt() || max.asInt() < 1) {
      throw CloudWatchError.validation(
          "The value " + max.asText() + " for parameter MaxDatapoints must be at least 1");
    }
    return Math.min(MAX_DATAPOINTS, max.asInt());
  }

  private static List<Query> queries(JsonNode queries) {
    List<Query> parsed = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < queries.size(); i++) {
      Query query = query(queries.get(i), "MetricDataQueries.member." + (i + 1));
      if (!ids.add(query.id())) {
        throw CloudWatchError.validation(
            "The value "
                + query.id()
                + " for parameter MetricDataQueries.member."
                + (i + 1)
                + ".Id is not unique in the request");
      }
      parsed.add(query);
    }
    return parsed;
  }

  private static Query query(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      throw CloudWatchError.validation("The parameter " + field + " must be a MetricDataQuery");
    }
    String id = text(node, "Id");
    if (id == null) {
      throw CloudWatchError.missing(field + ".Id");
    }
    if (!ID.matcher(id).matches()) {
      throw CloudWatchError.validation(
          "The value "
              + id
              + " for parameter "
              + field
              + ".Id is not valid: it must start with a lower-case letter and hold only letters,"
              + " digits and underscores (up to 255)");
    }
    if (text(node, "Expression") != null) {
      throw CloudWatchError.validation(
          "The parameter "
              + field
              + ".Expression is not supported by this simulator (metric math and Metrics"
              + " Insights are not served); query the metric with MetricStat");
    }
    if (text(node, "AccountId") != null) {
      throw CloudWatchError.validation(
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
    boolean duplicate = dimensions(metric, field + ".MetricStat.Metric.Dimensions", dimensions);
    int period = period(stat, field + ".MetricStat.Period");
    String statistic = text(stat, "Stat");
    if (statistic == null) {
      throw CloudWatchError.missing(field + ".MetricStat.Stat");
    }
    if (!STATS.contains(statistic)) {
      throw CloudWatchError.validation(
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
      throw CloudWatchError.validation(
          "The value " + unit + " for parameter " + field + ".MetricStat.Unit is not a unit");
    }
    // "If Label is omitted, CloudWatch generates a default" (API reference, MetricDataQuery,
    // Label): the metric's name, as the AWS CLI reference's get-metric-data Example 2 shows a
    // MetricStat query without a Label answered with "Label": "EstimatedCharges".
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

  /** Reads a metric's dimensions into {@code into}; whether a name came twice. */
  private static boolean dimensions(JsonNode metric, String field, Map<String, String> into) {
    JsonNode list = metric.get("Dimensions");
    if (list == null || list.isNull()) {
      return false;
    }
    if (!list.isArray() || list.size() > MAX_DIMENSIONS) {
      throw CloudWatchError.validation(
          "The parameter " + field + " must hold at most " + MAX_DIMENSIONS);
    }
    boolean duplicate = false;
    for (int d = 0; d < list.size(); d++) {
      String at = field + ".member." + (d + 1);
      String name = text(list.get(d), "Name");
      String value = text(list.get(d), "Value");
      if (name == null) {
        throw CloudWatchError.missing(at + ".Name");
      }
      if (value == null) {
        throw CloudWatchError.missing(at + ".Value");
      }
      duplicate |= into.put(name, value) != null;
    }
    return duplicate;
  }

  /**
   * A MetricStat's Period, a multiple of 60. Not the cloud: the reference also allows "1, 5, 10,
   * 20, 30, 60, or any multiple of 60" for high-resolution metrics; for S3's standard-resolution
   * metrics CloudWatch would likely return no datapoints for the shorter ones rather than refuse.
   */
  private static int period(JsonNode stat, String field) {
    JsonNode node = stat.get("Period");
    if (node == null || node.isNull()) {
      throw CloudWatchError.missing(field);
    }
    int period = node.canConvertToInt() ? node.asInt() : -1;
    if (period < 1 || period % 60 != 0) {
      throw CloudWatchError.validation(
          "The value "
              + node.asText()
              + " for parameter "
              + field
              + " is not valid: this simulator's metrics are standard resolution, so the period"
              + " must be a multiple of 60");
    }
    return period;
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
      throw CloudWatchError.validation(
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

  private static final Series EMPTY = new Series(List.of(), List.of());

  /** The results still to come back InternalError ({@link #failResults}). */
  private int failingResults;

  /** The metric names whose results come back InternalError ({@link #failResultsOf}). */
  private final Set<String> failingMetrics = new HashSet<>();

  /**
   * A test fixture modelling a documented status: the next {@code count} results GetMetricData
   * returns (one per query that returns data, in the order of the responses, in any region) come
   * back with StatusCode {@code InternalError} and no datapoints. The API reference lists "Complete
   * | InternalError | PartialData | Forbidden" (MetricDataResult, StatusCode) and says
   * "InternalError indicates that an error occurred. Retry your request using NextToken, if
   * present": such a result comes with a NextToken resuming at it (unless the response already has
   * an earlier one), so a retry with it reads the result again. What Messages CloudWatch adds to
   * the status is not documented: none here, so only the status tells.
   */
  public synchronized void failResults(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    failingResults = count;
  }

  /**
   * A test fixture modelling the same documented status as {@link #failResults}: while {@code
   * failing}, every result for a query of that metric name comes back with StatusCode {@code
   * InternalError}, no datapoints and no NextToken of its own (the reference's "if present": the
   * request can only be sent again).
   */
  public synchronized void failResultsOf(String metricName, boolean failing) {
    if (failing) {
      failingMetrics.add(metricName);
    } else {
      failingMetrics.remove(metricName);
    }
  }

  private synchronized boolean failsAlways(String metricName) {
    return failingMetrics.contains(metricName);
  }

  private synchronized boolean takeFailure() {
    if (failingResults == 0) {
      return false;
    }
    failingResults--;
    return true;
  }

  private void respond(CBORGenerator out, GetMetricData request, String region) throws IOException {
    List<Query> returned = request.queries().stream().filter(Query::returnData).toList();
    int budget = request.maxDatapoints();
    String nextToken = null;
    out.writeStartObject();
    out.writeFieldName("MetricDataResults");
    out.writeStartArray();
    for (int r = 0; r < returned.size(); r++) {
      Query query = returned.get(r);
      if (r < request.resumeResult()) {
        result(out, query, EMPTY, 0, 0, "Complete");
        continue;
      }
      int from = r == request.resumeResult() ? request.resumeOffset() : 0;
      boolean failsAlways = failsAlways(query.metricName());
      if (failsAlways || takeFailure()) {
        if (!failsAlways && nextToken == null) {
          nextToken = tokenOf(r, from);
        }
        result(out, query, EMPTY, 0, 0, "InternalError");
        continue;
      }
      Series series = series(query, request, region);
      from = Math.min(from, size(series));
      int to = (int) Math.min(size(series), (long) from + Math.max(0, budget));
      budget -= to - from;
      if (to < size(series) && nextToken == null) {
        nextToken = tokenOf(r, to);
      }
      // "PartialData: ... more data points are available; use NextToken" (API reference,
      // MetricDataResult, StatusCode); a result cut by MaxDatapoints says so.
      result(out, query, series, from, to, to < size(series) ? "PartialData" : "Complete");
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

  /** One MetricDataResult: the datapoints of the series from {@code from} to {@code to}. */
  private static void result(
      CBORGenerator out, Query query, Series series, int from, int to, String status)
      throws IOException {
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
    out.writeStringField("StatusCode", status);
    out.writeFieldName("Messages");
    out.writeStartArray();
    out.writeEndArray();
    out.writeEndObject();
  }

  private static int size(Series series) {
    return series.timestamps().size();
  }

  /** Whether CloudWatch holds the query's metric here: S3's replication metrics, in their unit. */
  private static boolean heldHere(Query query) {
    return query.namespace().equals("AWS/S3")
        && ReplicationMetrics.NAMES.contains(query.metricName())
        && !query.duplicateDimension()
        && query.dimensions().keySet().equals(DIMENSIONS)
        && (query.unit() == null
            || query.unit().equals(ReplicationMetrics.unitOf(query.metricName())));
  }

  /**
   * A query's datapoints: the published minutes of [start, end) (StartTime "is inclusive"; EndTime
   * "The value specified is exclusive; results include data points up to the specified time stamp":
   * API reference, GetMetricData), aggregated by the statistic over periods that start at the
   * rounded start time, each period's timestamp its start. That alignment is not documented for
   * periods of a minute or more (a user reports it, boto/boto3#3457); unknown, kept. None when the
   * Period does not fit the StartTime's age ({@link #granularityOf}).
   */
  private Series series(Query query, GetMetricData request, String region) {
    if (!heldHere(query) || query.period() % request.granularity() != 0) {
      return EMPTY;
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
    TreeMap<Long, double[]> periods = aggregate(minutes, origin, periodMillis);
    List<Long> order = new ArrayList<>(periods.keySet());
    if (!request.ascending()) {
      Collections.reverse(order);
    }
    List<Instant> timestamps = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (long index : order) {
      timestamps.add(Instant.ofEpochMilli(origin + index * periodMillis));
      values.add(statistic(query.stat(), periods.get(index)));
    }
    return new Series(timestamps, values);
  }

  /**
   * Per period (index from the origin), the statistic set of its minutes: {SampleCount, Sum,
   * Minimum, Maximum}, each minute's set added in. A gauge's minute is one sample; {@value
   * ReplicationMetrics#OPERATIONS_FAILED}'s is one sample per operation ({@link
   * ReplicationMetrics#points}).
   */
  private static TreeMap<Long, double[]> aggregate(
      List<ReplicationMetrics.Point> minutes, long origin, long periodMillis) {
    TreeMap<Long, double[]> periods = new TreeMap<>();
    for (ReplicationMetrics.Point point : minutes) {
      long index = Math.floorDiv(point.minute().toEpochMilli() - origin, periodMillis);
      double[] stats =
          periods.computeIfAbsent(
              index, k -> new double[] {0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
      stats[0] += point.sampleCount();
      stats[1] += point.sum();
      stats[2] = Math.min(stats[2], point.minimum());
      stats[3] = Math.max(stats[3], point.maximum());
    }
    return periods;
  }

  /**
   * A statistic of a period's set. "Average: The value of Sum / SampleCount during the specified
   * period" (CloudWatch user guide, "CloudWatch statistics definitions").
   */
  private static double statistic(String stat, double[] stats) {
    return switch (stat) {
      case "SampleCount" -> stats[0];
      case "Sum" -> stats[1];
      case "Average" -> stats[1] / stats[0];
      case "Minimum" -> stats[2];
      default -> stats[3];
    };
  }
}
