package dev.failover.activities.components.tables;

import com.databricks.sdk.service.catalog.ColumnInfo;
import com.databricks.sdk.service.catalog.ListTablesRequest;
import com.databricks.sdk.service.catalog.TableConstraint;
import com.databricks.sdk.service.catalog.TableInfo;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import dev.failover.activities.storage.DeltaLogCheck;
import dev.failover.activities.unitycatalog.UnityCatalogReader;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tables and views of the catalogs in scope, registered in DR through SQL on a DR warehouse
 * (Unity Catalog's REST API reads tables but does not create them).
 *
 * <ul>
 *   <li>External Delta tables are registered from their log on the rewritten location ({@code
 *       CREATE TABLE IF NOT EXISTS ... USING DELTA LOCATION}, no column list), so that their
 *       schema, generated and identity columns come from the table itself; their primary key is
 *       added after, so that feature tables keep their key. One whose replica location has no
 *       {@code _delta_log/} is refused ({@link Component.Refused}) and nothing is sent: the service
 *       would refuse it too, and with a column list would create a new, empty table there, whose
 *       commits a failback's catch-up copy would then carry over the primary's.
 *   <li>Other external tables are registered with their columns and primary key.
 *   <li>Views are created from their definitions, after the tables, with the catalog and schema
 *       they were defined in as the statement's current ones, so that unqualified names resolve as
 *       on the primary; a view that reads another view comes after it.
 *   <li>Managed tables are skipped with what they need: their files are in managed storage, and
 *       Unity Catalog cannot register a managed table on existing files.
 *   <li>Materialized views, streaming tables and foreign tables are skipped: their pipeline or
 *       connection makes them.
 * </ul>
 *
 * Compared: the kind, format and location (a difference there cannot be converged: an external
 * table cannot move in place, and dropping a registration this run did not make is a person's
 * decision, so the update fails saying what to do), the comment, the owner, the view definition and
 * the catalog and schema it resolves against, and the primary key (converged by SQL). Columns are
 * not compared: the data's Delta log defines them. Grants are on the securable {@code ("table",
 * full name)}, for views too.
 */
public final class TablesComponent implements Component<TableItem> {
  private static final String MANAGED = "MANAGED";
  private static final String EXTERNAL = "EXTERNAL";

  private final SqlWarehouseSession.Polling polling;
  private final Map<ComponentContext, SqlWarehouseSession> sessions = new ConcurrentHashMap<>();

  public TablesComponent() {
    this(SqlWarehouseSession.Polling.DEFAULT);
  }

  TablesComponent(SqlWarehouseSession.Polling polling) {
    this.polling = polling;
  }

  @Override
  public String name() {
    return "tables";
  }

  /** The same in a drill and a failover, and converging it only makes items match. */
  @Override
  public boolean trustedWhenUnchanged() {
    return true;
  }

  @Override
  public Class<TableItem> type() {
    return TableItem.class;
  }

  @Override
  public String key(TableItem item) {
    return item.fullName();
  }

  /** Tables first, then views, each view after the views it reads. */
  @Override
  public List<TableItem> read(ComponentContext workspace) {
    UnityCatalogReader reader =
        new UnityCatalogReader(workspace.workspace(), workspace.host(), workspace.retry());
    List<TableItem> tables = new ArrayList<>();
    List<TableItem> views = new ArrayList<>();
    for (ControlPlaneSnapshot.Catalog catalog : reader.catalogs()) {
      if (!workspace.inScope(catalog.name())) {
        continue;
      }
      // Each schema's tables, a few schemas at a time; sorted below, whatever came first.
      for (List<TableInfo> listed :
          dev.failover.activities.clients.Concurrently.map(
              reader.schemas(catalog.name()),
              dev.failover.activities.clients.Concurrently.IN_FLIGHT,
              schema -> list(workspace, catalog.name(), schema.name()),
              n -> {})) {
        for (TableInfo info : listed) {
          TableItem item = item(info, workspace);
          (item.view() ? views : tables).add(item);
        }
      }
    }
    tables.sort(Comparator.comparing(TableItem::fullName));
    views.sort(Comparator.comparing(TableItem::fullName));
    List<TableItem> all = new ArrayList<>(tables);
    all.addAll(viewsInDependencyOrder(views));
    return all;
  }

