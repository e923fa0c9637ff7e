package dev.failover.activities.unitycatalog;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.catalog.CreateCatalog;
import com.databricks.sdk.service.catalog.CreateSchema;
import com.databricks.sdk.service.catalog.DeleteCatalogRequest;
import com.databricks.sdk.service.catalog.DeleteSchemaRequest;
import com.databricks.sdk.service.catalog.PermissionsChange;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.UpdateCatalog;
import com.databricks.sdk.service.catalog.UpdatePermissions;
import com.databricks.sdk.service.catalog.UpdateSchema;
import dev.failover.activities.clients.Concurrently;
import dev.failover.activities.errors.CallRetry;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * Makes one workspace's catalogs, schemas and grants match the expected state. Every method reads
 * the current state first and writes only what differs, so running it again over a converged
 * workspace sends no mutating request, and "already exists" (another attempt won the race) is
 * treated as success.
 */
public final class UnityCatalogConverger {
  private final WorkspaceClient workspace;
  private final String host;
  private final UnityCatalogReader reader;
  private final ExpectedState expected;
  private final String runbook;
  private final String runId;
  private final IntConsumer progress;
  private final CallRetry retry;

  /**
   * @param progress called with the number of objects done so far (the activity heartbeats it)
   * @param retry how each SDK call is retried on transient failures
   */
  public UnityCatalogConverger(
      WorkspaceClient workspace,
      String host,
      ExpectedState expected,
      String runbook,
      String runId,
      IntConsumer progress,
      CallRetry retry) {
    this.workspace = workspace;
    this.host = host;
    this.retry = retry;
    this.reader = new UnityCatalogReader(workspace, host, retry);
    this.expected = expected;
    this.runbook = runbook;
    this.runId = runId;
    this.progress = progress;
  }

  /**
   * Removes what run {@code createdBy} created here: catalogs it created (with their schemas and
   * grants), and schemas it created in catalogs it found. Objects without the run's mark stay.
   */
  public ChangeCounts removeCreatedBy(String createdBy) {
    int removed = 0;
    for (ControlPlaneSnapshot.Catalog catalog : reader.catalogs()) {
      if (createdBy.equals(mark(catalog.properties()))) {
        // Its schemas go with it; the default schema made with it is not counted, as converge
        // did not count it as created either.
        int schemas =
            (int)
                reader.schemas(catalog.name()).stream()
                    .filter(
                        s -> mark(s.properties(), ExpectedState.MADE_WITH_CATALOG_PROPERTY) == null)
                    .count();
        retry.databricks(
            "remove catalog " + catalog.name() + " (created by this drill) from " + host,
            () -> {
              workspace
                  .catalogs()
                  .delete(new DeleteCatalogRequest().setName(catalog.name()).setForce(true));
              return null;
            });
        removed += 1 + schemas;
        progress.accept(removed);
        continue;
      }
      for (ControlPlaneSnapshot.Schema schema : reader.schemas(catalog.name())) {
        if (createdBy.equals(mark(schema.properties()))) {
          retry.databricks(
              "remove schema " + schema.fullName() + " (created by this drill) from " + host,
              () -> {
                workspace
                    .schemas()
                    .delete(
                        new DeleteSchemaRequest().setFullName(schema.fullName()).setForce(true));
                return null;
              });
          progress.accept(++removed);
        }
      }
    }
    return new ChangeCounts(0, 0, 0, removed);
  }

  private static String mark(Map<String, String> properties) {
    return mark(properties, ExpectedState.RUN_PROPERTY);
  }

  private static String mark(Map<String, String> properties, String property) {
    return properties == null ? null : properties.get(property);
  }

  /**
   * Creates the missing catalogs and updates those that differ, a few at a time: each is its own
   * object, created by its unique name ("already exists" is success after a lost answer).
   */
  public ChangeCounts catalogs(List<ControlPlaneSnapshot.Catalog> captured) {
    return catalogs(captured, null);
  }

