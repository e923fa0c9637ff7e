package dev.failover.simulator.s3;

import dev.failover.simulator.iam.IamState;
import dev.failover.simulator.s3.ReplicationMetrics.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * The state of the simulated S3 service. All methods are synchronized; the HTTP handler and tests
 * share one instance. Replication runs asynchronously, as in S3: a write that a rule selects is
 * {@code PENDING} on the source until its replication falls due (after the source bucket's lag),
 * then {@code COMPLETED}, or {@code FAILED} at the bucket's failure rate or when the replication
 * configuration's IAM role may not replicate it ({@link IamState}); the copy in the destination is
 * {@code REPLICA}. Due replications are carried out at the start of every call, so that no
 * background thread is needed and a test clock decides what is due.
 */
public final class S3State {
  /**
   * One stored version of an object; a delete marker has no content. Each version keeps the
   * server-side encryption it was written with and its object tags.
   */
  public record ObjectVersion(
      String versionId,
      byte[] content,
      String etag,
      String contentType,
      String contentEncoding,
      Map<String, String> metadata,
      String checksumAlgorithm,
      String checksum,
      Instant lastModified,
      boolean deleteMarker,
      String replicationStatus,
      Encryption encryption,
      Map<String, String> tags) {

    ObjectVersion withReplicationStatus(String status) {
      return new ObjectVersion(
          versionId,
          content,
          etag,
          contentType,
          contentEncoding,
          metadata,
          checksumAlgorithm,
          checksum,
          lastModified,
          deleteMarker,
          status,
          encryption,
          tags);
    }

    ObjectVersion withEncryption(Encryption replicaEncryption) {
      return new ObjectVersion(
          versionId,
          content,
          etag,
          contentType,
          contentEncoding,
          metadata,
          checksumAlgorithm,
          checksum,
          lastModified,
          deleteMarker,
          replicationStatus,
          replicaEncryption,
          tags);
    }
  }

  /**
   * How a version is encrypted at rest, as {@code x-amz-server-side-encryption} and {@code
   * x-amz-server-side-encryption-aws-kms-key-id} report it.
   *
   * @param algorithm {@code AES256} (SSE-S3) or {@code aws:kms} (SSE-KMS)
   * @param kmsKeyId the KMS key's ARN for SSE-KMS, else null
   */
  public record Encryption(String algorithm, String kmsKeyId) {
    /**
     * SSE-S3, which S3 applies to every object written without other instructions since January
     * 2023 (S3 user guide, "Setting default server-side encryption behavior for Amazon S3
     * buckets").
     */
    public static final Encryption SSE_S3 = new Encryption("AES256", null);

    public static final String KMS = "aws:kms";

    public static Encryption kms(String keyArn) {
      return new Encryption(KMS, keyArn);
    }

    public boolean isKms() {
      return KMS.equals(algorithm);
    }
  }

  /** A bucket: where it lives, which side of the runbook it belongs to, and its settings. */
  static final class Bucket {
    final String name;
    final String region;
    final String side;
    final Instant created = Instant.now();
    String versioning;
    ReplicationConfiguration replication;
    Map<String, String> tags;
    boolean abac;
    Duration replicationLag = Duration.ZERO;
    double replicationFailureRate;
    // In ListObjectVersions' order (UTF-8 binary), so that a page starts at its marker.
    final TreeMap<String, List<ObjectVersion>> objects = new TreeMap<>(ListObjectsV2::compare);

    Bucket(String name, String region, String side) {
      this.name = name;
      this.region = region;
      this.side = side;
    }
  }

  /**
   * Temporary credentials, as STS issues them for a session policy: the access key id starts with
   * {@code ASIA}, requests must carry the session token in {@code x-amz-security-token}, and they
   * expire.
   */
  public record TemporaryCredentials(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    @Override
    public String toString() {
      return "TemporaryCredentials[" + accessKeyId + ", expires " + expiration + "]";
    }
  }

  /** What one set of temporary credentials may do: read, or read and write, under a prefix. */
  private record Grant(
      String bucket, String prefix, boolean write, String sessionToken, Instant expiration) {}

  private final Map<String, Grant> grants = new TreeMap<>();

  /**
   * One replication of one object version to one destination, due at a time, by the role of the
   * source's replication configuration when the version was written, with the KMS key the rule
   * gives replicas of SSE-KMS objects (null for other objects).
   */
  private record Pending(
      String source,
      String key,
      String versionId,
      String destination,
      Instant due,
      String role,
      String replicaKmsKeyId,
      String ruleId,
      Instant written,
      long bytes) {}

  /** Replication statuses, as S3 reports them in {@code x-amz-replication-status}. */
  public static final String PENDING = "PENDING";

  public static final String COMPLETED = "COMPLETED";
  public static final String FAILED = "FAILED";
  public static final String REPLICA = "REPLICA";

  /**
   * The largest object one PutObject, CopyObject or UploadPart may carry: 5 GiB (S3 user guide,
   * "Uploading objects": "With a single PUT operation, you can upload a single object up to 5 GB";
   * "Amazon S3 multipart upload limits": part size 5 MiB to 5 GiB).
   */
  public static final long SINGLE_REQUEST_LIMIT = 5L * 1024 * 1024 * 1024;

  private long singleRequestLimit = SINGLE_REQUEST_LIMIT;

  private final Map<String, Bucket> buckets = new TreeMap<>();
  private final List<Pending> queue = new ArrayList<>();
  private final Set<String> unreachableRegions = new TreeSet<>();

  /** Per region, its outages as {start, end} (end null while it lasts), oldest first. */
  private final Map<String, List<Instant[]>> outages = new TreeMap<>();

  /** Per region, when it last came back from an outage. */
  private final Map<String, Instant> reachableSince = new TreeMap<>();

  private final ReplicationMetrics metrics = new ReplicationMetrics();

  /**
   * One span during which S3 published a rule's replication metrics: from when they were enabled to
   * when the rule stopped enabling them (its configuration replaced without it, deleted, or the
   * source bucket deleted), null while it lasts, with the buckets' regions as they were when it
   * began (the datapoints stay in those regions' CloudWatch after the buckets change). The
   * destination bucket's deletion ends only the metrics published in its region ({@link #endOf}).
   */
  private static final class MetricsPeriod {
    Instant start;
    Instant end;

    /** When the destination bucket was deleted while the period lasted, else null. */
    Instant destinationDeleted;

    final String sourceRegion;
    final String destinationRegion;

    MetricsPeriod(Instant start, String sourceRegion, String destinationRegion) {
      this.start = start;
      this.sourceRegion = sourceRegion;
      this.destinationRegion = destinationRegion;
    }
  }

  /**
   * Per rule (source, id, destination), its metrics' publication periods, oldest first. Kept when
   * the configuration is replaced or deleted: datapoints already published stay in CloudWatch for
   * their retention ("CloudWatch retains metric data as follows: Data points with a period of 60
   * seconds (1 minute) are available for 15 days", CloudWatch user guide, "Metrics retention"),
   * whatever happens to the rule or the source region afterwards.
   */
  private final Map<ReplicationMetrics.RuleKey, List<MetricsPeriod>> metricsPeriods =
      new LinkedHashMap<>();

  /** Buckets whose replication metrics are never delivered (a test fixture). */
  private final Set<String> metricsWithheld = new TreeSet<>();

  private final Random random = new Random(20_261_125L);
  private final Clock clock;
  private final IamState iam;

  /** A state on the system clock. */
  public S3State() {
    this(Clock.systemUTC());
  }

  /** A state whose replication lag and timestamps follow the given clock. */
  public S3State(Clock clock) {
    this(clock, new IamState());
  }

  /** A state whose replications assume the roles of the given IAM. */
  public S3State(Clock clock, IamState iam) {
    this.clock = clock;
    this.iam = iam;
  }

  /** The IAM roles replication assumes. */
  public IamState iam() {
    return iam;
  }

  public synchronized void createBucket(String name, String region, String side) {
    if (!name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") || name.contains("..")) {
      throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.", name);
    }
    if (buckets.containsKey(name)) {
      throw new S3Error(
          409,
          "BucketAlreadyOwnedByYou",
          "Your previous request to create the named bucket succeeded and you already own it.",
          name);
    }
    buckets.put(name, new Bucket(name, region, side));
  }

  public synchronized void deleteBucket(String name) {
    Bucket bucket = bucket(name);
    if (bucket.objects.values().stream().anyMatch(v -> !v.isEmpty())) {
      throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", name);
    }
    buckets.remove(name);
    // A deleted source's rules publish no more; what they published stays in CloudWatch.
    Instant now = clock.instant();
    stopMetrics(key -> key.source().equals(name), now);
    for (Map.Entry<ReplicationMetrics.RuleKey, List<MetricsPeriod>> entry :
        metricsPeriods.entrySet()) {
      MetricsPeriod last = entry.getValue().get(entry.getValue().size() - 1);
      if (entry.getKey().destination().equals(name)
          && last.end == null
          && last.destinationDeleted == null) {
        last.destinationDeleted = now;
      }
    }
  }

  public synchronized List<String> bucketNames() {
    return List.copyOf(buckets.keySet());
  }

  /** The side ("primary", "secondary") a bucket was created for, or "" if there is none. */
  public synchronized String sideOf(String name) {
    Bucket bucket = buckets.get(name);
    return bucket == null ? "" : bucket.side;
  }

  public synchronized String region(String name) {
    return bucket(name).region;
  }

  synchronized Instant created(String name) {
    return bucket(name).created;
  }

  /** {@code Enabled}, {@code Suspended}, or null when versioning was never enabled. */
  public synchronized String versioning(String name) {
    return bucket(name).versioning;
  }

  public synchronized void setVersioning(String name, String status) {
    if (!"Enabled".equals(status) && !"Suspended".equals(status)) {
      throw S3Error.malformedXml(name);
    }
    bucket(name).versioning = status;
  }

  public synchronized ReplicationConfiguration replication(String name) {
    ReplicationConfiguration replication = bucket(name).replication;
    if (replication == null) {
      throw new S3Error(
          404,
          "ReplicationConfigurationNotFoundError",
          "The replication configuration was not found",
          name);
    }
    return replication;
  }

  /**
   * Sets the replication configuration. As in S3, the source bucket must have versioning enabled,
   * and so must a destination bucket this simulator holds; a destination it does not hold may live
   * in another account, which S3 cannot check either. Rule IDs must be unique, and so must the
   * priorities of rules in the current (V2) form.
   */
  public synchronized void putReplication(String name, ReplicationConfiguration configuration) {
    Bucket bucket = bucket(name);
    if (!"Enabled".equals(bucket.versioning)) {
      throw S3Error.invalidRequest(
          "Versioning must be 'Enabled' on the bucket to apply a replication configuration", name);
    }
    if (configuration.rules().isEmpty()) {
      throw S3Error.malformedXml(name);
    }
    configuration = withIds(configuration);
    Set<String> ids = new TreeSet<>();
    Set<Integer> priorities = new TreeSet<>();
    for (ReplicationConfiguration.Rule rule : configuration.rules()) {
      if (rule.id() != null && !ids.add(rule.id())) {
        throw S3Error.invalidRequest("Rule Id must be unique.", name);
      }
      if (rule.priority() != null && !priorities.add(rule.priority())) {
        throw S3Error.invalidRequest("Rule priority must be unique: " + rule.priority(), name);
      }
      Bucket destination = buckets.get(rule.destination().bucketName());
      if (destination != null && !"Enabled".equals(destination.versioning)) {
        throw S3Error.invalidRequest("Destination bucket must have versioning enabled.", name);
      }
      // Replicating SSE-KMS objects takes both the opt-in and the key for replicas (S3 user
      // guide, "Replicating encrypted objects": "you must specify ... SseKmsEncryptedObjects ...
      // and ReplicaKmsKeyID"). What S3 answers to one without the other is not documented; the
      // simulator refuses it, the harsher choice.
      if ("Enabled".equals(rule.sseKmsEncryptedObjects())
          && rule.destination().replicaKmsKeyId() == null) {
        throw S3Error.invalidRequest(
            "ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.", name);
      }
    }
    bucket.replication = configuration;
    Instant now = clock.instant();
    Set<ReplicationMetrics.RuleKey> enabled = new java.util.HashSet<>();
    for (ReplicationConfiguration.Rule rule : configuration.rules()) {
      if (metricsEnabled(rule)) {
        String destination = rule.destination().bucketName();
        ReplicationMetrics.RuleKey key =
            new ReplicationMetrics.RuleKey(name, rule.id(), destination);
        enabled.add(key);
        List<MetricsPeriod> periods = metricsPeriods.computeIfAbsent(key, k -> new ArrayList<>());
        MetricsPeriod last = periods.isEmpty() ? null : periods.get(periods.size() - 1);
        // Whether putting the rule again after its destination was deleted restarts the metrics
        // that stopped, and with them the first 15 minutes, is not documented: a new period here
        // (the harsher choice: OperationsFailedReplication pauses for those 15 minutes too).
        if (last != null && last.end == null && last.destinationDeleted != null) {
          last.end = now;
        }
        if (last == null || last.end != null) {
          Bucket held = buckets.get(destination);
          periods.add(new MetricsPeriod(now, bucket.region, held == null ? null : held.region));
        }
      }
    }
    stopMetrics(key -> key.source().equals(name) && !enabled.contains(key), now);
  }

  /**
   * The configuration with an ID for each rule given without one. The API reference documents the
   * ID as optional ("A unique identifier for the rule"), not what S3 does without it; S3 is
   * observed to assign one (hashicorp/terraform-provider-aws#665: "AWS will auto-assign the ID").
   * Its form is not documented: a random UUID here, which a caller cannot guess and must read back
   * with GetBucketReplication (the harsher choice), and never "", which could not be a metric's
   * RuleId (values "must include at least one non-whitespace character", CloudWatch API reference,
   * Dimension).
   */
  private static ReplicationConfiguration withIds(ReplicationConfiguration configuration) {
    List<ReplicationConfiguration.Rule> rules = new ArrayList<>();
    for (ReplicationConfiguration.Rule rule : configuration.rules()) {
      rules.add(
          rule.id() == null || rule.id().isEmpty()
              ? rule.withId(UUID.randomUUID().toString())
              : rule);
    }
    return new ReplicationConfiguration(configuration.role(), rules);
  }

  public synchronized void deleteReplication(String name) {
    bucket(name).replication = null;
    stopMetrics(key -> key.source().equals(name), clock.instant());
  }

  /** Ends the open publication period of the rules that match: S3 publishes no more for them. */
  private void stopMetrics(
      java.util.function.Predicate<ReplicationMetrics.RuleKey> stopped, Instant now) {
    for (Map.Entry<ReplicationMetrics.RuleKey, List<MetricsPeriod>> entry :
        metricsPeriods.entrySet()) {
      List<MetricsPeriod> periods = entry.getValue();
      MetricsPeriod last = periods.get(periods.size() - 1);
      if (last.end == null && stopped.test(entry.getKey())) {
        last.end = now;
      }
    }
    // Periods that ended before the retention have nothing left to serve.
    Instant forgotten = now.minus(ReplicationMetrics.RETENTION);
    metricsPeriods
        .values()
        .forEach(periods -> periods.removeIf(p -> p.end != null && p.end.isBefore(forgotten)));
    metricsPeriods.values().removeIf(List::isEmpty);
  }

  /**
   * Whether S3 publishes replication metrics for a rule: its {@code Destination/Metrics/Status} is
   * {@code Enabled}, or S3 Replication Time Control is ({@code
   * Destination/ReplicationTime/Status}), which turns the metrics on with it (S3 user guide, "Using
   * S3 Replication metrics"). For a rule whose own status is {@code Disabled} nothing is
   * documented; the simulator publishes nothing, the harsher choice.
   */
  private static boolean metricsEnabled(ReplicationConfiguration.Rule rule) {
    ReplicationConfiguration.Destination destination = rule.destination();
    return "Enabled".equals(rule.status())
        && ((destination.metrics() != null && "Enabled".equals(destination.metrics().status()))
            || (destination.replicationTime() != null
                && "Enabled".equals(destination.replicationTime().status())));
  }

  /**
   * A test fixture, not cloud behaviour: says that the replication metrics of every rule of the
   * bucket's current configuration that enables them were enabled at {@code enabledAt}, so that a
   * bucket "configured long ago" has datapoints at once instead of 15 minutes after the test put
   * its configuration. Operations before the configuration was put are not invented: the history
   * holds what S3State saw.
   */
  public synchronized void replicationMetricsEnabledAt(String sourceBucket, Instant enabledAt) {
    bucket(sourceBucket);
    boolean any = false;
    for (Map.Entry<ReplicationMetrics.RuleKey, List<MetricsPeriod>> entry :
        metricsPeriods.entrySet()) {
      List<MetricsPeriod> periods = entry.getValue();
      MetricsPeriod last = periods.get(periods.size() - 1);
      if (entry.getKey().source().equals(sourceBucket) && last.end == null) {
        // Enabled long ago and never stopped since: earlier periods are part of this one.
        last.start = enabledAt;
        periods.removeIf(p -> p != last);
        any = true;
      }
    }
    if (!any) {
      throw new IllegalStateException(
          "no rule of " + sourceBucket + "'s replication configuration enables metrics");
    }
  }

  /**
   * A test fixture, not cloud behaviour as such: the datapoints of every rule from or to this
   * bucket are not delivered while withheld, as the S3 user guide ("Metrics and dimensions") says a
   * minute's datapoint may not be.
   */
  public synchronized void withholdReplicationMetrics(String bucket, boolean withheld) {
    if (withheld) {
      metricsWithheld.add(bucket);
    } else {
      metricsWithheld.remove(bucket);
    }
  }

  /**
   * The datapoints S3 has published to CloudWatch for one replication metric of one rule, at most
   * one per minute (the minute's start) whose start is in [from, to), oldest first, as a
   * GetMetricData request to {@code requestRegion}'s CloudWatch finds them. A minute is published
   * when:
   *
   * <ul>
   *   <li>the request goes to the metric's region ({@link #publishedIn}); a destination this
   *       simulator did not hold when the metrics were enabled and does not hold now has no known
   *       region, so its three metrics are found nowhere;
   *   <li>the rule (its id and destination) enabled metrics ({@link #metricsEnabled}) in the source
   *       bucket's configuration from at least {@link ReplicationMetrics#FIRST_REPORT_AFTER} before
   *       the minute's start until at least its end ({@link #endOf}). What was published stays
   *       published when the configuration is later replaced or deleted, or a region becomes
   *       unreachable: CloudWatch keeps datapoints for their retention. Whether S3 publishes the
   *       partial minute in which metrics are disabled is not documented; the simulator does not
   *       (harsher);
   *   <li>the minute has ended at least {@link ReplicationMetrics#PUBLICATION_DELAY} ago, and is
   *       within {@link ReplicationMetrics#RETENTION};
   *   <li>neither bucket's region was in an outage during the minute: what S3 publishes for such
   *       minutes is not documented; the simulator publishes nothing, the harsher choice;
   *   <li>neither bucket is withheld ({@link #withholdReplicationMetrics});
   *   <li>the metric has a datapoint for the minute ({@link ReplicationMetrics#points}): the three
   *       pending and latency metrics every minute, even when nothing replicated, as they are
   *       "still published if replication doesn't occur" (S3 user guide, repl-metrics: "Yes" in
   *       that column); {@value ReplicationMetrics#OPERATIONS_FAILED} only in a minute in which an
   *       operation was done ("No" there).
   * </ul>
   */
  public synchronized List<ReplicationMetrics.Point> replicationMetric(
      String requestRegion,
      String metricName,
      String sourceBucket,
      String destinationBucket,
      String ruleId,
      Instant from,
      Instant to) {
    replicateDue();
    ReplicationMetrics.RuleKey key =
        new ReplicationMetrics.RuleKey(sourceBucket, ruleId, destinationBucket);
    Instant now = clock.instant();
    List<long[]> ranges =
        publishedRanges(
            key,
            metricName,
            requestRegion,
            ceilMinute(from.toEpochMilli()),
            ceilMinute(to.toEpochMilli()),
            now);
    if (ranges.isEmpty()) {
      return List.of();
    }
    long first = ranges.get(0)[0];
    long last = ranges.get(ranges.size() - 1)[1];
    ReplicationMetrics.Point[] all = metrics.points(key, metricName, first, last + 1, now);
    List<ReplicationMetrics.Point> points = new ArrayList<>();
    for (long[] range : ranges) {
      for (long m = range[0]; m <= range[1]; m++) {
        if (all[(int) (m - first)] != null && !outageDuring(key, m)) {
          points.add(all[(int) (m - first)]);
        }
      }
    }
    return points;
  }

  /** The time on this state's clock. */
  public Instant now() {
    return clock.instant();
  }

  /** One replication metric of a rule that has published datapoints, and the first and last one. */
  public record PublishedMetrics(
      String sourceBucket,
      String destinationBucket,
      String ruleId,
      String metricName,
      Instant firstMinute,
      Instant lastMinute) {}

  /**
   * The replication metrics a request to {@code requestRegion}'s CloudWatch finds datapoints for
   * within the retention (the same minutes {@link #replicationMetric} serves), with the start of
   * the first and last such minute; ordered by source bucket, destination bucket, rule id and
   * metric name.
   */
  public synchronized List<PublishedMetrics> publishedReplicationMetrics(String requestRegion) {
    replicateDue();
    Instant now = clock.instant();
    List<PublishedMetrics> found = new ArrayList<>();
    for (ReplicationMetrics.RuleKey key : metricsPeriods.keySet()) {
      for (String name : ReplicationMetrics.NAMES) {
        List<long[]> ranges =
            publishedRanges(key, name, requestRegion, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, now);
        Long first = firstPublished(key, name, ranges);
        if (first != null) {
          found.add(
              new PublishedMetrics(
                  key.source(),
                  key.destination(),
                  key.ruleId(),
                  name,
                  Instant.ofEpochMilli(first * MINUTE_MILLIS),
                  Instant.ofEpochMilli(lastPublished(key, name, ranges) * MINUTE_MILLIS)));
        }
      }
    }
    found.sort(
        Comparator.comparing(PublishedMetrics::sourceBucket)
            .thenComparing(PublishedMetrics::destinationBucket)
            .thenComparing(PublishedMetrics::ruleId)
            .thenComparing(PublishedMetrics::metricName));
    return found;
  }

  /** The first minute of the ranges with a datapoint of the metric outside outages, or null. */
  private Long firstPublished(ReplicationMetrics.RuleKey key, String name, List<long[]> ranges) {
    for (long[] range : ranges) {
      for (Long m = metrics.nearestPoint(key, name, range[0], true);
          m != null && m <= range[1];
          m = metrics.nearestPoint(key, name, m + 1, true)) {
        if (!outageDuring(key, m)) {
          return m;
        }
      }
    }
    return null;
  }

  /** The last minute of the ranges with a datapoint of the metric outside outages, or null. */
  private Long lastPublished(ReplicationMetrics.RuleKey key, String name, List<long[]> ranges) {
    for (int r = ranges.size() - 1; r >= 0; r--) {
      long[] range = ranges.get(r);
      for (Long m = metrics.nearestPoint(key, name, range[1], false);
          m != null && m >= range[0];
          m = metrics.nearestPoint(key, name, m - 1, false)) {
        if (!outageDuring(key, m)) {
          return m;
        }
      }
    }
    return null;
  }

  private static final long MINUTE_MILLIS = 60_000;

  /**
   * The minutes (indexes, both ends included, ascending and disjoint) of [fromMinute, toMinute)
   * that a rule's publication periods, the retention and the publication delay allow the metric to
   * be read in {@code requestRegion}, outages and minutes without a datapoint aside; none for a
   * withheld bucket or another region.
   */
  private List<long[]> publishedRanges(
      ReplicationMetrics.RuleKey key,
      String metricName,
      String requestRegion,
      long fromMinute,
      long toMinute,
      Instant now) {
    List<MetricsPeriod> periods = metricsPeriods.get(key);
    if (periods == null
        || metricsWithheld.contains(key.source())
        || metricsWithheld.contains(key.destination())) {
      return List.of();
    }
    long first =
        Math.max(fromMinute, ceilMinute(now.minus(ReplicationMetrics.RETENTION).toEpochMilli()));
    // The last minute whose end is at least the publication delay ago, and that starts before to.
    long endLimit = now.minus(ReplicationMetrics.PUBLICATION_DELAY).toEpochMilli();
    long last = Math.min(Math.floorDiv(endLimit, MINUTE_MILLIS) - 1, toMinute - 1);
    List<long[]> ranges = new ArrayList<>();
    for (MetricsPeriod period : periods) {
      if (!requestRegion.equals(publishedIn(key, period, metricName))) {
        continue;
      }
      long from =
          Math.max(
              first,
              ceilMinute(period.start.plus(ReplicationMetrics.FIRST_REPORT_AFTER).toEpochMilli()));
      // Only minutes that ended while the metric was still published.
      Instant end = endOf(period, metricName);
      long to =
          end == null ? last : Math.min(last, Math.floorDiv(end.toEpochMilli(), MINUTE_MILLIS) - 1);
      if (from <= to) {
        ranges.add(new long[] {from, to});
      }
    }
    return ranges;
  }

  /**
   * The region whose CloudWatch holds a metric of the rule (S3 user guide, repl-metrics, "Which
   * Region is this metric published in?"): for {@value ReplicationMetrics#BYTES_PENDING}, {@value
   * ReplicationMetrics#LATENCY} and {@value ReplicationMetrics#OPERATIONS_PENDING} "This metric is
   * published in the Region of the destination bucket"; for {@value
   * ReplicationMetrics#OPERATIONS_FAILED} "This metric is published in the Region of the source
   * bucket".
   */
  private String publishedIn(
      ReplicationMetrics.RuleKey key, MetricsPeriod period, String metricName) {
    return metricName.equals(ReplicationMetrics.OPERATIONS_FAILED)
        ? sourceRegion(key, period)
        : destinationRegion(key, period);
  }

  /**
   * When the period stopped publishing the metric, or null while it publishes it. "Is this metric
   * still published if the destination bucket is deleted?" (S3 user guide, repl-metrics): "No" for
   * the pending and latency metrics, "Yes" for {@value ReplicationMetrics#OPERATIONS_FAILED}.
   */
  private static Instant endOf(MetricsPeriod period, String metricName) {
    return metricName.equals(ReplicationMetrics.OPERATIONS_FAILED)
            || period.destinationDeleted == null
        ? period.end
        : period.destinationDeleted;
  }

  /** The source's region: the bucket's, or as it was when the period began if it is gone. */
  private String sourceRegion(ReplicationMetrics.RuleKey key, MetricsPeriod period) {
    Bucket source = buckets.get(key.source());
    return source != null ? source.region : period.sourceRegion;
  }

  /** The destination's region: the bucket's, or as it was when the period began if it is gone. */
  private String destinationRegion(ReplicationMetrics.RuleKey key, MetricsPeriod period) {
    Bucket destination = buckets.get(key.destination());
    return destination != null ? destination.region : period.destinationRegion;
  }

  /** Whether the source's or the destination's region was in an outage during the minute. */
  private boolean outageDuring(ReplicationMetrics.RuleKey key, long minute) {
    long start = minute * MINUTE_MILLIS;
    List<MetricsPeriod> periods = metricsPeriods.get(key);
    MetricsPeriod last = periods.get(periods.size() - 1);
    String sourceRegion = sourceRegion(key, last);
    String destinationRegion = destinationRegion(key, last);
    return duringOutage(sourceRegion, start, start + MINUTE_MILLIS)
        || (destinationRegion != null
            && duringOutage(destinationRegion, start, start + MINUTE_MILLIS));
  }

  /** The index of the first minute starting at or after an instant (ms). */
  private static long ceilMinute(long millis) {
    return Math.floorDiv(millis + 59_999, 60_000);
  }

  private boolean duringOutage(String region, long startMillis, long endMillis) {
    for (Instant[] outage : outages.getOrDefault(region, List.of())) {
      if (outage[0].toEpochMilli() < endMillis
          && (outage[1] == null || outage[1].toEpochMilli() > startMillis)) {
        return true;
      }
    }
    return false;
  }

  /** The side of a bucket in this region (the first by name), or null when it holds none. */
  public synchronized String sideInRegion(String region) {
    for (Bucket bucket : buckets.values()) {
      if (bucket.region.equals(region)) {
        return bucket.side;
      }
    }
    return null;
  }

  /** Whether a region answers (see {@link #setRegionReachable}). */
  public synchronized boolean regionReachable(String region) {
    return !unreachableRegions.contains(region);
  }

  /** The bucket's tags in the order they were set; NoSuchTagSet (404) when it has none. */
  public synchronized Map<String, String> tags(String name) {
    Map<String, String> tags = bucket(name).tags;
    if (tags == null) {
      throw new S3Error(404, "NoSuchTagSet", "The TagSet does not exist", name);
    }
    return new LinkedHashMap<>(tags);
  }

  /** The bucket's tags, or an empty map when it has none; for tests and the sandbox. */
  public synchronized Map<String, String> tagsOrEmpty(String name) {
    Map<String, String> tags = bucket(name).tags;
    return tags == null ? Map.of() : new LinkedHashMap<>(tags);
  }

  /**
   * A bucket as CloudFormation creates one for a stack's {@code AWS::S3::Bucket} resource: with the
   * template's tags and the three system tags CloudFormation adds to every resource it creates
   * ({@code aws:cloudformation:stack-name}, {@code :stack-id}, {@code :logical-id}; AWS
   * CloudFormation user guide, "Resource tags"). Only CloudFormation can write those, which is why
   * this is not reachable through the S3 API.
   */
  public synchronized void createStackBucket(
      String name,
      String region,
      String side,
      String stackName,
      String logicalId,
      Map<String, String> templateTags) {
    createBucket(name, region, side);
    Map<String, String> tags = new LinkedHashMap<>(templateTags);
    tags.put(STACK_NAME_TAG, stackName);
    tags.put(
        "aws:cloudformation:stack-id",
        "arn:aws:cloudformation:"
            + region
            + ":123456789012:stack/"
            + stackName
            + "/"
            + UUID.nameUUIDFromBytes((stackName + "/" + region).getBytes()));
    tags.put("aws:cloudformation:logical-id", logicalId);
    bucket(name).tags = tags;
  }

  /** The tag CloudFormation puts on what it creates: the name of the stack. */
  public static final String STACK_NAME_TAG = "aws:cloudformation:stack-name";

  /**
   * Replaces the bucket's whole tag set, as PutBucketTagging does: tags not given are gone. S3
   * allows 50 tags, keys of 1 to 128 and values of up to 256 characters, and no key twice.
   *
   * <p>Keys under {@code aws:} are system tags (S3 user guide, "Adding a tag to a bucket": a key
   * with the reserved prefix is refused). A set that adds one, or changes the value of one the
   * bucket carries, is refused with "System tags cannot be added/updated by requester" (the message
   * moto's AWS-verified bucket-tagging test records). A set that leaves out a system tag the bucket
   * carries (a CloudFormation-made bucket's) is refused with "System Tags cannot be removed by
   * requester" (cloud-custodian issue 2834, terraform-provider-aws issue 7323). A set that repeats
   * the bucket's system tags unchanged is accepted: since 2018 S3 requires them in the set
   * (cloud-custodian pull request 2861), and the Terraform AWS provider writes them back that way,
   * with acceptance tests on such buckets (terraform-provider-aws pull request 7342). Before 2018
   * S3 refused any {@code aws:} key ("Your TagKey cannot be prefixed with aws:", cloud-custodian
   * issue 370), so no set at all could keep them; that is no longer so.
   *
   * <p>A bucket with ABAC enabled cannot be tagged by PutBucketTagging at all (S3 API reference,
   * PutBucketTagging and PutBucketAbac: use TagResource instead). The error S3 returns then is not
   * documented: the simulator refuses with 400 {@code InvalidRequest}, which cannot be retried.
   */
  public synchronized void putTags(String name, List<Map.Entry<String, String>> tagSet) {
    Bucket bucket = bucket(name);
    requireNoAbac(bucket, "PutBucketTagging");
    if (tagSet.size() > 50) {
      throw invalidTag("Object tags cannot be greater than 50", name);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Map.Entry<String, String> tag : tagSet) {
      String key = tag.getKey() == null ? "" : tag.getKey();
      String value = tag.getValue() == null ? "" : tag.getValue();
      if (key.isEmpty() || key.length() > 128) {
        throw invalidTag("The TagKey you have provided is invalid", name);
      }
      if (value.length() > 256) {
        throw invalidTag("The TagValue you have provided is invalid", name);
      }
      if (tags.put(key, value) != null) {
        throw invalidTag("Cannot provide multiple Tags with the same key", name);
      }
    }
    Map<String, String> system = systemTags(bucket);
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (isSystemTag(tag.getKey()) && !tag.getValue().equals(system.get(tag.getKey()))) {
        throw invalidTag("System tags cannot be added/updated by requester", name);
      }
    }
    if (!tags.keySet().containsAll(system.keySet())) {
      throw invalidTag("System Tags cannot be removed by requester", name);
    }
    bucket.tags = tags;
  }

  /**
   * DeleteBucketTagging. On a bucket that carries system tags, what S3 does is not documented (it
   * cannot remove them; the Terraform provider never calls it while they remain): the simulator
   * refuses, the harsher answer, as PutBucketTagging refuses a set without them. Refused on an
   * ABAC-enabled bucket (S3 API reference, PutBucketAbac).
   */
  public synchronized void deleteTags(String name) {
    Bucket bucket = bucket(name);
    requireNoAbac(bucket, "DeleteBucketTagging");
    if (!systemTags(bucket).isEmpty()) {
      throw invalidTag("System Tags cannot be removed by requester", name);
    }
    bucket.tags = null;
  }

  /**
   * PutBucketAbac: with ABAC enabled, the bucket's tags are managed by TagResource and
   * UntagResource only (S3 API reference, PutBucketAbac).
   */
  public synchronized void setAbac(String name, boolean enabled) {
    bucket(name).abac = enabled;
  }

  public synchronized boolean abac(String name) {
    return bucket(name).abac;
  }

  private static void requireNoAbac(Bucket bucket, String operation) {
    if (bucket.abac) {
      throw new S3Error(
          400,
          "InvalidRequest",
          operation
              + " is not supported for a bucket with ABAC enabled; use TagResource and"
              + " UntagResource",
          bucket.name);
    }
  }

  private static boolean isSystemTag(String key) {
    return key.startsWith("aws:");
  }

  private static Map<String, String> systemTags(Bucket bucket) {
    Map<String, String> system = new LinkedHashMap<>();
    if (bucket.tags != null) {
      bucket.tags.forEach(
          (key, value) -> {
            if (isSystemTag(key)) {
              system.put(key, value);
            }
          });
    }
    return system;
  }

  /**
   * Lowers the single-request limit ({@link #SINGLE_REQUEST_LIMIT}, 5 GiB), so that a test can
   * exercise the multipart path with objects of a few MiB. A test convenience only: real S3's limit
   * is fixed, and the multipart minimum part size (5 MiB) is not lowered with it.
   */
  public synchronized void lowerSingleRequestLimitForTests(long bytes) {
    singleRequestLimit = bytes;
  }

  /** The largest object one PutObject, CopyObject or UploadPart may carry. */
  public synchronized long singleRequestLimit() {
    return singleRequestLimit;
  }

  static S3Error entityTooLarge(String bucket) {
    return new S3Error(
        400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", bucket);
  }

  /** The tags of an object's current version, or of the version asked for. */
  public synchronized Map<String, String> objectTags(String name, String key, String versionId) {
    return new TreeMap<>(getObject(name, key, versionId).tags());
  }

  private static S3Error invalidTag(String message, String bucket) {
    return new S3Error(400, "InvalidTag", message, bucket);
  }

  /**
   * How long after a write its replication falls due, for writes to this (source) bucket; zero
   * means at the next call.
   */
  public synchronized void setReplicationLag(String name, Duration lag) {
    replicateDue();
    bucket(name).replicationLag = lag;
  }

  /** The share (0 to 1) of this source bucket's replications that end FAILED. */
  public synchronized void setReplicationFailureRate(String name, double rate) {
    replicateDue();
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("failure rate must be between 0 and 1: " + rate);
    }
    bucket(name).replicationFailureRate = rate;
  }

  /**
   * Makes a region answer or not, as in a regional outage. Requests to its buckets get no answer
   * (the simulator drops the connection), and replication to or from it waits until it is back.
   */
  public synchronized void setRegionReachable(String region, boolean reachable) {
    replicateDue();
    Instant now = clock.instant();
    List<Instant[]> regionOutages = outages.computeIfAbsent(region, r -> new ArrayList<>());
    if (reachable) {
      if (unreachableRegions.remove(region)) {
        regionOutages.get(regionOutages.size() - 1)[1] = now;
        reachableSince.put(region, now);
      }
    } else if (unreachableRegions.add(region)) {
      Instant forgotten = now.minus(ReplicationMetrics.RETENTION);
      regionOutages.removeIf(o -> o[1] != null && o[1].isBefore(forgotten));
      regionOutages.add(new Instant[] {now, null});
    }
  }

  /** Whether a bucket's region answers; a bucket that does not exist answers (NoSuchBucket). */
  public synchronized boolean reachable(String name) {
    Bucket bucket = buckets.get(name);
    return bucket == null || !unreachableRegions.contains(bucket.region);
  }

  /**
   * Issues temporary credentials that may list and read objects under {@code prefix} of a bucket,
   * and write and delete them too when {@code write}; every other request made with them is refused
   * 403 {@code AccessDenied}, as a session policy scoped to the prefix would make S3 do.
   */
  public synchronized TemporaryCredentials issueCredentials(
      String bucket, String prefix, boolean write, Duration lifetime) {
    String accessKeyId =
        "ASIA"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 16)
                .toUpperCase(java.util.Locale.ROOT);
    String secret = UUID.randomUUID().toString().replace("-", "") + newVersionId();
    String token = "IQoJb3JpZ2luX2Vj" + newVersionId() + newVersionId();
    Instant expiration = clock.instant().plus(lifetime);
    grants.put(accessKeyId, new Grant(bucket, prefix, write, token, expiration));
    return new TemporaryCredentials(accessKeyId, secret, token, expiration);
  }

  /** Whether an access key id is one of the temporary credentials this state issued. */
  public synchronized boolean temporary(String accessKeyId) {
    return grants.containsKey(accessKeyId);
  }

  /**
   * Refuses a request made with temporary credentials that they do not allow: a missing or wrong
   * session token, expired credentials, another bucket, a key (or, for a listing, a prefix) outside
   * theirs, a write with read-only credentials, or any other operation.
   *
   * @param key the object's key, or null for a request on the bucket
   * @param listPrefix for a ListObjectsV2 request, its prefix ("" without one); else null
   */
  public synchronized void authorize(
      String accessKeyId,
      String sessionToken,
      String bucket,
      String key,
      String listPrefix,
      boolean write) {
    Grant grant = grants.get(accessKeyId);
    if (grant == null) {
      return;
    }
    if (sessionToken == null) {
      throw new S3Error(
          403,
          "InvalidAccessKeyId",
          "The AWS Access Key Id you provided does not exist in our records.",
          bucket);
    }
    if (!sessionToken.equals(grant.sessionToken())) {
      throw new S3Error(
          400, "InvalidToken", "The provided token is malformed or otherwise invalid.", bucket);
    }
    if (!clock.instant().isBefore(grant.expiration())) {
      throw new S3Error(400, "ExpiredToken", "The provided token has expired.", bucket);
    }
    boolean inScope =
        bucket.equals(grant.bucket())
            && (write ? grant.write() : true)
            && (key != null
                ? key.startsWith(grant.prefix())
                : listPrefix != null && listPrefix.startsWith(grant.prefix()));
    if (!inScope) {
      throw new S3Error(403, "AccessDenied", "Access Denied", bucket);
    }
  }

  /**
   * Deletes every current object under a prefix, as a client deleting them one by one would: a
   * versioned bucket keeps their versions behind delete markers. Returns how many were deleted.
   */
  public synchronized int deletePrefix(String name, String prefix) {
    int deleted = 0;
    for (String key : objectKeys(name)) {
      if (key.startsWith(prefix)) {
        deleteObject(name, key, null);
        deleted++;
      }
    }
    return deleted;
  }

  /** The replication status of a key's current version, or null when it has none. */
  public synchronized String replicationStatus(String name, String key) {
    replicateDue();
    List<ObjectVersion> versions = bucket(name).objects.getOrDefault(key, List.of());
    return versions.isEmpty() ? null : versions.get(versions.size() - 1).replicationStatus();
  }

  /** How many replications from this bucket have not yet been carried out. */
  public synchronized int pendingReplications(String name) {
    replicateDue();
    return (int) queue.stream().filter(p -> p.source().equals(name)).count();
  }

  /** Stores an object as an upload without headers would, for seeding. */
  public ObjectVersion putObject(String name, String key, byte[] content) {
    return putObject(name, key, content, null, null, Map.of(), null, null);
  }

  /** Stores a new version under SSE-S3 without tags, as a PutObject without those headers. */
  public ObjectVersion putObject(
      String name,
      String key,
      byte[] content,
      String contentType,
      String contentEncoding,
      Map<String, String> metadata,
      String checksumAlgorithm,
      String checksum) {
    return putObject(
        name,
        key,
        content,
        contentType,
        contentEncoding,
        metadata,
        checksumAlgorithm,
        checksum,
        null,
        Map.of());
  }

  /**
   * Stores a new version (or replaces the null version when versioning is off). The single-request
   * limit is the HTTP layer's to enforce: here, a test may seed an object of any size, as a
   * multipart upload would have written it.
   *
   * @param encryption SSE-KMS with a key of the bucket's region, or null for SSE-S3
   * @param tags the object's tags (at most 10)
   */
  public synchronized ObjectVersion putObject(
      String name,
      String key,
      byte[] content,
      String contentType,
      String contentEncoding,
      Map<String, String> metadata,
      String checksumAlgorithm,
      String checksum,
      Encryption encryption,
      Map<String, String> tags) {
    replicateDue();
    Bucket bucket = bucket(name);
    return store(
        bucket,
        key,
        content,
        Checksums.md5Hex(content),
        contentType,
        contentEncoding,
        metadata,
        checksumAlgorithm,
        checksum,
        encryption,
        tags);
  }

  /**
   * Stores a version assembled by CompleteMultipartUpload, whose ETag is not the MD5 of its content
   * and whose size only the 5 TiB object limit bounds.
   */
  synchronized ObjectVersion putAssembled(
      String name,
      String key,
      byte[] content,
      String etag,
      String contentType,
      Map<String, String> metadata,
      Encryption encryption,
      Map<String, String> tags) {
    replicateDue();
    return store(
        bucket(name),
        key,
        content,
        etag,
        contentType,
        null,
        metadata,
        null,
        null,
        encryption,
        tags);
  }

  private ObjectVersion store(
      Bucket bucket,
      String key,
      byte[] content,
      String etag,
      String contentType,
      String contentEncoding,
      Map<String, String> metadata,
      String checksumAlgorithm,
      String checksum,
      Encryption encryption,
      Map<String, String> tags) {
    Encryption stored = encryption == null ? Encryption.SSE_S3 : encryption;
    if (stored.isKms()) {
      KmsKeys.requireInRegion(stored.kmsKeyId(), bucket.region, bucket.name);
    }
    ObjectTags.validate(tags, bucket.name);
    boolean versioned = "Enabled".equals(bucket.versioning);
    ObjectVersion version =
        new ObjectVersion(
            versioned ? newVersionId() : "null",
            content,
            etag,
            contentType == null ? "binary/octet-stream" : contentType,
            contentEncoding,
            Map.copyOf(metadata),
            checksumAlgorithm,
            checksum,
            clock.instant(),
            false,
            null,
            stored,
            Map.copyOf(tags));
    List<ObjectVersion> versions = bucket.objects.computeIfAbsent(key, k -> new ArrayList<>());
    if (!versioned) {
      versions.removeIf(v -> v.versionId().equals("null"));
    }
    version = scheduleReplication(bucket, key, version);
    versions.add(version);
    return version;
  }

  /** The current version; NoSuchKey when there is none or it is a delete marker. */
  public ObjectVersion getObject(String name, String key) {
    return getObject(name, key, null);
  }

  /** The current version, or the one asked for; a delete marker or nothing is NoSuchKey. */
  public synchronized ObjectVersion getObject(String name, String key, String versionId) {
    replicateDue();
    List<ObjectVersion> versions = bucket(name).objects.getOrDefault(key, List.of());
    ObjectVersion found = null;
    if (versionId == null) {
      found = versions.isEmpty() ? null : versions.get(versions.size() - 1);
    } else {
      for (ObjectVersion v : versions) {
        if (v.versionId().equals(versionId)) {
          found = v;
        }
      }
      if (found == null) {
        throw new S3Error(400, "InvalidArgument", "Invalid version id specified", name);
      }
    }
    if (found == null || found.deleteMarker()) {
      throw new S3Error(404, "NoSuchKey", "The specified key does not exist.", name);
    }
    return found;
  }

  /**
   * Deletes an object: a versioned bucket gets a delete marker (replicated when a rule says so); an
   * unversioned one loses the object; a version id removes that version for good, and such deletes
   * are never replicated. Returns the marker or removed version id.
   */
  public synchronized String deleteObject(String name, String key, String versionId) {
    replicateDue();
    Bucket bucket = bucket(name);
    List<ObjectVersion> versions = bucket.objects.computeIfAbsent(key, k -> new ArrayList<>());
    if (versionId != null) {
      versions.removeIf(v -> v.versionId().equals(versionId));
      return versionId;
    }
    if ("Enabled".equals(bucket.versioning)) {
      ObjectVersion marker =
          new ObjectVersion(
              newVersionId(),
              new byte[0],
              null,
              null,
              null,
              Map.of(),
              null,
              null,
              clock.instant(),
              true,
              null,
              null,
              Map.of());
      versions.add(scheduleReplication(bucket, key, marker));
      return marker.versionId();
    }
    versions.clear();
    return null;
  }

  /** Keys whose current version is not a delete marker, sorted. */
  public synchronized List<String> objectKeys(String name) {
    replicateDue();
    List<String> keys = new ArrayList<>();
    bucket(name)
        .objects
        .forEach(
            (key, versions) -> {
              if (!versions.isEmpty() && !versions.get(versions.size() - 1).deleteMarker()) {
                keys.add(key);
              }
            });
    return keys;
  }

  /**
   * Every version and delete marker under a prefix as {@code key@versionId}, oldest first per key;
   * for tests.
   */
  public synchronized List<String> versionsOf(String name, String prefix) {
    replicateDue();
    List<String> all = new ArrayList<>();
    bucket(name)
        .objects
        .forEach(
            (key, versions) -> {
              if (key.startsWith(prefix)) {
                versions.forEach(v -> all.add(key + "@" + v.versionId()));
              }
            });
    return all;
  }

  /**
   * Walks the keys from {@code fromKey} (inclusive) in ListObjectVersions' order, each with its
   * versions newest first, until {@code visitor} answers false: a page costs what it returns, not
   * the size of the bucket.
   */
  synchronized void walkVersions(
      String name, String fromKey, BiPredicate<String, List<ObjectVersion>> visitor) {
    replicateDue();
    for (Map.Entry<String, List<ObjectVersion>> entry :
        bucket(name).objects.tailMap(fromKey, true).entrySet()) {
      if (entry.getValue().isEmpty()) {
        continue;
      }
      List<ObjectVersion> newestFirst = new ArrayList<>(entry.getValue());
      java.util.Collections.reverse(newestFirst);
      if (!visitor.test(entry.getKey(), newestFirst)) {
        return;
      }
    }
  }

  /**
   * Seeds a bucket's history for scale tests and the benchmark: {@code count} one-version objects
   * under {@code keyPrefix}, written evenly between {@code oldest} and {@code newest}, with the
   * given replication status and nothing queued (as if S3 had settled them). Every {@code
   * pendingEvery}-th object is PENDING instead (0 for none); those stay pending until a test marks
   * them otherwise, as a stalled replication would.
   */
  public void seedHistory(
      String name,
      String keyPrefix,
      int count,
      Instant oldest,
      Instant newest,
      String status,
      int pendingEvery) {
    seedHistory(
        name,
        i -> String.format("%s%09d", keyPrefix, i),
        count,
        oldest,
        newest,
        status,
        pendingEvery);
  }

  /**
   * Seeds a bucket's history as {@link #seedHistory(String, String, int, Instant, Instant, String,
   * int)} does, the {@code i}-th object under the key {@code keyOf} names: a test or the benchmark
   * spreads the objects over folders as a lakehouse keeps each table's files under its own.
   */
  public synchronized void seedHistory(
      String name,
      java.util.function.IntFunction<String> keyOf,
      int count,
      Instant oldest,
      Instant newest,
      String status,
      int pendingEvery) {
    Bucket bucket = bucket(name);
    byte[] empty = new byte[0];
    String etag = Checksums.md5Hex(empty);
    long span = Math.max(0, Duration.between(oldest, newest).toMillis());
    for (int i = 0; i < count; i++) {
      Instant at = oldest.plusMillis(count <= 1 ? 0 : span * i / (count - 1));
      boolean pending = pendingEvery > 0 && i % pendingEvery == 0;
      String key = keyOf.apply(i);
      ObjectVersion version =
          new ObjectVersion(
              newVersionId(),
              empty,
              etag,
              "binary/octet-stream",
              null,
              Map.of(),
              null,
              null,
              at,
              false,
              pending ? PENDING : status,
              Encryption.SSE_S3,
              Map.of());
      bucket.objects.computeIfAbsent(key, k -> new ArrayList<>(1)).add(version);
      if (pending) {
        // A version left PENDING counts in its rule's replication metrics as pending since it was
        // written; settled ones count nothing (the metrics cover live replication only).
        for (ReplicationConfiguration.Rule rule : rulesFor(bucket, key, version).values()) {
          metrics.written(
              new ReplicationMetrics.RuleKey(
                  bucket.name, rule.id(), rule.destination().bucketName()),
              at,
              empty.length);
        }
      }
    }
  }

  /**
   * Marks a new source version PENDING and queues one replication per destination when an enabled
   * rule selects its key. Where rules overlap, the one with the highest priority decides, per
   * destination. A replica is not replicated again, and a delete marker only where the rule
   * replicates delete markers (the legacy rule form always does).
   */
  private ObjectVersion scheduleReplication(Bucket bucket, String key, ObjectVersion version) {
    if (bucket.replication == null) {
      return version;
    }
    Map<String, ReplicationConfiguration.Rule> byDestination = rulesFor(bucket, key, version);
    boolean kms = version.encryption() != null && version.encryption().isKms();
    Instant due = clock.instant().plus(bucket.replicationLag);
    boolean queued = false;
    for (ReplicationConfiguration.Rule rule : byDestination.values()) {
      boolean replicatesMarkers =
          rule.filter() == null || "Enabled".equals(rule.deleteMarkerReplication());
      if (!version.deleteMarker() || replicatesMarkers) {
        String replicaKey = kms ? rule.destination().replicaKmsKeyId() : null;
        Pending pending =
            new Pending(
                bucket.name,
                key,
                version.versionId(),
                rule.destination().bucketName(),
                due,
                bucket.replication.role(),
                replicaKey,
                rule.id(),
                version.lastModified(),
                version.content().length);
        queue.add(pending);
        metrics.written(metricsRule(pending), pending.written(), pending.bytes());
        queued = true;
      }
    }
    if (!queued) {
      return version;
    }
    return version.deleteMarker() ? version : version.withReplicationStatus(PENDING);
  }

  private static ReplicationMetrics.RuleKey metricsRule(Pending pending) {
    return new ReplicationMetrics.RuleKey(
        pending.source(), pending.ruleId(), pending.destination());
  }

  /**
   * The enabled rules that select a version, one per destination: where rules overlap, the one with
   * the highest priority.
   */
  private static Map<String, ReplicationConfiguration.Rule> rulesFor(
      Bucket bucket, String key, ObjectVersion version) {
    Map<String, ReplicationConfiguration.Rule> byDestination = new TreeMap<>();
    if (bucket.replication == null) {
      return byDestination;
    }
    boolean kms = version.encryption() != null && version.encryption().isKms();
    for (ReplicationConfiguration.Rule rule : bucket.replication.rules()) {
      if (!"Enabled".equals(rule.status())
          || !key.startsWith(rule.keyPrefix())
          || (rule.filter() != null && !rule.filter().tags().isEmpty())) {
        continue;
      }
      // "By default, Amazon S3 doesn't replicate objects that are stored at rest using SSE-KMS"
      // (S3 user guide, "Replicating encrypted objects"): a rule must opt in. Such an object gets
      // no replication status from a rule that does not.
      if (kms && !"Enabled".equals(rule.sseKmsEncryptedObjects())) {
        continue;
      }
      byDestination.merge(
          rule.destination().bucketName(), rule, (a, b) -> priority(b) > priority(a) ? b : a);
    }
    return byDestination;
  }

  private static int priority(ReplicationConfiguration.Rule rule) {
    return rule.priority() == null ? 0 : rule.priority();
  }

  /**
   * Carries out every replication that is due and whose regions answer. A destination this
   * simulator does not hold is taken to be in another account, and its replication completes.
   */
  private void replicateDue() {
    Instant now = clock.instant();
    List<Pending> due =
        queue.stream()
            .filter(p -> !p.due().isAfter(now))
            .sorted(Comparator.comparing(Pending::due))
            .toList();
    for (Pending pending : due) {
      Bucket source = buckets.get(pending.source());
      Bucket destination = buckets.get(pending.destination());
      if (source == null) {
        queue.remove(pending);
        metrics.done(
            metricsRule(pending), pending.written(), now, pending.bytes(), Outcome.DROPPED);
        continue;
      }
      if (unreachableRegions.contains(source.region)
          || (destination != null && unreachableRegions.contains(destination.region))) {
        continue;
      }
      queue.remove(pending);
      Instant doneAt = doneAt(pending, source, destination);
      List<ObjectVersion> versions = source.objects.getOrDefault(pending.key(), List.of());
      int at = indexOf(versions, pending.versionId());
      if (at < 0) {
        metrics.done(
            metricsRule(pending), pending.written(), doneAt, pending.bytes(), Outcome.DROPPED);
        continue;
      }
      ObjectVersion version = versions.get(at);
      // Replication to a bucket whose versioning was suspended since the rule was set fails, and
      // so does one the rule's role may not carry out.
      boolean failed =
          !roleMayReplicate(pending, version)
              || (destination != null
                  && (!"Enabled".equals(destination.versioning)
                      || random.nextDouble() < source.replicationFailureRate));
      if (!failed && destination != null) {
        storeReplica(destination, pending.key(), replicaOf(version, pending));
      }
      metrics.done(
          metricsRule(pending),
          pending.written(),
          doneAt,
          pending.bytes(),
          failed ? Outcome.FAILED : Outcome.REPLICATED);
      if (!version.deleteMarker()) {
        String status = version.replicationStatus();
        if (failed) {
          status = FAILED;
        } else if (!FAILED.equals(status) && !stillPending(pending)) {
          status = COMPLETED;
        }
        versions.set(at, version.withReplicationStatus(status));
      }
    }
    metrics.flush(now);
  }

  /**
   * When a replication carried out now was done, for its rule's metrics: when it fell due, or, when
   * an outage of either region held it back, when the later of them came back. replicateDue runs at
   * the start of every call, so nothing done before the last call is counted late.
   */
  private Instant doneAt(Pending pending, Bucket source, Bucket destination) {
    Instant at = pending.due();
    for (Bucket bucket : new Bucket[] {source, destination}) {
      Instant back = bucket == null ? null : reachableSince.get(bucket.region);
      if (back != null && back.isAfter(at)) {
        at = back;
      }
    }
    return at;
  }

  /**
   * Whether the role may read the version from the source and write it to the destination. S3
   * checks the role only here, when it replicates an object, never when the configuration is put;
   * an object it may not replicate ends FAILED and is not retried (AWS S3 user guide, "Getting
   * replication status information": objects become FAILED for issues such as missing replication
   * role permissions, and a failed replication cannot be retried; "Troubleshooting replication"). A
   * delete marker needs {@code s3:ReplicateDelete} instead of {@code s3:ReplicateObject}.
   *
   * <p>On the source bucket itself (AWS S3 user guide, "Setting up permissions for live
   * replication", setting-repl-config-perm-overview): "{@code s3:GetReplicationConfiguration} and
   * {@code s3:ListBucket} – Permissions for these actions on the source bucket allow Amazon S3 to
   * retrieve the replication configuration and list the bucket content. (The current permissions
   * model requires the {@code s3:ListBucket} permission for accessing delete markers.)" So a delete
   * marker needs {@code s3:ListBucket} on the source bucket: documented. That an object (or a
   * marker) also fails without {@code s3:GetReplicationConfiguration} is not documented, only that
   * the minimum policy lists it: the simulator takes the harsher reading and fails every
   * replication without it. Whether an object needs {@code s3:ListBucket} is not documented either;
   * the sentence ties it to delete markers, and requiring it for objects too would hide the case
   * the guide warns of (objects replicate, deletes do not), so objects do not need it here.
   */
  private boolean roleMayReplicate(Pending pending, ObjectVersion version) {
    String role = pending.role();
    String sourceBucket = IamState.bucketArn(pending.source());
    if (!iam.allowed(role, IamState.GET_REPLICATION_CONFIGURATION, sourceBucket)) {
      return false;
    }
    if (version.deleteMarker() && !iam.allowed(role, IamState.LIST_BUCKET, sourceBucket)) {
      return false;
    }
    String write = version.deleteMarker() ? IamState.REPLICATE_DELETE : IamState.REPLICATE_OBJECT;
    return iam.allowed(
            role,
            IamState.GET_OBJECT_VERSION_FOR_REPLICATION,
            IamState.objectArn(pending.source(), pending.key()))
        && iam.allowed(role, write, IamState.objectArn(pending.destination(), pending.key()));
  }

  /**
   * The version as the destination stores it: object tags travel with it (S3 user guide, "What does
   * Amazon S3 replicate?": "Object tags, if there are any"), and an SSE-KMS object is encrypted
   * there with the rule's ReplicaKmsKeyID, a key of the destination's region.
   */
  private static ObjectVersion replicaOf(ObjectVersion version, Pending pending) {
    return pending.replicaKmsKeyId() == null
        ? version
        : version.withEncryption(Encryption.kms(pending.replicaKmsKeyId()));
  }

  private boolean stillPending(Pending done) {
    return queue.stream()
        .anyMatch(
            p ->
                p.source().equals(done.source())
                    && p.key().equals(done.key())
                    && p.versionId().equals(done.versionId()));
  }

  /**
   * Stores a replica with the source's version id and time, among the destination's versions in
   * time order, so that a replica of an older write never hides a newer one.
   */
  private static void storeReplica(Bucket destination, String key, ObjectVersion version) {
    List<ObjectVersion> versions = destination.objects.computeIfAbsent(key, k -> new ArrayList<>());
    if (indexOf(versions, version.versionId()) >= 0) {
      return;
    }
    ObjectVersion replica = version.withReplicationStatus(version.deleteMarker() ? null : REPLICA);
    int at = versions.size();
    while (at > 0 && versions.get(at - 1).lastModified().isAfter(replica.lastModified())) {
      at--;
    }
    versions.add(at, replica);
  }

  private static int indexOf(List<ObjectVersion> versions, String versionId) {
    for (int i = 0; i < versions.size(); i++) {
      if (versions.get(i).versionId().equals(versionId)) {
        return i;
      }
    }
    return -1;
  }

  private static String newVersionId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private Bucket bucket(String name) {
    Bucket bucket = buckets.get(name);
    if (bucket == null) {
      throw S3Error.noSuchBucket(name);
    }
    return bucket;
  }
}
