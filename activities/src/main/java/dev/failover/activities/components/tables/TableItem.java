package dev.failover.activities.components.tables;

import java.util.List;

/**
 * A Unity Catalog table or view as captured: what DR needs to register it again.
 *
 * @param tableType {@code EXTERNAL}, {@code MANAGED}, {@code VIEW}, or another {@code TableType}
 * @param format the data source format ({@code DELTA}, ...); null for a view
 * @param location where an external table's files are; for a managed table, where Unity Catalog
 *     keeps them; null for a view
 * @param viewDefinition a view's query; null for a table
 * @param columns the columns in order; informational for external tables, whose Delta log defines
 *     them, and used to declare the primary key
 * @param primaryKey the primary key constraint (feature tables have one), or null
 * @param replicaLocation for a managed table: where the runbook's storage path rewrites put its
 *     files, found when it was captured; null when no rewrite applies
 * @param viewCatalog for a view: the catalog that was current when it was created, against which
 *     its unqualified names resolve (its property {@code view.catalogAndNamespace.part.0}); null
 *     when not known
 * @param viewSchema for a view: the schema current when it was created ({@code ...part.1})
 */
public record TableItem(
    String catalog,
    String schema,
    String name,
    String tableType,
    String format,
    String location,
    String viewDefinition,
    String comment,
    String owner,
    List<Column> columns,
    PrimaryKey primaryKey,
    String replicaLocation,
    String viewCatalog,
    String viewSchema) {

  public TableItem {
    columns = columns == null ? List.of() : List.copyOf(columns);
  }

  /** A column: its name, its SQL type as Unity Catalog writes it, nullability and comment. */
  public record Column(String name, String type, boolean nullable, String comment) {}

  /** A primary key constraint: its name and its columns, in order. */
  public record PrimaryKey(String name, List<String> columns) {
    public PrimaryKey {
      columns = List.copyOf(columns);
    }
  }

  /** {@code catalog.schema.name}. */
  public String fullName() {
    return catalog + "." + schema + "." + name;
  }

  public boolean view() {
    return "VIEW".equals(tableType);
  }

  TableItem withLocation(String newLocation) {
    return new TableItem(
        catalog,
        schema,
        name,
        tableType,
        format,
        newLocation,
        viewDefinition,
        comment,
        owner,
        columns,
        primaryKey,
        replicaLocation,
        viewCatalog,
        viewSchema);
  }

  /** An external Delta table: DR registers it from the log in the replica, with no column list. */
  public boolean delta() {
    return "EXTERNAL".equals(tableType) && "DELTA".equals(format);
  }
}
