package dev.failover.simulator.databricks;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The state of one simulated workspace: Unity Catalog's catalogs, schemas and the privileges
 * granted on them here; jobs, SQL warehouses, the SQL statements run on them, cluster policies and
 * clusters in {@link JobsState}, {@link WarehousesState}, {@link StatementsState}, {@link
 * ClusterPoliciesState} and {@link ClustersState}; folders, notebooks and Git folders in {@link
 * WorkspaceTree}; the metastore assignment, storage credentials and external locations, and
 * registered models in {@link MetastoresState}, {@link StorageAccessState} and {@link ModelsState};
 * the groups its SCIM API lists in {@link GroupsState}; its users, service principals, their tokens
 * and admins in {@link PrincipalsState}. All methods are synchronized; the HTTP handler and tests
 * share one instance.
 */
public final class WorkspaceState {
  /** A catalog as the simulator keeps it. */
  public record Catalog(
      String name,
      String comment,
      String owner,
      Map<String, String> properties,
      String storageRoot,
      long createdAt,
      String createdBy,
      long updatedAt,
      String updatedBy) {}

  /** A schema as the simulator keeps it. */
  public record Schema(
      String catalogName,
      String name,
      String comment,
      String owner,
      Map<String, String> properties,
      String storageRoot,
      long createdAt,
      String createdBy,
      long updatedAt,
      String updatedBy) {
    public String fullName() {
      return catalogName + "." + name;
    }
  }

  /**
   * A table or view as the simulator keeps it.
   *
   * @param tableType {@code MANAGED}, {@code EXTERNAL} or {@code VIEW}
   * @param dataSourceFormat {@code DELTA}, {@code PARQUET}, ...; null for a view
   * @param storageLocation where the table's data lives (for a managed table, under the managed
   *     storage of its schema, catalog or metastore); null for a view
   * @param viewDefinition a view's SQL; null for a table
   * @param columns the columns in order; empty when they were not declared
   * @param primaryKey the primary key constraint, or null
   */
  public record Table(
      String catalogName,
      String schemaName,
      String name,
      String tableType,
      String dataSourceFormat,
      String storageLocation,
      String viewDefinition,
      String comment,
      String owner,
      Map<String, String> properties,
      List<Column> columns,
      PrimaryKey primaryKey,
      long createdAt,
      String createdBy,
      long updatedAt,
      String updatedBy) {
    public Table {
      properties = copy(properties);
      columns = columns == null ? List.of() : List.copyOf(columns);
    }

    public String fullName() {
      return catalogName + "." + schemaName + "." + name;
    }

    public boolean isView() {
      return "VIEW".equals(tableType);
    }
  }

  /**
   * A table's column, as {@code ColumnInfo} describes it.
   *
   * @param typeJson the column as a Delta schema field ({@code name}, {@code type}, {@code
   *     nullable}, {@code metadata}, where generation expressions and identity settings live), or
   *     null when not derived (columns declared in SQL or seeded)
   * @param partitionIndex the column's place among the partition columns, or null
   */
  public record Column(
      String name,
      String typeText,
      boolean nullable,
      String comment,
      String typeJson,
      Integer partitionIndex) {
    public Column(String name, String typeText, boolean nullable, String comment) {
      this(name, typeText, nullable, comment, null, null);
    }
  }

  /** A primary key constraint ({@code PrimaryKeyConstraint}): its name and its columns. */
  public record PrimaryKey(String name, List<String> columns) {
    public PrimaryKey {
      columns = List.copyOf(columns);
    }
  }

  private final Map<String, Table> tables = new TreeMap<>();
  private final String metastoreId;
  private final String userName;
  private final Map<String, Catalog> catalogs = new TreeMap<>();
  private final Map<String, Schema> schemas = new TreeMap<>();
  private final Map<String, Map<String, TreeSet<String>>> grants = new TreeMap<>();

  private final JobsState jobs;
  private final PipelinesState pipelines;
  private final WarehousesState warehouses;
  private final WorkspaceTree workspaceTree;
  private final MetastoresState metastores;
  private final StorageAccessState storageAccess;
  private final ModelsState models;
  private final StatementsState statements;
  private final ClusterPoliciesState clusterPolicies;
  private final ClustersState clusters;
  private final GroupsState groups;
  private final PrincipalsState principals;
  private final PermissionsState permissions;
  private final ComputePlacement computePlacement = new ComputePlacement();
  private TableStorage tableStorage = TableStorage.NONE;
  private volatile java.util.function.Predicate<String> accountGroups = name -> false;

