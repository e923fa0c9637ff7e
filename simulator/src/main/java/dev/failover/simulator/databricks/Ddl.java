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
   * is external, one without is managed. An external Delta table is checked against the log at its
   * location ({@link #registerDelta}); other formats are registered with their declared columns.
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
        List<WorkspaceState.Column> registered = columns;
        Map<String, String> registeredProperties = properties;
        String registeredComment = comment;
        if (location != null && "DELTA".equals(format)) {
          DeltaLog.Metadata log = registerDelta(state.tableStorage());
          if (columns.isEmpty()) {
            registered = log.columns();
            registeredComment = comment != null ? comment : log.description();
          }
          registeredProperties = log.properties();
        }
        state.createTable(
            name.schemaFullName(),
            name.table(),
            location == null ? "MANAGED" : "EXTERNAL",
            format,
            location,
            null,
            registeredComment,
            registered,
            primaryKey,
            registeredProperties);
      }
    }

    /**
     * What Delta's CreateDeltaTableCommand does for an external table (delta-io/delta, spark/.../
     * commands/CreateDeltaTableCommand.scala: {@code assertTableSchemaDefined}, {@code
     * assertPathEmpty}, {@code verifyTableMetadata}; error classes and SQLSTATEs from
     * delta-error-classes.json, which the Databricks error-classes reference lists too):
     *
     * <ul>
     *   <li>a log at the location, no columns declared: the table is registered from the log
     *       (schema, generated and identity columns, partition columns, properties);
     *   <li>a log, columns declared: they must equal the log's schema field by field (name, type,
     *       nullability, metadata), else {@code DELTA_CREATE_TABLE_SCHEME_MISMATCH} (42KD7); a
     *       generated or identity column, whose expression or identity settings are field metadata,
     *       therefore never matches a column declared from its type alone; declared table
     *       properties must equal the log's configuration, else {@code
     *       DELTA_CREATE_TABLE_WITH_DIFFERENT_PROPERTY} (42KD7);
     *   <li>no log, no columns: {@code DELTA_CREATE_EXTERNAL_TABLE_WITHOUT_SCHEMA} (42601) on an
     *       empty path, {@code DELTA_CREATE_EXTERNAL_TABLE_WITHOUT_TXN_LOG} (42K03) on a path with
     *       files;
     *   <li>no log, columns declared: on an empty path a new, empty table whose version 0 is
     *       written into the bucket; on a path with files, {@code
     *       DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION} (42601).
     * </ul>
     */
    private DeltaLog.Metadata registerDelta(TableStorage storage) {
      List<String> names = storage.list(location);
      if (names == null) {
        // The service's error for a bucket that does not exist is not documented; the simulator
        // fails the statement, as reading the path would.
        throw new SqlError(
            "INVALID_PARAMETER_VALUE.LOCATION",
            "22023",
            "Cannot access the location " + location + ": its bucket does not exist.");
      }
      if (DeltaLog.hasCommits(names)) {
        DeltaLog.Metadata log = DeltaLog.read(storage, location, names);
        if (log == null) {
          throw withoutLog(names);
        }
        if (!columns.isEmpty()) {
          checkSchema(log);
        }
        if (!properties.isEmpty() && !properties.equals(log.configuration())) {
          throw new SqlError(
              "DELTA_CREATE_TABLE_WITH_DIFFERENT_PROPERTY",
              "42KD7",
              "The specified properties do not match the existing properties at "
                  + location
                  + ".\n\n== Specified ==\n"
                  + lines(properties)
                  + "\n\n== Existing ==\n"
                  + lines(log.configuration()));
        }
        return log;
      }
      if (columns.isEmpty() || !names.isEmpty()) {
        throw withoutLog(names);
      }
      return DeltaLog.create(storage, location, columns, comment, properties);
    }

    private SqlError withoutLog(List<String> names) {
      if (!columns.isEmpty()) {
        return new SqlError(
            "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION",
            "42601",
            "Cannot create table ('"
                + name.quoted()
                + "'). The associated location ('"
                + location
                + "') is not empty and also not a Delta table.");
      }
      if (names.isEmpty()) {
        return new SqlError(
            "DELTA_CREATE_EXTERNAL_TABLE_WITHOUT_SCHEMA",
            "42601",
            "You are trying to create an external table "
                + name.quoted()
                + " from `"
                + location
                + "` using Delta, but the schema is not specified when the input path is empty.");
      }
      return new SqlError(
          "DELTA_CREATE_EXTERNAL_TABLE_WITHOUT_TXN_LOG",
          "42K03",
          "You are trying to create an external table "
              + name.quoted()
              + " from `"
              + location
              + "` using Delta, but there is no transaction log present at `"
              + location
              + "/_delta_log`. Check the upstream job to make sure that it is writing using"
              + " format(\"delta\") and that the path is the root of the table.");
    }

    private void checkSchema(DeltaLog.Metadata log) {
      com.fasterxml.jackson.databind.node.ArrayNode declared = DeltaLog.fields(columns);
      List<String> differences = DeltaLog.differences(declared, log.fields());
      if (!differences.isEmpty()) {
        throw new SqlError(
            "DELTA_CREATE_TABLE_SCHEME_MISMATCH",
            "42KD7",
            "The specified schema does not match the existing schema at "
                + location
                + ".\n\n== Specified ==\n"
                + DeltaLog.tree(declared)
                + "\n\n== Existing ==\n"
                + DeltaLog.tree(log.fields())
                + "\n\n== Differences ==\n- "
                + String.join("\n- ", differences)
                + "\n\nIf your intention is to keep the existing schema, you can omit the schema"
                + " from the create table command. Otherwise please ensure that the schema"
                + " matches.");
      }
    }

    private static String lines(Map<String, String> properties) {
      return properties.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("\n"));
    }
  }

  /**
   * {@code CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [COMMENT '...'] [TBLPROPERTIES (...)] AS
   * query}. Replacing keeps the view's owner and grants.
   *
   * <p>The query is stored as written, with the catalog and schema current when the view is
   * created, as Spark keeps them: the view's properties {@code view.catalogAndNamespace.numParts}
   * and {@code view.catalogAndNamespace.part.N} (Spark's {@code CatalogTable.VIEW_CATALOG_AND_
   * NAMESPACE}; Unity Catalog returns them in {@code TableInfo.properties}, which is why the
   * Databricks Terraform provider's {@code sqlTableIsManagedProperty} lists them). The tables and
   * views the query reads are resolved when the view is created, an unqualified name against that
   * catalog and schema, and a name that resolves to nothing fails with {@code
   * TABLE_OR_VIEW_NOT_FOUND}, as the analyzer fails it. When the view is read, its names resolve
   * against the stored catalog and schema, never the reader's. Only the names after {@code FROM}
   * and {@code JOIN} are resolved (see {@link SqlParser#tableReferences}); columns and functions
   * are not checked.
   *
   * @param currentCatalog the statement's current catalog (the request's {@code catalog})
   * @param currentSchema the statement's current schema (the request's {@code schema})
   */
  record CreateView(
      Name name,
      boolean orReplace,
      boolean ifNotExists,
      String comment,
      Map<String, String> properties,
      String query,
      String currentCatalog,
      String currentSchema)
      implements Ddl {
    /** Spark's property for how many parts the view's current catalog and namespace have. */
    static final String NUM_PARTS = "view.catalogAndNamespace.numParts";

    /** Spark's prefix of the properties that hold each part. */
    static final String PART = "view.catalogAndNamespace.part.";

    @Override
    public void apply(WorkspaceState state) {
      synchronized (state) {
        requireSchema(state, name);
        if (!(state.hasTable(name.fullName()) && ifNotExists)) {
          resolve(state);
        }
        Map<String, String> stored = withContext();
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
              stored);
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
                    stored,
                    List.of(),
                    null,
                    t.createdAt(),
                    t.createdBy(),
                    t.updatedAt(),
                    t.updatedBy()));
      }
    }

    /** Every table or view the query reads must exist, resolved in the view's context. */
    private void resolve(WorkspaceState state) {
      for (List<String> reference : SqlParser.tableReferences(query)) {
        if (!state.hasTable(fullName(reference))) {
          throw SqlError.noTable(
              reference.stream().map(p -> "`" + p + "`").collect(Collectors.joining(".")));
        }
      }
    }

    /**
     * The full names of the existing tables and views the query reads, resolved in the view's
     * context, when creating the view resolves them (not for {@code IF NOT EXISTS} over an existing
     * view): what the caller must be able to read ({@link UcAuthorization}).
     */
    List<String> existingReferences(WorkspaceState state) {
      synchronized (state) {
        if (state.hasTable(name.fullName()) && ifNotExists) {
          return List.of();
        }
        return SqlParser.tableReferences(query).stream()
            .map(this::fullName)
            .filter(state::hasTable)
            .distinct()
            .toList();
      }
    }

    /** A name of the query as a full name: an unqualified one in the view's catalog and schema. */
    private String fullName(List<String> reference) {
      List<String> lower =
          reference.stream().map(p -> p.toLowerCase(java.util.Locale.ROOT)).toList();
      return switch (lower.size()) {
        case 1 -> currentCatalog + "." + currentSchema + "." + lower.get(0);
        case 2 -> currentCatalog + "." + lower.get(0) + "." + lower.get(1);
        default -> String.join(".", lower);
      };
    }

    /** The declared properties and the catalog and schema the view's names resolve against. */
    private Map<String, String> withContext() {
      Map<String, String> all = new java.util.LinkedHashMap<>(properties);
      all.put(NUM_PARTS, "2");
      all.put(PART + "0", currentCatalog);
      all.put(PART + "1", currentSchema);
      return all;
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
        if (!state.resolvesPrincipal(principal)) {
          throw SqlError.noPrincipal(principal);
        }
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

  static WorkspaceState.Table withOwner(WorkspaceState.Table t, String owner) {
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
