package dev.failover.activities.steps;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.service.disasterrecovery.DisasterRecoveryAPI;
import com.databricks.sdk.service.disasterrecovery.FailoverFailoverGroupRequest;
import com.databricks.sdk.service.disasterrecovery.FailoverGroup;
import com.databricks.sdk.service.disasterrecovery.FailoverGroupState;
import com.databricks.sdk.service.disasterrecovery.StableUrl;
import com.databricks.sdk.service.disasterrecovery.UcCatalog;
import com.databricks.sdk.service.disasterrecovery.WorkspaceSet;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CloudFailures;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.GroupOwnedComponents;
import dev.failover.workflows.steps.GroupReadiness;
import dev.failover.workflows.steps.ManagedDrActivities;
import dev.failover.workflows.steps.ManagedDrRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The failover group and stable URLs through the real {@code AccountClient.disasterRecovery()}. The
 * failover request is sent at most once per fresh read of the group: a refusal (a stale etag:
 * someone else changed the group) or a lost answer is followed by a new read and a new decision, so
 * that a worker killed mid-failover, and retried, finds the group FAILING_OVER or already in the
 * target region and never fails it over twice.
 */
public final class ManagedDrActivitiesImpl implements ManagedDrActivities {
  /** Reads and decisions per attempt: each refused failover request costs one. */
  private static final int ROUNDS = 5;

  private final CloudClients clients;
  private final Clock clock;
  private final Duration poll;

  public ManagedDrActivitiesImpl(CloudClients clients) {
    this(clients, Clock.systemUTC(), Duration.ofSeconds(5));
  }

  /**
   * @param poll how often a group that is FAILING_OVER, or a stable URL not yet moved, is read
   */
  public ManagedDrActivitiesImpl(CloudClients clients, Clock clock, Duration poll) {
    this.clients = clients;
    this.clock = clock;
    this.poll = poll;
  }

  @Override
  public GroupReadiness checkGroup(ManagedDrRequest request) {
    ActivityScope scope = ActivityScope.current();
    FailoverGroup group = read(scope, request);
    checkCovers(group, request);
    if (group.getState() != FailoverGroupState.ACTIVE) {
      throw notReady(
          request.failoverGroup()
              + " is "
              + group.getState()
              + ", not ACTIVE: it cannot fail over");
    }
    boolean alreadyMoved =
        !request.drill() && request.targetRegion().equals(group.getEffectivePrimaryRegion());
    if (!alreadyMoved && !request.sourceRegion().equals(group.getEffectivePrimaryRegion())) {
      throw notReady(
          request.failoverGroup()
              + " is active in "
              + group.getEffectivePrimaryRegion()
              + ", not in the run's active side "
              + request.sourceRegion());
    }
    long active = alreadyMoved ? request.targetWorkspaceId() : request.sourceWorkspaceId();
    List<String> wrong = stableUrlsNotServing(scope, request, active);
    if (!wrong.isEmpty()) {
      throw notReady(String.join("; ", wrong));
    }
    List<String> findings = new ArrayList<>();
    findings.add(
        "failover group "
            + request.failoverGroup()
            + " is ACTIVE in "
            + group.getEffectivePrimaryRegion()
            + (alreadyMoved ? " (already the target: an earlier run failed it over)" : "")
            + ", covering workspaces "
            + request.sourceWorkspaceId()
            + " and "
            + request.targetWorkspaceId()
            + "; "
            + request.stableUrls().size()
            + " stable URL(s) serve workspace "
            + active);
    Long age = replicationPointAge(group);
    findings.add(controlPlaneRpo(age, group, request));
    return new GroupReadiness(String.join("; ", findings), age);
  }

  @Override
  public String failoverGroup(ManagedDrRequest request) {
    ActivityScope scope = ActivityScope.current();
    if (request.drill()) {
      return wouldDo(read(scope, request), request);
    }
    Instant deadline = clock.instant().plus(Duration.ofMinutes(request.timeoutMinutes()));
    boolean sent = false;
    for (int round = 1; round <= ROUNDS; round++) {
      FailoverGroup group = read(scope, request);
      checkCovers(group, request);
      FailoverGroupState state = group.getState();
      if (state == FailoverGroupState.FAILING_OVER) {
        group = waitWhileFailingOver(scope, request, deadline);
        state = group.getState();
      }
      if (state == FailoverGroupState.ACTIVE
          && request.targetRegion().equals(group.getEffectivePrimaryRegion())) {
        awaitStableUrls(scope, request, deadline);
        return (sent ? "failed " : "found ")
            + request.failoverGroup()
            + (sent ? " over to " : " already ACTIVE in ")
            + request.targetRegion()
            + "; "
            + request.stableUrls().size()
            + " stable URL(s) serve workspace "
            + request.targetWorkspaceId();
      }
      if (state == FailoverGroupState.FAILOVER_FAILED) {
        throw failed(
            request.failoverGroup()
                + " is FAILOVER_FAILED, still active in "
                + group.getEffectivePrimaryRegion()
                + " (the API gives no reason: see the group in the account console); this step"
                + " never fails over a group that reports FAILOVER_FAILED: once the group is"
                + " ACTIVE again, retry it");
      }
      if (state != FailoverGroupState.ACTIVE
          || !request.sourceRegion().equals(group.getEffectivePrimaryRegion())) {
        throw notReady(
            request.failoverGroup()
                + " is "
                + state
                + " in "
                + group.getEffectivePrimaryRegion()
                + ": neither the run's source "
                + request.sourceRegion()
                + " nor its target "
                + request.targetRegion());
      }
      sent |= requestFailover(scope, request, group);
    }
    throw failed(
        "the failover of "
            + request.failoverGroup()
            + " was refused "
            + ROUNDS
            + " times after fresh reads (someone else keeps changing the group)");
  }