  public WorkspaceState(String metastoreId, String userName) {
    this.metastoreId = metastoreId;
    this.userName = userName;
    this.warehouses = new WarehousesState(userName, Clock.systemUTC());
    this.pipelines = new PipelinesState(userName, Clock.systemUTC());
    this.workspaceTree =
        new WorkspaceTree(userName, (1 + Math.floorMod(metastoreId.hashCode(), 9000)) * 100_000L);
    this.metastores = new MetastoresState(userName, Long.parseLong(workspaceId()));
    this.storageAccess = new StorageAccessState(userName, this::requirePrincipal);
    this.models = new ModelsState(this, userName);
    this.statements = new StatementsState(this, warehouses);
    this.clusterPolicies = new ClusterPoliciesState(userName);
    this.clusters =
        new ClustersState(userName, Clock.systemUTC(), clusterPolicies, computePlacement);
    // Group ids are 15-digit numbers that differ between workspaces, as workspace-local ones do.
    this.groups =
        new GroupsState(
            new GroupsState.Member(userId(), userName, "Users/" + userId()),
            (100 + Math.floorMod(metastoreId.hashCode(), 900)) * 1_000_000_000_000L + 1);
    this.principals =
        new PrincipalsState(
            groups,
            new PrincipalsState.Principal(
                userId(), PrincipalsState.Kind.USER, userName, userName, true),
            (100 + Math.floorMod(metastoreId.hashCode(), 900)) * 1_000_000_000_000L
                + 500_000_000_001L);
    // Job ids are large numbers that differ between workspaces, as real ones do.
    this.jobs =
        new JobsState(
            principals,
            userName,
            (100 + Math.floorMod(metastoreId.hashCode(), 900)) * 1_000_000_000_000L + 1,
            computePlacement,
            Clock.systemUTC());
    this.permissions = new PermissionsState(this);
  }

  /** The workspace's users and service principals, their tokens, and its admins. */
  public PrincipalsState principals() {
    return principals;
  }

  /**
   * Lets Unity Catalog resolve the account's groups by display name, assigned to this workspace or
   * not ({@link AccountState#addWorkspace} plugs in its groups).
   */
  public void useAccountGroups(java.util.function.Predicate<String> named) {
    accountGroups = named;
  }

  /** The name Unity Catalog gives the account-wide group of every account user. */
  public static final String ACCOUNT_USERS = "account users";

  /**
   * Whether Unity Catalog resolves {@code name} as a principal: a user by its user name, a service
   * principal by its application id, or an account group by its display name ({@code account users}
   * included). Unity Catalog resolves account-level principals only: a workspace-local group, the
   * built-in {@code admins} and {@code users} among them, is not one ("Could not find principal
   * with name admins", terraform-provider-databricks#5413; "... transformer" for a workspace-local
   * group, #2237; public notes on Unity Catalog grants: "A workspace-local group ... is refused as
   * a grant principal (PRINCIPAL_DOES_NOT_EXIST); the only account group that resolves is `account
   * users`" in a workspace without account groups). The workspace's users and service principals
   * are account identities assigned to it ({@link PrincipalsState}); the simulated account has no
   * users or service principals of its own, so those are the ones known. Not synchronized on this
   * state (it reads only the principals' and groups' states, each under its own lock), so that the
   * storage and model states may call it under theirs.
   */
  public boolean resolvesPrincipal(String name) {
    if (name == null || name.isBlank()) {
      return false;
    }
    return ACCOUNT_USERS.equals(name)
        || principals.hasUser(name)
        || principals.hasServicePrincipal(name)
        || groups
            .named(name)
            .filter(g -> GroupsState.ACCOUNT_GROUP.equals(g.resourceType()))
            .isPresent()
        || accountGroups.test(name);
  }

