package dev.failover.simulator.databricks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The Unity Catalog registered models of one simulated workspace and their versions.
 *
 * <p>A model lives in an existing schema, and its files in managed storage: under the schema's
 * storage root, else the catalog's, else the assigned metastore's, in the layout Unity Catalog uses
 * ({@code <root>/__unitystorage/schemas/<schema id>/models/<model id>} and so on); a version's
 * files are under {@code <model location>/versions/<version id>}. Ids are random, so the same model
 * has different storage locations in two workspaces, as it does in real ones.
 *
 * <p>A version is created {@code PENDING_REGISTRATION} (the MLflow client then copies the model's
 * files into its storage location) and becomes {@code READY} when finalized. Version numbers count
 * up from 1 per model and are not reused after a delete. Not modelled: aliases, tags, renames,
 * {@code FAILED_REGISTRATION}. All methods are synchronized.
 *
 * <p>The files live in the simulator's S3 ({@link ManagedStorage}): temporary credentials for a
 * version reach its storage location only, and deleting a version or a model deletes its files, as
 * Unity Catalog does with what it keeps in managed storage. Finalizing does not look at the files:
 * nothing in MLflow's protocol or Databricks' documentation says the service checks them, so a
 * version can be finalized with an empty storage location (not confirmed against the service).
 */
public final class ModelsState {
  /** A registered model. */
  public record Model(
      String catalogName,
      String schemaName,
      String name,
      String id,
      String comment,
      String owner,
      String storageLocation,
      long createdAt,
      String createdBy,
      long updatedAt,
      String updatedBy) {
    public String fullName() {
      return catalogName + "." + schemaName + "." + name;
    }
  }

  /** The status of a model version, as the SDK's {@code ModelVersionInfoStatus} names it. */
  public enum Status {
    PENDING_REGISTRATION,
    READY
  }

  /** A model version. */
  public record Version(
      Model model,
      long version,
      String id,
      String source,
      String runId,
      String comment,
      Status status,
      String storageLocation,
      long createdAt,
      String createdBy,
      long updatedAt,
      String updatedBy) {
    /** Sorts versions by number, as text. */
    String sortKey() {
      return String.format("%019d", version);
    }
  }

  private final WorkspaceState workspace;
  private final String userName;
  private final Map<String, Model> models = new TreeMap<>();
  private final Map<String, Map<Long, Version>> versions = new TreeMap<>();
  private final Map<String, Long> lastVersion = new TreeMap<>();
  private ManagedStorage storage = ManagedStorage.NONE;

  ModelsState(WorkspaceState workspace, String userName) {
    this.workspace = workspace;
    this.userName = userName;
  }

  /** Where the models' files live; the simulator plugs in its S3. */
  public synchronized void useStorage(ManagedStorage storage) {
    this.storage = storage;
  }

  /** Where the models' files live. */
  public synchronized ManagedStorage storage() {
    return storage;
  }

  /** The operations of MLflow's {@code ModelVersionOperation} that credentials are issued for. */
  public enum Operation {
    MODEL_VERSION_OPERATION_READ,
    MODEL_VERSION_OPERATION_READ_WRITE
  }

  /**
   * MLflow's {@code GenerateTemporaryModelVersionCredentialsRequest}: credentials for the version's
   * storage location. An unknown model or version is 404 {@code RESOURCE_DOES_NOT_EXIST}. Write
   * credentials are only for a version still {@code PENDING_REGISTRATION} ("model version files can
   * only be written at creation time", says the request's documentation in MLflow's proto); for
   * another the simulator answers 400 {@code INVALID_PARAMETER_VALUE}, an error whose code and
   * message could not be confirmed against the service.
   */
  public synchronized ManagedStorage.Credentials temporaryCredentials(
      String fullName, long number, Operation operation) {
    Version v = version(fullName, number);
    boolean write = operation == Operation.MODEL_VERSION_OPERATION_READ_WRITE;
    if (write && v.status() != Status.PENDING_REGISTRATION) {
      throw ApiError.invalid(
          "Model version "
              + number
              + " of '"
              + fullName
              + "' is "
              + v.status()
              + ": its files can only be written while it is PENDING_REGISTRATION.");
    }
    return storage.temporaryCredentials(v.storageLocation(), write);
  }

