package dev.failover.activities.unitycatalog;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.catalog.CatalogInfo;
import com.databricks.sdk.service.catalog.CatalogType;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import com.databricks.sdk.service.catalog.ListSchemasRequest;
import com.databricks.sdk.service.catalog.ListTablesRequest;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.PrivilegeAssignment;
import com.databricks.sdk.service.catalog.SchemaInfo;
import com.databricks.sdk.service.catalog.TableInfo;
import dev.failover.activities.errors.CallRetry;
import dev.failover.activities.snapshot.ControlPlaneSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads catalogs, schemas and grants from one workspace, following every page, in the snapshot's
 * own terms. Read-only: used to capture the active side and to inspect the DR side.
 */
public final class UnityCatalogReader {
  /** Catalogs that Databricks provides in every workspace; they are never captured or converged. */
  static final Set<String> SYSTEM_CATALOGS =
      Set.of("system", "hive_metastore", "samples", "__databricks_internal");

  /** Each catalog gets this schema from Unity Catalog itself. */
  static final String INFORMATION_SCHEMA = "information_schema";

  private final WorkspaceClient workspace;
  private final String host;
  private final CallRetry retry;

  public UnityCatalogReader(WorkspaceClient workspace, String host, CallRetry retry) {
    this.workspace = workspace;
    this.host = host;
    this.retry = retry;
  }

  /**
   * Every catalog a run can manage: managed catalogs, not system, shared or foreign ones. Lists ask
   * for {@code max_results=0}, the server's own page size: the API documents an unset value as
   * "everything in one response", which it discourages for large metastores.
   */
  public List<ControlPlaneSnapshot.Catalog> catalogs() {
    List<ControlPlaneSnapshot.Catalog> catalogs = new ArrayList<>();
    for (CatalogInfo info :
        call(
            "list catalogs",
            () -> workspace.catalogs().list(new ListCatalogsRequest().setMaxResults(0L)))) {
      boolean managed =
          info.getCatalogType() == null || info.getCatalogType() == CatalogType.MANAGED_CATALOG;
      if (managed && !SYSTEM_CATALOGS.contains(info.getName())) {
        catalogs.add(toCatalog(info));
      }
    }
    catalogs.sort(Comparator.comparing(ControlPlaneSnapshot.Catalog::name));
    return catalogs;
  }

  /** The schemas of a catalog, without the information schema Unity Catalog creates itself. */
  public List<ControlPlaneSnapshot.Schema> schemas(String catalog) {
    List<ControlPlaneSnapshot.Schema> schemas = new ArrayList<>();
    for (SchemaInfo info :
        call(
            "list schemas of catalog " + catalog,
            () ->
                workspace
                    .schemas()
                    .list(new ListSchemasRequest().setCatalogName(catalog).setMaxResults(0L)))) {
      if (!INFORMATION_SCHEMA.equals(info.getName())) {
        schemas.add(toSchema(info));
      }
    }
    schemas.sort(Comparator.comparing(ControlPlaneSnapshot.Schema::name));
    return schemas;
  }

  /** The tables and views of a schema. */
  public List<ControlPlaneSnapshot.Table> tables(String catalog, String schema) {
    List<ControlPlaneSnapshot.Table> tables = new ArrayList<>();
    for (TableInfo info :
        call(
            "list tables of schema " + catalog + "." + schema,
            () ->
                workspace
                    .tables()
                    .list(
                        new ListTablesRequest()
                            .setCatalogName(catalog)
                            .setSchemaName(schema)
                            .setMaxResults(0L)))) {
      tables.add(
          new ControlPlaneSnapshot.Table(
              info.getCatalogName(),
              info.getSchemaName(),
              info.getName(),
              info.getTableType() == null ? null : info.getTableType().name(),
              info.getDataSourceFormat() == null ? null : info.getDataSourceFormat().name(),
              info.getStorageLocation(),
              info.getViewDefinition(),
              info.getComment(),
              info.getOwner()));
    }
    tables.sort(Comparator.comparing(ControlPlaneSnapshot.Table::name));
    return tables;
  }

  /** One catalog by name. */
  public ControlPlaneSnapshot.Catalog catalog(String name) {
    return toCatalog(
        retry.databricks(
            "read catalog " + name + " in " + host, () -> workspace.catalogs().get(name)));
  }

  /** One schema by its full name ({@code catalog.schema}). */
  public ControlPlaneSnapshot.Schema schema(String fullName) {
    return toSchema(
        retry.databricks(
            "read schema " + fullName + " in " + host, () -> workspace.schemas().get(fullName)));
  }

  private static ControlPlaneSnapshot.Catalog toCatalog(CatalogInfo info) {
    return new ControlPlaneSnapshot.Catalog(
        info.getName(),
        info.getComment(),
        info.getOwner(),
        sorted(info.getProperties()),
        info.getStorageRoot());
  }

  private static ControlPlaneSnapshot.Schema toSchema(SchemaInfo info) {
    return new ControlPlaneSnapshot.Schema(
        info.getCatalogName(),
        info.getName(),
        info.getComment(),
        info.getOwner(),
        sorted(info.getProperties()),
        info.getStorageRoot());
  }

  /** The privileges granted directly on a securable, per principal, sorted. */
  public ControlPlaneSnapshot.Grants grants(String securableType, String fullName) {
    List<ControlPlaneSnapshot.Assignment> assignments = new ArrayList<>();
    for (PrivilegeAssignment assignment :
        call(
            "read grants on " + securableType + " " + fullName,
            () -> workspace.grants().list(securableType, fullName))) {
      List<String> privileges = new ArrayList<>();
      if (assignment.getPrivileges() != null) {
        for (Privilege privilege : assignment.getPrivileges()) {
          privileges.add(privilege.name());
        }
      }
      if (!privileges.isEmpty()) {
        privileges.sort(Comparator.naturalOrder());
        assignments.add(new ControlPlaneSnapshot.Assignment(assignment.getPrincipal(), privileges));
      }
    }
    assignments.sort(Comparator.comparing(ControlPlaneSnapshot.Assignment::principal));
    return new ControlPlaneSnapshot.Grants(securableType, fullName, assignments);
  }

  /**
   * Runs a list call and drains every page, so that a failure on a later page is retried and
   * classified like the first (a retry starts the listing again).
   */
  private <T> List<T> call(String action, Supplier<Iterable<T>> request) {
    return retry.databricks(
        action + " in " + host,
        () -> {
          List<T> all = new ArrayList<>();
          request.get().forEach(all::add);
          return all;
        });
  }

  static Map<String, String> sorted(Map<String, String> properties) {
    return properties == null ? Map.of() : new TreeMap<>(properties);
  }
}
