package dev.failover.simulator.databricks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The account's managed disaster recovery (Databricks SDK for Java 0.141.0, package {@code
 * disasterrecovery}): failover groups and stable URLs. A group moves through {@code
 * FailoverGroupState}: ACTIVE, FAILING_OVER for as long as {@link #setFailoverDuration} says, then
 * ACTIVE in the target region, or FAILOVER_FAILED (in the region it left) when a failure was
 * planted with {@link #failNextFailover}. States are worked out when read, from the clock, so no
 * thread runs. All methods are synchronized.
 *
 * <p>Sources: the SDK's model classes ({@code FailoverGroup}, {@code FailoverGroupState}, {@code
 * WorkspaceSet}, {@code StableUrl}, {@code FailoverFailoverGroupRequest}); the REST reference
 * "Failover Failover Group" (docs.databricks.com/api/disaster-recovery/v1/failover-failover-group):
 * {@code target_primary_region} "must be one of the participating regions and different from the
 * current effective_primary_region. Serves as an idempotency check"; {@code etag} "If provided,
 * must match the current etag. If omitted, the failover proceeds regardless of current state"; the
 * SDK's {@code FailoverGroup} Javadoc: {@code effective_primary_region} "Changes after a successful
 * failover", {@code replication_point} the latest point in time to which data has been replicated.
 */
public final class DisasterRecoveryState {
  /** A workspace set ({@code WorkspaceSet}). */
  public record WorkspaceSet(
      String name,
      List<Long> workspaceIds,
      List<String> stableUrlNames,
      boolean replicateWorkspaceAssets) {}

  /** A stable URL ({@code StableUrl}); its effective workspace follows its group. */
  public record StableUrl(String name, String url, long initialWorkspaceId) {}

  /** A failover group as the API shows it at one instant. */
  public record Group(
      String name,
      List<String> regions,
      String effectivePrimaryRegion,
      String state,
      String etag,
      Instant replicationPoint,
      Instant createTime,
      Instant updateTime,
      List<WorkspaceSet> workspaceSets,
      List<String> catalogs,
      String dataReplicationWorkspaceSet) {}

  private static final class Entry {
    final String name;
    final List<String> regions;
    final List<WorkspaceSet> workspaceSets;
    final List<String> catalogs;
    final Instant createTime;
    String effectivePrimaryRegion;
    String state = "ACTIVE";
    long version = 1;
    Instant updateTime;
    Instant failoverStarted;
    String failoverTarget;
    Instant frozenReplicationPoint;
    String plantedFailure;
    boolean changeAfterNextRead;
    int failovers;

    Entry(
        String name,
        List<String> regions,
        String primary,
        List<WorkspaceSet> sets,
        List<String> catalogs,
        Instant now) {
      this.name = name;
      this.regions = List.copyOf(regions);
      this.effectivePrimaryRegion = primary;
      this.workspaceSets = List.copyOf(sets);
      this.catalogs = List.copyOf(catalogs);
      this.createTime = now;
      this.updateTime = now;
    }
  }

  private final String accountId;
  private final Clock clock;
  private final LongFunction<String> regionOfWorkspace;
  private final Map<String, Entry> groups = new LinkedHashMap<>();
  private final Map<String, StableUrl> stableUrls = new LinkedHashMap<>();
  private Duration failoverDuration = Duration.ofSeconds(2);
  private Duration replicationLag = Duration.ofSeconds(30);

  /**
   * @param regionOfWorkspace a workspace's region by id ({@code Workspace.aws_region}), which
   *     decides which workspace of a set is the active one
   */
  public DisasterRecoveryState(
      String accountId, Clock clock, LongFunction<String> regionOfWorkspace) {
    this.accountId = accountId;
    this.clock = clock;
    this.regionOfWorkspace = regionOfWorkspace;
  }

  public String accountId() {
    return accountId;
  }

  /** {@code accounts/<account id>/failover-groups/<id>}, the name shape the SDK documents. */
  public String groupName(String id) {
    return "accounts/" + accountId + "/failover-groups/" + id;
  }