  @Override
  public List<String> replicatedCatalogs(ManagedDrRequest request) {
    return catalogNames(read(ActivityScope.current(), request));
  }

  @Override
  public List<String> groupOwnedComponents(ManagedDrRequest request) {
    return replicatesWorkspaceAssets(read(ActivityScope.current(), request), request)
        ? GroupOwnedComponents.WORKSPACE_ASSETS
        : List.of();
  }

  /** Whether a workspace set holding both of the run's workspaces replicates workspace assets. */
  static boolean replicatesWorkspaceAssets(FailoverGroup group, ManagedDrRequest request) {
    String source = Long.toString(request.sourceWorkspaceId());
    String target = Long.toString(request.targetWorkspaceId());
    return sets(group).stream()
        .anyMatch(
            s ->
                Boolean.TRUE.equals(s.getReplicateWorkspaceAssets())
                    && s.getWorkspaceIds() != null
                    && s.getWorkspaceIds().contains(source)
                    && s.getWorkspaceIds().contains(target));
  }

  /**
   * Sends the failover with the etag just read. Returns true when it was accepted; false when it
   * was refused for a stale etag or its answer was lost, which the caller settles by reading again.
   */
  private boolean requestFailover(
      ActivityScope scope, ManagedDrRequest request, FailoverGroup read) {
    scope.throwIfStopped();
    try {
      api(request)
          .failoverFailoverGroup(
              new FailoverFailoverGroupRequest()
                  .setName(request.failoverGroup())
                  .setTargetPrimaryRegion(request.targetRegion())
                  .setEtag(read.getEtag()));
      return true;
    } catch (DatabricksException e) {
      if (staleEtag(e) || outcomeUnknown(e)) {
        return false;
      }
      throw CloudFailures.databricks("fail over " + request.failoverGroup(), e);
    }
  }

  /** 409: the etag no longer matches (the simulator answers ABORTED; unverified, see there). */
  private static boolean staleEtag(DatabricksException e) {
    return e instanceof DatabricksError error && error.getStatusCode() == 409;
  }

  /** No HTTP status: the request may have arrived; a 5xx may have been applied. */
  private static boolean outcomeUnknown(DatabricksException e) {
    if (e instanceof DatabricksError error && error.getStatusCode() > 0) {
      return error.getStatusCode() >= 500;
    }
    return true;
  }

  private FailoverGroup waitWhileFailingOver(
      ActivityScope scope, ManagedDrRequest request, Instant deadline) {
    while (true) {
      FailoverGroup group = read(scope, request);
      if (group.getState() != FailoverGroupState.FAILING_OVER) {
        return group;
      }
      if (clock.instant().isAfter(deadline)) {
        throw failed(
            request.failoverGroup()
                + " is still FAILING_OVER after "
                + request.timeoutMinutes()
                + " min (managedDr.failoverTimeoutMinutes)");
      }
      pause(scope);
    }
  }

  private void awaitStableUrls(ActivityScope scope, ManagedDrRequest request, Instant deadline) {
    while (true) {
      List<String> wrong = stableUrlsNotServing(scope, request, request.targetWorkspaceId());
      if (wrong.isEmpty()) {
        return;
      }
      if (clock.instant().isAfter(deadline)) {
        throw failed(
            "after the failover of " + request.failoverGroup() + ": " + String.join("; ", wrong));
      }
      pause(scope);
    }
  }

  private void pause(ActivityScope scope) {
    try {
      scope.sleep(poll);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      scope.throwIfStopped();
      throw new IllegalStateException("interrupted while waiting on the failover group", e);
    }
  }

