package dev.failover.activities.steps;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.Components;
import dev.failover.activities.components.CreatedLedger;
import dev.failover.activities.components.ReadAhead;
import dev.failover.activities.components.S3CreatedLedger;
import dev.failover.activities.components.WrittenAhead;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.activities.components.tables.TableItem;
import dev.failover.activities.components.tables.TablesComponent;
import dev.failover.activities.components.unitycatalog.OwnershipPass;
import dev.failover.activities.components.unitycatalog.RegisteredModelsComponent;
import dev.failover.activities.fencing.WorkspaceFence;
import dev.failover.activities.snapshot.CaptureFeed;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.activities.snapshot.SinceVerified;
import dev.failover.activities.snapshot.SnapshotStore;
import dev.failover.activities.storage.StateObjects;
import dev.failover.activities.unitycatalog.ConvergePreview;
import dev.failover.activities.unitycatalog.ExpectedState;
import dev.failover.activities.unitycatalog.UnityCatalogConverger;
import dev.failover.activities.unitycatalog.UnityCatalogReader;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ComponentPreview;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.PreviewRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Converges the DR workspace onto the snapshot, one component per activity. */
public final class ConvergeActivitiesImpl implements ConvergeActivities {
  private final CloudClients clients;
  private final SnapshotStore store;

  /** The copies read ahead of their converge step, for its batches on this worker. */
  private final ReadAhead readAhead = new ReadAhead(java.time.Clock.systemUTC());

  /** The items converged while capture read them, which the batches on this worker leave out. */
  private final WrittenAhead writtenAhead = new WrittenAhead();

  /** The most items converged ahead in one pass (one ledger record, then their writes). */
  static final int AHEAD_BATCH = 100;

  /** How long a converge ahead waits for capture's next item before it looks again. */
  private static final Duration AHEAD_WAIT = Duration.ofMillis(500);

  public ConvergeActivitiesImpl(CloudClients clients, SnapshotStore store) {
    this.clients = clients;
    this.store = store;
  }

  @Override
  public ChangeCounts convergeCatalogs(ConvergeRequest request) {
    ActivityScope scope = ActivityScope.current();
    ControlPlaneSnapshot snapshot = store.read(request.snapshot(), scope.retry());
    verifyReplicated(snapshot.catalogs(), request, scope);
    return converged(
        "catalogs",
        converger(request, scope)
            .catalogs(
                engineOwned(snapshot.catalogs(), request, ControlPlaneSnapshot.Catalog::name),
                engineOwned(snapshot.schemas(), request, ControlPlaneSnapshot.Schema::catalogName))
            .withRetries(scope.retries()));
  }

  /**
   * The captured objects the engine converges: those outside the catalogs a managed DR failover
   * group replicates (the group's, which the engine never writes).
   */
  private static <T> List<T> engineOwned(
      List<T> captured, ConvergeRequest request, java.util.function.Function<T, String> fullName) {
    return captured.stream().filter(o -> !request.replicatedByGroup(fullName.apply(o))).toList();
  }

  /**
   * Each captured catalog the failover group replicates exists in the target, read-only: missing,
   * the group has not replicated it, and only the group may make it.
   */
  private void verifyReplicated(
      List<ControlPlaneSnapshot.Catalog> captured, ConvergeRequest request, ActivityScope scope) {
    for (ControlPlaneSnapshot.Catalog catalog : captured) {
      if (!request.replicatedByGroup(catalog.name())) {
        continue;
      }
      try {
        scope
            .retry()
            .databricks(
                "read catalog " + catalog.name() + " in " + request.target().host(),
                () -> clients.workspace(request.target()).catalogs().get(catalog.name()));
      } catch (ApplicationFailure e) {
        if (FailureTypes.NOT_FOUND.equals(e.getType())) {
          throw ApplicationFailure.newNonRetryableFailure(
              "catalog "
                  + catalog.name()
                  + " is replicated by the managed DR failover group but missing in "
                  + request.target().host()
                  + ": the group has not replicated it yet; this tool never writes it",
              FailureTypes.NOT_FOUND);
        }
        throw e;
      }
    }
  }