  /** {@code accounts/<account id>/stable-urls/<id>}. */
  public String stableUrlName(String id) {
    return "accounts/" + accountId + "/stable-urls/" + id;
  }

  /** Adds an ACTIVE group whose effective primary region is {@code primaryRegion}. */
  public synchronized void addGroup(
      String id,
      List<String> regions,
      String primaryRegion,
      List<WorkspaceSet> sets,
      List<String> catalogs) {
    groups.put(
        groupName(id),
        new Entry(groupName(id), regions, primaryRegion, sets, catalogs, clock.instant()));
  }

  /** Adds a stable URL bound at first to {@code initialWorkspaceId}. */
  public synchronized StableUrl addStableUrl(String id, String url, long initialWorkspaceId) {
    StableUrl stableUrl = new StableUrl(stableUrlName(id), url, initialWorkspaceId);
    stableUrls.put(stableUrl.name(), stableUrl);
    return stableUrl;
  }

  /** How long a failover stays FAILING_OVER (a test makes it short). */
  public synchronized void setFailoverDuration(Duration duration) {
    this.failoverDuration = duration;
  }

  /** How far the replication point trails the clock while a group is ACTIVE. */
  public synchronized void setReplicationLag(Duration lag) {
    this.replicationLag = lag;
  }

  /** Test hook: the group's next failover ends FAILOVER_FAILED, staying in its region. */
  public synchronized void failNextFailover(String name, String why) {
    entry(name).plantedFailure = why;
  }

  /** Test hook: puts a group in a state (e.g. INITIAL_REPLICATION), changing its etag. */
  public synchronized void setState(String name, String state) {
    Entry entry = entry(name);
    entry.state = state;
    touch(entry);
  }

  /** Test hook: another writer changed the group (its etag moves on). */
  public synchronized void touchGroup(String name) {
    touch(entry(name));
  }

  /**
   * Test hook: another writer changes the group just after its next read is answered, so that
   * whoever read it holds a stale etag.
   */
  public synchronized void changeAfterNextRead(String name) {
    entry(name).changeAfterNextRead = true;
  }

  /** How many failovers the group has accepted (a test checks a retried run asks once). */
  public synchronized int failoversAccepted(String name) {
    return entry(name).failovers;
  }

  public synchronized Group group(String name) {
    Entry entry = entry(name);
    Group read = view(entry);
    if (entry.changeAfterNextRead) {
      entry.changeAfterNextRead = false;
      touch(entry);
    }
    return read;
  }

  public synchronized List<Group> groups() {
    List<Group> list = new ArrayList<>();
    groups.values().forEach(e -> list.add(view(e)));
    return list;
  }

  /**
   * Starts a failover. 400 INVALID_PARAMETER_VALUE when the target is not one of the group's
   * regions or is its effective primary region already (the REST reference: "Must be one of the
   * participating regions and different from the current effective_primary_region"); 409 ABORTED
   * for a stale etag; 400 INVALID_STATE while the group is not ACTIVE or FAILOVER_FAILED.
   */
  public synchronized Group failover(String name, String targetRegion, String etag) {
    Entry entry = entry(name);
    advance(entry);
    if (etag != null && !etag.isEmpty() && !etag.equals(etagOf(entry))) {
      // Unverified: the reference says only that the etag "must match"; no error of a stale etag
      // is on public record. AIP-154 (which these resource-name paths follow) answers ABORTED,
      // HTTP 409, which the SDK maps to its Aborted exception; a refusal is the harsher reading.
      throw new ApiError(
          409,
          "ABORTED",
          "The etag of failover group " + name + " does not match its current etag.");
    }
    if (targetRegion == null || !entry.regions.contains(targetRegion)) {
      throw ApiError.invalid(
          "target_primary_region must be one of the regions of " + name + ": " + entry.regions);
    }
    if (targetRegion.equals(entry.effectivePrimaryRegion)) {
      throw ApiError.invalid(
          "target_primary_region "
              + targetRegion
              + " is already the effective primary region of "
              + name);
    }
    if (!entry.state.equals("ACTIVE") && !entry.state.equals("FAILOVER_FAILED")) {
      // Unverified: no answer to a failover of a group that is failing over (or not yet
      // replicating) is on record; refusing it is the harsher choice.
      throw new ApiError(
          400, "INVALID_STATE", "Failover group " + name + " is " + entry.state + ", not ACTIVE.");
    }
    entry.frozenReplicationPoint = replicationPoint(entry);
    entry.state = "FAILING_OVER";
    entry.failoverStarted = clock.instant();
    entry.failoverTarget = targetRegion;
    entry.failovers++;
    touch(entry);
    return view(entry);
  }

