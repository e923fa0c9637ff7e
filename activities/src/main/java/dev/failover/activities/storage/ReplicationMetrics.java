package dev.failover.activities.storage;

import dev.failover.activities.errors.CallRetry;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;
import software.amazon.awssdk.services.s3.model.MetricsStatus;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationTimeStatus;

/**
 * A replication rule's backlog as S3 Replication metrics report it in CloudWatch: two GetMetricData
 * requests, whatever the number of object versions under the rule; for a source that does not
 * answer, a ListMetrics to find its rules and one GetMetricData each ({@link #lastReported}).
 *
 * <p>Where they come from (Amazon S3 user guide, "Using S3 Replication metrics"): a rule whose
 * destination enables {@code Metrics}, or S3 Replication Time Control (which turns them on),
 * publishes, per rule and minute, dimensions {@code SourceBucket}, {@code DestinationBucket} and
 * {@code RuleId}: in the destination bucket's region {@code OperationsPendingReplication}, {@code
 * BytesPendingReplication} and {@code ReplicationLatency} (the most seconds the destination is
 * behind); in the source bucket's region {@code OperationsFailedReplication} ("This metric is
 * published in the Region of the source bucket"), whose Sum counts the failed operations. They are
 * delivered on a best effort basis: a minute's datapoint may come late or not at all. So a reading
 * is used only when its newest minute ended at most {@link #MAX_AGE} ago, and it says how old it
 * is: writes since that minute are not in it. It names no keys, so the promotion's drain, which
 * must find and copy failed versions and prove that nothing written before the fence is left, still
 * lists them.
 *
 * @param region the region of the CloudWatch that answered for the backlog (the destination
 *     bucket's)
 * @param minute the start of the newest minute with a datapoint
 * @param ageSeconds seconds from that minute's end to the reading
 * @param pending operations pending replication at that minute
 * @param bytesPending bytes pending replication at that minute
 * @param latencySeconds the most seconds the destination was behind at that minute
 * @param failed operations that failed to replicate within the lookback window, as the source
 *     bucket's region reports them
 */