  /**
   * As {@link #catalogs(List)}, and settles the {@code default} schema Unity Catalog creates with
   * every standard catalog (terraform-provider-databricks {@code catalog/resource_catalog.go}
   * deletes it right after each create for that reason) in each catalog this runbook created: when
   * the snapshot has no such schema, or has it with a storage root of its own (which a schema
   * cannot get in place), the auto-created one is dropped if empty, and the schemas step creates
   * the snapshot's with its root; when the snapshot has it without a root, it is kept and marked as
   * this run's, as a schema this tool created is, so that a drill keeps it owned by the worker and
   * the ownership pass hands it over in a failover. A {@code default} schema that carries a mark
   * (one this tool created from a snapshot), or holds tables, is left alone; the smoke test reports
   * one the snapshot lacks.
   *
   * @param capturedSchemas the snapshot's schemas, or null to leave {@code default} schemas alone
   */
  public ChangeCounts catalogs(
      List<ControlPlaneSnapshot.Catalog> captured,
      List<ControlPlaneSnapshot.Schema> capturedSchemas) {
    Map<String, ControlPlaneSnapshot.Catalog> actual =
        index(reader.catalogs(), ControlPlaneSnapshot.Catalog::name);
    Map<String, ControlPlaneSnapshot.Schema> defaults = new HashMap<>();
    if (capturedSchemas != null) {
      capturedSchemas.stream()
          .filter(schema -> DEFAULT_SCHEMA.equals(schema.name()))
          .map(expected::schema)
          .forEach(schema -> defaults.put(schema.catalogName(), schema));
    }
    return sum(
        Concurrently.map(
            captured,
            Concurrently.IN_FLIGHT,
            capturedCatalog -> {
              ControlPlaneSnapshot.Catalog want = expected.catalog(capturedCatalog);
              ControlPlaneSnapshot.Catalog have = actual.get(want.name());
              boolean created = have == null;
              if (created) {
                have = createCatalog(want);
              }
              ChangeCounts counts = count(created, updateCatalogIfDifferent(want, have));
              if (capturedSchemas != null && (created || ours(have))) {
                boolean thisRun =
                    created || (runId != null && runId.equals(mark(have.properties())));
                counts =
                    counts.plus(
                        settleDefaultSchema(want.name(), defaults.get(want.name()), thisRun));
              }
              return counts;
            },
            progress));
  }

  /** The schema Unity Catalog creates with every standard catalog. */
  static final String DEFAULT_SCHEMA = "default";

  /** Whether this runbook created the object (its ownership mark names the runbook). */
  private boolean ours(ControlPlaneSnapshot.Securable have) {
    return have.properties() != null
        && runbook.equals(have.properties().get(ExpectedState.OWNERSHIP_PROPERTY));
  }

  /**
   * Drops or marks the {@code default} schema Unity Catalog made with a catalog this runbook
   * created (see {@link #catalogs(List, List)}); counts a drop as removed.
   */
  private ChangeCounts settleDefaultSchema(
      String catalog, ControlPlaneSnapshot.Schema wanted, boolean catalogOfThisRun) {
    ControlPlaneSnapshot.Schema made =
        reader.schemas(catalog).stream()
            .filter(schema -> DEFAULT_SCHEMA.equals(schema.name()))
            .findFirst()
            .orElse(null);
    if (made == null || mark(made.properties(), ExpectedState.OWNERSHIP_PROPERTY) != null) {
      return ChangeCounts.NONE;
    }
    if (wanted != null && wanted.storageRoot() == null) {
      Map<String, String> properties =
          new TreeMap<>(made.properties() == null ? Map.of() : made.properties());
      properties.put(ExpectedState.OWNERSHIP_PROPERTY, runbook);
      properties.put(ExpectedState.MADE_WITH_CATALOG_PROPERTY, "true");
      if (runId != null && catalogOfThisRun) {
        // A drill's: kept owned by the worker, and removed with its catalog by the clean-up.
        properties.put(ExpectedState.RUN_PROPERTY, runId);
      }
      retry.databricks(
          "mark schema " + made.fullName() + " (made with its catalog) as this run's in " + host,
          () ->
              workspace
                  .schemas()
                  .update(
                      new UpdateSchema().setFullName(made.fullName()).setProperties(properties)));
      return ChangeCounts.NONE;
    }
    if (!reader.tables(catalog, DEFAULT_SCHEMA).isEmpty()) {
      return ChangeCounts.NONE;
    }
    retry.databricks(
        "drop schema "
            + made.fullName()
            + " (made with its catalog; the snapshot "
            + (wanted == null ? "has none" : "has one with its own storage root")
            + ") in "
            + host,
        () -> {
          try {
            workspace.schemas().delete(new DeleteSchemaRequest().setFullName(made.fullName()));
          } catch (com.databricks.sdk.core.error.platform.NotFound e) {
            // Gone already: a retry after a lost answer.
          }
          return null;
        });
    return new ChangeCounts(0, 0, 0, 1);
  }

