package dev.failover.simulator.databricks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The DDL statements the simulated SQL warehouse runs, as {@link SqlParser} reads them, and what
 * each does to the workspace's Unity Catalog. Each runs under the workspace state's lock, so that
 * its checks and its change are one step, as a metastore transaction is.
 */
sealed interface Ddl {
  /** Applies the statement; a {@link SqlError} when it fails. */
  void apply(WorkspaceState state);

  /** A three-part name, lower case as Unity Catalog keeps it. */
  record Name(String catalog, String schema, String table) {
    String fullName() {
      return catalog + "." + schema + "." + table;
    }

    String schemaFullName() {
      return catalog + "." + schema;
    }

    /** The name as error messages quote it: {@code `c`.`s`.`t`}. */
    String quoted() {
      return "`" + catalog + "`.`" + schema + "`.`" + table + "`";
    }
  }

  /**
   * {@code CREATE TABLE [IF NOT EXISTS] name [(columns [, CONSTRAINT name PRIMARY KEY (...)])]
   * [USING format] [LOCATION 'url'] [COMMENT '...'] [TBLPROPERTIES (...)]}. A table with a location
   * is external, one without is managed. The simulator does not compare declared columns with the
   * Delta log at the location, which the service does (failing on a mismatch).
   */
  record CreateTable(
      Name name,
      boolean ifNotExists,
      List<WorkspaceState.Column> columns,
      WorkspaceState.PrimaryKey primaryKey,
      String format,
      String location,
      String comment,
      Map<String, String> properties)
      implements Ddl {
    @Override
    public void apply(WorkspaceState state) {
      synchronized (state) {
        requireSchema(state, name);
        if (state.hasTable(name.fullName())) {
          if (ifNotExists) {
            return;
          }
          throw SqlError.exists(name.quoted());
        }
        if (primaryKey != null) {
          checkPrimaryKey(name, columns, primaryKey);
        }
        if (location != null) {
          checkNoOverlap(state, location);
        }
        state.createTable(
            name.schemaFullName(),
            name.table(),
            location == null ? "MANAGED" : "EXTERNAL",
            format,
            location,
            null,
            comment,
            columns,
            primaryKey,
            properties);
      }
    }
  }

  /**
   * {@code CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [COMMENT '...'] [TBLPROPERTIES (...)] AS
   * query}. Replacing keeps the view's owner and grants. The simulator stores the query text as is
   * and does not resolve the tables it reads, which the service does.
   */
  record CreateView(
      Name name,
      boolean orReplace,
      boolean ifNotExists,
      String comment,
      Map<String, String> properties,
      String query)
      implements Ddl {
    @Override
    public void apply(WorkspaceState state) {
      synchronized (state) {
        requireSchema(state, name);
        if (!state.hasTable(name.fullName())) {
          state.createTable(
              name.schemaFullName(),
              name.table(),
              "VIEW",
              null,
              null,
              query,
              comment,
              List.of(),
              null,
              properties);
          return;
        }
        if (ifNotExists) {
          return;
        }
        if (!orReplace) {
          throw SqlError.exists(name.quoted());
        }
        WorkspaceState.Table existing = state.table(name.fullName());
        if (!existing.isView()) {
          throw new SqlError(
              "EXPECT_VIEW_NOT_TABLE.NO_ALTERNATIVE",
              "42809",
              "'CREATE OR REPLACE VIEW' expects a view but " + name.quoted() + " is a table.");
        }
        state.updateTable(
            name.fullName(),
            t ->
                new WorkspaceState.Table(
                    t.catalogName(),
                    t.schemaName(),
                    t.name(),
                    "VIEW",
                    null,
                    null,
                    query,
                    comment,
                    t.owner(),
                    properties,
                    List.of(),
                    null,
                    t.createdAt(),
                    t.createdBy(),
                    t.updatedAt(),
                    t.updatedBy()));
      }
    }
  }