  @Override
  public ChangeCounts convergeSchemas(ConvergeRequest request) {
    ActivityScope scope = ActivityScope.current();
    ControlPlaneSnapshot snapshot = store.read(request.snapshot(), scope.retry());
    return converged(
        "schemas",
        converger(request, scope)
            .schemas(
                engineOwned(snapshot.schemas(), request, ControlPlaneSnapshot.Schema::catalogName))
            .withRetries(scope.retries()));
  }

  @Override
  public ChangeCounts convergeGrants(ConvergeRequest request) {
    ActivityScope scope = ActivityScope.current();
    ControlPlaneSnapshot snapshot = store.read(request.snapshot(), scope.retry());
    UnityCatalogConverger converger = converger(request, scope);
    ComponentResult grants =
        converger
            .grants(onTarget(snapshot.grants(), request))
            .plus(ownersLast(converger, snapshot, request, scope));
    converged(GRANTS, grants.counts().withRetries(scope.retries()));
    if (!grants.refusedItems().isEmpty()) {
      // Everything else is converged by now; the step fails so that a person acts on these.
      throw ApplicationFailure.newNonRetryableFailure(
          "refused "
              + grants.refusedItems().size()
              + ": "
              + String.join("; ", grants.refusedItems()),
          FailureTypes.NOT_FOUND);
    }
    return grants.counts().withRetries(scope.retries());
  }

  @Override
  public ComponentResult convergeBatch(ComponentBatch batch) {
    if (batch.request().groupOwns(batch.component())) {
      return verifyGroupOwned(batch);
    }
    ComponentResult result = batch(batch, false);
    converged(batch.component(), result.counts());
    return result;
  }