  private static ChangeCounts sum(List<ChangeCounts> counts) {
    return counts.stream().reduce(ChangeCounts.NONE, ChangeCounts::plus);
  }

  private ControlPlaneSnapshot.Catalog createCatalog(ControlPlaneSnapshot.Catalog want) {
    Map<String, String> properties =
        new TreeMap<>(ExpectedState.withoutOwnership(want.properties()));
    properties.put(ExpectedState.OWNERSHIP_PROPERTY, runbook);
    if (runId != null) {
      properties.put(ExpectedState.RUN_PROPERTY, runId);
    }
    retry.databricksCreate(
        "create catalog " + want.name() + " in " + host,
        () ->
            workspace
                .catalogs()
                .create(
                    new CreateCatalog()
                        .setName(want.name())
                        .setComment(want.comment())
                        .setProperties(properties)
                        .setStorageRoot(want.storageRoot())));
    return reader.catalog(want.name());
  }

  private boolean updateCatalogIfDifferent(
      ControlPlaneSnapshot.Catalog want, ControlPlaneSnapshot.Catalog have) {
    List<String> differences = withoutOwner(ExpectedState.updatableDifferences(want, have));
    if (differences.isEmpty()) {
      return false;
    }
    UpdateCatalog update = new UpdateCatalog().setName(want.name());
    if (differences.contains("comment")) {
      update.setComment(want.comment() == null ? "" : want.comment());
    }
    if (differences.contains("properties")) {
      update.setProperties(ExpectedState.propertiesToApply(want.properties(), have.properties()));
    }
    retry.databricks(
        "update " + differences + " of catalog " + want.name() + " in " + host,
        () -> workspace.catalogs().update(update));
    return true;
  }

  /**
   * Creates the missing schemas and updates those that differ, a few at a time: each is its own
   * object, created by its unique full name ("already exists" is success after a lost answer), in a
   * catalog converged before.
   */
  public ChangeCounts schemas(List<ControlPlaneSnapshot.Schema> captured) {
    List<ControlPlaneSnapshot.Schema> wanted = captured.stream().map(expected::schema).toList();
    Map<String, Map<String, ControlPlaneSnapshot.Schema>> actualByCatalog = schemasOf(wanted);
    return sum(
        Concurrently.map(
            wanted,
            Concurrently.IN_FLIGHT,
            want -> {
              ControlPlaneSnapshot.Schema have =
                  actualByCatalog.get(want.catalogName()).get(want.name());
              boolean created = have == null;
              if (created) {
                have = createSchema(want);
              }
              return count(created, updateSchemaIfDifferent(want, have));
            },
            progress));
  }

  /**
   * The target's schemas by catalog and name, for the catalogs of these schemas, listed a few at a
   * time.
   */
  private Map<String, Map<String, ControlPlaneSnapshot.Schema>> schemasOf(
      List<ControlPlaneSnapshot.Schema> schemas) {
    List<String> catalogs =
        schemas.stream().map(ControlPlaneSnapshot.Schema::catalogName).distinct().toList();
    List<Map<String, ControlPlaneSnapshot.Schema>> listed =
        Concurrently.map(
            catalogs,
            Concurrently.IN_FLIGHT,
            catalog -> index(reader.schemas(catalog), ControlPlaneSnapshot.Schema::name),
            n -> {});
    Map<String, Map<String, ControlPlaneSnapshot.Schema>> byCatalog = new HashMap<>();
    for (int i = 0; i < catalogs.size(); i++) {
      byCatalog.put(catalogs.get(i), listed.get(i));
    }
    return byCatalog;
  }