  /** Each stable URL that does not serve {@code workspaceId}, described. */
  private List<String> stableUrlsNotServing(
      ActivityScope scope, ManagedDrRequest request, long workspaceId) {
    List<String> wrong = new ArrayList<>();
    for (String name : request.stableUrls()) {
      StableUrl url =
          scope
              .retry()
              .databricks("read stable URL " + name, () -> api(request).getStableUrl(name));
      if (!Long.toString(workspaceId).equals(url.getEffectiveWorkspaceId())) {
        wrong.add(
            "stable URL "
                + name
                + " serves workspace "
                + url.getEffectiveWorkspaceId()
                + ", not "
                + workspaceId);
      }
    }
    return wrong;
  }

  /** What a drill says: the failover it did not do. */
  private String wouldDo(FailoverGroup group, ManagedDrRequest request) {
    return "drill: read-only towards "
        + request.failoverGroup()
        + " ("
        + group.getState()
        + " in "
        + group.getEffectivePrimaryRegion()
        + "); a failover would move it to "
        + request.targetRegion()
        + " with workspace sets "
        + workspaceSetNames(group)
        + " and catalogs "
        + catalogNames(group)
        + ", and its "
        + request.stableUrls().size()
        + " stable URL(s) would serve workspace "
        + request.targetWorkspaceId();
  }

  /** The group spans the run's regions and one of its workspace sets holds both workspaces. */
  private static void checkCovers(FailoverGroup group, ManagedDrRequest request) {
    Collection<String> regions = group.getRegions() == null ? List.of() : group.getRegions();
    if (!regions.contains(request.sourceRegion()) || !regions.contains(request.targetRegion())) {
      throw notReady(
          request.failoverGroup()
              + " spans regions "
              + regions
              + ", not the runbook's "
              + request.sourceRegion()
              + " and "
              + request.targetRegion());
    }
    String source = Long.toString(request.sourceWorkspaceId());
    String target = Long.toString(request.targetWorkspaceId());
    boolean covered =
        sets(group).stream()
            .anyMatch(
                s ->
                    s.getWorkspaceIds() != null
                        && s.getWorkspaceIds().contains(source)
                        && s.getWorkspaceIds().contains(target));
    if (!covered) {
      throw notReady(
          "no workspace set of "
              + request.failoverGroup()
              + " holds both workspaces "
              + source
              + " and "
              + target);
    }
  }

  /** The replication point's age: what a failover now would lose of the replicated assets. */
  private String controlPlaneRpo(Long age, FailoverGroup group, ManagedDrRequest request) {
    if (age == null) {
      return "WARNING: " + request.failoverGroup() + " reports no replication point";
    }
    Instant point = Instant.ofEpochSecond(group.getReplicationPoint().getSeconds());
    long objective = request.rpoMinutes() * 60L;
    return (age > objective ? "WARNING: " : "")
        + "control-plane RPO of "
        + request.failoverGroup()
        + " is "
        + age
        + " s (replication point "
        + point
        + ")"
        + (age > objective ? ", over the objective of " + objective + " s" : "");
  }

  /** The replication point's age in seconds now, or null when the group reports none. */
  private Long replicationPointAge(FailoverGroup group) {
    if (group.getReplicationPoint() == null) {
      return null;
    }
    Instant point = Instant.ofEpochSecond(group.getReplicationPoint().getSeconds());
    return Math.max(0, Duration.between(point, clock.instant()).toSeconds());
  }

  private FailoverGroup read(ActivityScope scope, ManagedDrRequest request) {
    try {
      return scope
          .retry()
          .databricks(
              "read failover group " + request.failoverGroup(),
              () -> api(request).getFailoverGroup(request.failoverGroup()));
    } catch (ApplicationFailure e) {
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        throw notReady(
            "account "
                + request.account().accountId()
                + " has no failover group "
                + request.failoverGroup()
                + ": check managedDr.failoverGroup");
      }
      throw e;
    }
  }

  private DisasterRecoveryAPI api(ManagedDrRequest request) {
    return clients.account(request.account()).disasterRecovery();
  }

  private static List<WorkspaceSet> sets(FailoverGroup group) {
    return group.getWorkspaceSets() == null ? List.of() : List.copyOf(group.getWorkspaceSets());
  }

  private static List<String> workspaceSetNames(FailoverGroup group) {
    return sets(group).stream().map(WorkspaceSet::getName).toList();
  }

  /** The Unity Catalog catalogs the group replicates (their metadata and storage). */
  static List<String> catalogNames(FailoverGroup group) {
    if (group.getUnityCatalogAssets() == null
        || group.getUnityCatalogAssets().getCatalogs() == null) {
      return List.of();
    }
    return group.getUnityCatalogAssets().getCatalogs().stream().map(UcCatalog::getName).toList();
  }

  private static ApplicationFailure notReady(String message) {
    return ApplicationFailure.newFailure(message, FailureTypes.NOT_READY);
  }

  private static ApplicationFailure failed(String message) {
    return ApplicationFailure.newFailure(message, FailureTypes.MANAGED_FAILOVER_FAILED);
  }
}
