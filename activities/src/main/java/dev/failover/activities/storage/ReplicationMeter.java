package dev.failover.activities.storage;

import dev.failover.activities.clients.Concurrently;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ReplicationHealth;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;

/** Measures one direction of a bucket pair's replication, reading only. */
public final class ReplicationMeter {
  private final Buckets buckets;
  private final Clock clock;
  private final IntConsumer progress;
  private final ReverseRoleCheck reverseRoles;

  public ReplicationMeter(Buckets buckets, Clock clock, IntConsumer progress) {
    this(buckets, clock, progress, null);
  }

  /** A meter that also checks, for the forward direction, the role of the way back. */
  public ReplicationMeter(
      Buckets buckets, Clock clock, IntConsumer progress, ReverseRoleCheck reverseRoles) {
    this.buckets = buckets;
    this.clock = clock;
    this.progress = progress;
    this.reverseRoles = reverseRoles;
  }

  /**
   * Versioning on both buckets, the enabled rule from source to destination, and the backlog. An
   * unreachable source is reported in the result; a missing rule or versioning fails NOT_READY.
   */
  public ReplicationHealth measure(BucketPairTarget pair, boolean reverse, int lookbackHours) {
    BucketTarget source = reverse ? pair.replica() : pair.primary();
    BucketTarget destination = reverse ? pair.primary() : pair.replica();
    // The destination's and the source's configuration, read side by side; a destination that
    // fails its check fails the measure first, as when they were read one after the other.
    Concurrently.Both<String, SourceRead> read =
        Concurrently.both(
            () -> {
              buckets.requireVersioning(destination);
              // Which side serves now: a drill must not run while DR is the active side.
              return new RoleMarker(buckets).role(destination, pair.runbook());
            },
            () -> sourceRead(source));
    if (read.second().unreachable() != null) {
      return lastReported(
          unreachable(pair, source, destination, read.second().unreachable()),
          source,
          destination,
          lookbackHours);
    }
    Optional<ReplicationConfiguration> config = read.second().config();
    String destinationRole = read.first();
    ReplicationRule rule =
        ReplicationRules.enabledRuleTo(config, destination.bucket())
            .orElseThrow(
                () ->
                    Buckets.notReady(
                        "bucket "
                            + source.bucket()
                            + " has no enabled replication rule to "
                            + destination.bucket()
                            + " (rules: "
                            + ReplicationRules.describe(config)
                            + ")"
                            + ("active".equals(destinationRole)
                                ? "; "
                                    + destination.bucket()
                                    + " is marked failover:role=active: the DR side serves as"
                                    + " the active side since a failover; fail back first"
                                : "")));
    if (reverse || reverseRoles == null) {
      return estimate(pair, source, destination, rule, lookbackHours, destinationRole);
    }
    // Forward only: would a failover's reverse rule carry DR's writes back? Asked of IAM while the
    // backlog is measured; a failed measure fails first.
    Concurrently.Both<ReplicationHealth, String> measured =
        Concurrently.both(
            () -> estimate(pair, source, destination, rule, lookbackHours, destinationRole),
            () -> reverseRoles.check(pair, config));
    return measured.first().withReversePath(measured.second());
  }

  /** The source's replication configuration, or why the source cannot be reached. */
  private record SourceRead(
      Optional<ReplicationConfiguration> config, ApplicationFailure unreachable) {}

  private SourceRead sourceRead(BucketTarget source) {
    try {
      buckets.requireVersioning(source);
      return new SourceRead(buckets.replication(source), null);
    } catch (ApplicationFailure e) {
      if (Buckets.unreachable(e)) {
        return new SourceRead(Optional.empty(), e);
      }
      throw e;
    }
  }

  /**
   * The backlog under a rule from its S3 Replication metrics, at a cost that does not grow with the
   * bucket, when the rule publishes them and a recent datapoint exists; listed otherwise.
   */
  private ReplicationHealth estimate(
      BucketPairTarget pair,
      BucketTarget source,
      BucketTarget destination,
      ReplicationRule rule,
      int lookbackHours,
      String destinationRole) {
    String listedBecause = "the rule does not enable S3 Replication metrics";
    if (ReplicationMetrics.enabled(rule)) {
      Instant now = clock.instant();
      ReplicationMetrics.Reading reading =
          ReplicationMetrics.read(
              cloudWatchOf(destination),
              cloudWatchOf(source),
              source.bucket(),
              destination.bucket(),
              rule.id(),
              now,
              lookbackHours,
              buckets.retry());
      if (reading.metrics() != null) {
        return fromMetrics(
            pair,
            source,
            destination,
            rule,
            lookbackHours,
            destinationRole,
            now,
            reading.metrics());
      }
      listedBecause = reading.unusable();
    }
    return backlog(
        pair, source, destination, rule, lookbackHours, destinationRole, v -> false, listedBecause);
  }

  private ReplicationMetrics.RegionalCloudWatch cloudWatchOf(BucketTarget bucket) {
    return new ReplicationMetrics.RegionalCloudWatch(buckets.cloudWatch(bucket), bucket.region());
  }

