package dev.failover.activities.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.Components;
import dev.failover.activities.snapshot.CaptureFeed;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.activities.snapshot.Drift;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.storage.Buckets;
import dev.failover.activities.storage.RoleMarker;
import dev.failover.activities.storage.StateObjects;
import dev.failover.activities.unitycatalog.UnityCatalogReader;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.SnapshotDrift;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.VerifiedTarget;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Captures the active side's catalogs, schemas and grants; only reads the source workspace. */
public final class CaptureActivitiesImpl implements CaptureActivities {
  /** Components whose reads a capture runs at once. */
  static final int COMPONENTS_AT_ONCE = 4;

  private final CloudClients clients;
  private final SnapshotStore store;

  public CaptureActivitiesImpl(CloudClients clients, SnapshotStore store) {
    this.clients = clients;
    this.store = store;
  }

  @Override
  public SnapshotRef captureControlPlane(
      WorkspaceTarget source, List<String> catalogs, BucketTarget storeAt, String key) {
    ActivityScope scope = ActivityScope.current();
    SnapshotRef snapshot;
    try {
      snapshot = capture(source, catalogs, storeAt, key, scope);
    } finally {
      store.capturing().drop(key);
    }
    runbookOf(key)
        .ifPresent(runbook -> clients.metrics().posture().snapshotCaptured(runbook, snapshot));
    return snapshot;
  }

  /**
   * The runbook a snapshot belongs to: runs and scheduled captures alike store their snapshots
   * under {@code failover/<runbook>/} (RunContext's prefix, CaptureWorkflow's snapshot prefix).
   */
  static java.util.Optional<String> runbookOf(String key) {
    String[] parts = key.split("/", 3);
    return parts.length == 3 && parts[0].equals("failover")
        ? java.util.Optional.of(parts[1])
        : java.util.Optional.empty();
  }

  @Override
  public SnapshotRef latestSnapshot(WorkspaceTarget source, BucketTarget storeAt, String prefix) {
    ActivityScope scope = ActivityScope.current();
    return store.latest(storeAt, prefix, source.host(), scope.retry()).orElse(null);
  }

  @Override
  public String bucketRole(BucketTarget bucket, String runbook) {
    ActivityScope scope = ActivityScope.current();
    return new RoleMarker(new Buckets(clients, scope.retry())).role(bucket, runbook);
  }

  @Override
  public VerifiedTarget claimVerifiedTarget(BucketTarget storeAt, String key) {
    StateObjects state = new StateObjects(clients, ActivityScope.current().retry());
    VerifiedTarget verified = state.load(storeAt, key, VerifiedTarget.class).orElse(null);
    if (verified != null) {
      state.delete(storeAt, key);
    }
    return verified;
  }

  @Override
  public SnapshotDrift drift(SnapshotRef previous, SnapshotRef current) {
    ActivityScope scope = ActivityScope.current();
    ControlPlaneSnapshot now = store.read(current, scope.retry());
    ControlPlaneSnapshot before = previous == null ? null : store.read(previous, scope.retry());
    return Drift.between(previous == null ? null : previous.key(), before, now);
  }

  private SnapshotRef capture(
      WorkspaceTarget source,
      List<String> catalogs,
      BucketTarget storeAt,
      String key,
      ActivityScope scope) {
    // Objects read so far, counted by both sides of the read; each count is a chance to stop.
    AtomicInteger done = new AtomicInteger();
    IntConsumer progress = scope.progress();
    Runnable tick = () -> progress.accept(done.incrementAndGet());
    UnityCatalogReader reader =
        new UnityCatalogReader(clients.workspace(source), source.host(), scope.retry());
    List<ControlPlaneSnapshot.Catalog> captured =
        selectCatalogs(reader.catalogs(), catalogs, source);
    ComponentContext context =
        new ComponentContext(source, clients, List.of(), catalogs, null, null, scope.retry());
    // Unity Catalog and the other components are read side by side: they are paced as different
    // API families, so the capture waits on the slower of the two, not on their sum. The
    // components are read a few at a time (each keeps a few requests of its own in flight), those
    // that read each object first (jobs above all), each with the grants on its securables, so
    // that the capture ends with its longest read, not after it; the snapshot keeps the registry's
    // order.
    Concurrently.Both<UnityCatalogCapture, List<ComponentCapture>> read =
        Concurrently.both(
            () -> captureUnityCatalog(reader, captured, tick),
            () ->
                Concurrently.map(
                    longestReadsFirst(Components.all()),
                    COMPONENTS_AT_ONCE,
                    component -> captureComponent(component, context, reader, tick, key),
                    n -> {}));
    UnityCatalogCapture unityCatalog = read.first();
    List<ControlPlaneSnapshot.Grants> grants = new ArrayList<>(unityCatalog.grants());
    Map<String, ComponentCapture> byName = new HashMap<>();
    read.second().forEach(component -> byName.put(component.name(), component));
    Map<String, List<JsonNode>> components = new LinkedHashMap<>();
    for (Component<?> registered : Components.all()) {
      ComponentCapture component = byName.get(registered.name());
      components.put(component.name(), component.items());
      grants.addAll(component.grants());
    }
    ControlPlaneSnapshot snapshot =
        new ControlPlaneSnapshot(
            ControlPlaneSnapshot.FORMAT_VERSION,
            key,
            source.host(),
            Instant.now().toString(),
            captured,
            unityCatalog.schemas(),
            unityCatalog.tables(),
            grants,
            components);
    return store.write(storeAt, key, snapshot, scope.retry());
  }