  public synchronized StableUrl stableUrl(String name) {
    StableUrl stableUrl = stableUrls.get(name);
    if (stableUrl == null) {
      throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Stable URL " + name + " does not exist.");
    }
    return stableUrl;
  }

  public synchronized List<StableUrl> stableUrls() {
    return new ArrayList<>(stableUrls.values());
  }

  /** The group whose workspace set names the stable URL, or null. */
  public synchronized String groupOf(StableUrl stableUrl) {
    for (Entry entry : groups.values()) {
      if (setOf(entry, stableUrl.name()) != null) {
        return entry.name;
      }
    }
    return null;
  }

  /**
   * The workspace a stable URL serves now: the workspace of its set in the group's effective
   * primary region (the SDK's {@code StableUrl}: a URL that follows the active workspace of a
   * workspace set); its initial workspace while no group names it.
   */
  public synchronized long effectiveWorkspaceId(StableUrl stableUrl) {
    for (Entry entry : groups.values()) {
      advance(entry);
      WorkspaceSet set = setOf(entry, stableUrl.name());
      if (set != null) {
        for (long id : set.workspaceIds()) {
          if (entry.effectivePrimaryRegion.equals(regionOfWorkspace.apply(id))) {
            return id;
          }
        }
      }
    }
    return stableUrl.initialWorkspaceId();
  }

  private static WorkspaceSet setOf(Entry entry, String stableUrlName) {
    return entry.workspaceSets.stream()
        .filter(s -> s.stableUrlNames().contains(stableUrlName))
        .findFirst()
        .orElse(null);
  }

  private Entry entry(String name) {
    Entry entry = groups.get(name);
    if (entry == null) {
      throw new ApiError(
          404, "RESOURCE_DOES_NOT_EXIST", "Failover group " + name + " does not exist.");
    }
    return entry;
  }

  /** Ends a failover whose time is up: ACTIVE in the target, or FAILOVER_FAILED where it was. */
  private void advance(Entry entry) {
    if (!entry.state.equals("FAILING_OVER")
        || clock.instant().isBefore(entry.failoverStarted.plus(failoverDuration))) {
      return;
    }
    if (entry.plantedFailure != null) {
      entry.state = "FAILOVER_FAILED";
      entry.plantedFailure = null;
    } else {
      entry.state = "ACTIVE";
      entry.effectivePrimaryRegion = entry.failoverTarget;
    }
    entry.failoverTarget = null;
    entry.frozenReplicationPoint = null;
    touch(entry);
  }

  /**
   * Trails the clock by the lag. While a failover runs the point stays where it was when the
   * failover began: unverified, replication flows from the effective primary region, which is what
   * is changing.
   */
  private Instant replicationPoint(Entry entry) {
    if (entry.frozenReplicationPoint != null) {
      return entry.frozenReplicationPoint;
    }
    return clock.instant().minus(replicationLag);
  }

  private void touch(Entry entry) {
    entry.version++;
    entry.updateTime = clock.instant();
  }

  private static String etagOf(Entry entry) {
    return Long.toHexString(entry.name.hashCode() & 0xffffffffL) + "-" + entry.version;
  }

  private Group view(Entry entry) {
    advance(entry);
    return new Group(
        entry.name,
        entry.regions,
        entry.effectivePrimaryRegion,
        entry.state,
        etagOf(entry),
        replicationPoint(entry),
        entry.createTime,
        entry.updateTime,
        entry.workspaceSets,
        entry.catalogs,
        entry.workspaceSets.isEmpty() ? null : entry.workspaceSets.get(0).name());
  }
}