  /**
   * A batch of a component the failover group replicates as workspace assets: compared with the
   * snapshot read-only, never written. An object missing in the target fails without retries (only
   * the group may make it, as with a replicated catalog); one that differs is reported among the
   * items left alone, since the group's replication, not this tool, settles it. The counts hold
   * only what is present: nothing was created or updated.
   */
  private ComponentResult verifyGroupOwned(ComponentBatch batch) {
    ComponentResult checked = batch(batch, true);
    ChangeCounts counts = checked.counts();
    if (counts.created() > 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          counts.created()
              + " "
              + batch.component()
              + " of the snapshot missing in "
              + batch.request().target().host()
              + ", which the managed DR failover group replicates as workspace assets: the group"
              + " has not replicated them yet; this tool never writes them: "
              + String.join("; ", checked.differences()),
          FailureTypes.NOT_FOUND);
    }
    List<String> differing =
        checked.differences().stream()
            .map(d -> d + " (the failover group's to replicate; not written)")
            .toList();
    return new ComponentResult(
        new ChangeCounts(0, 0, counts.unchanged() + counts.updated(), 0, counts.retries()),
        List.of(),
        differing);
  }

  /** Records what converging a component did, for the worker's metrics. */
  private ChangeCounts converged(String component, ChangeCounts counts) {
    clients.metrics().converged(component, counts);
    return counts;
  }

  @Override
  public ComponentResult checkBatch(ComponentBatch batch) {
    return batch(batch, true);
  }

  @Override
  public int readAhead(ConvergeRequest request, String component) {
    ActivityScope scope = ActivityScope.current();
    ControlPlaneSnapshot snapshot = store.read(request.snapshot(), scope.retry());
    return readAhead(component(component), snapshot, request, scope);
  }

  /** Reads the target's objects with the keys of the snapshot's items, and keeps them. */
  private <T> int readAhead(
      Component<T> component,
      ControlPlaneSnapshot snapshot,
      ConvergeRequest request,
      ActivityScope scope) {
    Set<String> keys = new java.util.HashSet<>();
    for (T item : snapshot.items(component.name(), component.type())) {
      keys.add(component.key(item));
    }
    Map<String, T> found = component.withKeys(context(request, scope), keys);
    readAhead.put(readAheadKey(request, component.name()), keys, found);
    return found.size();
  }

  @Override
  public int readAheadAll(ConvergeRequest request, String component) {
    java.util.Objects.requireNonNull(
        request.runId(), "runId: only a drill reads ahead before capture, under its run id");
    Component.Copies<?> copies =
        component(component).copies(context(request, ActivityScope.current()));
    readAhead.putEvery(readAheadKey(request, component), copies.read(), copies.onlyListed());
    return copies.read().size();
  }

  @Override
  public ComponentResult convergeAsCaptured(
      ConvergeRequest request, String component, BucketTarget storeAt, String snapshotKey) {
    java.util.Objects.requireNonNull(
        request.runId(), "runId: only a drill converges items as capture reads them");
    ActivityScope scope = ActivityScope.current();
    return store
        .capturing()
        .find(snapshotKey, component)
        .map(
            feed ->
                asCaptured(
                    component(component),
                    feed,
                    request,
                    ledger(storeAt, snapshotKey, request.runId(), scope),
                    scope))
        .orElse(ComponentResult.NONE);
  }

  /**
   * Converges the items the feed hands on, a pass at a time, until capture has read the component.
   * Each item converged is kept in {@link #writtenAhead}; if anything but a refused write stops the
   * pass, they are forgotten, so the batches converge (and count) them again rather than leave them
   * out of the step's counts.
   */
  private <T> ComponentResult asCaptured(
      Component<T> component,
      CaptureFeed.Feed feed,
      ConvergeRequest request,
      CreatedLedger ledger,
      ActivityScope scope) {
    ComponentContext context = context(request, scope);
    String at = readAheadKey(request, component.name());
    ComponentConverger<T> converger =
        new ComponentConverger<>(component, context, scope.progress())
            .readingAhead(keys -> readAhead.take(at, keys, component.type()));
    ComponentResult total = ComponentResult.NONE;
    try {
      while (!feed.finished()) {
        List<T> ready =
            feed.next(component.type(), AHEAD_BATCH, AHEAD_WAIT).stream()
                .filter(item -> component.convergesAhead(item, context))
                .toList();
        if (!ready.isEmpty()) {
          total = total.plus(aheadPass(component, converger, ready, ledger, at));
        }
      }
    } catch (ApplicationFailure e) {
      // A failure the retries did not get past ends it: the batches converge what is left from
      // the stored snapshot, and fail the step, naming it, if it fails again.
    } catch (InterruptedException e) {
      writtenAhead.forget(at);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while converging ahead of capture", e);
    } catch (RuntimeException | Error e) {
      writtenAhead.forget(at);
      throw e;
    }
    converged(component.name(), total.counts());
    return total.withRetries(scope.retries());
  }

  /** One pass: converges the items, then keeps those it made match (not refused, not skipped). */
  private <T> ComponentResult aheadPass(
      Component<T> component,
      ComponentConverger<T> converger,
      List<T> items,
      CreatedLedger ledger,
      String at) {
    ComponentConverger.Result result = converger.converge(items, ledger, false);
    Set<String> notDone = result.notConverged();
    storedForms(component, items)
        .forEach(
            (key, captured) -> {
              if (!notDone.contains(key)) {
                writtenAhead.put(at, key, captured);
              }
            });
    // Refused items are left to the batches, which refuse them again and fail the step naming
    // them; only what was made to match is counted here.
    ChangeCounts counts = result.counts();
    return new ComponentResult(counts, result.differences(), List.of(), List.of());
  }

  /**
   * What a read ahead is kept under: the run (a drill's id; else its snapshot), the target and the
   * component.
   */
  private static String readAheadKey(ConvergeRequest request, String component) {
    String run =
        request.runId() != null
            ? request.runbook() + "/" + request.runId()
            : request.snapshot().key();
    return run + "|" + request.target().host() + "|" + component;
  }

  private ComponentResult batch(ComponentBatch batch, boolean check) {
    ConvergeRequest request = batch.request();
    ActivityScope scope = ActivityScope.current();
    ControlPlaneSnapshot snapshot = store.read(request.snapshot(), scope.retry());
    if (GRANTS.equals(batch.component())) {
      List<ControlPlaneSnapshot.Grants> slice =
          snapshot.grants().subList(batch.from(), Math.min(batch.to(), snapshot.grants().size()));
      ControlPlaneSnapshot verified = verified(request, scope);
      if (verified != null) {
        slice = SinceVerified.changed(slice, verified.grants(), SinceVerified::securable);
      }
      List<ControlPlaneSnapshot.Grants> grants = onTarget(slice, request);
      UnityCatalogConverger converger = converger(request, scope);
      if (check) {
        return converger.checkGrants(grants).withRetries(scope.retries());
      }
      ComponentResult result = converger.grants(grants);
      if (batch.to() >= snapshot.grants().size()) {
        result = result.plus(ownersLast(converger, snapshot, request, scope));
      }
      return result.withRetries(scope.retries());
    }
    return convergeItems(component(batch.component()), snapshot, batch, check, scope);
  }

  private <T> ComponentResult convergeItems(
      Component<T> component,
      ControlPlaneSnapshot snapshot,
      ComponentBatch batch,
      boolean check,
      ActivityScope scope) {
    List<T> items = snapshot.items(component.name(), component.type());
    List<T> slice =
        items.subList(Math.min(batch.from(), items.size()), Math.min(batch.to(), items.size()));
    if (IN_CATALOGS.contains(component.name())) {
      slice = engineOwned(slice, batch.request(), component::key);
    }
    ComponentConverger<T> converger =
        new ComponentConverger<>(component, context(batch.request(), scope), scope.progress());
    if (!check) {
      String at = readAheadKey(batch.request(), component.name());
      slice = notWrittenAhead(component, slice, at);
      converger.readingAhead(keys -> readAhead.take(at, keys, component.type()));
    }
    ComponentConverger.Result result =
        converger.converge(
            slice,
            trusted(component, slice, batch.request(), scope),
            check ? null : ledger(batch.request(), scope),
            check);
    return new ComponentResult(
        result.counts().withRetries(scope.retries()),
        result.differences(),
        result.skipped(),
        result.refused());
  }

  /** The slice without the items converged ahead of capture from the form the snapshot holds. */
  private <T> List<T> notWrittenAhead(Component<T> component, List<T> slice, String at) {
    if (!writtenAhead.holds(at)) {
      return slice;
    }
    Set<String> done = writtenAhead.take(at, storedForms(component, slice));
    return slice.stream().filter(item -> !done.contains(component.key(item))).toList();
  }

  /** Each item's JSON as the snapshot stores it, by key: what {@link WrittenAhead} compares. */
  private static <T> Map<String, String> storedForms(Component<T> component, List<T> items) {
    Map<String, String> forms = new java.util.HashMap<>();
    List<com.fasterxml.jackson.databind.JsonNode> stored = ControlPlaneSnapshot.stored(items);
    for (int i = 0; i < items.size(); i++) {
      forms.put(component.key(items.get(i)), stored.get(i).toString());
    }
    return forms;
  }

  /**
   * The items of the slice the target holds as they were when it last matched a snapshot, for a
   * component whose items may be trusted so ({@link Component#trustedWhenUnchanged}); none when the
   * request converges everything, or the failover group owns the component (verifying it is the
   * point).
   */
  private <T> Predicate<T> trusted(
      Component<T> component, List<T> slice, ConvergeRequest request, ActivityScope scope) {
    ControlPlaneSnapshot verified = verified(request, scope);
    if (verified == null
        || !component.trustedWhenUnchanged()
        || request.groupOwns(component.name())) {
      return item -> false;
    }
    Set<T> changed = Collections.newSetFromMap(new IdentityHashMap<>());
    changed.addAll(
        SinceVerified.changed(
            slice, verified.items(component.name(), component.type()), component::key));
    return item -> !changed.contains(item);
  }

  /**
   * The snapshot the target last matched, when the request converges only the drift since it
   * ({@link SinceVerified}); null otherwise.
   */
  private ControlPlaneSnapshot verified(ConvergeRequest request, ActivityScope scope) {
    return request.verifiedSnapshot() == null
        ? null
        : store.read(request.verifiedSnapshot(), scope.retry());
  }

  @Override
  public ChangeCounts removeComponentCreatedByRun(ConvergeRequest request, String component) {
    if (request.groupOwns(component)) {
      // Converge created none of the group's objects, and the group's are not this tool's to drop.
      return ChangeCounts.NONE;
    }
    ActivityScope scope = ActivityScope.current();
    CreatedLedger ledger = ledger(request, scope);
    if (ledger == null) {
      return ChangeCounts.NONE;
    }
    return removeCreated(component(component), ledger, request, scope).withRetries(scope.retries());
  }

  private <T> ChangeCounts removeCreated(
      Component<T> component, CreatedLedger ledger, ConvergeRequest request, ActivityScope scope) {
    return new ComponentConverger<>(component, context(request, scope), scope.progress())
        .removeCreated(ledger.created(component.name()));
  }

  @Override
  public ComponentResult restoreJobSchedules(ConvergeRequest request, FenceRequest sourceFence) {
    if (request.groupOwns("jobs")) {
      // The failover group's jobs: never written, whatever the workflow asks.
      return ComponentResult.NONE;
    }
    ActivityScope scope = ActivityScope.current();
    ControlPlaneSnapshot snapshot = store.read(request.snapshot(), scope.retry());
    java.util.Map<Long, java.util.List<String>> fenced = new java.util.HashMap<>();
    if (sourceFence != null) {
      new StateObjects(clients, scope.retry())
          .load(sourceFence.store(), sourceFence.stateKey(), WorkspaceFence.Record.class)
          .ifPresent(record -> record.jobs().forEach((id, job) -> fenced.put(id, job.paused())));
    }
    JobsComponent jobs = new JobsComponent();
    return jobs.restoreSchedules(
            snapshot.items(jobs.name(), jobs.type()),
            fenced,
            context(request, scope),
            scope.progress())
        .withRetries(scope.retries());
  }

  /**
   * The ownership pass, once the grants are set: tables, views and registered models, then schemas,
   * catalogs, external locations and storage credentials get their captured owners only now, since
   * an owner change takes the worker's rights on the object away (see {@link OwnershipPass} and
   * {@link UnityCatalogConverger#owners}): the grants step runs after every step that creates in
   * Unity Catalog, so every view has been created over tables the worker still owned, and every
   * model version registered by the model's owner. It runs in the activity of the grants' last
   * batch. With more than one batch of grants the other batches of the last wave may still be
   * running beside it; each batch manages grants as an owner of the securable's catalog or schema,
   * which the pass changes.
   */
  private ComponentResult ownersLast(
      UnityCatalogConverger converger,
      ControlPlaneSnapshot snapshot,
      ConvergeRequest request,
      ActivityScope scope) {
    TablesComponent tables = new TablesComponent();
    RegisteredModelsComponent models = new RegisteredModelsComponent();
    ComponentResult owners =
        OwnershipPass.tablesAndModels(
                request.groupOwns(tables.name())
                    ? List.of()
                    : engineOwned(
                        snapshot.items(tables.name(), tables.type()), request, TableItem::fullName),
                request.groupOwns(models.name())
                    ? List.of()
                    : engineOwned(
                        snapshot.items(models.name(), models.type()),
                        request,
                        RegisteredModelsComponent.RegisteredModel::fullName),
                context(request, scope),
                scope.progress())
            .plus(
                converger.owners(
                    engineOwned(snapshot.catalogs(), request, ControlPlaneSnapshot.Catalog::name),
                    engineOwned(
                        snapshot.schemas(), request, ControlPlaneSnapshot.Schema::catalogName)))
            .plus(OwnershipPass.storage(snapshot, context(request, scope)));
    // Only the owners refused join the step's result: its counts stay the grants', as before.
    return new ComponentResult(ChangeCounts.NONE, List.of(), List.of(), owners.refusedItems());
  }

  /**
   * The captured grants on the securables the target holds them on: a storage credential the
   * runbook maps is served by the target's credential, which gets its grants.
   */
  private static List<ControlPlaneSnapshot.Grants> onTarget(
      List<ControlPlaneSnapshot.Grants> grants, ConvergeRequest request) {
    return grants.stream()
        .filter(g -> !replicatedSecurable(g, request))
        .map(
            g ->
                g.securableType().equals("storage_credential")
                    ? new ControlPlaneSnapshot.Grants(
                        g.securableType(),
                        request.storageCredentials().target(g.fullName()),
                        g.assignments())
                    : g)
        .toList();
  }

  /**
   * Grants on a catalog the group replicates, or on what lies in it: the group's. Storage
   * credentials and external locations are account-wide, never in a catalog.
   */
  private static boolean replicatedSecurable(
      ControlPlaneSnapshot.Grants grants, ConvergeRequest request) {
    return switch (grants.securableType()) {
      case "storage_credential", "external_location", "metastore" -> false;
      default -> request.replicatedByGroup(grants.fullName());
    };
  }

  /** Components whose objects live in a catalog (their key is the full name). */
  private static final Set<String> IN_CATALOGS = Set.of("tables", "models");

  /** The {@code grants} batch unit: securables with their captured privileges. */
  static final String GRANTS = "grants";

  private static Component<?> component(String name) {
    return Components.named(name)
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "this worker does not know the component " + name + "; upgrade the worker",
                    FailureTypes.INVALID_REQUEST));
  }

  private ComponentContext context(ConvergeRequest request, ActivityScope scope) {
    return new ComponentContext(
        request.target(),
        clients,
        request.storagePathRewrites(),
        List.of(),
        request.runbook(),
        request.runId(),
        scope.retry(),
        request.account(),
        request.compute(),
        request.storageCredentials());
  }

  /**
   * Where a drill records what it creates: next to the snapshot, under the runbook's prefix. Null
   * outside a drill (nothing is removed afterwards).
   */
  private CreatedLedger ledger(ConvergeRequest request, ActivityScope scope) {
    if (request.runId() == null) {
      return null;
    }
    return ledger(request.snapshot().location(), request.snapshot().key(), request.runId(), scope);
  }

  /** A drill's ledger beside the snapshot at {@code snapshotKey}, stored or still captured. */
  private CreatedLedger ledger(
      BucketTarget location, String snapshotKey, String runId, ActivityScope scope) {
    int at = snapshotKey.indexOf("snapshots/");
    String runPrefix = at < 0 ? "" : snapshotKey.substring(0, at);
    return new S3CreatedLedger(clients, location, runPrefix, runId, scope.retry());
  }

  @Override
  public ChangeCounts removeCreatedByRun(ConvergeRequest request) {
    ActivityScope scope = ActivityScope.current();
    return converger(request, scope).removeCreatedBy(request.runId()).withRetries(scope.retries());
  }

  @Override
  public List<ComponentPreview> preview(PreviewRequest request) {
    ActivityScope scope = ActivityScope.current();
    List<ComponentPreview> previews =
        new ArrayList<>(
            new ConvergePreview(
                    new UnityCatalogReader(
                        clients.workspace(request.source()),
                        request.source().host(),
                        scope.retry()),
                    new UnityCatalogReader(
                        clients.workspace(request.target()),
                        request.target().host(),
                        scope.retry()),
                    new ExpectedState(request.storagePathRewrites()))
                .preview(request.catalogs(), request.source().host()));
    ComponentContext source =
        new ComponentContext(
            request.source(), clients, List.of(), request.catalogs(), null, null, scope.retry());
    ComponentContext target =
        new ComponentContext(
            request.target(),
            clients,
            request.storagePathRewrites(),
            request.catalogs(),
            null,
            null,
            scope.retry(),
            null,
            request.compute(),
            request.storageCredentials());
    for (Component<?> component : Components.all()) {
      previews.add(previewOf(component, source, target, scope));
    }
    return previews;
  }

  /** What converging one component would do: the source read live, compared without writing. */
  private static <T> ComponentPreview previewOf(
      Component<T> component,
      ComponentContext source,
      ComponentContext target,
      ActivityScope scope) {
    List<T> items = component.read(source);
    return new ComponentPreview(
        component.name(),
        new ComponentConverger<>(component, target, scope.progress())
            .converge(items, null, true)
            .counts());
  }

  private UnityCatalogConverger converger(ConvergeRequest request, ActivityScope scope) {
    return new UnityCatalogConverger(
        clients.workspace(request.target()),
        request.target().host(),
        new ExpectedState(request.storagePathRewrites(), request.drillKeepingOwnership()),
        request.runbook(),
        request.runId(),
        scope.progress(),
        scope.retry());
  }
}