  /** The components that read each object first, each group in the registry's order. */
  static List<Component<?>> longestReadsFirst(List<Component<?>> registered) {
    List<Component<?>> ordered = new ArrayList<>();
    registered.stream().filter(Component::readsEachObject).forEach(ordered::add);
    registered.stream().filter(c -> !c.readsEachObject()).forEach(ordered::add);
    return ordered;
  }

  /** The selected catalogs' grants, and each schema with its grants and tables. */
  private static UnityCatalogCapture captureUnityCatalog(
      UnityCatalogReader reader, List<ControlPlaneSnapshot.Catalog> captured, Runnable tick) {
    List<ControlPlaneSnapshot.Schema> schemas = new ArrayList<>();
    List<ControlPlaneSnapshot.Grants> grants = new ArrayList<>();
    List<ControlPlaneSnapshot.Tables> tables = new ArrayList<>();
    for (ControlPlaneSnapshot.Catalog catalog : captured) {
      grants.add(reader.grants("catalog", catalog.name()));
      // Each schema's grants and tables, a few schemas at a time; the snapshot keeps the listed
      // order, so it does not depend on which answer came first.
      List<SchemaContents> contents =
          Concurrently.map(
              reader.schemas(catalog.name()),
              Concurrently.IN_FLIGHT,
              schema ->
                  new SchemaContents(
                      schema,
                      reader.grants("schema", schema.fullName()),
                      new ControlPlaneSnapshot.Tables(
                          schema.fullName(), reader.tables(catalog.name(), schema.name()))),
              n -> tick.run());
      for (SchemaContents content : contents) {
        schemas.add(content.schema());
        grants.add(content.grants());
        tables.add(content.tables());
      }
      tick.run();
    }
    return new UnityCatalogCapture(schemas, tables, grants);
  }

  /** What capture reads of Unity Catalog itself. */
  private record UnityCatalogCapture(
      List<ControlPlaneSnapshot.Schema> schemas,
      List<ControlPlaneSnapshot.Tables> tables,
      List<ControlPlaneSnapshot.Grants> grants) {}

  /** One component's items as the snapshot stores them, and the grants on their securables. */
  private record ComponentCapture(
      String name, List<JsonNode> items, List<ControlPlaneSnapshot.Grants> grants) {}

  /**
   * Reads one component's items ({@link Component#read}), handing on those that stand alone to a
   * converge on this worker ({@link CaptureFeed}), and then the grants on them.
   */
  private <T> ComponentCapture captureComponent(
      Component<T> component,
      ComponentContext context,
      UnityCatalogReader reader,
      Runnable tick,
      String key) {
    List<T> items;
    CaptureFeed.Feed feed = store.capturing().open(key, component.name());
    try {
      items = component.read(context, feed::publish);
    } finally {
      feed.close();
    }
    // The grants on each item's securables, a few items at a time, kept in the items' order.
    List<List<ControlPlaneSnapshot.Grants>> found =
        Concurrently.map(
            items,
            Concurrently.IN_FLIGHT,
            item -> grantsOn(component, item, reader),
            n -> tick.run());
    List<ControlPlaneSnapshot.Grants> grants = new ArrayList<>();
    found.forEach(grants::addAll);
    return new ComponentCapture(component.name(), ControlPlaneSnapshot.stored(items), grants);
  }

  private static <T> List<ControlPlaneSnapshot.Grants> grantsOn(
      Component<T> component, T item, UnityCatalogReader reader) {
    // An item converge leaves alone (a managed table) has no copy to carry its grants.
    List<Component.Securable> securables =
        component.skipReason(item) == null ? component.securables(item) : List.of();
    return securables.stream()
        .map(securable -> reader.grants(securable.type(), securable.fullName()))
        .toList();
  }

  /** What capture reads for one schema. */
  private record SchemaContents(
      ControlPlaneSnapshot.Schema schema,
      ControlPlaneSnapshot.Grants grants,
      ControlPlaneSnapshot.Tables tables) {}

  private static List<ControlPlaneSnapshot.Catalog> selectCatalogs(
      List<ControlPlaneSnapshot.Catalog> all, List<String> wanted, WorkspaceTarget source) {
    if (wanted.isEmpty()) {
      return all;
    }
    Set<String> missing = new TreeSet<>(wanted);
    all.forEach(catalog -> missing.remove(catalog.name()));
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newFailure(
          "the runbook's scope.catalogs names "
              + missing
              + ", which the "
              + source.side()
              + " workspace "
              + source.host()
              + " does not have",
          FailureTypes.NOT_FOUND);
    }
    return all.stream().filter(catalog -> wanted.contains(catalog.name())).toList();
  }
}