  /** {@link #createModel(String, String, String, String, String)} by the workspace's first user. */
  public synchronized Model createModel(
      String catalogName, String schemaName, String name, String comment) {
    return createModel(catalogName, schemaName, name, comment, userName);
  }

  /**
   * {@code CreateRegisteredModelRequest}: catalog, schema and name are required and the schema must
   * exist. A taken name is 409 {@code RESOURCE_ALREADY_EXISTS} with the service's message, "Routine
   * or Model '...' already exists" (the service's error code for it could not be confirmed). The
   * creator owns the model, as the creator of every Unity Catalog object owns it ("Manage Unity
   * Catalog object ownership": "a securable object's owner is the principal that created it").
   */
  public synchronized Model createModel(
      String catalogName, String schemaName, String name, String comment, String creator) {
    requireText("catalog_name", catalogName);
    requireText("schema_name", schemaName);
    requireText("name", name);
    WorkspaceState.Schema schema = workspace.schema(catalogName + "." + schemaName);
    String fullName = schema.fullName() + "." + name;
    if (models.containsKey(fullName)) {
      throw ApiError.alreadyExists(
          "RESOURCE_ALREADY_EXISTS",
          "RegisteredModel",
          fullName,
          "Routine or Model '" + fullName + "' already exists");
    }
    String id = UUID.randomUUID().toString();
    long now = System.currentTimeMillis();
    Model model =
        new Model(
            catalogName,
            schemaName,
            name,
            id,
            comment,
            creator,
            managedRoot(schema) + "/models/" + id,
            now,
            creator,
            now,
            creator);
    models.put(fullName, model);
    versions.put(fullName, new TreeMap<>());
    lastVersion.put(fullName, 0L);
    return model;
  }

  /**
   * The registered models of a catalog and schema, of a catalog, or of the whole metastore, sorted
   * by full name; a schema without its catalog is invalid.
   */
  public synchronized List<Model> models(String catalogName, String schemaName) {
    if (schemaName != null && catalogName == null) {
      throw ApiError.invalid("catalog_name is required when schema_name is given");
    }
    return models.values().stream()
        .filter(m -> catalogName == null || m.catalogName().equals(catalogName))
        .filter(m -> schemaName == null || m.schemaName().equals(schemaName))
        .toList();
  }

  /** Whether a model of that full name exists. */
  public synchronized boolean exists(String fullName) {
    return models.containsKey(fullName);
  }

  /**
   * 404 {@code RESOURCE_DOES_NOT_EXIST} "Routine or Model '...' does not exist.", the service's
   * message for an unknown model or function.
   */
  public synchronized Model model(String fullName) {
    Model model = models.get(fullName);
    if (model == null) {
      throw ApiError.notFound(
          "RESOURCE_DOES_NOT_EXIST",
          "RegisteredModel",
          fullName,
          "Routine or Model '" + fullName + "' does not exist.");
    }
    return model;
  }

  /** {@code UpdateRegisteredModelRequest}: only the comment and the owner change here. */
  public synchronized Model updateModel(String fullName, String comment, String owner) {
    Model m = model(fullName);
    if (owner != null) {
      workspace.requirePrincipal(owner);
    }
    Model updated =
        new Model(
            m.catalogName(),
            m.schemaName(),
            m.name(),
            m.id(),
            comment == null ? m.comment() : comment,
            owner == null ? m.owner() : owner,
            m.storageLocation(),
            m.createdAt(),
            m.createdBy(),
            System.currentTimeMillis(),
            userName);
    models.put(fullName, updated);
    versions
        .get(fullName)
        .replaceAll(
            (number, v) ->
                new Version(
                    updated,
                    v.version(),
                    v.id(),
                    v.source(),
                    v.runId(),
                    v.comment(),
                    v.status(),
                    v.storageLocation(),
                    v.createdAt(),
                    v.createdBy(),
                    v.updatedAt(),
                    v.updatedBy()));
    return updated;
  }

