package dev.failover.activities.storage;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.StorageRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;

/**
 * Changes the direction of a bucket pair's replication: promotion at failover, restoration at
 * failback. Every change reads first and is skipped when already made, so a retried attempt (after
 * a worker died, say) finishes the job without doing anything twice.
 *
 * <p>Promotion disables the primary's rules to the replica rather than deleting them, so that S3
 * keeps their full definition (filters, replication time control, encryption) for failback to
 * enable again; which rules the run disabled is kept in the state bucket.
 */
public final class ReplicaPromotion {

  /**
   * What a promotion leaves for failback: the primary's rules it disabled, and the failover point:
   * the time (ISO-8601) the run first recorded, just before it disabled them (or, with the primary
   * unreachable, promoted the replica anyway). Writes to the primary after it no longer reach DR;
   * the catch-up copy refuses keys both sides wrote since ({@link WriteConflicts}).
   */
  public record SavedState(
      String primaryBucket, List<String> disabledRules, String runId, String failoverPoint) {

    Instant failoverInstant() {
      return failoverPoint == null ? null : Instant.parse(failoverPoint);
    }
  }

  private final Buckets buckets;
  private final RoleMarker roles;
  private final ReplicationMeter meter;
  private final Clock clock;
  private final Sleeper sleeper;

  /** Waits between backlog measurements. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** How long to wait between two measurements of a draining backlog. */
  static final Duration DRAIN_POLL = Duration.ofSeconds(2);