  /**
   * The target's tables and views in the schemas of the wanted ones; only those schemas are listed
   * (a schema the target lacks holds none), a few at a time.
   */
  @Override
  public Map<String, TableItem> current(ComponentContext target, List<TableItem> wanted) {
    List<List<String>> schemas =
        wanted.stream().map(t -> List.of(t.catalog(), t.schema())).distinct().toList();
    Map<String, TableItem> found = new LinkedHashMap<>();
    for (List<TableInfo> listed :
        dev.failover.activities.clients.Concurrently.map(
            schemas,
            dev.failover.activities.clients.Concurrently.IN_FLIGHT,
            schema -> listIfPresent(target, schema.get(0), schema.get(1)),
            n -> {})) {
      for (TableInfo info : listed) {
        TableItem item = item(info, target);
        found.put(key(item), item);
      }
    }
    return found;
  }

  private static List<TableInfo> listIfPresent(
      ComponentContext workspace, String catalog, String schema) {
    return workspace
        .retry()
        .databricks(
            "list tables of schema " + catalog + "." + schema + " in " + workspace.host(),
            () -> {
              try {
                return tablesOf(workspace, catalog, schema);
              } catch (com.databricks.sdk.core.error.platform.NotFound e) {
                // The schema (or its catalog) is not in the target: nothing of it is there yet.
                return List.of();
              }
            });
  }

  private static List<TableInfo> list(ComponentContext workspace, String catalog, String schema) {
    return workspace
        .retry()
        .databricks(
            "list tables of schema " + catalog + "." + schema + " in " + workspace.host(),
            () -> tablesOf(workspace, catalog, schema));
  }

  /** Every table of the schema, one request per page (no retry: the callers wrap it). */
  private static List<TableInfo> tablesOf(
      ComponentContext workspace, String catalog, String schema) {
    List<TableInfo> all = new ArrayList<>();
    workspace
        .workspace()
        .tables()
        .list(
            new ListTablesRequest().setCatalogName(catalog).setSchemaName(schema).setMaxResults(0L))
        .forEach(all::add);
    return all;
  }

  private static TableItem item(TableInfo info, ComponentContext workspace) {
    List<TableItem.Column> columns = new ArrayList<>();
    if (info.getColumns() != null) {
      List<ColumnInfo> sorted = new ArrayList<>(info.getColumns());
      sorted.sort(
          Comparator.comparing(c -> c.getPosition() == null ? Long.MAX_VALUE : c.getPosition()));
      for (ColumnInfo c : sorted) {
        columns.add(
            new TableItem.Column(
                c.getName(),
                c.getTypeText(),
                c.getNullable() == null || c.getNullable(),
                c.getComment()));
      }
    }
    TableItem.PrimaryKey primaryKey = null;
    if (info.getTableConstraints() != null) {
      for (TableConstraint constraint : info.getTableConstraints()) {
        if (constraint.getPrimaryKeyConstraint() != null) {
          primaryKey =
              new TableItem.PrimaryKey(
                  constraint.getPrimaryKeyConstraint().getName(),
                  List.copyOf(constraint.getPrimaryKeyConstraint().getChildColumns()));
        }
      }
    }
    String type = info.getTableType() == null ? null : info.getTableType().name();
    String location = info.getStorageLocation();
    String replica = null;
    if (MANAGED.equals(type) && location != null) {
      String rewritten = workspace.rewrite(location);
      replica = rewritten.equals(location) ? null : rewritten;
    }
    Map<String, String> properties = info.getProperties() == null ? Map.of() : info.getProperties();
    boolean context = "2".equals(properties.get(VIEW_CONTEXT_PARTS));
    return new TableItem(
        info.getCatalogName(),
        info.getSchemaName(),
        info.getName(),
        type,
        info.getDataSourceFormat() == null ? null : info.getDataSourceFormat().name(),
        location,
        info.getViewDefinition(),
        info.getComment(),
        info.getOwner(),
        columns,
        primaryKey,
        replica,
        context ? properties.get(VIEW_CONTEXT_PART + "0") : null,
        context ? properties.get(VIEW_CONTEXT_PART + "1") : null);
  }