  private ControlPlaneSnapshot.Schema createSchema(ControlPlaneSnapshot.Schema want) {
    Map<String, String> properties =
        new TreeMap<>(ExpectedState.withoutOwnership(want.properties()));
    properties.put(ExpectedState.OWNERSHIP_PROPERTY, runbook);
    if (runId != null) {
      properties.put(ExpectedState.RUN_PROPERTY, runId);
    }
    retry.databricksCreate(
        "create schema " + want.fullName() + " in " + host,
        () ->
            workspace
                .schemas()
                .create(
                    new CreateSchema()
                        .setCatalogName(want.catalogName())
                        .setName(want.name())
                        .setComment(want.comment())
                        .setProperties(properties)
                        .setStorageRoot(want.storageRoot())));
    return reader.schema(want.fullName());
  }

  private boolean updateSchemaIfDifferent(
      ControlPlaneSnapshot.Schema want, ControlPlaneSnapshot.Schema have) {
    List<String> differences = withoutOwner(ExpectedState.updatableDifferences(want, have));
    if (differences.isEmpty()) {
      return false;
    }
    UpdateSchema update = new UpdateSchema().setFullName(want.fullName());
    if (differences.contains("comment")) {
      update.setComment(want.comment() == null ? "" : want.comment());
    }
    if (differences.contains("properties")) {
      update.setProperties(ExpectedState.propertiesToApply(want.properties(), have.properties()));
    }
    retry.databricks(
        "update " + differences + " of schema " + want.fullName() + " in " + host,
        () -> workspace.schemas().update(update));
    return true;
  }

  /**
   * The differences converge applies in place: the owner is left to {@link #owners}, which runs
   * after everything that needs the worker's rights on the object.
   */
  private static List<String> withoutOwner(List<String> differences) {
    List<String> rest = new ArrayList<>(differences);
    rest.remove("owner");
    return rest;
  }

  /**
   * The ownership pass: gives each schema, then each catalog, its captured owner. It runs after the
   * grants, because an owner change takes the worker's rights on the object away: a worker that is
   * no metastore admin creates schemas in a catalog as its owner (USE CATALOG and CREATE SCHEMA),
   * and manages the grants on everything in it as the owner of the catalog or schema containing it
   * ("Manage privileges in Unity Catalog"). Schemas go first, while the worker still owns their
   * catalog. An object this drill created keeps the worker as owner, so that the drill's clean-up
   * can remove it ({@link ExpectedState#ownerKeptByDrill}).
   */
  public ComponentResult owners(
      List<ControlPlaneSnapshot.Catalog> catalogs, List<ControlPlaneSnapshot.Schema> schemas) {
    List<ControlPlaneSnapshot.Schema> wantedSchemas =
        schemas.stream().map(expected::schema).toList();
    Map<String, Map<String, ControlPlaneSnapshot.Schema>> actualByCatalog =
        schemasOf(wantedSchemas);
    // Each owner change is its own object's: a few at a time, schemas all before catalogs.
    List<OwnerChange> changed =
        new ArrayList<>(
            Concurrently.map(
                wantedSchemas,
                Concurrently.IN_FLIGHT,
                want -> giveSchemaOwner(want, actualByCatalog.get(want.catalogName())),
                progress));
    Map<String, ControlPlaneSnapshot.Catalog> actual =
        index(reader.catalogs(), ControlPlaneSnapshot.Catalog::name);
    int schemasDone = wantedSchemas.size();
    changed.addAll(
        Concurrently.map(
            catalogs.stream().map(expected::catalog).toList(),
            Concurrently.IN_FLIGHT,
            want -> giveCatalogOwner(want, actual.get(want.name())),
            n -> progress.accept(schemasDone + n)));
    int set = (int) changed.stream().filter(OwnerChange::set).count();
    List<String> refused =
        changed.stream().filter(c -> c.refused() != null).map(OwnerChange::refused).toList();
    return new ComponentResult(
        new ChangeCounts(0, set, changed.size() - set - refused.size(), 0),
        List.of(),
        List.of(),
        refused);
  }