public record ReplicationMetrics(
    String region,
    Instant minute,
    long ageSeconds,
    long pending,
    long bytesPending,
    long latencySeconds,
    long failed) {

  /**
   * The oldest datapoint a reading uses. The delivery delay is not published; ten minutes is a
   * choice: beyond it the figure says more about the metrics' delivery than about the backlog.
   */
  static final Duration MAX_AGE = Duration.ofMinutes(10);

  /** How far back the newest datapoint is looked for, a little beyond {@link #MAX_AGE}. */
  static final Duration RECENT = MAX_AGE.plusMinutes(5);

  /** The namespace S3 publishes its metrics in. */
  static final String NAMESPACE = "AWS/S3";

  private static final int MINUTE = 60;

  private static final String OPERATIONS_PENDING = "OperationsPendingReplication";

  /**
   * How far back one-minute datapoints are served: a query starting "between 3 hours and 15 days
   * ago" must use a multiple of 60 s, and one starting earlier gets no one-minute datapoints ("or
   * no data points in that time range is returned", CloudWatch API reference, GetMetricData,
   * MetricStat.Period). A day short of the 15, so that a request taking a while is not cut off.
   */
  static final Duration ONE_MINUTE_DATA = Duration.ofDays(14);

  /** A minute's datapoint is one sample, so its Maximum is its value. */
  private static final String MAX = "Maximum";

  /** A reading, or why none could be used (then the versions are listed instead). */
  public record Reading(ReplicationMetrics metrics, String unusable) {
    static Reading of(ReplicationMetrics metrics) {
      return new Reading(metrics, null);
    }

    static Reading none(String why) {
      return new Reading(null, why);
    }
  }

  /** Whether the rule publishes replication metrics: its own {@code Metrics}, or S3 RTC. */
  public static boolean enabled(ReplicationRule rule) {
    var destination = rule.destination();
    if (destination == null) {
      return false;
    }
    boolean metrics =
        destination.metrics() != null && destination.metrics().status() == MetricsStatus.ENABLED;
    boolean rtc =
        destination.replicationTime() != null
            && destination.replicationTime().status() == ReplicationTimeStatus.ENABLED;
    return metrics || rtc;
  }

  /** How the figures were obtained, for the report. */
  public String method() {
    return "from S3 Replication metrics in CloudWatch "
        + region
        + ": the minute from "
        + minute
        + ", which ended "
        + ageSeconds
        + " s before this measure (writes since are not counted; the promotion lists the"
        + " versions)";
  }

  /** A region's CloudWatch. */
  public record RegionalCloudWatch(CloudWatchClient client, String region) {}

  /**
   * The rule's newest usable datapoints, read from the destination region's CloudWatch, and its
   * failures from the source region's. A failure of CloudWatch itself (no right to read it, its
   * region not answering, a result it could not complete) is a reason to list instead, never a
   * failed measure: the listing counts failed versions too, where a missing count would read as
   * none.
   */
  public static Reading read(
      RegionalCloudWatch atDestination,
      RegionalCloudWatch atSource,
      String sourceBucket,
      String destinationBucket,
      String ruleId,
      Instant now,
      int lookbackHours,
      CallRetry retry) {
    String region = atDestination.region();
    List<Dimension> rule = rule(sourceBucket, destinationBucket, ruleId);
    Instant end = now.truncatedTo(ChronoUnit.MINUTES);
    try {
      Optional<ReplicationMetrics> newest =
          newest(atDestination, rule, ruleId, end.minus(RECENT), now, retry);
      if (newest.isEmpty()) {
        return Reading.none(
            "CloudWatch in "
                + region
                + " has no S3 Replication metrics of rule "
                + ruleId
                + " from the last "
                + RECENT.toMinutes()
                + " min");
      }
      long age = newest.get().ageSeconds();
      if (age > MAX_AGE.toSeconds()) {
        return Reading.none(
            "the newest S3 Replication metrics of rule "
                + ruleId
                + " in CloudWatch "
                + region
                + " are "
                + age
                + " s old (more than "
                + MAX_AGE.toMinutes()
                + " min)");
      }
      long failed = failedWithin(atSource, rule, ruleId, end, lookbackHours, retry);
      return Reading.of(newest.get().withFailed(failed));
    } catch (ApplicationFailure e) {
      return Reading.none("CloudWatch could not be read: " + e.getOriginalMessage());
    } catch (IncompleteResult e) {
      return Reading.none(e.getMessage());
    }
  }

  /** A result CloudWatch answered without completing it ({@link #complete}). */
  private static final class IncompleteResult extends RuntimeException {
    IncompleteResult(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * What the rules from a source that does not answer last reported, in one line for the report, or
   * null when CloudWatch has nothing or cannot be read. The source's replication configuration
   * cannot be read, so the rules are found by their metrics (ListMetrics); the metrics live in the
   * destination's region, which still answers. How old the datapoint is does not matter here: it is
   * the last word on what the replica had when the source stopped reporting.
   */
  public static String lastReported(
      RegionalCloudWatch atDestination,
      String sourceBucket,
      String destinationBucket,
      Instant now,
      int lookbackHours,
      CallRetry retry) {
    Instant end = now.truncatedTo(ChronoUnit.MINUTES);
    Duration back = Duration.ofHours(lookbackHours);
    if (back.compareTo(ONE_MINUTE_DATA) > 0) {
      back = ONE_MINUTE_DATA;
    }
    Instant from = end.minus(back);
    try {
      List<String> lines = new ArrayList<>();
      for (String ruleId : rulesReporting(atDestination, sourceBucket, destinationBucket, retry)) {
        Optional<ReplicationMetrics> newest =
            newest(
                atDestination,
                rule(sourceBucket, destinationBucket, ruleId),
                ruleId,
                from,
                now,
                retry);
        newest.ifPresent(m -> lines.add(m.lastWord(ruleId)));
      }
      return lines.isEmpty() ? null : String.join("; ", lines);
    } catch (ApplicationFailure | IncompleteResult e) {
      return null;
    }
  }

  /** The line of {@link #lastReported} for one rule. */
  private String lastWord(String ruleId) {
    Instant minuteEnd = minute.plusSeconds(MINUTE);
    return "S3 Replication metrics in CloudWatch "
        + region
        + " last reported rule "
        + ruleId
        + " for the minute from "
        + minute
        + " ("
        + ageSeconds
        + " s before this measure): "
        + pending
        + " operation(s) pending ("
        + bytesPending
        + " bytes), the replica "
        + latencySeconds
        + " s behind, so writes since about "
        + minuteEnd.minusSeconds(latencySeconds)
        + " may be missing from it";
  }

  /** The rule ids whose pending operations CloudWatch holds for the bucket pair. */
  private static List<String> rulesReporting(
      RegionalCloudWatch cloudWatch,
      String sourceBucket,
      String destinationBucket,
      CallRetry retry) {
    return retry.aws(
        "list the S3 Replication metrics from "
            + sourceBucket
            + " in CloudWatch "
            + cloudWatch.region(),
        () ->
            cloudWatch
                .client()
                .listMetricsPaginator(
                    list ->
                        list.namespace(NAMESPACE)
                            .metricName(OPERATIONS_PENDING)
                            .dimensions(
                                filter("SourceBucket", sourceBucket),
                                filter("DestinationBucket", destinationBucket)))
                .metrics()
                .stream()
                .flatMap(m -> m.dimensions().stream())
                .filter(d -> d.name().equals("RuleId"))
                .map(Dimension::value)
                .distinct()
                .sorted()
                .toList());
  }

  /** The newest minute for which pending, bytes and latency all have a datapoint, if any. */
  private static Optional<ReplicationMetrics> newest(
      RegionalCloudWatch cloudWatch,
      List<Dimension> rule,
      String ruleId,
      Instant from,
      Instant now,
      CallRetry retry) {
    GetMetricDataResponse recent =
        retry.aws(
            "read the S3 Replication metrics of rule "
                + ruleId
                + " in CloudWatch "
                + cloudWatch.region(),
            () ->
                cloudWatch
                    .client()
                    .getMetricData(
                        get ->
                            get.startTime(from)
                                .endTime(now.truncatedTo(ChronoUnit.MINUTES))
                                .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                                .metricDataQueries(
                                    query("pending", OPERATIONS_PENDING, rule, MINUTE, MAX),
                                    query("bytes", "BytesPendingReplication", rule, MINUTE, MAX),
                                    query("latency", "ReplicationLatency", rule, MINUTE, MAX))));
    complete(recent, cloudWatch.region(), ruleId);
    return newestCommonMinute(recent)
        .map(
            minute ->
                new ReplicationMetrics(
                    cloudWatch.region(),
                    minute,
                    Math.max(0, Duration.between(minute.plusSeconds(MINUTE), now).toSeconds()),
                    valueAt(recent, "pending", minute),
                    valueAt(recent, "bytes", minute),
                    valueAt(recent, "latency", minute),
                    0));
  }

  private ReplicationMetrics withFailed(long count) {
    return new ReplicationMetrics(
        region, minute, ageSeconds, pending, bytesPending, latencySeconds, count);
  }

  private static List<Dimension> rule(String sourceBucket, String destinationBucket, String id) {
    return List.of(
        dimension("SourceBucket", sourceBucket),
        dimension("DestinationBucket", destinationBucket),
        dimension("RuleId", id));
  }

  private static DimensionFilter filter(String name, String value) {
    return DimensionFilter.builder().name(name).value(value).build();
  }

  /**
   * Operations that failed to replicate within the lookback window, one datapoint a period: the Sum
   * ("total number of failed operations", S3 user guide, "Metrics and dimensions") in the source
   * bucket's region. A minute without replication has no datapoint ("Is this metric still published
   * if replication doesn't occur? No", repl-metrics), so none counts as no failure. The period, a
   * whole number of hours, fits a start time of any age (MetricStat.Period).
   */
  private static long failedWithin(
      RegionalCloudWatch atSource,
      List<Dimension> rule,
      String ruleId,
      Instant end,
      int lookbackHours,
      CallRetry retry) {
    CloudWatchClient cloudWatch = atSource.client();
    String region = atSource.region();
    int period = lookbackHours * 3600;
    long sum = 0;
    String token = null;
    do {
      String next = token;
      GetMetricDataResponse page =
          retry.aws(
              "read the failed replications of rule " + ruleId + " in CloudWatch " + region,
              () ->
                  cloudWatch.getMetricData(
                      get ->
                          get.startTime(end.minus(Duration.ofHours(lookbackHours)))
                              .endTime(end)
                              .nextToken(next)
                              .metricDataQueries(
                                  query(
                                      "failed",
                                      "OperationsFailedReplication",
                                      rule,
                                      period,
                                      "Sum"))));
      for (MetricDataResult result : page.metricDataResults()) {
        sum += result.values().stream().mapToLong(Double::longValue).sum();
      }
      token = page.nextToken();
      if (token == null) {
        complete(page, region, ruleId);
      }
    } while (token != null);
    return sum;
  }

  /**
   * Throws {@link IncompleteResult} when a result is neither {@code Complete} nor {@code
   * PartialData}: "InternalError indicates that an error occurred", and {@code Forbidden} that the
   * caller may not read it (CloudWatch API reference, MetricDataResult.StatusCode); their values,
   * if any, are not the metric's. PartialData says more pages follow: the newest minutes come first
   * ({@code TimestampDescending}), and the failures' reader follows the token.
   */
  private static void complete(GetMetricDataResponse response, String region, String ruleId) {
    for (MetricDataResult result : response.metricDataResults()) {
      StatusCode status = result.statusCode();
      if (status != StatusCode.COMPLETE && status != StatusCode.PARTIAL_DATA) {
        throw new IncompleteResult(
            "CloudWatch in "
                + region
                + " answered "
                + result.statusCodeAsString()
                + " for "
                + result.id()
                + " of rule "
                + ruleId);
      }
    }
  }

  private static MetricDataQuery query(
      String id, String metricName, List<Dimension> rule, int period, String stat) {
    return MetricDataQuery.builder()
        .id(id)
        .metricStat(
            s ->
                s.metric(m -> m.namespace(NAMESPACE).metricName(metricName).dimensions(rule))
                    .period(period)
                    .stat(stat))
        .returnData(true)
        .build();
  }

  private static Dimension dimension(String name, String value) {
    return Dimension.builder().name(name).value(value).build();
  }

  /** The newest minute for which all three recent metrics have a datapoint. */
  private static Optional<Instant> newestCommonMinute(GetMetricDataResponse response) {
    List<List<Instant>> minutes = new ArrayList<>();
    for (String id : List.of("pending", "bytes", "latency")) {
      minutes.add(result(response, id).map(MetricDataResult::timestamps).orElse(List.of()));
    }
    return minutes.get(0).stream()
        .filter(m -> minutes.get(1).contains(m) && minutes.get(2).contains(m))
        .max(Instant::compareTo);
  }

  private static long valueAt(GetMetricDataResponse response, String id, Instant minute) {
    MetricDataResult result = result(response, id).orElseThrow();
    int at = result.timestamps().indexOf(minute);
    return Math.round(result.values().get(at));
  }

  private static Optional<MetricDataResult> result(GetMetricDataResponse response, String id) {
    return response.metricDataResults().stream().filter(r -> id.equals(r.id())).findFirst();
  }
}