  /**
   * Refuses a principal Unity Catalog does not resolve ({@link #resolvesPrincipal}), as a grant or
   * an owner change names it: {@code PRINCIPAL_DOES_NOT_EXIST} "Could not find principal with name
   * X" (the message and code as terraform-provider-databricks#1773 and #5413 and recorded SQL
   * output quote them: "PRINCIPAL_DOES_NOT_EXIST: Could not find principal with name hr_analysts").
   * The HTTP status is not on public record: 404 is chosen deliberately, the status of Unity
   * Catalog's other {@code *_DOES_NOT_EXIST} codes, and the harsher one for a client, whose SDK
   * maps it to {@code NotFound}, which a client may mistake for the securable itself being missing.
   */
  public void requirePrincipal(String name) {
    if (!resolvesPrincipal(name)) {
      throw new ApiError(
          404, "PRINCIPAL_DOES_NOT_EXIST", "Could not find principal with name " + name);
    }
  }

  /** Plugs in the storage under external tables' locations (the simulator's S3). */
  public synchronized void useTableStorage(TableStorage storage) {
    tableStorage = storage;
  }

  /** The storage under external tables' locations. */
  public synchronized TableStorage tableStorage() {
    return tableStorage;
  }

  /** The groups the workspace's SCIM API lists: built-in, workspace-local and account groups. */
  public GroupsState groups() {
    return groups;
  }

  /** The access control lists of the workspace's objects (Permissions API). */
  public PermissionsState permissions() {
    return permissions;
  }

  /** The workspace's folders, notebooks and Git folders (Workspace and Repos APIs). */
  public WorkspaceTree workspaceTree() {
    return workspaceTree;
  }

  /** The SQL statements run on the workspace's warehouses. */
  public StatementsState statements() {
    return statements;
  }

  /** The workspace's cluster policies. */
  public ClusterPoliciesState clusterPolicies() {
    return clusterPolicies;
  }

  /**
   * The workspace's region and registered instance profiles, which clusters are checked against.
   */
  public ComputePlacement computePlacement() {
    return computePlacement;
  }

  /** The workspace's all-purpose clusters. */
  public ClustersState clusters() {
    return clusters;
  }

  /** The workspace's pipelines (Pipelines API 2.0). */
  public PipelinesState pipelines() {
    return pipelines;
  }

  /** The workspace's jobs (Jobs API 2.2). */
  public JobsState jobs() {
    return jobs;
  }

  /** The workspace's SQL warehouses. */
  public WarehousesState warehouses() {
    return warehouses;
  }

  /** The metastores the workspace's account has, and the one assigned to it. */
  public MetastoresState metastores() {
    return metastores;
  }

  /** The storage credentials and external locations of the workspace's metastore. */
  public StorageAccessState storageAccess() {
    return storageAccess;
  }

  /** The registered models of the workspace's metastore and their versions. */
  public ModelsState models() {
    return models;
  }

  /** How long a SQL warehouse stays {@code STARTING} before it is {@code RUNNING} (default 1 s). */
  public void setWarehouseStartDelay(Duration delay) {
    warehouses.setStartDelay(delay);
  }

  /** The numeric workspace id, derived from the metastore id so it is stable per side. */
  public String workspaceId() {
    return Long.toString(Math.abs((long) metastoreId.hashCode()) * 1000 + 7);
  }

  public String metastoreId() {
    return metastoreId;
  }

  /** The user the workspace's token belongs to; owner of what it creates. */
  public String userName() {
    return userName;
  }

  /** The SCIM id of {@link #userName()}, as {@code /scim/v2/Me} answers it. */
  public String userId() {
    return Integer.toUnsignedString(userName.hashCode());
  }

  public synchronized List<Catalog> catalogs() {
    return List.copyOf(catalogs.values());
  }

  public synchronized Catalog catalog(String name) {
    Catalog catalog = catalogs.get(name);
    if (catalog == null) {
      throw ApiError.notFound(
          "CATALOG_DOES_NOT_EXIST", "Catalog", name, "Catalog '" + name + "' does not exist.");
    }
    return catalog;
  }

  /**
   * Creates a catalog and, as Unity Catalog does, its {@code information_schema}, owned by the
   * system user, and its {@code default} schema, owned by the creator.
   */
  public synchronized Catalog createCatalog(
      String name, String comment, Map<String, String> properties, String storageRoot) {
    return createCatalog(name, comment, properties, storageRoot, userName);
  }