  /**
   * Spark keeps the catalog and schema current when a view was created in the view's properties,
   * which Unity Catalog returns in {@code TableInfo.properties}: how many parts, then each part.
   */
  static final String VIEW_CONTEXT_PARTS = "view.catalogAndNamespace.numParts";

  static final String VIEW_CONTEXT_PART = "view.catalogAndNamespace.part.";

  /**
   * Views sorted so that each comes after the views its definition names (by full name): Databricks
   * resolves a view's query when it is created.
   */
  static List<TableItem> viewsInDependencyOrder(List<TableItem> views) {
    Map<String, TableItem> remaining = new LinkedHashMap<>();
    views.forEach(v -> remaining.put(v.fullName(), v));
    List<TableItem> ordered = new ArrayList<>();
    while (!remaining.isEmpty()) {
      TableItem ready = null;
      for (TableItem view : remaining.values()) {
        String query = view.viewDefinition() == null ? "" : view.viewDefinition();
        boolean waits =
            remaining.keySet().stream()
                .anyMatch(other -> !other.equals(view.fullName()) && mentions(query, other));
        if (!waits) {
          ready = view;
          break;
        }
      }
      // A cycle cannot be created in Databricks; should one appear, keep the name order.
      TableItem next = ready == null ? remaining.values().iterator().next() : ready;
      ordered.add(next);
      remaining.remove(next.fullName());
    }
    return ordered;
  }

  private static boolean mentions(String query, String fullName) {
    String plain = query.toLowerCase(Locale.ROOT).replace("`", "");
    return plain.matches(
        "(?s).*(?<![\\w.])" + java.util.regex.Pattern.quote(fullName) + "(?!\\w).*");
  }

  @Override
  public TableItem expected(TableItem captured, ComponentContext target) {
    return captured.location() == null || captured.view()
        ? captured
        : captured.withLocation(target.rewrite(captured.location()));
  }

  @Override
  public List<String> differences(TableItem want, TableItem have) {
    List<String> differences = new ArrayList<>();
    if (!Objects.equals(want.tableType(), have.tableType())) {
      differences.add("type");
    }
    if (!want.view()) {
      if (!Objects.equals(want.format(), have.format())) {
        differences.add("format");
      }
      if (!Objects.equals(want.location(), have.location())) {
        differences.add("location");
      }
      if (!Objects.equals(want.primaryKey(), have.primaryKey())) {
        differences.add("primary key");
      }
    } else {
      if (!Objects.equals(want.viewDefinition(), have.viewDefinition())) {
        differences.add("view definition");
      }
      if (want.viewCatalog() != null
          && (!want.viewCatalog().equals(have.viewCatalog())
              || !Objects.equals(want.viewSchema(), have.viewSchema()))) {
        differences.add("view catalog and schema");
      }
    }
    if (!Objects.equals(want.comment(), have.comment())) {
      differences.add("comment");
    }
    if (want.owner() != null && !want.owner().equals(have.owner())) {
      differences.add("owner");
    }
    return differences;
  }

  /**
   * Tables are registered a few at a time (each its own statements, the warehouse running several
   * at once); views wait for the batch's tables, and each for the views it reads ({@link
   * #waitsFor}).
   */
  @Override
  public int inFlight() {
    return dev.failover.activities.clients.Concurrently.IN_FLIGHT;
  }

  @Override
  public boolean waitsForOthers(TableItem item) {
    return item.view();
  }

  /**
   * A view waits for the views of the batch its definition names, fully, or partly in the catalog
   * and schema it resolves in; views that read none of the others still pending are created side by
   * side. A table (in the batch's waiting part only when its name repeats) waits for all.
   */
  @Override
  public boolean waitsFor(TableItem item, TableItem earlier) {
    return !item.view() || !earlier.view() || reads(item, earlier.fullName());
  }

  /** Whether a view's definition names {@code fullName}, as {@link #requireNoRefusedReads} does. */
  private static boolean reads(TableItem view, String fullName) {
    String query = view.viewDefinition() == null ? "" : view.viewDefinition();
    String[] parts = fullName.split("\\.", 3);
    boolean inCatalog = parts.length == 3 && parts[0].equals(view.viewCatalog());
    boolean inSchema = inCatalog && parts[1].equals(view.viewSchema());
    return mentions(query, fullName)
        || (inCatalog && mentions(query, parts[1] + "." + parts[2]))
        || (inSchema && mentions(query, parts[2]));
  }

