package dev.failover.workflows.steps;

import java.util.List;

/**
 * The measured state of one replication direction of a bucket pair: the rule that carries it and
 * the backlog of object versions not yet replicated. The age of the oldest pending version is the
 * data RPO: what would be lost if the source region disappeared now.
 *
 * @param pair the bucket pair's name
 * @param source the bucket replicated from
 * @param destination the bucket replicated to
 * @param sourceReachable false when the source bucket's region did not answer (nothing else is then
 *     known)
 * @param ruleId the enabled rule that replicates source to destination, or null when there is none
 * @param versionsScanned object versions inspected (those written within the lookback window)
 * @param pending versions still waiting to be replicated
 * @param failed versions S3 gave up replicating (they need a re-upload or Batch Replication)
 * @param oldestPendingSeconds age of the oldest pending version, or null when none is pending
 * @param failedKeys up to ten keys of failed versions, as examples
 * @param measuredAt ISO-8601 time of the measurement
 * @param summary a one-line description for the report
 * @param pendingKeys up to ten keys of pending versions, as examples
 * @param destinationRole the destination bucket's role marker ({@code active} once a failover
 *     promoted it, {@code standby} after a failback; its {@code failover:role} tag when it has no
 *     marker object), or null when it has neither
 * @param reversePath for the primary-to-replica direction, whether a failback would have a working
 *     path back: one line that starts {@code reverse path would work}, {@code reverse path would
 *     NOT work} or {@code reverse path not checked}, naming the role; null when not measured
 */
public record ReplicationHealth(
    String pair,
    String source,
    String destination,
    boolean sourceReachable,
    String ruleId,
    int versionsScanned,
    int pending,
    int failed,
    Long oldestPendingSeconds,
    List<String> failedKeys,
    String measuredAt,
    String summary,
    List<String> pendingKeys,
    String destinationRole,
    String reversePath) {

  public ReplicationHealth {
    failedKeys = failedKeys == null ? List.of() : List.copyOf(failedKeys);
    pendingKeys = pendingKeys == null ? List.of() : List.copyOf(pendingKeys);
  }

  /**
   * A measure without the reverse path's check, positionally; new code uses {@link #of}, which
   * names each field.
   */
  public ReplicationHealth(
      String pair,
      String source,
      String destination,
      boolean sourceReachable,
      String ruleId,
      int versionsScanned,
      int pending,
      int failed,
      Long oldestPendingSeconds,
      List<String> failedKeys,
      String measuredAt,
      String summary,
      List<String> pendingKeys,
      String destinationRole) {
    this(
        pair,
        source,
        destination,
        sourceReachable,
        ruleId,
        versionsScanned,
        pending,
        failed,
        oldestPendingSeconds,
        failedKeys,
        measuredAt,
        summary,
        pendingKeys,
        destinationRole,
        null);
  }

  /**
   * A measure of the direction {@code source} to {@code destination} of a pair, to be completed
   * field by field: a source that answered, no rule, nothing scanned, until set.
   */
  public static Builder of(String pair, String source, String destination) {
    return new Builder(pair, source, destination);
  }

  /** The same measure with the reverse path's check. */
  public ReplicationHealth withReversePath(String line) {
    return toBuilder().reversePath(line).build();
  }

  /** A builder holding this measure's fields, to change some of them. */
  public Builder toBuilder() {
    return of(pair, source, destination)
        .sourceReachable(sourceReachable)
        .ruleId(ruleId)
        .backlog(versionsScanned, pending, failed, oldestPendingSeconds)
        .failedKeys(failedKeys)
        .pendingKeys(pendingKeys)
        .measuredAt(measuredAt)
        .summary(summary)
        .destinationRole(destinationRole)
        .reversePath(reversePath);
  }

  /** Builds a {@link ReplicationHealth} by field name, so that a new field is one more setter. */
  public static final class Builder {
    private final String pair;
    private final String source;
    private final String destination;
    private boolean sourceReachable = true;
    private String ruleId;
    private int versionsScanned;
    private int pending;
    private int failed;
    private Long oldestPendingSeconds;
    private List<String> failedKeys = List.of();
    private List<String> pendingKeys = List.of();
    private String measuredAt;
    private String summary;
    private String destinationRole;
    private String reversePath;

    private Builder(String pair, String source, String destination) {
      this.pair = pair;
      this.source = source;
      this.destination = destination;
    }

    public Builder sourceReachable(boolean value) {
      sourceReachable = value;
      return this;
    }

    public Builder ruleId(String value) {
      ruleId = value;
      return this;
    }

    /** What the scan found: versions inspected, pending and failed, and the oldest pending age. */
    public Builder backlog(
        int scanned, int pendingVersions, int failedVersions, Long oldestSeconds) {
      versionsScanned = scanned;
      pending = pendingVersions;
      failed = failedVersions;
      oldestPendingSeconds = oldestSeconds;
      return this;
    }

    public Builder failedKeys(List<String> value) {
      failedKeys = value;
      return this;
    }

    public Builder pendingKeys(List<String> value) {
      pendingKeys = value;
      return this;
    }

    public Builder measuredAt(String value) {
      measuredAt = value;
      return this;
    }

    public Builder summary(String value) {
      summary = value;
      return this;
    }

    public Builder destinationRole(String value) {
      destinationRole = value;
      return this;
    }

    public Builder reversePath(String value) {
      reversePath = value;
      return this;
    }

    public ReplicationHealth build() {
      return new ReplicationHealth(
          pair,
          source,
          destination,
          sourceReachable,
          ruleId,
          versionsScanned,
          pending,
          failed,
          oldestPendingSeconds,
          failedKeys,
          measuredAt,
          summary,
          pendingKeys,
          destinationRole,
          reversePath);
    }
  }

  /** Whether the reverse path's check found that a failback's replication would fail. */
  public boolean reversePathBroken() {
    return reversePath != null && reversePath.startsWith("reverse path would NOT work");
  }

  /** The data RPO in seconds: 0 when nothing is pending, null when it could not be measured. */
  public Long rpoSeconds() {
    if (!sourceReachable) {
      return null;
    }
    return oldestPendingSeconds == null ? 0L : oldestPendingSeconds;
  }
}