  /** What giving one object its owner did: set it, found it set, or was refused (why). */
  private record OwnerChange(boolean set, String refused) {
    static final OwnerChange SET = new OwnerChange(true, null);
    static final OwnerChange UNCHANGED = new OwnerChange(false, null);

    static OwnerChange refused(String why) {
      return new OwnerChange(false, why);
    }
  }

  private OwnerChange giveSchemaOwner(
      ControlPlaneSnapshot.Schema want, Map<String, ControlPlaneSnapshot.Schema> actual) {
    ControlPlaneSnapshot.Schema have = actual.get(want.name());
    if (!ownerToSet(want, have)) {
      return OwnerChange.UNCHANGED;
    }
    boolean given =
        retry.databricks(
            "give schema " + want.fullName() + " its owner in " + host,
            () ->
                unlessPrincipalUnknown(
                    () ->
                        workspace
                            .schemas()
                            .update(
                                new UpdateSchema()
                                    .setFullName(want.fullName())
                                    .setOwner(want.owner()))));
    return given
        ? OwnerChange.SET
        : OwnerChange.refused(
            ownerRefused("schema " + want.fullName(), want.owner(), have.owner()));
  }

  private OwnerChange giveCatalogOwner(
      ControlPlaneSnapshot.Catalog want, ControlPlaneSnapshot.Catalog have) {
    if (!ownerToSet(want, have)) {
      return OwnerChange.UNCHANGED;
    }
    boolean given =
        retry.databricks(
            "give catalog " + want.name() + " its owner in " + host,
            () ->
                unlessPrincipalUnknown(
                    () ->
                        workspace
                            .catalogs()
                            .update(
                                new UpdateCatalog().setName(want.name()).setOwner(want.owner()))));
    return given
        ? OwnerChange.SET
        : OwnerChange.refused(ownerRefused("catalog " + want.name(), want.owner(), have.owner()));
  }

  /**
   * Why an object did not get its captured owner: Unity Catalog in the target resolves no principal
   * of that name. The object keeps its owner (the worker, for one converge created, which then
   * holds more rights on it than the original's owner gave anyone), so the step fails naming it.
   */
  public static String ownerRefused(String object, String owner, String keptOwner, String host) {
    return object + ": " + ownerUnknown(owner, keptOwner, host);
  }

  /** As {@link #ownerRefused}, without the object's name. */
  public static String ownerUnknown(String owner, String keptOwner, String host) {
    return "its owner "
        + owner
        + " is not a principal Unity Catalog knows in "
        + host
        + " (PRINCIPAL_DOES_NOT_EXIST: it resolves account-level users, service principals and"
        + " groups only, never a workspace-local group such as admins), so it is still owned by "
        + keptOwner
        + ": create the principal in the DR account, then retry the step";
  }

  private String ownerRefused(String object, String owner, String keptOwner) {
    return ownerRefused(object, owner, keptOwner, host);
  }