  /**
   * The tables and views refused in the current converge of each target (by host): a view that
   * reads one of them cannot be created either.
   */
  private final Map<String, java.util.Set<String>> refused = new ConcurrentHashMap<>();

  @Override
  public void beforeCreating(List<TableItem> missing, ComponentContext target) {
    refused.put(target.host(), ConcurrentHashMap.newKeySet());
  }

  @Override
  public void create(TableItem want, ComponentContext target) {
    java.util.Set<String> refusedHere =
        refused.computeIfAbsent(target.host(), h -> ConcurrentHashMap.newKeySet());
    try {
      if (want.delta()) {
        requireDeltaLog(want, target);
      }
      if (want.view()) {
        requireNoRefusedReads(want, refusedHere);
      }
    } catch (Component.Refused e) {
      refusedHere.add(want.fullName());
      throw e;
    }
    List<String> statements = new ArrayList<>();
    statements.add(want.view() ? TableSql.createView(want, false) : TableSql.createTable(want));
    if (want.delta() && want.primaryKey() != null) {
      statements.add(TableSql.addPrimaryKey(want));
    }
    run(want, statements, target);
    if (want.owner() != null && !session(target).runNamingPrincipal(TableSql.setOwner(want))) {
      // The copy exists, owned by the worker, which holds every right on it: more than the
      // original's owner may have given anyone. It is dropped again (DROP of an external table or
      // a view removes only its registration), and refused by name, as views that read it are.
      session(target).run(List.of(TableSql.drop(want)));
      refusedHere.add(want.fullName());
      throw new Component.Refused(
          unknownOwner(want, target)
              + "; the copy just registered was dropped again, so that it is not left owned by"
              + " the worker with more rights than the original: create the principal in the DR"
              + " account (an account-level user, service principal or group), then retry the"
              + " step");
    }
  }

  /** Why an owner could not be given: Unity Catalog in the target has no such principal. */
  private static String unknownOwner(TableItem want, ComponentContext target) {
    return "its owner "
        + want.owner()
        + " is not a principal Unity Catalog knows in "
        + target.host()
        + " (PRINCIPAL_DOES_NOT_EXIST: it resolves account-level users, service principals and"
        + " groups only, never a workspace-local group such as admins)";
  }

  /**
   * Refuses a Delta table whose replica location holds no commit under {@code _delta_log/}, before
   * anything is sent: nothing is written to its path.
   */
  private static void requireDeltaLog(TableItem want, ComponentContext target) {
    String bucket = DeltaLogCheck.bucketOf(want.location());
    String log = DeltaLogCheck.prefixOf(want.location()) + "_delta_log/";
    boolean found =
        target
            .retry()
            .aws(
                "list s3://" + bucket + "/" + log,
                () ->
                    target
                            .clients()
                            .s3(
                                new BucketTarget(
                                    target.target().side(),
                                    bucket,
                                    target.target().region(),
                                    target.target().credentialProfile()))
                            .listObjectsV2(list -> list.bucket(bucket).prefix(log).maxKeys(1))
                            .keyCount()
                        > 0);
    if (!found) {
      throw new Component.Refused(
          "its replica "
              + want.location()
              + " has no Delta log (_delta_log/), so registering it would make a new, empty"
              + " table there; nothing was written: replicate or restore the log to that path"
              + " (or fix the runbook's storagePathRewrites), then retry the step");
    }
  }

  /**
   * Refuses a view that reads a table or view refused in this converge, named fully or, in the
   * view's catalog and schema, partly: the service would fail it with TABLE_OR_VIEW_NOT_FOUND.
   */
  private static void requireNoRefusedReads(TableItem view, java.util.Set<String> refusedHere) {
    for (String name : refusedHere) {
      if (reads(view, name)) {
        throw new Component.Refused(
            "it reads " + name + ", which was refused: converge again once that one is registered");
      }
    }
  }