  /** {@code DROP TABLE|VIEW [IF EXISTS] name}: a table's data stays where it is. */
  record Drop(Name name, boolean view, boolean ifExists) implements Ddl {
    @Override
    public void apply(WorkspaceState state) {
      synchronized (state) {
        if (ifExists && !state.hasTable(name.fullName())) {
          return;
        }
        WorkspaceState.Table table = requireTable(state, name);
        if (table.isView() != view) {
          throw new SqlError(
              "WRONG_COMMAND_FOR_OBJECT_TYPE",
              "42809",
              "The operation DROP "
                  + (view ? "VIEW requires a VIEW" : "TABLE requires a EXTERNAL or MANAGED")
                  + ". But "
                  + name.quoted()
                  + " is a "
                  + table.tableType()
                  + ". Use DROP "
                  + (view ? "TABLE" : "VIEW")
                  + " instead.");
        }
        state.dropTable(name.fullName());
      }
    }
  }

  /** {@code ALTER TABLE|VIEW name [SET] OWNER TO principal}. */
  record SetOwner(Name name, boolean view, String principal) implements Ddl {
    @Override
    public void apply(WorkspaceState state) {
      synchronized (state) {
        requireKind(requireTable(state, name), name, view, "SET OWNER");
        state.updateTable(name.fullName(), t -> withOwner(t, principal));
      }
    }
  }

  /** {@code COMMENT ON TABLE name IS 'text'|NULL}, for a table or a view. */
  record CommentOn(Name name, String comment) implements Ddl {
    @Override
    public void apply(WorkspaceState state) {
      synchronized (state) {
        requireTable(state, name);
        state.updateTable(name.fullName(), t -> withComment(t, comment));
      }
    }
  }

  /** {@code ALTER TABLE name ADD CONSTRAINT c PRIMARY KEY (columns)}. */
  record AddPrimaryKey(Name name, WorkspaceState.PrimaryKey primaryKey) implements Ddl {
    @Override
    public void apply(WorkspaceState state) {
      synchronized (state) {
        WorkspaceState.Table table = requireTable(state, name);
        requireKind(table, name, false, "ADD CONSTRAINT");
        if (table.primaryKey() != null) {
          throw new SqlError(
              "MULTIPLE_PRIMARY_KEYS",
              "42P16",
              "Table "
                  + name.quoted()
                  + " already has the primary key `"
                  + table.primaryKey().name()
                  + "`; a table has at most one.");
        }
        checkPrimaryKey(name, table.columns(), primaryKey);
        state.updateTable(name.fullName(), t -> withPrimaryKey(t, primaryKey));
      }
    }
  }

  /** {@code ALTER TABLE name DROP PRIMARY KEY [IF EXISTS]}. */
  record DropPrimaryKey(Name name, boolean ifExists) implements Ddl {
    @Override
    public void apply(WorkspaceState state) {
      synchronized (state) {
        WorkspaceState.Table table = requireTable(state, name);
        requireKind(table, name, false, "DROP PRIMARY KEY");
        if (table.primaryKey() == null) {
          if (ifExists) {
            return;
          }
          throw new SqlError(
              "CONSTRAINT_DOES_NOT_EXIST",
              "42704",
              "Table " + name.quoted() + " has no primary key to drop.");
        }
        state.updateTable(name.fullName(), t -> withPrimaryKey(t, null));
      }
    }
  }

  private static void requireSchema(WorkspaceState state, Name name) {
    if (state.catalogs().stream().noneMatch(c -> c.name().equals(name.catalog()))) {
      throw SqlError.noCatalog(name.catalog());
    }
    if (state.schemas().stream().noneMatch(s -> s.fullName().equals(name.schemaFullName()))) {
      throw SqlError.noSchema(name.catalog(), name.schema());
    }
  }

  private static WorkspaceState.Table requireTable(WorkspaceState state, Name name) {
    requireSchema(state, name);
    if (!state.hasTable(name.fullName())) {
      throw SqlError.noTable(name.quoted());
    }
    return state.table(name.fullName());
  }