  /**
   * Runs an update that names a principal; false when Unity Catalog refuses it because it resolves
   * no principal of that name ({@code PRINCIPAL_DOES_NOT_EXIST}), which retrying cannot change.
   */
  public static boolean unlessPrincipalUnknown(Runnable update) {
    try {
      update.run();
      return true;
    } catch (DatabricksError e) {
      if (principalUnknown(e)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Whether Unity Catalog refused a request because a principal it names does not resolve: error
   * code {@code PRINCIPAL_DOES_NOT_EXIST} ("Could not find principal with name ...",
   * terraform-provider-databricks#1773, #5413). Its HTTP status is not on public record, so only
   * the code is looked at.
   */
  public static boolean principalUnknown(DatabricksError e) {
    return PRINCIPAL_DOES_NOT_EXIST.equals(e.getErrorCode());
  }

  static final String PRINCIPAL_DOES_NOT_EXIST = "PRINCIPAL_DOES_NOT_EXIST";

  private boolean ownerToSet(
      ControlPlaneSnapshot.Securable want, ControlPlaneSnapshot.Securable have) {
    return have != null
        && want.owner() != null
        && !want.owner().equals(have.owner())
        && !expected.ownerKeptByDrill(have);
  }

  /**
   * Sets exactly the captured privileges per principal on each securable: adds what is missing and
   * removes what is extra, in one request per securable. When Unity Catalog refuses that request
   * because a principal it names does not resolve ({@code PRINCIPAL_DOES_NOT_EXIST}; whether the
   * service then applies the other principals' changes is not on public record, so the whole
   * request is taken as refused), each principal's changes are sent in a request of their own, so
   * that one unknown principal does not keep the others from theirs; each principal refused so is
   * in the result's refused items, by name and securable, and not counted as converged.
   */
  public ComponentResult grants(List<ControlPlaneSnapshot.Grants> captured) {
    // Securables are independent: a few at once, paced per API family by the clients.
    return Concurrently.map(captured, Concurrently.IN_FLIGHT, this::grants, progress).stream()
        .reduce(ComponentResult.NONE, ComponentResult::plus);
  }

  private ComponentResult grants(ControlPlaneSnapshot.Grants want) {
    ControlPlaneSnapshot.Grants have = reader.grants(want.securableType(), want.fullName());
    GrantChanges changes = GrantChanges.between(want, have);
    if (changes.requests().isEmpty() || updateGrants(want, changes.requests())) {
      return new ComponentResult(changes.counts(), List.of(), List.of());
    }
    Set<String> unknown = new TreeSet<>();
    List<String> refused = new ArrayList<>();
    for (PermissionsChange change : changes.requests()) {
      if (!updateGrants(want, List.of(change))) {
        unknown.add(change.getPrincipal());
        refused.add(grantRefused(want, change));
      }
    }
    return new ComponentResult(
        GrantChanges.between(want, have, unknown).counts(), List.of(), List.of(), refused);
  }

  /** Sends one PATCH of grants; false when a principal it names does not resolve. */
  private boolean updateGrants(ControlPlaneSnapshot.Grants want, List<PermissionsChange> changes) {
    // Replaying the same add/remove changes is harmless, so this call is retried like a read.
    return retry.databricks(
        "update grants on " + want.securableType() + " " + want.fullName() + " in " + host,
        () ->
            unlessPrincipalUnknown(
                () ->
                    workspace
                        .grants()
                        .update(
                            new UpdatePermissions()
                                .setSecurableType(want.securableType())
                                .setFullName(want.fullName())
                                .setChanges(changes))));
  }

  private String grantRefused(ControlPlaneSnapshot.Grants want, PermissionsChange change) {
    return "grants of "
        + change.getPrincipal()
        + " on "
        + want.securableType()
        + " "
        + want.fullName()
        + ": "
        + change.getPrincipal()
        + " is not a principal Unity Catalog knows in "
        + host
        + " (PRINCIPAL_DOES_NOT_EXIST: it resolves account-level users, service principals and"
        + " groups only, never a workspace-local group such as admins), so "
        + (change.getAdd() == null ? "" : change.getAdd() + " were not granted")
        + (change.getAdd() != null && change.getRemove() != null ? " and " : "")
        + (change.getRemove() == null ? "" : change.getRemove() + " were not revoked")
        + "; the other principals' grants on it were applied: create the principal in the DR"
        + " account, then retry the step";
  }

  /**
   * Read-only: what {@link #grants} would change on these securables, with the first differences
   * described.
   */
  public ComponentResult checkGrants(List<ControlPlaneSnapshot.Grants> captured) {
    // Reads a few securables at a time; the differences are described in the captured order.
    List<GrantChanges> found =
        Concurrently.map(
            captured,
            Concurrently.IN_FLIGHT,
            want ->
                GrantChanges.between(want, reader.grants(want.securableType(), want.fullName())),
            progress);
    ChangeCounts counts = ChangeCounts.NONE;
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < captured.size(); i++) {
      ControlPlaneSnapshot.Grants want = captured.get(i);
      GrantChanges changes = found.get(i);
      for (PermissionsChange change : changes.requests()) {
        if (differences.size() < ComponentResult.KEPT) {
          differences.add(
              want.securableType()
                  + " "
                  + want.fullName()
                  + ": "
                  + change.getPrincipal()
                  + " lacks "
                  + (change.getAdd() == null ? "[]" : change.getAdd())
                  + ", has extra "
                  + (change.getRemove() == null ? "[]" : change.getRemove()));
        }
      }
      counts = counts.plus(changes.counts());
    }
    return new ComponentResult(counts, differences, List.of());
  }

  /** The permission changes that turn one securable's grants into the wanted ones. */
  record GrantChanges(List<PermissionsChange> requests, ChangeCounts counts) {
    static GrantChanges between(
        ControlPlaneSnapshot.Grants want, ControlPlaneSnapshot.Grants have) {
      return between(want, have, Set.of());
    }

    /**
     * As {@link #between(ControlPlaneSnapshot.Grants, ControlPlaneSnapshot.Grants)}, leaving out
     * the {@code skipped} principals entirely (neither changed nor counted).
     */
    static GrantChanges between(
        ControlPlaneSnapshot.Grants want, ControlPlaneSnapshot.Grants have, Set<String> skipped) {
      Map<String, Set<String>> wanted = byPrincipal(want);
      Map<String, Set<String>> existing = byPrincipal(have);
      Set<String> principals = new TreeSet<>(wanted.keySet());
      principals.addAll(existing.keySet());
      principals.removeAll(skipped);
      List<PermissionsChange> requests = new ArrayList<>();
      int created = 0;
      int updated = 0;
      int unchanged = 0;
      int deleted = 0;
      for (String principal : principals) {
        Set<String> target = wanted.getOrDefault(principal, Set.of());
        Set<String> current = existing.getOrDefault(principal, Set.of());
        Set<String> add = new TreeSet<>(target);
        add.removeAll(current);
        Set<String> remove = new TreeSet<>(current);
        remove.removeAll(target);
        if (add.isEmpty() && remove.isEmpty()) {
          unchanged++;
          continue;
        }
        PermissionsChange change = new PermissionsChange().setPrincipal(principal);
        if (!add.isEmpty()) {
          change.setAdd(privileges(add));
        }
        if (!remove.isEmpty()) {
          change.setRemove(privileges(remove));
        }
        requests.add(change);
        if (current.isEmpty()) {
          created++;
        } else if (target.isEmpty()) {
          deleted++;
        } else {
          updated++;
        }
      }
      return new GrantChanges(requests, new ChangeCounts(created, updated, unchanged, deleted));
    }

    private static Map<String, Set<String>> byPrincipal(ControlPlaneSnapshot.Grants grants) {
      return grants.assignments().stream()
          .collect(
              Collectors.toMap(
                  ControlPlaneSnapshot.Assignment::principal,
                  a -> new TreeSet<>(a.privileges()),
                  (a, b) -> {
                    a.addAll(b);
                    return a;
                  }));
    }

    private static List<Privilege> privileges(Set<String> names) {
      return names.stream().map(Privilege::valueOf).toList();
    }
  }

  private static ChangeCounts count(boolean created, boolean updated) {
    if (created) {
      return new ChangeCounts(1, 0, 0, 0);
    }
    return updated ? new ChangeCounts(0, 1, 0, 0) : new ChangeCounts(0, 0, 1, 0);
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
    Map<String, T> map = new HashMap<>();
    items.forEach(item -> map.put(key.apply(item), item));
    return map;
  }
}