  /**
   * The measure from metrics. The oldest pending operation's age is the latency at the datapoint's
   * minute plus the time since; with nothing pending then, whatever is pending now was written
   * since, so the data RPO is at most the datapoint's age, which the summary says.
   */
  private ReplicationHealth fromMetrics(
      BucketPairTarget pair,
      BucketTarget source,
      BucketTarget destination,
      ReplicationRule rule,
      int lookbackHours,
      String destinationRole,
      Instant now,
      ReplicationMetrics metrics) {
    Long oldestSeconds =
        metrics.pending() == 0 ? null : metrics.latencySeconds() + metrics.ageSeconds();
    String summary =
        ruleLine(source, destination, rule)
            + metrics.pending()
            + " operation(s) pending ("
            + metrics.bytesPending()
            + " bytes), destination "
            + metrics.latencySeconds()
            + " s behind ["
            + metrics.method()
            + "], "
            + metrics.failed()
            + " failed in the last "
            + lookbackHours
            + " h (CloudWatch "
            + source.region()
            + "); data RPO "
            + (oldestSeconds == null
                ? "at most " + metrics.ageSeconds() + " s (nothing was pending at that minute)"
                : "about " + oldestSeconds + " s");
    return measured(pair, source, destination, rule, now, summary, destinationRole)
        .backlog(
            0,
            (int) Math.min(Integer.MAX_VALUE, metrics.pending()),
            (int) Math.min(Integer.MAX_VALUE, metrics.failed()),
            oldestSeconds)
        .build();
  }

  /** The backlog under a rule, measured now. */
  ReplicationHealth backlog(
      BucketPairTarget pair,
      BucketTarget source,
      BucketTarget destination,
      ReplicationRule rule,
      int lookbackHours,
      String destinationRole) {
    return backlog(pair, source, destination, rule, lookbackHours, destinationRole, v -> false);
  }

  /**
   * The backlog under a rule, measured now, not counting the failed versions that {@code settled}
   * says the destination holds anyway.
   */
  ReplicationHealth backlog(
      BucketPairTarget pair,
      BucketTarget source,
      BucketTarget destination,
      ReplicationRule rule,
      int lookbackHours,
      String destinationRole,
      Predicate<Backlog.FailedVersion> settled) {
    return backlog(pair, source, destination, rule, lookbackHours, destinationRole, settled, null);
  }

  /**
   * The backlog listed, with why the rule's metrics were not read instead (null when the listing
   * was asked for).
   */
  private ReplicationHealth backlog(
      BucketPairTarget pair,
      BucketTarget source,
      BucketTarget destination,
      ReplicationRule rule,
      int lookbackHours,
      String destinationRole,
      Predicate<Backlog.FailedVersion> settled,
      String listedBecause) {
    Instant now = clock.instant();
    Backlog backlog =
        Backlog.scan(
                buckets.s3(source),
                source.bucket(),
                ReplicationRules.keyPrefix(rule),
                now.minus(Duration.ofHours(lookbackHours)),
                buckets.retry(),
                progress)
            .without(settled);
    Long oldestSeconds =
        backlog.oldestPending() == null
            ? null
            : Math.max(0, Duration.between(backlog.oldestPending(), now).toSeconds());
    String summary =
        ruleLine(source, destination, rule)
            + backlog.scanned()
            + " version(s) of the last "
            + lookbackHours
            + " h in the window, "
            + backlog.pending()
            + " pending"
            + " ["
            + backlog.method()
            + (listedBecause == null ? "" : "; listed: " + listedBecause)
            + "]"
            + (oldestSeconds == null ? "" : " (oldest " + oldestSeconds + " s)")
            + ", "
            + backlog.failed()
            + " failed"
            + (backlog.failedKeys().isEmpty() ? "" : " " + backlog.failedKeys())
            + "; data RPO "
            + (oldestSeconds == null ? 0 : oldestSeconds)
            + " s";
    return measured(pair, source, destination, rule, now, summary, destinationRole)
        .backlog(backlog.scanned(), backlog.pending(), backlog.failed(), oldestSeconds)
        .failedKeys(backlog.failedKeys())
        .pendingKeys(backlog.pendingKeys())
        .build();
  }

  /** The start of a measure's summary: which rule carries which direction. */
  private static String ruleLine(
      BucketTarget source, BucketTarget destination, ReplicationRule rule) {
    return "bucket "
        + source.bucket()
        + " replicates to "
        + destination.bucket()
        + " by rule "
        + rule.id()
        + ": ";
  }

  /** A measure of the rule taken now, whichever way its backlog was obtained. */
  private static ReplicationHealth.Builder measured(
      BucketPairTarget pair,
      BucketTarget source,
      BucketTarget destination,
      ReplicationRule rule,
      Instant now,
      String summary,
      String destinationRole) {
    return ReplicationHealth.of(pair.name(), source.bucket(), destination.bucket())
        .ruleId(rule.id())
        .measuredAt(now.toString())
        .summary(summary)
        .destinationRole(destinationRole);
  }

  /**
   * The measure of a source that does not answer, with what its rules' S3 Replication metrics last
   * reported in the destination's region, when they did: an estimate of what the replica lacks, not
   * a measure, so the source stays unmeasured.
   */
  private ReplicationHealth lastReported(
      ReplicationHealth unreachable,
      BucketTarget source,
      BucketTarget destination,
      int lookbackHours) {
    String last =
        ReplicationMetrics.lastReported(
            cloudWatchOf(destination),
            source.bucket(),
            destination.bucket(),
            clock.instant(),
            lookbackHours,
            buckets.retry());
    return last == null
        ? unreachable
        : unreachable.toBuilder().summary(unreachable.summary() + "; " + last).build();
  }

  ReplicationHealth unreachable(
      BucketPairTarget pair, BucketTarget source, BucketTarget destination, ApplicationFailure e) {
    return ReplicationHealth.of(pair.name(), source.bucket(), destination.bucket())
        .sourceReachable(false)
        .measuredAt(clock.instant().toString())
        .summary(
            source.side()
                + " bucket "
                + source.bucket()
                + " in "
                + source.region()
                + " is unreachable ("
                + e.getOriginalMessage()
                + "); its backlog cannot be measured")
        .build();
  }
}
