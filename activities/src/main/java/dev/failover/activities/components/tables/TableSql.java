package dev.failover.activities.components.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Databricks SQL that registers and describes a table or view: names and principals in
 * backquotes, texts as string literals with backslash escapes, as Databricks SQL reads them.
 */
final class TableSql {
  private TableSql() {}

  /**
   * {@code CREATE TABLE IF NOT EXISTS} on the table's (rewritten) location. A Delta table gets no
   * column list: the service reads the schema, generated and identity columns, partitioning and
   * properties from the log in the replica (a declared list must match the log exactly, and cannot
   * say what makes a column generated or an identity), and without a log it refuses rather than
   * create an empty table; its primary key follows with {@link #addPrimaryKey}. Other formats have
   * no log, so their columns and primary key are declared. No table properties are set: on a Delta
   * table they must equal the log's configuration.
   */
  static String createTable(TableItem t) {
    StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(name(t));
    if (!t.delta() && !t.columns().isEmpty()) {
      List<String> elements = new ArrayList<>();
      for (TableItem.Column c : t.columns()) {
        elements.add(
            identifier(c.name())
                + " "
                + c.type()
                + (c.nullable() ? "" : " NOT NULL")
                + (c.comment() == null ? "" : " COMMENT " + literal(c.comment())));
      }
      if (t.primaryKey() != null) {
        elements.add("CONSTRAINT " + primaryKey(t.primaryKey()));
      }
      sql.append(" (").append(String.join(", ", elements)).append(")");
    }
    sql.append(" USING ").append(t.format() == null ? "DELTA" : t.format());
    sql.append(" LOCATION ").append(literal(t.location()));
    if (t.comment() != null) {
      sql.append(" COMMENT ").append(literal(t.comment()));
    }
    return sql.toString();
  }

  /** {@code CREATE VIEW IF NOT EXISTS}, or {@code CREATE OR REPLACE VIEW} to change one. */
  static String createView(TableItem v, boolean replace) {
    return (replace ? "CREATE OR REPLACE VIEW " : "CREATE VIEW IF NOT EXISTS ")
        + name(v)
        + (v.comment() == null ? "" : " COMMENT " + literal(v.comment()))
        + " AS "
        + v.viewDefinition();
  }

  static String comment(TableItem t) {
    return "COMMENT ON TABLE "
        + name(t)
        + " IS "
        + (t.comment() == null ? "NULL" : literal(t.comment()));
  }

  static String dropPrimaryKey(TableItem t) {
    return "ALTER TABLE " + name(t) + " DROP PRIMARY KEY IF EXISTS";
  }

  static String addPrimaryKey(TableItem t) {
    return "ALTER TABLE " + name(t) + " ADD CONSTRAINT " + primaryKey(t.primaryKey());
  }

  /** {@code DROP TABLE|VIEW IF EXISTS}: an external table's files stay where they are. */
  static String drop(TableItem t) {
    return "DROP " + kind(t) + " IF EXISTS " + name(t);
  }

  private static String primaryKey(TableItem.PrimaryKey key) {
    return identifier(key.name())
        + " PRIMARY KEY ("
        + key.columns().stream().map(TableSql::identifier).collect(Collectors.joining(", "))
        + ")";
  }

  private static String kind(TableItem t) {
    return t.view() ? "VIEW" : "TABLE";
  }

  static String name(TableItem t) {
    return identifier(t.catalog()) + "." + identifier(t.schema()) + "." + identifier(t.name());
  }

  static String identifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