  /**
   * Creates a catalog owned by its creator, with its {@code information_schema} and its {@code
   * default} schema. Every catalog the simulator makes is a standard ({@code MANAGED_CATALOG}) one,
   * which Unity Catalog creates with a {@code default} schema: terraform-provider-databricks
   * deletes {@code <catalog>.default} right after every standard catalog it creates ({@code
   * catalog/resource_catalog.go}: "only remove catalog default schema for standard catalog", {@code
   * w.Schemas.DeleteByFullName(ctx, ci.Name+".default")}, "cannot remove new catalog default
   * schema"; its unit tests expect that call, {@code catalog/resource_catalog_test.go}). Its owner
   * is the creator, its comment "Default schema (auto-created)", with no properties and no storage
   * root of its own, as recorded {@code SchemaInfo} answers show it (datahub's and OpenMetadata's
   * Unity Catalog fixtures: {@code "name": "default", "owner": <the catalog's creator>, "comment":
   * "Default schema (auto-created)"}).
   */
  public synchronized Catalog createCatalog(
      String name,
      String comment,
      Map<String, String> properties,
      String storageRoot,
      String creator) {
    requireName("name", name);
    if (catalogs.containsKey(name)) {
      throw ApiError.alreadyExists(
          "CATALOG_ALREADY_EXISTS", "Catalog", name, "Catalog '" + name + "' already exists");
    }
    long now = System.currentTimeMillis();
    Catalog catalog =
        new Catalog(
            name, comment, creator, copy(properties), storageRoot, now, creator, now, creator);
    catalogs.put(name, catalog);
    schemas.put(
        name + ".information_schema",
        new Schema(
            name,
            "information_schema",
            "Information schema (auto-created)",
            "System user",
            Map.of(),
            null,
            now,
            "System user",
            now,
            "System user"));
    schemas.put(
        name + ".default",
        new Schema(
            name,
            "default",
            "Default schema (auto-created)",
            creator,
            Map.of(),
            null,
            now,
            creator,
            now,
            creator));
    return catalog;
  }

  /** Updates the fields given (null: leave as is). */
  public synchronized Catalog updateCatalog(
      String name, String comment, String owner, Map<String, String> properties) {
    Catalog c = catalog(name);
    if (owner != null) {
      requirePrincipal(owner);
    }
    Catalog updated =
        new Catalog(
            name,
            comment == null ? c.comment() : comment,
            owner == null ? c.owner() : owner,
            properties == null ? c.properties() : copy(properties),
            c.storageRoot(),
            c.createdAt(),
            c.createdBy(),
            System.currentTimeMillis(),
            userName);
    catalogs.put(name, updated);
    return updated;
  }

  /**
   * Deletes a catalog; one with schemas besides {@code information_schema} only with {@code force}.
   * Whether the auto-created {@code default} schema, empty, makes a catalog non-empty is not on
   * public record; the harsher reading is modelled: it does, as any other schema.
   */
  public synchronized void deleteCatalog(String name, boolean force) {
    catalog(name);
    List<String> own =
        schemas.values().stream()
            .filter(s -> s.catalogName().equals(name) && !s.name().equals("information_schema"))
            .map(Schema::fullName)
            .toList();
    if (!own.isEmpty() && !force) {
      throw new ApiError(
          400,
          "CATALOG_NOT_EMPTY",
          "Cannot delete catalog '" + name + "' because it contains schemas: " + own);
    }
    schemas.keySet().removeIf(key -> key.startsWith(name + "."));
    grants
        .keySet()
        .removeIf(key -> key.equals("catalog/" + name) || key.startsWith("schema/" + name + "."));
    catalogs.remove(name);
  }

  /** Every schema of every catalog, sorted by full name. */
  public synchronized List<Schema> schemas() {
    return List.copyOf(schemas.values());
  }

  /** The schemas of one catalog, sorted by name; NotFound if the catalog does not exist. */
  public synchronized List<Schema> schemas(String catalogName) {
    catalog(catalogName);
    return schemas.values().stream().filter(s -> s.catalogName().equals(catalogName)).toList();
  }

  public synchronized Schema schema(String fullName) {
    Schema schema = schemas.get(fullName);
    if (schema == null) {
      throw ApiError.notFound(
          "SCHEMA_DOES_NOT_EXIST", "Schema", fullName, "Schema '" + fullName + "' does not exist.");
    }
    return schema;
  }