  /** Runs a table's or view's statements; a view's with the catalog and schema it resolves in. */
  private void run(TableItem want, List<String> statements, ComponentContext target) {
    if (want.view()) {
      session(target).run(statements, want.viewCatalog(), want.viewSchema());
    } else {
      session(target).run(statements);
    }
  }

  @Override
  public void update(
      TableItem want, TableItem have, List<String> differences, ComponentContext target) {
    List<String> fixed = List.of("type", "format", "location");
    List<String> unfixable = differences.stream().filter(fixed::contains).toList();
    if (!unfixable.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          want.fullName()
              + " in "
              + target.host()
              + " differs in "
              + String.join(", ", unfixable)
              + " ("
              + describe(have)
              + "; the snapshot wants "
              + describe(want)
              + "). A table cannot be moved in place, and this run did not create it: check the"
              + " runbook's storagePathRewrites, or drop it in DR (DROP TABLE removes only the"
              + " registration of an external table, not its files) and converge again",
          FailureTypes.INVALID_REQUEST);
    }
    List<String> statements = new ArrayList<>();
    if (want.view()) {
      if (differences.contains("view definition")
          || differences.contains("view catalog and schema")
          || differences.contains("comment")) {
        statements.add(TableSql.createView(want, true));
      }
    } else {
      if (differences.contains("comment")) {
        statements.add(TableSql.comment(want));
      }
      if (differences.contains("primary key")) {
        if (have.primaryKey() != null) {
          statements.add(TableSql.dropPrimaryKey(want));
        }
        if (want.primaryKey() != null) {
          statements.add(TableSql.addPrimaryKey(want));
        }
      }
    }
    boolean replaced = want.view() && !statements.isEmpty();
    run(want, statements, target);
    if (want.owner() != null
        && (differences.contains("owner") || replaced)
        && !session(target).runNamingPrincipal(TableSql.setOwner(want))) {
      throw new Component.Refused(
          unknownOwner(want, target)
              + "; it keeps its owner "
              + have.owner()
              + ": create the principal in the DR account (an account-level user, service"
              + " principal or group), then retry the step");
    }
  }

  private static String describe(TableItem t) {
    return t.view()
        ? "a view"
        : "a " + t.tableType() + " " + t.format() + " table at " + t.location();
  }

  /**
   * Drops a table or view a drill registered. A managed table is never dropped, since that would
   * delete its data; converge never creates one.
   */
  @Override
  public void delete(TableItem have, ComponentContext target) {
    if (MANAGED.equals(have.tableType())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Refusing to drop the managed table "
              + have.fullName()
              + " in "
              + target.host()
              + ": dropping it would delete its data, and converge never creates managed tables",
          FailureTypes.INVALID_REQUEST);
    }
    session(target).run(List.of(TableSql.drop(have)));
  }

  @Override
  public String skipReason(TableItem captured) {
    String type = captured.tableType();
    if (MANAGED.equals(type)) {
      if (captured.replicaLocation() != null) {
        return "managed table: its files are replicated to "
            + captured.replicaLocation()
            + ", but Unity Catalog cannot register a managed table on existing files; register"
            + " them in DR as an external table (CREATE TABLE ... LOCATION on that path) or copy"
            + " them with DEEP CLONE into a managed table";
      }
      return "managed table: its data is in the metastore's managed storage"
          + (captured.location() == null ? "" : " (" + captured.location() + ")")
          + ", which is not replicated; copy it with DEEP CLONE into an external location or"
          + " replicate the storage root";
    }
    if (captured.view()) {
      return captured.viewDefinition() == null ? "view without a definition to re-create" : null;
    }
    if (EXTERNAL.equals(type)) {
      return captured.location() == null ? "external table without a location" : null;
    }
    return (type == null
            ? "table of unknown type"
            : type.toLowerCase(Locale.ROOT).replace('_', ' '))
        + ": made and refreshed by its pipeline or connection, not by DDL; deploy that in DR";
  }

  @Override
  public List<Securable> securables(TableItem item) {
    return List.of(new Securable("table", item.fullName()));
  }

  private SqlWarehouseSession session(ComponentContext target) {
    return sessions.computeIfAbsent(target, t -> new SqlWarehouseSession(t, polling));
  }
}