  /** Deletes a model and all its versions, with their files. */
  public synchronized void deleteModel(String fullName) {
    Model model = model(fullName);
    versions.get(fullName).values().forEach(v -> storage.deleteAll(v.storageLocation()));
    storage.deleteAll(model.storageLocation());
    models.remove(fullName);
    versions.remove(fullName);
    lastVersion.remove(fullName);
  }

  /**
   * MLflow's {@code CreateModelVersionRequest} for Unity Catalog: the model must exist and {@code
   * source} is required; the version is {@code PENDING_REGISTRATION} with the next number.
   */
  public synchronized Version createVersion(
      String fullName, String source, String runId, String comment) {
    return createVersion(fullName, source, runId, comment, userName);
  }

  /** {@link #createVersion(String, String, String, String)} by {@code creator}. */
  public synchronized Version createVersion(
      String fullName, String source, String runId, String comment, String creator) {
    Model model = model(fullName);
    requireText("source", source);
    long number = lastVersion.get(fullName) + 1;
    lastVersion.put(fullName, number);
    String id = UUID.randomUUID().toString();
    long now = System.currentTimeMillis();
    Version version =
        new Version(
            model,
            number,
            id,
            source,
            runId,
            comment,
            Status.PENDING_REGISTRATION,
            model.storageLocation() + "/versions/" + id,
            now,
            creator,
            now,
            creator);
    versions.get(fullName).put(number, version);
    return version;
  }

  /** MLflow's {@code FinalizeModelVersionRequest}: the version becomes {@code READY}. */
  public synchronized Version finalizeVersion(String fullName, long number) {
    Version v = version(fullName, number);
    return replace(v, v.comment(), Status.READY);
  }

  /** The versions of a model, by number; 404 if the model does not exist. */
  public synchronized List<Version> versions(String fullName) {
    model(fullName);
    return List.copyOf(versions.get(fullName).values());
  }

  /** 404 {@code RESOURCE_DOES_NOT_EXIST} for an unknown model or version number. */
  public synchronized Version version(String fullName, long number) {
    model(fullName);
    Version version = versions.get(fullName).get(number);
    if (version == null) {
      throw ApiError.notFound(
          "RESOURCE_DOES_NOT_EXIST",
          "ModelVersion",
          fullName + "/" + number,
          "Model version " + number + " of '" + fullName + "' does not exist.");
    }
    return version;
  }

  /**
   * {@code UpdateModelVersionRequest}: "Currently only the comment of the model version can be
   * updated."
   */
  public synchronized Version updateVersion(String fullName, long number, String comment) {
    Version v = version(fullName, number);
    return replace(v, comment == null ? v.comment() : comment, v.status());
  }

  /** Deletes a version with its files. */
  public synchronized void deleteVersion(String fullName, long number) {
    storage.deleteAll(version(fullName, number).storageLocation());
    versions.get(fullName).remove(number);
  }

  private Version replace(Version v, String comment, Status status) {
    Version updated =
        new Version(
            v.model(),
            v.version(),
            v.id(),
            v.source(),
            v.runId(),
            comment,
            status,
            v.storageLocation(),
            v.createdAt(),
            v.createdBy(),
            System.currentTimeMillis(),
            userName);
    versions.get(v.model().fullName()).put(v.version(), updated);
    return updated;
  }

  /**
   * Where the schema's managed objects live: under the schema's root, else the catalog's, else the
   * assigned metastore's. Without any root a model cannot be created.
   */
  private String managedRoot(WorkspaceState.Schema schema) {
    if (schema.storageRoot() != null) {
      return schema.storageRoot() + "/__unitystorage/schemas/" + UcJson.uuid(schema.fullName());
    }
    WorkspaceState.Catalog catalog = workspace.catalog(schema.catalogName());
    if (catalog.storageRoot() != null) {
      return catalog.storageRoot() + "/__unitystorage/catalogs/" + UcJson.uuid(catalog.name());
    }
    MetastoresState.Metastore metastore = workspace.metastores().assigned();
    if (metastore.storageRoot() == null) {
      throw ApiError.invalid(
          "Metastore storage root URL does not exist. Please provide a storage location for the"
              + " catalog or schema '"
              + schema.fullName()
              + "'.");
    }
    return metastore.storageRoot() + "/" + metastore.id();
  }

  private static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiError.invalid("Missing required field: " + field);
    }
  }
}