  public synchronized Schema createSchema(
      String catalogName,
      String name,
      String comment,
      Map<String, String> properties,
      String storageRoot) {
    return createSchema(catalogName, name, comment, properties, storageRoot, userName);
  }

  /** Creates a schema owned by its creator. */
  public synchronized Schema createSchema(
      String catalogName,
      String name,
      String comment,
      Map<String, String> properties,
      String storageRoot,
      String creator) {
    requireName("catalog_name", catalogName);
    requireName("name", name);
    catalog(catalogName);
    String fullName = catalogName + "." + name;
    if (schemas.containsKey(fullName)) {
      // The real message names the schema by its short name (databricks/cli#2889,
      // databricks/bundle-examples#51: "Schema 'NAME' already exists").
      throw ApiError.alreadyExists(
          "SCHEMA_ALREADY_EXISTS", "Schema", fullName, "Schema '" + name + "' already exists");
    }
    long now = System.currentTimeMillis();
    Schema schema =
        new Schema(
            catalogName,
            name,
            comment,
            creator,
            copy(properties),
            storageRoot,
            now,
            creator,
            now,
            creator);
    schemas.put(fullName, schema);
    return schema;
  }

  public synchronized Schema updateSchema(
      String fullName, String comment, String owner, Map<String, String> properties) {
    Schema s = schema(fullName);
    if (owner != null) {
      requirePrincipal(owner);
    }
    Schema updated =
        new Schema(
            s.catalogName(),
            s.name(),
            comment == null ? s.comment() : comment,
            owner == null ? s.owner() : owner,
            properties == null ? s.properties() : copy(properties),
            s.storageRoot(),
            s.createdAt(),
            s.createdBy(),
            System.currentTimeMillis(),
            userName);
    schemas.put(fullName, updated);
    return updated;
  }

  public synchronized void deleteSchema(String fullName) {
    schema(fullName);
    schemas.remove(fullName);
    grants.remove("schema/" + fullName);
  }

  /**
   * Registers a table (or a view) in an existing schema, for seeding; the SQL statements of the
   * statement execution API register tables through {@link #createTable(String, String, String,
   * String, String, String, String, List, PrimaryKey, Map)} too.
   */
  public synchronized Table createTable(
      String schemaFullName,
      String name,
      String tableType,
      String dataSourceFormat,
      String storageLocation,
      String viewDefinition,
      String comment) {
    return createTable(
        schemaFullName,
        name,
        tableType,
        dataSourceFormat,
        storageLocation,
        viewDefinition,
        comment,
        List.of(),
        null,
        Map.of());
  }

  /**
   * Registers a table or a view. A managed table created without a location gets one in the managed
   * storage of its schema, else of its catalog, else of the metastore, as Unity Catalog places it.
   */
  public synchronized Table createTable(
      String schemaFullName,
      String name,
      String tableType,
      String dataSourceFormat,
      String storageLocation,
      String viewDefinition,
      String comment,
      List<Column> columns,
      PrimaryKey primaryKey,
      Map<String, String> properties) {
    Schema schema = schema(schemaFullName);
    requireName("name", name);
    String location = storageLocation;
    if (location == null && "MANAGED".equals(tableType)) {
      location = managedLocation(schema) + "/tables/" + UcJson.uuid(schemaFullName + "." + name);
    }
    long now = System.currentTimeMillis();
    Table table =
        new Table(
            schema.catalogName(),
            schema.name(),
            name,
            tableType,
            dataSourceFormat,
            location,
            viewDefinition,
            comment,
            userName,
            properties,
            columns,
            primaryKey,
            now,
            userName,
            now,
            userName);
    if (tables.putIfAbsent(table.fullName(), table) != null) {
      throw ApiError.alreadyExists(
          "TABLE_ALREADY_EXISTS",
          "Table",
          table.fullName(),
          "Table '" + table.fullName() + "' already exists");
    }
    return table;
  }