  public ReplicaPromotion(Buckets buckets, ReplicationMeter meter, Clock clock, Sleeper sleeper) {
    this.buckets = buckets;
    this.roles = new RoleMarker(buckets);
    this.meter = meter;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  static String reverseRuleId(BucketPairTarget pair) {
    return "failover-" + pair.runbook() + "-reverse";
  }

  /** Failover: see {@link dev.failover.workflows.steps.StorageActivities#promoteReplica}. */
  public StorageChange promote(StorageRequest request) {
    BucketPairTarget pair = request.pair();
    BucketTarget primary = pair.primary();
    BucketTarget replica = pair.replica();
    List<String> done = new ArrayList<>();
    List<String> notRun = new ArrayList<>();
    Optional<ReplicationConfiguration> primaryConfig;
    try {
      primaryConfig = buckets.replication(primary);
    } catch (ApplicationFailure e) {
      if (!Buckets.unreachable(e)) {
        throw e;
      }
      ReplicationHealth unknown = meter.unreachable(pair, primary, replica, e);
      notRun.add("wait for the replication backlog to drain: primary bucket unreachable");
      notRun.add(
          "disable the rules of " + primary.bucket() + " to " + replica.bucket() + ": unreachable");
      notRun.add(
          "replicate "
              + replica.bucket()
              + " back to "
              + primary.bucket()
              + ": left for failback to establish");
      notRun.add(
          "prove the reverse path with a canary: "
              + primary.bucket()
              + " does not answer; at failback, the catch-up copy puts back what DR wrote");
      notRun.add("mark " + primary.bucket() + " standby: unreachable");
      recordFailoverPoint(request);
      mark(replica, "active", request, done);
      return new StorageChange(pair.name(), false, done, notRun, unknown);
    }
    // DR counts as active from the first change on: a retry after a crash at any later point
    // finds the replica already marked, and nothing can take the pair for a drill meanwhile.
    mark(replica, "active", request, done);

    ReplicationHealth cutover = null;
    Optional<ReplicationRule> forward =
        ReplicationRules.enabledRuleTo(primaryConfig, replica.bucket());
    if (forward.isPresent()) {
      cutover = drain(pair, primary, replica, forward.get(), request);
      done.add(
          cutover.pending() == 0
              ? "backlog drained: nothing pending from " + primary.bucket()
              : "drain bound of "
                  + request.drainTimeoutSeconds()
                  + " s reached with "
                  + cutover.pending()
                  + " version(s) still pending (oldest "
                  + cutover.oldestPendingSeconds()
                  + " s): they are not in the replica");
    }
    recordFailoverPoint(request);
    disableForwardRules(request, primaryConfig, done);
    establishReverseRule(pair, primaryConfig, done);
    // Before DR takes writes: a role S3 may not use fails objects, not the rule.
    new ReversePathCanary(buckets, clock, sleeper)
        .prove(pair, request.runId(), reversePathTimeoutSeconds(request), done, notRun);
    // Last, once the primary replicates no more, so that its marker stays in the primary.
    mark(primary, "standby", request, done);
    return new StorageChange(pair.name(), true, done, notRun, cutover);
  }

  private static long reversePathTimeoutSeconds(StorageRequest request) {
    return request.reversePathTimeoutSeconds() > 0
        ? request.reversePathTimeoutSeconds()
        : Runbook.Replication.DEFAULT_REVERSE_PATH_TIMEOUT_MINUTES * 60L;
  }

  /** Failback: see {@link dev.failover.workflows.steps.StorageActivities#restoreReplication}. */
  public StorageChange restore(StorageRequest request, CatchUp catchUp) {
    BucketPairTarget pair = request.pair();
    BucketTarget primary = pair.primary();
    BucketTarget replica = pair.replica();
    List<String> done = new ArrayList<>();
    Optional<ReplicationConfiguration> primaryConfig;
    try {
      primaryConfig = buckets.replication(primary);
    } catch (ApplicationFailure e) {
      if (Buckets.unreachable(e)) {
        throw Buckets.notReady(
            "primary bucket "
                + primary.bucket()
                + " is unreachable; failback needs the primary region back");
      }
      throw e;
    }
    // After an outage, the primary's rules were never disabled: stop them before copying back.
    disableForwardRules(request, primaryConfig, done);
    ReplicationRule reverse = establishReverseRule(pair, primaryConfig, done);
    Instant failoverPoint = loadState(request).map(SavedState::failoverInstant).orElse(null);
    List<PutBack> copied = catchUp.copyMissing(pair, failoverPoint, done);
    PutBackVersions putBack = new PutBackVersions(buckets, primary, pair.runbook(), copied);
    ReplicationHealth cutover = drain(pair, replica, primary, reverse, request, putBack);
    if (cutover.pending() > 0) {
      throw ApplicationFailure.newFailure(
          cutover.pending()
              + " version(s) written in DR are still replicating to "
              + primary.bucket()
              + " after "
              + request.drainTimeoutSeconds()
              + " s "
              + cutover.pendingKeys()
              + "; failing back now would lose them: retry the failback when replication has"
              + " caught up",
          FailureTypes.DATA_AT_RISK);
    }
    if (cutover.failed() > 0) {
      throw ApplicationFailure.newFailure(
          cutover.failed()
              + " version(s) written in DR failed to replicate to "
              + primary.bucket()
              + " "
              + cutover.failedKeys()
              + "; failing back now would lose them: re-upload them or run S3 Batch Replication,"
              + " then retry"
              + (putBack.putBack().isEmpty()
                  ? ""
                  : " (not counted: "
                      + putBack.putBack().size()
                      + " put back by the catch-up copy "
                      + putBack.putBack()
                      + ")"),
          FailureTypes.DATA_AT_RISK);
    }
    done.add("reverse backlog drained: nothing pending from " + replica.bucket());
    reportPutBack(putBack, primary, done);
    removeReverseRule(pair, done);
    restoreForwardRules(request, done);
    // The replica stays marked active until everything else is back: a crash before this point
    // leaves DR counted as active, and the retried failback finishes the job.
    mark(primary, "active", request, done);
    mark(replica, "standby", request, done);
    return new StorageChange(pair.name(), true, done, List.of(), cutover);
  }

  /** Copies data written in DR that no rule will replicate (see {@link CatchUpCopy}). */
  @FunctionalInterface
  public interface CatchUp {
    /**
     * @param failoverPoint when the failover began, as the run recorded it; null when it did not
     * @return what it copied
     */
    List<PutBack> copyMissing(BucketPairTarget pair, Instant failoverPoint, List<String> done);
  }

  /**
   * One version written in DR that the catch-up copy put back in the primary.
   *
   * @param key the object's key
   * @param drVersionId the version copied, in the replica
   * @param primaryVersionId the copy, in the primary
   */
  public record PutBack(String key, String drVersionId, String primaryVersionId) {}

  private static void reportPutBack(
      PutBackVersions putBack, BucketTarget primary, List<String> done) {
    if (!putBack.putBack().isEmpty()) {
      done.add(
          putBack.putBack().size()
              + " version(s) written in DR whose replication FAILED were put back in "
              + primary.bucket()
              + " by the catch-up copy and do not block the failback: "
              + putBack.putBack());
    }
    if (!putBack.canaries().isEmpty()) {
      done.add("not counted: reverse-path canaries that failed to replicate " + putBack.canaries());
    }
  }

  /** Measures the backlog until it is empty or the bound is reached; returns the last measure. */
  private ReplicationHealth drain(
      BucketPairTarget pair,
      BucketTarget source,
      BucketTarget destination,
      ReplicationRule rule,
      StorageRequest request) {
    return drain(pair, source, destination, rule, request, v -> false);
  }

  /** Like the above, not counting the failed versions the destination holds anyway. */
  private ReplicationHealth drain(
      BucketPairTarget pair,
      BucketTarget source,
      BucketTarget destination,
      ReplicationRule rule,
      StorageRequest request,
      Predicate<Backlog.FailedVersion> settled) {
    Instant deadline = clock.instant().plusSeconds(request.drainTimeoutSeconds());
    while (true) {
      ReplicationHealth health =
          meter.backlog(pair, source, destination, rule, request.lookbackHours(), null, settled);
      if (health.pending() == 0 || !clock.instant().isBefore(deadline)) {
        return health;
      }
      try {
        sleeper.sleep(DRAIN_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure(
            "interrupted while waiting for the backlog to drain", FailureTypes.UNAVAILABLE);
      }
    }
  }

  private void disableForwardRules(
      StorageRequest request, Optional<ReplicationConfiguration> config, List<String> done) {
    BucketTarget primary = request.pair().primary();
    String replicaBucket = request.pair().replica().bucket();
    List<ReplicationRule> rules = config.map(ReplicationConfiguration::rules).orElse(List.of());
    List<String> toDisable =
        rules.stream()
            .filter(
                r ->
                    ReplicationRules.targets(r, replicaBucket)
                        && r.status() == ReplicationRuleStatus.ENABLED)
            .map(ReplicationRule::id)
            .toList();
    if (toDisable.isEmpty()) {
      done.add("rules of " + primary.bucket() + " to " + replicaBucket + " already disabled");
      return;
    }
    // Saved first: if the worker dies between the two writes, the retry still knows what to enable.
    Optional<SavedState> before = loadState(request);
    Set<String> saved =
        new LinkedHashSet<>(before.map(SavedState::disabledRules).orElse(List.of()));
    saved.addAll(toDisable);
    saveState(
        request,
        new SavedState(
            primary.bucket(),
            List.copyOf(saved),
            request.runId(),
            before.map(SavedState::failoverPoint).orElse(null)));
    List<ReplicationRule> updated =
        rules.stream()
            .map(
                r ->
                    toDisable.contains(r.id())
                        ? r.toBuilder().status(ReplicationRuleStatus.DISABLED).build()
                        : r)
            .toList();
    buckets.putReplication(primary, config.get().role(), updated);
    done.add("disabled rule(s) " + toDisable + " of " + primary.bucket() + " to " + replicaBucket);
  }

  private ReplicationRule establishReverseRule(
      BucketPairTarget pair, Optional<ReplicationConfiguration> primaryConfig, List<String> done) {
    BucketTarget replica = pair.replica();
    Optional<ReplicationConfiguration> config = buckets.replication(replica);
    List<ReplicationRule> rules =
        new ArrayList<>(config.map(ReplicationConfiguration::rules).orElse(List.of()));
    String id = reverseRuleId(pair);
    Optional<ReplicationRule> existing = rules.stream().filter(r -> r.id().equals(id)).findFirst();
    if (existing.isPresent() && existing.get().status() == ReplicationRuleStatus.ENABLED) {
      done.add("reverse rule " + id + " of " + replica.bucket() + " already in place");
      return existing.get();
    }
    String role =
        pair.reverseReplicationRoleArn() != null
            ? pair.reverseReplicationRoleArn()
            : config
                .map(ReplicationConfiguration::role)
                .or(() -> primaryConfig.map(ReplicationConfiguration::role))
                .orElseThrow(
                    () ->
                        Buckets.notReady(
                            "no IAM role for replication from "
                                + replica.bucket()
                                + " to "
                                + pair.primary().bucket()
                                + ": set bucketPairs[].reverseReplicationRoleArn in the runbook"));
    rules.removeIf(r -> r.id().equals(id));
    // A primary whose rule to the replica publishes S3 Replication metrics has them on the way
    // back too, so that a failback's readiness reads them rather than listing the replica.
    boolean metrics =
        primaryConfig.stream()
            .flatMap(c -> c.rules().stream())
            .anyMatch(
                r ->
                    ReplicationRules.targets(r, replica.bucket()) && ReplicationMetrics.enabled(r));
    ReplicationRule reverse =
        ReplicationRules.reverseRule(
            id, pair.primary().bucket(), ReplicationRules.nextPriority(rules), metrics);
    rules.add(reverse);
    buckets.putReplication(replica, role, rules);
    done.add(
        "set rule "
            + id
            + " on "
            + replica.bucket()
            + ": replicate every key to "
            + pair.primary().bucket()
            + ", with delete markers and replica modification sync"
            + (metrics ? ", and S3 Replication metrics as the primary's rule has them" : ""));
    return reverse;
  }

  private void removeReverseRule(BucketPairTarget pair, List<String> done) {
    BucketTarget replica = pair.replica();
    Optional<ReplicationConfiguration> config = buckets.replication(replica);
    String id = reverseRuleId(pair);
    List<ReplicationRule> rules =
        new ArrayList<>(config.map(ReplicationConfiguration::rules).orElse(List.of()));
    if (!rules.removeIf(r -> r.id().equals(id))) {
      done.add("reverse rule " + id + " already removed");
      return;
    }
    buckets.putReplication(replica, config.get().role(), rules);
    done.add("removed rule " + id + " from " + replica.bucket());
  }

  private void restoreForwardRules(StorageRequest request, List<String> done) {
    BucketTarget primary = request.pair().primary();
    String replicaBucket = request.pair().replica().bucket();
    Optional<ReplicationConfiguration> config = buckets.replication(primary);
    List<ReplicationRule> rules =
        new ArrayList<>(config.map(ReplicationConfiguration::rules).orElse(List.of()));
    List<String> saved = loadState(request).map(SavedState::disabledRules).orElse(List.of());
    List<String> enabled = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      ReplicationRule rule = rules.get(i);
      boolean ours =
          saved.isEmpty()
              ? ReplicationRules.targets(rule, replicaBucket)
              : saved.contains(rule.id());
      if (ours && rule.status() != ReplicationRuleStatus.ENABLED) {
        rules.set(i, rule.toBuilder().status(ReplicationRuleStatus.ENABLED).build());
        enabled.add(rule.id());
      }
    }
    if (!enabled.isEmpty()) {
      buckets.putReplication(primary, config.get().role(), rules);
      done.add(
          "enabled rule(s) "
              + enabled
              + " of "
              + primary.bucket()
              + " to "
              + replicaBucket
              + " again");
    } else if (ReplicationRules.enabledRuleTo(config, replicaBucket).isPresent()) {
      done.add("rules of " + primary.bucket() + " to " + replicaBucket + " already enabled");
    } else {
      String role =
          config
              .map(ReplicationConfiguration::role)
              .or(() -> Optional.ofNullable(request.pair().reverseReplicationRoleArn()))
              .orElseThrow(
                  () ->
                      Buckets.notReady(
                          "no IAM role for replication from "
                              + primary.bucket()
                              + ": none is configured on the bucket or in the runbook"));
      String id = "failover-" + request.pair().runbook() + "-forward";
      rules.add(
          ReplicationRules.forwardRule(id, replicaBucket, ReplicationRules.nextPriority(rules)));
      buckets.putReplication(primary, role, rules);
      done.add("no original rule was recorded: set rule " + id + " on " + primary.bucket());
    }
    deleteState(request);
  }

  private void mark(BucketTarget bucket, String role, StorageRequest request, List<String> done) {
    roles.mark(bucket, role, request.pair().runbook(), request.runId(), done);
  }

  /**
   * Records the failover point, before promotion changes anything, unless a previous attempt did: a
   * failback keeps the point recorded (or none), never its own time.
   */
  private void recordFailoverPoint(StorageRequest request) {
    Optional<SavedState> state = loadState(request);
    if (state.isEmpty() || state.get().failoverPoint() == null) {
      saveState(
          request,
          new SavedState(
              request.pair().primary().bucket(),
              state.map(SavedState::disabledRules).orElse(List.of()),
              request.runId(),
              clock.instant().toString()));
    }
  }

  private Optional<SavedState> loadState(StorageRequest request) {
    return buckets.state().load(request.store(), request.stateKey(), SavedState.class);
  }

  private void saveState(StorageRequest request, SavedState state) {
    buckets.state().save(request.store(), request.stateKey(), state);
  }

  private void deleteState(StorageRequest request) {
    buckets.state().delete(request.store(), request.stateKey());
  }
}