  private static void requireKind(
      WorkspaceState.Table table, Name name, boolean view, String operation) {
    if (table.isView() && !view) {
      throw new SqlError(
          "EXPECT_TABLE_NOT_VIEW.USE_ALTER_VIEW",
          "42809",
          "'ALTER TABLE ... "
              + operation
              + "' expects a table but "
              + name.quoted()
              + " is a view. Please use ALTER VIEW instead.");
    }
    if (!table.isView() && view) {
      throw new SqlError(
          "EXPECT_VIEW_NOT_TABLE.USE_ALTER_TABLE",
          "42809",
          "'ALTER VIEW ... "
              + operation
              + "' expects a view but "
              + name.quoted()
              + " is a table. Please use ALTER TABLE instead.");
    }
  }

  /** A primary key names declared columns, each NOT NULL, as Unity Catalog requires. */
  private static void checkPrimaryKey(
      Name name, List<WorkspaceState.Column> columns, WorkspaceState.PrimaryKey key) {
    for (String column : key.columns()) {
      WorkspaceState.Column declared =
          columns.stream().filter(c -> c.name().equalsIgnoreCase(column)).findFirst().orElse(null);
      if (declared == null) {
        throw new SqlError(
            "COLUMN_NOT_DEFINED_IN_TABLE",
            "42703",
            "PRIMARY KEY column `"
                + column
                + "` is not defined in table "
                + name.quoted()
                + ", defined table columns are: "
                + columns.stream().map(c -> "`" + c.name() + "`").collect(Collectors.joining(", "))
                + ".");
      }
      if (declared.nullable()) {
        throw new SqlError(
            "PRIMARY_KEY_COLUMN_NULLABLE",
            "42831",
            "Cannot create the primary key `"
                + key.name()
                + "` because its child column `"
                + column
                + "` is nullable. Please change the column nullability and retry.");
      }
    }
  }

  /**
   * Unity Catalog refuses an external table whose location is, contains or lies inside another
   * table's location: two tables cannot own the same files.
   */
  private static void checkNoOverlap(WorkspaceState state, String location) {
    String wanted = location.endsWith("/") ? location : location + "/";
    List<String> clashes = new ArrayList<>();
    for (WorkspaceState.Table other : state.allTables()) {
      if (other.storageLocation() == null) {
        continue;
      }
      String theirs =
          other.storageLocation().endsWith("/")
              ? other.storageLocation()
              : other.storageLocation() + "/";
      if (theirs.startsWith(wanted) || wanted.startsWith(theirs)) {
        clashes.add(other.fullName());
      }
    }
    if (!clashes.isEmpty()) {
      throw new SqlError(
          "LOCATION_OVERLAP",
          "42K0G",
          "Input path url '"
              + location
              + "' overlaps with other external tables or volumes within 'CreateTable' call."
              + " Conflicting tables/volumes: "
              + String.join(", ", clashes)
              + ".");
    }
  }

  private static WorkspaceState.Table withOwner(WorkspaceState.Table t, String owner) {
    return copy(t, owner, t.comment(), t.primaryKey());
  }

  private static WorkspaceState.Table withComment(WorkspaceState.Table t, String comment) {
    return copy(t, t.owner(), comment, t.primaryKey());
  }

  private static WorkspaceState.Table withPrimaryKey(
      WorkspaceState.Table t, WorkspaceState.PrimaryKey key) {
    return copy(t, t.owner(), t.comment(), key);
  }

  private static WorkspaceState.Table copy(
      WorkspaceState.Table t, String owner, String comment, WorkspaceState.PrimaryKey key) {
    return new WorkspaceState.Table(
        t.catalogName(),
        t.schemaName(),
        t.name(),
        t.tableType(),
        t.dataSourceFormat(),
        t.storageLocation(),
        t.viewDefinition(),
        comment,
        owner,
        t.properties(),
        t.columns(),
        key,
        t.createdAt(),
        t.createdBy(),
        t.updatedAt(),
        t.updatedBy());
  }
}