  /**
   * Where Unity Catalog puts the managed tables of a schema: under the schema's managed location,
   * else the catalog's, else the metastore's root. The demo metastore's root bucket is not one of
   * the runbook's buckets, as a metastore root usually is not.
   */
  private String managedLocation(Schema schema) {
    if (schema.storageRoot() != null) {
      return schema.storageRoot() + "/__unitystorage/schemas/" + UcJson.uuid(schema.fullName());
    }
    Catalog catalog = catalog(schema.catalogName());
    if (catalog.storageRoot() != null) {
      return catalog.storageRoot() + "/__unitystorage/catalogs/" + UcJson.uuid(catalog.name());
    }
    return "s3://databricks-metastore-root/" + metastoreId;
  }

  /** Replaces a table's definition, keeping its creation, and records the update. */
  public synchronized Table updateTable(String fullName, UnaryOperator<Table> change) {
    Table old = table(fullName);
    Table changed = change.apply(old);
    Table updated =
        new Table(
            old.catalogName(),
            old.schemaName(),
            old.name(),
            changed.tableType(),
            changed.dataSourceFormat(),
            changed.storageLocation(),
            changed.viewDefinition(),
            changed.comment(),
            changed.owner(),
            changed.properties(),
            changed.columns(),
            changed.primaryKey(),
            old.createdAt(),
            old.createdBy(),
            System.currentTimeMillis(),
            userName);
    tables.put(fullName, updated);
    return updated;
  }

  /**
   * Gives a table or view another owner ({@code UpdateTableRequest}, whose only field is the
   * owner), one Unity Catalog resolves ({@link #requirePrincipal}).
   */
  public synchronized Table updateTableOwner(String fullName, String owner) {
    table(fullName);
    requirePrincipal(owner);
    return updateTable(fullName, t -> Ddl.withOwner(t, owner));
  }

  /** Removes a table or a view and the grants on it. */
  public synchronized void dropTable(String fullName) {
    table(fullName);
    tables.remove(fullName);
    grants.remove(key("table", fullName));
  }

  /** Every table and view of every schema, by full name. */
  public synchronized List<Table> allTables() {
    return List.copyOf(tables.values());
  }

  /** Whether a table or view of this full name exists. */
  public synchronized boolean hasTable(String fullName) {
    return tables.containsKey(fullName);
  }

  /** The tables of one schema, sorted by name; NotFound if the schema does not exist. */
  public synchronized List<Table> tables(String catalogName, String schemaName) {
    schema(catalogName + "." + schemaName);
    return tables.values().stream()
        .filter(t -> t.catalogName().equals(catalogName) && t.schemaName().equals(schemaName))
        .toList();
  }

  public synchronized Table table(String fullName) {
    Table table = tables.get(fullName);
    if (table == null) {
      throw ApiError.notFound(
          "TABLE_DOES_NOT_EXIST", "Table", fullName, "Table '" + fullName + "' does not exist.");
    }
    return table;
  }

  /**
   * Everything the workspace holds, one sorted line per catalog, schema and grant, without
   * timestamps: two workspaces with equal contents give equal text, so tests compare DR states.
   */
  public synchronized List<String> contents() {
    List<String> lines = new ArrayList<>();
    catalogs
        .values()
        .forEach(
            c ->
                lines.add(
                    "catalog "
                        + c.name()
                        + " comment="
                        + c.comment()
                        + " owner="
                        + c.owner()
                        + " properties="
                        + c.properties()
                        + " root="
                        + c.storageRoot()));
    schemas
        .values()
        .forEach(
            s ->
                lines.add(
                    "schema "
                        + s.fullName()
                        + " comment="
                        + s.comment()
                        + " owner="
                        + s.owner()
                        + " properties="
                        + s.properties()
                        + " root="
                        + s.storageRoot()));
    grants.forEach(
        (securable, byPrincipal) ->
            byPrincipal.forEach(
                (principal, privileges) ->
                    lines.add("grant " + securable + " " + principal + " " + privileges)));
    lines.sort(null);
    return lines;
  }

  /**
   * The privileges per principal on a securable, sorted by principal.
   *
   * @param securableType {@code catalog}, {@code schema} or {@code table} (also for a view), in any
   *     case, as the API accepts it
   * @param fullName the catalog's name, the schema's {@code catalog.schema} or the table's {@code
   *     catalog.schema.table}
   */
  public synchronized Map<String, Set<String>> grants(String securableType, String fullName) {
    String type = requireSecurable(securableType, fullName);
    Map<String, Set<String>> result = new TreeMap<>();
    grants
        .getOrDefault(key(type, fullName), Map.of())
        .forEach((principal, privileges) -> result.put(principal, Set.copyOf(privileges)));
    return result;
  }

