package dev.failover.simulator.databricks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may do what in the workspace's Unity Catalog: the privilege model of the Databricks
 * references "Unity Catalog privileges and securable objects", "Manage privileges in Unity Catalog"
 * and "Manage Unity Catalog object ownership", for the calling principal of a request.
 *
 * <ul>
 *   <li>Grants are made to a user or service principal by name, or to a group by its display name;
 *       a caller holds what is granted to it and to the groups it is a direct member of.
 *   <li>Privileges are inherited downward: a grant on a catalog applies to its schemas and their
 *       tables, a grant on a schema to its tables ("Inheritance model").
 *   <li>{@code ALL_PRIVILEGES} stands for every privilege that applies to the securable ("ALL
 *       PRIVILEGES ... expands to all available privileges at the time permissions checks are
 *       made"), {@link Privileges#applicableTo}.
 *   <li>The owner of an object has all privileges on it, but not on its children ("owners of a
 *       schema do not automatically have all privileges on the tables in the schema").
 *   <li>Privileges on an object are managed by a metastore admin, its owner, the owner of the
 *       catalog or schema that contains it, or a holder of {@code MANAGE} on it ("Who can manage
 *       privileges?"); the same principals update and drop it ("MANAGE ... allows a principal to
 *       manage privileges, transfer ownership, drop and rename an object").
 *   <li>The metastore admin is the metastore's owner (a user, service principal or group:
 *       "Metastore admins are the owners of the metastore"). The simulator lets it do everything
 *       but what the sources say it may not: a real metastore admin manages every object and grants
 *       itself what it lacks, so a request it could make after granting itself is allowed here
 *       without the grant. The exceptions: reading the tables a view names ({@code CREATE VIEW})
 *       and creating a registered model's versions take a grant or ownership, never the admin role
 *       alone. Without an assigned metastore the workspace's first user is the admin.
 * </ul>
 *
 * Refusals are 403 {@code PERMISSION_DENIED}, the SDK's {@code PermissionDenied}, with the message
 * Unity Catalog gives for a missing privilege: "User does not have CREATE CATALOG on Metastore
 * 'primary'." (terraform-databricks-examples#121, terraform-provider-databricks#2421), "User does
 * not have USE SCHEMA on Schema 'c.default'." (ibis-project/ibis#9038), "User does not have USE
 * CATALOG on Catalog 'abc001'." after an owner change (terraform-provider-databricks#2109). For an
 * act that needs ownership the message "User is not an owner of Catalog 'x'." is quoted by
 * third-party test fixtures only; its exact wording for schemas and tables is not documented.
 */
final class UcAuthorization {
  /** A securable as the grants paths name it: a lower-case type and a full name. */
  record Securable(String type, String fullName) {}

  private final WorkspaceState state;

  UcAuthorization(WorkspaceState state) {
    this.state = state;
  }

  /** The names grants to the caller may be made under: its own and its groups'. */
  Set<String> identities(PrincipalsState.Principal caller) {
    Set<String> names = new TreeSet<>();
    names.add(caller.name());
    state.principals().groupsOf(caller).forEach(g -> names.add(g.displayName()));
    return names;
  }

  /** Whether the caller is, or is a member of, the owner of the assigned metastore. */
  boolean isMetastoreAdmin(PrincipalsState.Principal caller) {
    return identities(caller).contains(metastoreOwner());
  }

  String metastoreOwner() {
    return assignedMetastore().map(MetastoresState.Metastore::owner).orElse(state.userName());
  }

  /** The id grants on the metastore are kept under. */
  String metastoreId() {
    return assignedMetastore().map(MetastoresState.Metastore::id).orElse(state.metastoreId());
  }

  private String metastoreName() {
    return assignedMetastore().map(MetastoresState.Metastore::name).orElse(state.metastoreId());
  }

  private java.util.Optional<MetastoresState.Metastore> assignedMetastore() {
    try {
      return java.util.Optional.of(state.metastores().assigned());
    } catch (ApiError notAssigned) {
      return java.util.Optional.empty();
    }
  }

  /**
   * The securable and the ones it inherits grants from, nearest first: a table's or a function's (a
   * registered model's) schema and catalog, a schema's catalog.
   */
  static List<Securable> chain(Securable securable) {
    List<Securable> chain = new ArrayList<>();
    chain.add(securable);
    String[] parts = securable.fullName().split("\\.", -1);
    boolean inSchema = securable.type().equals("table") || securable.type().equals("function");
    if (inSchema && parts.length == 3) {
      chain.add(new Securable("schema", parts[0] + "." + parts[1]));
      chain.add(new Securable("catalog", parts[0]));
    } else if (securable.type().equals("schema") && parts.length == 2) {
      chain.add(new Securable("catalog", parts[0]));
    }
    return chain;
  }

  /** The owner of a securable; NotFound when it does not exist. */
  String owner(Securable securable) {
    return switch (securable.type()) {
      case "catalog" -> state.catalog(securable.fullName()).owner();
      case "schema" -> state.schema(securable.fullName()).owner();
      case "table" -> state.table(securable.fullName()).owner();
      case "storage_credential" -> state.storageAccess().credential(securable.fullName()).owner();
      case "external_location" -> state.storageAccess().location(securable.fullName()).owner();
      case "function" -> state.models().model(securable.fullName()).owner();
      case "metastore" -> metastoreOwner();
      default -> throw ApiError.invalid("Securable type " + securable.type() + " is not supported");
    };
  }

  /**
   * The privileges {@code principals} hold on a securable through grants, each with the securable
   * it is granted on (the securable itself when direct), {@code ALL_PRIVILEGES} expanded.
   */
  Map<String, Securable> granted(Set<String> principals, Securable securable) {
    Map<String, Securable> held = new LinkedHashMap<>();
    if (securable.type().equals("metastore") && assignedMetastore().isEmpty()) {
      return held;
    }
    for (Securable from : chain(securable)) {
      Map<String, Set<String>> grants = state.grants(from.type(), from.fullName());
      for (String principal : principals) {
        for (String privilege : grants.getOrDefault(principal, Set.of())) {
          Set<String> expanded =
              privilege.equals("ALL_PRIVILEGES")
                  ? Privileges.applicableTo(securable.type())
                  : Set.of(privilege);
          expanded.forEach(p -> held.putIfAbsent(p, from));
        }
      }
    }
    return held;
  }

  /** Whether the caller holds a privilege on a securable: as its owner, by a grant, or as admin. */
  boolean has(PrincipalsState.Principal caller, String privilege, Securable securable) {
    Set<String> identities = identities(caller);
    return identities.contains(metastoreOwner())
        || identities.contains(owner(securable))
        || granted(identities, securable).containsKey(privilege);
  }

  /** Refuses unless the caller holds the privilege on the securable. */
  void require(PrincipalsState.Principal caller, String privilege, Securable securable) {
    if (!has(caller, privilege, securable)) {
      throw denied(
          "User does not have "
              + privilege.replace('_', ' ')
              + " on "
              + label(securable.type())
              + " '"
              + (securable.type().equals("metastore") ? metastoreName() : securable.fullName())
              + "'.");
    }
  }

  /**
   * Whether the caller may manage privileges on, update or drop the securable: a metastore admin,
   * its owner, the owner of a catalog or schema containing it, or a holder of {@code MANAGE}.
   */
  boolean mayManage(PrincipalsState.Principal caller, Securable securable) {
    Set<String> identities = identities(caller);
    if (identities.contains(metastoreOwner())) {
      return true;
    }
    for (Securable level : chain(securable)) {
      if (identities.contains(owner(level))) {
        return true;
      }
    }
    return granted(identities, securable).containsKey("MANAGE");
  }

  /** Refuses unless {@link #mayManage}. */
  void requireManage(PrincipalsState.Principal caller, Securable securable) {
    if (!mayManage(caller, securable)) {
      throw denied(
          "User is not an owner of "
              + label(securable.type())
              + " '"
              + securable.fullName()
              + "'.");
    }
  }

  /**
   * Checks one Unity Catalog request of the caller before it is served: the one place per route
   * where its privileges are required. {@code rest} is the path after {@code
   * /api/2.1/unity-catalog/}. Reads are not checked (listings are not filtered by what the caller
   * may see: a simplification, the real service hides what a caller lacks {@code BROWSE} or {@code
   * USE} on).
   */
  void authorize(String method, String rest, RequestBody body, PrincipalsState.Principal caller)
      throws java.io.IOException {
    if (method.equals("GET") || rest.equals("validate-storage-credentials")) {
      return;
    }
    int slash = rest.indexOf('/');
    String resource = slash < 0 ? rest : rest.substring(0, slash);
    String name =
        slash < 0
            ? null
            : dev.failover.simulator.http.HttpExchanges.decode(rest.substring(slash + 1));
    Securable metastore = new Securable("metastore", metastoreId());
    switch (resource) {
      case "catalogs" -> {
        if (name == null) {
          // "CREATE CATALOG: allows a user to create a catalog in the metastore" (metastore-level).
          require(caller, "CREATE_CATALOG", metastore);
        } else {
          requireManage(caller, new Securable("catalog", name));
        }
      }
      case "schemas" -> {
        if (name == null) {
          // "To create a schema you need USE CATALOG and CREATE SCHEMA on the catalog."
          Securable catalog = new Securable("catalog", UcJson.text(body.read(), "catalog_name"));
          state.catalog(catalog.fullName());
          require(caller, "USE_CATALOG", catalog);
          require(caller, "CREATE_SCHEMA", catalog);
        } else {
          requireManage(caller, new Securable("schema", name));
        }
      }
      case "tables" -> {
        if (name != null) {
          requireManage(caller, new Securable("table", name));
        }
      }
      case "permissions" -> requireManage(caller, grantsPath(name));
      case "storage-credentials" -> {
        if (name == null) {
          require(caller, "CREATE_STORAGE_CREDENTIAL", metastore);
        } else {
          requireManage(caller, new Securable("storage_credential", name));
        }
      }
      case "external-locations" -> {
        if (name == null) {
          // "To create an external location you need CREATE EXTERNAL LOCATION on both the
          // metastore and the storage credential it uses."
          require(caller, "CREATE_EXTERNAL_LOCATION", metastore);
          String credential = UcJson.text(body.read(), "credential_name");
          if (credential != null) {
            state.storageAccess().credential(credential);
            require(
                caller,
                "CREATE_EXTERNAL_LOCATION",
                new Securable("storage_credential", credential));
          }
        } else {
          requireManage(caller, new Securable("external_location", name));
        }
      }
      case "models" -> authorizeModels(method, name, body, caller);
      default -> {}
    }
  }

  /**
   * Registered models and their versions under {@code /unity-catalog/models}, as the SDK 0.141.0
   * Javadoc states them. The securable of a model is a {@code function} ("The securable type for
   * models is FUNCTION", {@code RegisteredModelsAPI}); {@code name} is the model's full name,
   * optionally followed by {@code /versions/{n}}.
   *
   * <ul>
   *   <li>Create ({@code RegisteredModelsAPI.create}): "The caller must be a metastore admin, or be
   *       the owner of the parent catalog and schema, or have the USE_CATALOG privilege on the
   *       parent catalog and the USE_SCHEMA privilege on the parent schema. - The caller must have
   *       the CREATE MODEL or CREATE FUNCTION privilege on the parent schema." The creator owns the
   *       model ({@link ModelsState#createModel}).
   *   <li>Update and delete of a model ({@code RegisteredModelsAPI.update}, {@code .delete}) and of
   *       a version ({@code ModelVersionsAPI.update}, {@code .delete}): "The caller must be a
   *       metastore admin or an owner of the (parent) registered model. For the latter case, the
   *       caller must also be the owner or have the USE_CATALOG privilege on the parent catalog and
   *       the USE_SCHEMA privilege on the parent schema."
   * </ul>
   *
   * Reads are not checked (see {@link #authorize(String, String, RequestBody,
   * PrincipalsState.Principal)}).
   */
  private void authorizeModels(
      String method, String name, RequestBody body, PrincipalsState.Principal caller)
      throws java.io.IOException {
    if (name == null) {
      com.fasterxml.jackson.databind.JsonNode request = body.read();
      String catalogName = UcJson.text(request, "catalog_name");
      String schemaName = UcJson.text(request, "schema_name");
      if (catalogName == null
          || schemaName == null
          || state.catalogs().stream().noneMatch(c -> c.name().equals(catalogName))
          || state.schemas(catalogName).stream()
              .noneMatch(s -> s.fullName().equals(catalogName + "." + schemaName))) {
        return; // the route answers the missing field or the missing catalog or schema
      }
      Securable catalog = new Securable("catalog", catalogName);
      Securable schema = new Securable("schema", catalogName + "." + schemaName);
      Set<String> identities = identities(caller);
      boolean ownsBoth = identities.contains(owner(catalog)) && identities.contains(owner(schema));
      if (!isMetastoreAdmin(caller) && !ownsBoth) {
        require(caller, "USE_CATALOG", catalog);
        require(caller, "USE_SCHEMA", schema);
      }
      if (!has(caller, "CREATE_FUNCTION", schema)) {
        require(caller, "CREATE_MODEL", schema);
      }
      return;
    }
    int versions = name.indexOf("/versions");
    String fullName = versions < 0 ? name : name.substring(0, versions);
    if (method.equals("PATCH") || method.equals("DELETE")) {
      requireModelAdminOrOwner(caller, fullName);
    }
  }

  /**
   * Checks one of MLflow's Unity Catalog model-version calls ({@code
   * /api/2.0/mlflow/unity-catalog/model-versions/{action}}, outside {@code /unity-catalog/}) before
   * it is served. {@code RegisteredModelsAPI} (SDK 0.141.0, class Javadoc): "All operations on
   * registered models and model versions require USE_CATALOG permissions on the enclosing catalog
   * and USE_SCHEMA permissions on the enclosing schema. ... To update other registered model or
   * model version metadata (comments, aliases) create a new model version, or update permissions on
   * the registered model, users must be owners of the registered model"; "To view registered model
   * or model version metadata, model version data files, or invoke a model version, users must
   * additionally have the EXECUTE permission on the registered model".
   *
   * <ul>
   *   <li>{@code create}, {@code finalize} and {@code generate-temporary-credentials} for {@code
   *       MODEL_VERSION_OPERATION_READ_WRITE}: creating a version, which finalizing and writing its
   *       files are part of (MLflow's client does all three as one registration), needs the model's
   *       owner. The class Javadoc names no metastore-admin exception for it, unlike the per-method
   *       Javadoc of update and delete; whether a metastore admin that does not own the model may
   *       create a version is not documented, so it is refused here (the harsher reading).
   *   <li>{@code generate-temporary-credentials} for {@code MODEL_VERSION_OPERATION_READ}: reading
   *       the version's files needs {@code EXECUTE} on the model, which its owner and a metastore
   *       admin hold ({@code ModelVersionsAPI.get}: "a metastore admin or an owner of (or have the
   *       EXECUTE privilege on) the parent registered model").
   * </ul>
   *
   * A request without a model name, or naming a model that does not exist, is left to the route to
   * answer.
   */
  void authorizeModelVersion(
      String method, String action, RequestBody body, PrincipalsState.Principal caller)
      throws java.io.IOException {
    if (!method.equals("POST")) {
      return;
    }
    com.fasterxml.jackson.databind.JsonNode request = body.read();
    String fullName = UcJson.text(request, "name");
    if (fullName == null || !state.models().exists(fullName)) {
      return;
    }
    boolean readOnly =
        action.equals("generate-temporary-credentials")
            && ModelsState.Operation.MODEL_VERSION_OPERATION_READ
                .name()
                .equals(UcJson.text(request, "operation"));
    Securable model = new Securable("function", fullName);
    if (readOnly) {
      require(caller, "EXECUTE", model);
    } else if (List.of("create", "finalize", "generate-temporary-credentials").contains(action)) {
      if (!identities(caller).contains(owner(model))) {
        throw notOwner(model);
      }
    } else {
      return; // not served: the route answers
    }
    requireUseOfParents(caller, model);
  }

  /**
   * A model's update or delete, or one of its versions': a metastore admin, or the model's owner
   * with {@code USE_CATALOG} and {@code USE_SCHEMA} on its parents (see {@link #authorizeModels}).
   */
  private void requireModelAdminOrOwner(PrincipalsState.Principal caller, String fullName) {
    if (!state.models().exists(fullName) || isMetastoreAdmin(caller)) {
      return; // an unknown model is the route's 404
    }
    Securable model = new Securable("function", fullName);
    if (!identities(caller).contains(owner(model))) {
      throw notOwner(model);
    }
    requireUseOfParents(caller, model);
  }

  /** {@code USE_CATALOG} on the catalog and {@code USE_SCHEMA} on the schema of a model. */
  private void requireUseOfParents(PrincipalsState.Principal caller, Securable model) {
    List<Securable> chain = chain(model);
    require(caller, "USE_CATALOG", chain.get(2));
    require(caller, "USE_SCHEMA", chain.get(1));
  }

  private static ApiError notOwner(Securable securable) {
    return denied(
        "User is not an owner of " + label(securable.type()) + " '" + securable.fullName() + "'.");
  }

  /**
   * Checks a SQL statement of the caller before it runs; a refusal is the SQL error {@code
   * PERMISSION_DENIED} with SQLSTATE 42501, as a statement reports it ("PERMISSION_DENIED: User
   * does not have CREATE SCHEMA on Catalog 'workspace'" with {@code UNAUTHORIZED_ACCESS}, SQLSTATE
   * 42501, in third-party run logs).
   *
   * <ul>
   *   <li>{@code CREATE TABLE} and {@code CREATE VIEW}: {@code USE CATALOG}, {@code USE SCHEMA} and
   *       {@code CREATE TABLE} on the schema ("CREATE TABLE: ... create a table or view in a
   *       schema"); an external table also {@code CREATE EXTERNAL TABLE} on the external location
   *       that holds its path ("Create an external table": the location privilege). A path no
   *       external location holds is refused naming it (the service's message for it is not known;
   *       the harsher answer).
   *   <li>{@code CREATE VIEW} also needs to read every table and view the query names: "You must be
   *       able to read the tables and views referenced in the view (SELECT on the table or view, as
   *       well as USE CATALOG on the catalog and USE SCHEMA on the schema)" (Databricks "Create
   *       views", Requirements, docs.databricks.com/data-governance/unity-catalog/create-views). A
   *       metastore admin holds none of them by being admin: "Metastore admins ... don't have
   *       direct access to read and write to tables registered in the metastore, but they do have
   *       indirect access through their ability to transfer data object ownership" (Unity Catalog
   *       best practices, learn.microsoft.com/azure/databricks/data-governance/unity-catalog/
   *       best-practices); only an owner or a grant counts ({@link #requireReadable}). A view
   *       created with {@code IF NOT EXISTS} over an existing one reads nothing, and a name that
   *       resolves to nothing is left to the statement's {@code TABLE_OR_VIEW_NOT_FOUND}.
   *   <li>{@code DROP}, {@code SET OWNER}, {@code COMMENT ON} and constraints: the table's owner,
   *       an owner of its schema or catalog, {@code MANAGE}, or a metastore admin.
   * </ul>
   */
  void authorize(Ddl ddl, PrincipalsState.Principal caller) {
    try {
      if (ddl instanceof Ddl.CreateTable t) {
        requireCreateIn(caller, t.name());
        if (t.location() != null) {
          requireExternalTable(caller, t.location());
        }
      } else if (ddl instanceof Ddl.CreateView v) {
        requireCreateIn(caller, v.name());
        for (String read : v.existingReferences(state)) {
          requireReadable(caller, read);
        }
      } else if (ddl instanceof Ddl.Drop d) {
        manageTable(caller, d.name());
      } else if (ddl instanceof Ddl.SetOwner o) {
        manageTable(caller, o.name());
      } else if (ddl instanceof Ddl.CommentOn c) {
        manageTable(caller, c.name());
      } else if (ddl instanceof Ddl.AddPrimaryKey k) {
        manageTable(caller, k.name());
      } else if (ddl instanceof Ddl.DropPrimaryKey k) {
        manageTable(caller, k.name());
      }
    } catch (ApiError e) {
      if (e.status() != 403) {
        throw new SqlError(e.errorCode(), "42000", e.getMessage());
      }
      throw new SqlError("PERMISSION_DENIED", "42501", e.getMessage());
    }
  }

  private void requireCreateIn(PrincipalsState.Principal caller, Ddl.Name name) {
    Securable schema = new Securable("schema", name.schemaFullName());
    if (state.catalogs().stream().noneMatch(c -> c.name().equals(name.catalog()))
        || state.schemas(name.catalog()).stream()
            .noneMatch(s -> s.fullName().equals(name.schemaFullName()))) {
      return; // the statement itself answers that the catalog or schema does not exist
    }
    require(caller, "USE_CATALOG", new Securable("catalog", name.catalog()));
    require(caller, "USE_SCHEMA", schema);
    require(caller, "CREATE_TABLE", schema);
  }

  /**
   * Requires reading a table or view: {@code USE_CATALOG} on its catalog, {@code USE_SCHEMA} on its
   * schema and {@code SELECT} on it, each held as the owner of that object or by a grant (inherited
   * down catalog, schema, table), with no metastore-admin bypass (see {@link #authorize(Ddl,
   * PrincipalsState.Principal)}). The owner of a catalog or schema does not hold {@code SELECT} on
   * the tables in it ("owners of a schema do not automatically have all privileges on the tables in
   * the schema").
   */
  private void requireReadable(PrincipalsState.Principal caller, String tableFullName) {
    List<Securable> chain = chain(new Securable("table", tableFullName));
    requireHeld(caller, "USE_CATALOG", chain.get(2));
    requireHeld(caller, "USE_SCHEMA", chain.get(1));
    requireHeld(caller, "SELECT", chain.get(0));
  }

  /** Refuses unless the caller owns the securable or is granted the privilege on it. */
  private void requireHeld(
      PrincipalsState.Principal caller, String privilege, Securable securable) {
    Set<String> identities = identities(caller);
    if (!identities.contains(owner(securable))
        && !granted(identities, securable).containsKey(privilege)) {
      throw denied(
          "User does not have "
              + privilege.replace('_', ' ')
              + " on "
              + label(securable.type())
              + " '"
              + securable.fullName()
              + "'.");
    }
  }

  private void requireExternalTable(PrincipalsState.Principal caller, String url) {
    if (isMetastoreAdmin(caller)) {
      return;
    }
    StorageAccessState.Location holder = null;
    for (StorageAccessState.Location l : state.storageAccess().locations()) {
      String root = l.url().endsWith("/") ? l.url() : l.url() + "/";
      if ((url + "/").startsWith(root)
          && (holder == null || l.url().length() > holder.url().length())) {
        holder = l;
      }
    }
    if (holder == null) {
      throw denied("User does not have CREATE EXTERNAL TABLE on a location holding '" + url + "'.");
    }
    require(caller, "CREATE_EXTERNAL_TABLE", new Securable("external_location", holder.name()));
  }

  /** Requires managing a table; a missing one is left to the statement to report. */
  private void manageTable(PrincipalsState.Principal caller, Ddl.Name name) {
    if (state.hasTable(name.fullName())) {
      requireManage(caller, new Securable("table", name.fullName()));
    }
  }

  /** The securable of a {@code {securable_type}/{full_name}} path. */
  static Securable grantsPath(String rest) {
    int slash = rest == null ? -1 : rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw ApiError.invalid("The path must name a securable type and a full name");
    }
    return new Securable(
        rest.substring(0, slash).toLowerCase(Locale.ROOT), rest.substring(slash + 1));
  }

  /**
   * {@code GetEffectiveRequest}: per principal (or only {@code principal}), the privileges granted
   * on the securable or inherited from the catalog and schema above it, each with where it comes
   * from ({@code EffectivePrivilege.inherited_from_type}/{@code _name}, absent when direct). Only
   * grants count: ownership and group membership are not expanded here, as the reference does not
   * say they are (a caller checks its groups itself).
   */
  com.fasterxml.jackson.databind.JsonNode effective(Securable securable, String principal) {
    owner(securable);
    Set<String> principals = new TreeSet<>();
    if (principal != null) {
      principals.add(principal);
    } else {
      for (Securable from : chain(securable)) {
        principals.addAll(state.grants(from.type(), from.fullName()).keySet());
      }
    }
    com.fasterxml.jackson.databind.node.ObjectNode response = UcJson.JSON.createObjectNode();
    com.fasterxml.jackson.databind.node.ArrayNode assignments =
        response.putArray("privilege_assignments");
    for (String name : principals) {
      Map<String, Securable> held = directFirst(name, securable);
      if (held.isEmpty()) {
        continue;
      }
      com.fasterxml.jackson.databind.node.ObjectNode assignment = assignments.addObject();
      assignment.put("principal", name);
      com.fasterxml.jackson.databind.node.ArrayNode privileges = assignment.putArray("privileges");
      held.forEach(
          (privilege, from) -> {
            com.fasterxml.jackson.databind.node.ObjectNode p = privileges.addObject();
            p.put("privilege", privilege);
            if (!from.equals(securable)) {
              p.put("inherited_from_type", from.type().toUpperCase(Locale.ROOT));
              p.put("inherited_from_name", from.fullName());
            }
          });
    }
    return response;
  }

  /** The privileges granted to one principal, as granted (not expanded), nearest grant first. */
  private Map<String, Securable> directFirst(String principal, Securable securable) {
    Map<String, Securable> held = new java.util.TreeMap<>();
    for (Securable from : chain(securable)) {
      state
          .grants(from.type(), from.fullName())
          .getOrDefault(principal, Set.of())
          .forEach(p -> held.putIfAbsent(p, from));
    }
    return held;
  }

  private static ApiError denied(String message) {
    return new ApiError(403, "PERMISSION_DENIED", message);
  }

  /** The securable type as the service's messages name it: "Catalog", "Storage Credential". */
  private static String label(String type) {
    StringBuilder label = new StringBuilder();
    for (String word : type.split("_")) {
      if (!label.isEmpty()) {
        label.append(' ');
      }
      label.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
    }
    return label.toString();
  }
}
