package dev.failover.simulator.s3;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The history behind S3 Replication metrics, per replication rule: every replication operation the
 * rule selects is written at t0 (the version's write), done at t1 (replicated or failed) and
 * carries its bytes. From it come, per rule and minute, the four metrics S3 publishes to CloudWatch
 * (S3 user guide, "Using S3 Replication metrics",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/repl-metrics.html): {@value #BYTES_PENDING}
 * and {@value #OPERATIONS_PENDING} pending at the minute's end, {@value #LATENCY} the age at the
 * minute's end of the oldest operation then pending (0 when none), and {@value #OPERATIONS_FAILED}
 * the operations done within the minute, each a sample of 1 (failed) or 0 (replicated).
 *
 * <p>Nothing here scans the versions of a bucket: an operation costs O(log n) when it is written
 * and when it is done, plus, for the latency, the minutes it was pending that no older operation
 * done in the same batch already covers. Per-minute aggregates older than {@link #RETENTION} are
 * folded away, so the history is bounded by minutes, not by operations. Only operations still
 * pending are kept one by one (their write times, for the oldest one's age).
 *
 * <p>Which minutes can be read where (the regions, the rule's metrics enabled, the 15 minutes, the
 * publication delay, outages, withheld buckets) is {@link S3State#replicationMetric}'s business;
 * this class only answers what the datapoints were.
 */
public final class ReplicationMetrics {
  /** Total bytes of objects pending replication for the rule (S3 user guide, repl-metrics). */
  public static final String BYTES_PENDING = "BytesPendingReplication";

  /**
   * The maximum number of seconds by which the destination bucket is behind the source bucket for
   * the rule (S3 user guide, repl-metrics).
   */
  public static final String LATENCY = "ReplicationLatency";

  /** Number of operations pending replication for the rule (S3 user guide, repl-metrics). */
  public static final String OPERATIONS_PENDING = "OperationsPendingReplication";

  /** Number of operations that failed to replicate for the rule (S3 user guide, repl-metrics). */
  public static final String OPERATIONS_FAILED = "OperationsFailedReplication";

  /** The four metric names, in the user guide's order. */
  public static final List<String> NAMES =
      List.of(BYTES_PENDING, LATENCY, OPERATIONS_PENDING, OPERATIONS_FAILED);

  /**
   * The CloudWatch unit of each metric: bytes, seconds, counts (S3 user guide, "Metrics and
   * dimensions", S3 Replication metrics table).
   */
  public static String unitOf(String metricName) {
    return switch (metricName) {
      case BYTES_PENDING -> "Bytes";
      case LATENCY -> "Seconds";
      default -> "Count";
    };
  }

  /**
   * How long after a minute ends its datapoint can be read. The S3 user guide ("Metrics and
   * dimensions") says only that a minute's datapoint might be delayed before it is available
   * through CloudWatch, or not delivered at all; the delay is not published. Two minutes is this
   * simulator's choice.
   */
  public static final Duration PUBLICATION_DELAY = Duration.ofMinutes(2);

  /**
   * "CloudWatch begins reporting replication metrics 15 minutes after you enable S3 RTC on the
   * respective replication rule" (S3 user guide, repl-metrics). For metrics enabled without RTC
   * nothing is published; the simulator applies the same 15 minutes, the harsher choice.
   */
  public static final Duration FIRST_REPORT_AFTER = Duration.ofMinutes(15);

  /**
   * How far back one-minute datapoints can be read: "Data points with a period of 60 seconds
   * (1-minute) are available for 15 days" (CloudWatch API reference, GetMetricData). Older minutes
   * CloudWatch serves only aggregated to 5 minutes or an hour; this simulator serves none of them
   * (harsher) and forgets them.
   */
  public static final Duration RETENTION = Duration.ofDays(15);

  private static final long MINUTE = 60_000;

  /**
   * One published minute: its start and its statistic set, as CloudWatch keeps one ("StatisticSet:
   * Represents a set of statistics that describes a specific metric", SampleCount, Sum, Minimum,
   * Maximum; CloudWatch API reference, StatisticSet).
   */
  public record Point(
      Instant minute, double sampleCount, double sum, double minimum, double maximum) {

    /** A minute of a gauge metric: one sample. */
    static Point sample(Instant minute, double value) {
      return new Point(minute, 1, value, value, value);
    }
  }

  /** A rule, as its metrics' dimensions name it. */
  record RuleKey(String source, String ruleId, String destination) {}

  /**
   * How a replication operation ended. {@code DROPPED}: S3 had nothing left to replicate (the
   * version or the source bucket went first). Whether S3 counts such an operation among the
   * "replication operations" of {@value #OPERATIONS_FAILED}'s Sample Count is not documented; the
   * simulator does not, the harsher choice (fewer samples, so a failure weighs more in the rate).
   */
  enum Outcome {
    REPLICATED,
    FAILED,
    DROPPED
  }

  /** One operation done, waiting for {@link #flush} (the batch of one replicateDue call). */
  private record Done(RuleKey rule, long t0, long t1, long bytes, Outcome outcome) {}

  private static final class History {
    /** Per minute index, the change of {count, bytes} pending at that minute's end. */
    final TreeMap<Long, long[]> pendingDelta = new TreeMap<>();

    /** What the deltas folded away (minutes before the retention) sum to. */
    long baseCount;

    long baseBytes;

    /** The write times (ms) of the operations still pending, with how many at each. */
    final TreeMap<Long, Integer> open = new TreeMap<>();

    /** Per minute index, the oldest write time (ms) among done operations pending at its end. */
    final TreeMap<Long, Long> oldestDone = new TreeMap<>();

    /**
     * Per minute index with an operation done in it: {replicated or failed, failed}. A minute
     * without one has no entry.
     */
    final TreeMap<Long, long[]> outcomes = new TreeMap<>();
  }

  private final Map<RuleKey, History> histories = new HashMap<>();
  private final List<Done> batch = new ArrayList<>();

  ReplicationMetrics() {}

  /** The index of the minute holding an instant (ms): its start is index * 60 s. */
  private static long minuteOf(long millis) {
    return Math.floorDiv(millis, MINUTE);
  }

  /**
   * The first minute at whose end an instant has happened: an operation written at t0 is pending at
   * every minute end E with t0 <= E, and no longer at E >= t1.
   */
  private static long firstEndAtOrAfter(long millis) {
    return Math.floorDiv(millis + MINUTE - 1, MINUTE) - 1;
  }

  /** An operation written (t0) that the rule replicates; it is pending until {@link #done}. */
  void written(RuleKey rule, Instant t0, long bytes) {
    History history = histories.computeIfAbsent(rule, k -> new History());
    long at = t0.toEpochMilli();
    add(history.pendingDelta, firstEndAtOrAfter(at), 1, bytes);
    history.open.merge(at, 1, Integer::sum);
  }

  /** An operation done at t1; it counts once {@link #flush} runs. */
  void done(RuleKey rule, Instant t0, Instant t1, long bytes, Outcome outcome) {
    batch.add(new Done(rule, t0.toEpochMilli(), t1.toEpochMilli(), bytes, outcome));
  }

  /**
   * Counts the operations done since the last flush. Done operations are taken oldest write first,
   * so that a minute's oldest pending is set by the first of the batch that covers it and the rest
   * of the batch skips that minute: each minute is visited once per batch and rule.
   */
  void flush(Instant now) {
    if (batch.isEmpty()) {
      return;
    }
    long horizon = minuteOf(now.minus(RETENTION).toEpochMilli());
    batch.sort(Comparator.comparingLong(Done::t0));
    Map<RuleKey, TreeMap<Long, Long>> covered = new HashMap<>();
    for (Done done : batch) {
      History history = histories.get(done.rule());
      if (history == null) {
        continue;
      }
      long t1 = Math.max(done.t0(), done.t1());
      add(history.pendingDelta, firstEndAtOrAfter(t1), -1, -done.bytes());
      history.open.computeIfPresent(done.t0(), (k, n) -> n == 1 ? null : n - 1);
      if (done.outcome() != Outcome.DROPPED) {
        long[] outcomes = history.outcomes.computeIfAbsent(minuteOf(t1), k -> new long[2]);
        outcomes[0]++;
        outcomes[1] += done.outcome() == Outcome.FAILED ? 1 : 0;
      }
      long from = Math.max(horizon, firstEndAtOrAfter(done.t0()));
      long to = firstEndAtOrAfter(t1);
      if (from < to) {
        visitUncovered(
            covered.computeIfAbsent(done.rule(), k -> new TreeMap<>()),
            from,
            to,
            minute -> history.oldestDone.merge(minute, done.t0(), Math::min));
      }
    }
    batch.clear();
    prune(horizon);
  }

  /**
   * Visits the minutes of [from, to) that no interval of {@code covered} (disjoint, half-open, by
   * start) holds, and adds [from, to) to it.
   */
  static void visitUncovered(TreeMap<Long, Long> covered, long from, long to, LongConsumer visit) {
    long cursor = from;
    long low = from;
    long high = to;
    Map.Entry<Long, Long> before = covered.floorEntry(from);
    if (before != null && before.getValue() >= from) {
      low = before.getKey();
      high = Math.max(high, before.getValue());
      cursor = Math.max(cursor, before.getValue());
      covered.remove(before.getKey());
    }
    for (Map.Entry<Long, Long> next = covered.ceilingEntry(from);
        next != null && next.getKey() <= to;
        next = covered.ceilingEntry(from)) {
      for (long m = cursor; m < Math.min(next.getKey(), to); m++) {
        visit.accept(m);
      }
      cursor = Math.max(cursor, next.getValue());
      high = Math.max(high, next.getValue());
      covered.remove(next.getKey());
    }
    for (long m = cursor; m < to; m++) {
      visit.accept(m);
    }
    covered.put(low, high);
  }

  /** Folds or drops what is older than the retention. */
  private void prune(long horizon) {
    for (History history : histories.values()) {
      while (!history.pendingDelta.isEmpty() && history.pendingDelta.firstKey() < horizon) {
        long[] delta = history.pendingDelta.pollFirstEntry().getValue();
        history.baseCount += delta[0];
        history.baseBytes += delta[1];
      }
      history.oldestDone.headMap(horizon).clear();
      history.outcomes.headMap(horizon).clear();
    }
  }

  /**
   * The metric's datapoint for each minute of [fromMinute, toMinute) (indexes: start / 60 s),
   * whether or not S3State lets it be read, null where the metric has none: a gauge has one every
   * minute (all zeros for a rule that never replicated anything); {@value #OPERATIONS_FAILED} only
   * in minutes in which an operation was done, as it is "not published if replication doesn't
   * occur" (S3 user guide, repl-metrics, table of the metrics). Its samples are 0 or 1 per
   * operation, so that "Sum (total number of failed operations), Average (failure rate), Sample
   * Count (total number of replication operations)" (S3 user guide, "Metrics and dimensions",
   * OperationsFailedReplication) come out of CloudWatch's usual statistics.
   */
  Point[] points(RuleKey rule, String metricName, long fromMinute, long toMinute, Instant now) {
    prune(minuteOf(now.minus(RETENTION).toEpochMilli()));
    int n = (int) Math.max(0, toMinute - fromMinute);
    Point[] points = new Point[n];
    History history = histories.get(rule);
    if (metricName.equals(OPERATIONS_FAILED)) {
      if (history != null && n > 0) {
        history
            .outcomes
            .subMap(fromMinute, toMinute)
            .forEach(
                (minute, done) -> points[(int) (minute - fromMinute)] = failedPoint(minute, done));
      }
      return points;
    }
    double[] values = gauge(history, metricName, fromMinute, n);
    for (int i = 0; i < n; i++) {
      points[i] = Point.sample(Instant.ofEpochMilli((fromMinute + i) * MINUTE), values[i]);
    }
    return points;
  }

  private static Point failedPoint(long minute, long[] done) {
    return new Point(
        Instant.ofEpochMilli(minute * MINUTE),
        done[0],
        done[1],
        done[1] == done[0] ? 1 : 0,
        done[1] > 0 ? 1 : 0);
  }

  /**
   * The minute with a datapoint of the metric nearest to {@code minute} (itself included), after it
   * or before it, or null when there is none; see {@link #points}.
   */
  Long nearestPoint(RuleKey rule, String metricName, long minute, boolean after) {
    if (!metricName.equals(OPERATIONS_FAILED)) {
      return minute;
    }
    History history = histories.get(rule);
    if (history == null) {
      return null;
    }
    return after ? history.outcomes.ceilingKey(minute) : history.outcomes.floorKey(minute);
  }

  /** A gauge metric's value for each of n minutes from fromMinute. */
  private static double[] gauge(History history, String metricName, long fromMinute, int n) {
    double[] values = new double[n];
    if (history == null || n == 0) {
      return values;
    }
    switch (metricName) {
      case OPERATIONS_PENDING -> pending(history, 0, fromMinute, values);
      case BYTES_PENDING -> pending(history, 1, fromMinute, values);
      case LATENCY -> latency(history, fromMinute, values);
      default -> throw new IllegalArgumentException("not a replication metric: " + metricName);
    }
    return values;
  }

  /** Operations (field 0) or bytes (field 1) pending at each minute's end. */
  private static void pending(History history, int field, long fromMinute, double[] values) {
    long running = field == 0 ? history.baseCount : history.baseBytes;
    for (long[] delta : history.pendingDelta.headMap(fromMinute, false).values()) {
      running += delta[field];
    }
    for (int i = 0; i < values.length; i++) {
      long[] delta = history.pendingDelta.get(fromMinute + i);
      if (delta != null) {
        running += delta[field];
      }
      values[i] = Math.max(0, running);
    }
  }

  /**
   * The age in seconds at each minute's end of the oldest operation then pending. With nothing
   * pending the value is 0: the user guide says only that the metric is still published when
   * replication doesn't occur (repl-metrics), not what its value is then; unknown, 0 here.
   */
  private static void latency(History history, long fromMinute, double[] values) {
    Long oldestOpen = history.open.isEmpty() ? null : history.open.firstKey();
    for (int i = 0; i < values.length; i++) {
      long end = (fromMinute + i + 1) * MINUTE;
      long oldest = Long.MAX_VALUE;
      if (oldestOpen != null && oldestOpen <= end) {
        oldest = oldestOpen;
      }
      Long done = history.oldestDone.get(fromMinute + i);
      if (done != null) {
        oldest = Math.min(oldest, done);
      }
      values[i] = oldest == Long.MAX_VALUE ? 0 : Math.floorDiv(end - oldest, 1000);
    }
  }

  private static void add(TreeMap<Long, long[]> deltas, long minute, long count, long bytes) {
    long[] delta = deltas.computeIfAbsent(minute, k -> new long[2]);
    delta[0] += count;
    delta[1] += bytes;
    if (delta[0] == 0 && delta[1] == 0) {
      deltas.remove(minute);
    }
  }
}