  /**
   * One change of an {@code UpdatePermissions} PATCH: a principal's privileges to add and remove.
   */
  public record GrantChange(String principal, List<String> add, List<String> remove) {
    public GrantChange {
      add = add == null ? List.of() : List.copyOf(add);
      remove = remove == null ? List.of() : List.copyOf(remove);
    }
  }

  /** Adds and removes privileges of one principal on a securable, as one PATCH change does. */
  public synchronized void changeGrants(
      String securableType,
      String fullName,
      String principal,
      List<String> add,
      List<String> remove) {
    changeGrants(securableType, fullName, List.of(new GrantChange(principal, add, remove)));
  }

  /**
   * Applies a PATCH's changes, all or none: every change is checked (principal given and known to
   * Unity Catalog, privileges valid for the securable) before any is applied. Whether the real
   * service applies the other changes of a PATCH that names one unknown principal is not on public
   * record (terraform-provider-databricks#1773 shows only the refusal, "cannot create grants: Could
   * not find principal with name ..."); the harsher reading is modelled: the whole PATCH is refused
   * and nothing changes.
   */
  public synchronized void changeGrants(
      String securableType, String fullName, List<GrantChange> changes) {
    String type = requireSecurable(securableType, fullName);
    for (GrantChange change : changes) {
      if (change.principal() == null || change.principal().isBlank()) {
        throw ApiError.invalid("principal is required in every change");
      }
      for (String privilege : concat(change.add(), change.remove())) {
        Privileges.require(type, fullName, privilege);
      }
    }
    for (GrantChange change : changes) {
      requirePrincipal(change.principal());
    }
    Map<String, TreeSet<String>> bySecurable =
        grants.computeIfAbsent(key(type, fullName), k -> new TreeMap<>());
    for (GrantChange change : changes) {
      TreeSet<String> privileges =
          bySecurable.computeIfAbsent(change.principal(), p -> new TreeSet<>());
      privileges.addAll(change.add());
      privileges.removeAll(change.remove());
      if (privileges.isEmpty()) {
        bySecurable.remove(change.principal());
      }
    }
  }

  /**
   * Replaces every grant on a securable with the given privileges per principal, for seeding a
   * test; the privileges and principals are validated as the API validates them ({@link
   * #changeGrants(String, String, List)}).
   */
  public synchronized void setGrants(
      String securableType, String fullName, Map<String, ? extends Collection<String>> grants) {
    String type = requireSecurable(securableType, fullName);
    grants.forEach(
        (principal, privileges) ->
            privileges.forEach(privilege -> Privileges.require(type, fullName, privilege)));
    grants.keySet().forEach(this::requirePrincipal);
    Map<String, TreeSet<String>> bySecurable = new TreeMap<>();
    grants.forEach(
        (principal, privileges) -> {
          if (!privileges.isEmpty()) {
            bySecurable.put(principal, new TreeSet<>(privileges));
          }
        });
    this.grants.put(key(type, fullName), bySecurable);
  }

  /** Checks that the securable exists; returns its type in the lower case the state keys use. */
  private String requireSecurable(String securableType, String fullName) {
    String type = securableType == null ? "" : securableType.toLowerCase(Locale.ROOT);
    switch (type) {
      case "catalog" -> catalog(fullName);
      case "schema" -> schema(fullName);
      case "table" -> table(fullName);
      case "metastore" -> metastores().metastore(fullName);
      case "storage_credential" -> storageAccess().credential(fullName);
      case "external_location" -> storageAccess().location(fullName);
      // Registered models are functions to the permissions API (SDK 0.141.0 has no model type).
      case "function" -> models().model(fullName);
      default ->
          throw ApiError.invalid(
              "Securable type " + securableType + " is not supported by this simulator");
    }
    return type;
  }

  private static String key(String securableType, String fullName) {
    return securableType + "/" + fullName;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Map<String, String> copy(Map<String, String> properties) {
    return properties == null ? Map.of() : Map.copyOf(new TreeMap<>(properties));
  }

  private static void requireName(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiError.invalid("Missing required field: " + field);
    }
  }
}
