package dev.failover.simulator.databricks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The Unity Catalog metastores one simulated workspace can see, and its metastore assignment.
 *
 * <p>Metastores belong to the account, one per region, and several workspaces of a region share
 * one. The simulator keeps one workspace's view: the metastores its account lists and which of them
 * is assigned to it (at most one, with the assignment's default catalog). The other Unity Catalog
 * APIs of the simulator do not require an assignment (a real workspace without one answers them
 * with {@code METASTORE_DOES_NOT_EXIST}); the catalogs and schemas they report carry the
 * workspace's own metastore id.
 *
 * <p>Not modelled: the account's limit of one metastore per region, renaming or updating a
 * metastore, and Delta Sharing settings (reported with the service's defaults). All methods are
 * synchronized.
 */
public final class MetastoresState {
  /** A metastore as the simulator keeps it. */
  public record Metastore(
      String id,
      String name,
      String region,
      String storageRoot,
      String owner,
      long createdAt,
      String createdBy) {}

  /** The workspace's assignment. */
  public record Assignment(String metastoreId, String defaultCatalogName) {}

  /**
   * The default catalog of an assignment created without one: the legacy Hive metastore, as
   * Terraform's {@code databricks_metastore_assignment} shows for such assignments.
   */
  static final String HIVE_METASTORE = "hive_metastore";

  private final String userName;
  private final long workspaceId;
  private final Map<String, Metastore> metastores = new TreeMap<>();
  private String region;
  private Assignment assignment;

  MetastoresState(String userName, long workspaceId) {
    this.userName = userName;
    this.workspaceId = workspaceId;
  }

  /** The workspace's id, as the assignment paths name it. */
  public long workspaceId() {
    return workspaceId;
  }

  /**
   * The workspace's region. When set, a metastore created without a region serves it, and a
   * metastore of another region cannot be assigned (Unity Catalog assigns a workspace only to the
   * metastore of its own region).
   */
  public synchronized void setRegion(String region) {
    this.region = region;
  }

  /** Adds a metastore the account already has, with a known id; for seeding. */
  public synchronized Metastore register(
      String id, String name, String region, String storageRoot) {
    requireText("name", name);
    requireText("region", region);
    requireUniqueName(name);
    Metastore metastore =
        new Metastore(
            id, name, region, storageRoot, userName, System.currentTimeMillis(), userName);
    metastores.put(id, metastore);
    return metastore;
  }

  /**
   * {@code CreateMetastore}: {@code name} is required and unique in the account; without {@code
   * region} the metastore serves the workspace's region.
   */
  public synchronized Metastore create(String name, String region, String storageRoot) {
    String serves = region == null || region.isBlank() ? this.region : region;
    if (serves == null) {
      throw ApiError.invalid("Missing required field: region");
    }
    return register(UUID.randomUUID().toString(), name, serves, storageRoot);
  }

  /**
   * Makes a user, service principal or group the metastore's owner, its admin ("Assign a metastore
   * admin": the role is transferred by changing the owner); the account API that does it is not
   * served, so the demo and tests set it here.
   */
  public synchronized void setOwner(String id, String owner) {
    Metastore m = metastore(id);
    metastores.put(
        id,
        new Metastore(
            m.id(), m.name(), m.region(), m.storageRoot(), owner, m.createdAt(), m.createdBy()));
  }

  public synchronized List<Metastore> metastores() {
    return List.copyOf(metastores.values());
  }

  /** 404 {@code METASTORE_DOES_NOT_EXIST} for an unknown id. */
  public synchronized Metastore metastore(String id) {
    Metastore metastore = metastores.get(id);
    if (metastore == null) {
      throw ApiError.notFound(
          "METASTORE_DOES_NOT_EXIST", "Metastore", id, "Metastore '" + id + "' does not exist.");
    }
    return metastore;
  }

  /**
   * Deletes a metastore; one still assigned to the workspace only with {@code force}, as the
   * service refuses to delete a metastore that workspaces use.
   */
  public synchronized void delete(String id, boolean force) {
    metastore(id);
    if (assignment != null && assignment.metastoreId().equals(id)) {
      if (!force) {
        throw ApiError.invalid(
            "Metastore '" + id + "' is assigned to workspace " + workspaceId + ". Use force.");
      }
      assignment = null;
    }
    metastores.remove(id);
  }

  /**
   * The workspace's assignment; 404 {@code METASTORE_DOES_NOT_EXIST} "No metastore assigned for the
   * current workspace." without one, the body the service answers (quoted in databricks-sdk-java's
   * ApiErrorBody tests and terraform-provider-databricks#1632).
   */
  public synchronized Assignment assignment() {
    if (assignment == null) {
      throw new ApiError(
          404, "METASTORE_DOES_NOT_EXIST", "No metastore assigned for the current workspace.");
    }
    return assignment;
  }

  /** The assigned metastore, for the metastore summary. */
  public synchronized Metastore assigned() {
    return metastore(assignment().metastoreId());
  }

  /**
   * {@code CreateMetastoreAssignment}: replaces any assignment of the workspace ("If an assignment
   * for the same workspace_id exists, it will be overwritten"). Without {@code
   * default_catalog_name} the default catalog is {@code hive_metastore}.
   */
  public synchronized void assign(long workspaceId, String metastoreId, String defaultCatalog) {
    requireThisWorkspace(workspaceId);
    requireText("metastore_id", metastoreId);
    Metastore metastore = metastore(metastoreId);
    if (region != null && !region.equals(metastore.region())) {
      throw ApiError.invalid(
          "Metastore '"
              + metastore.name()
              + "' serves region "
              + metastore.region()
              + " and cannot be assigned to a workspace in region "
              + region);
    }
    assignment =
        new Assignment(
            metastoreId,
            defaultCatalog == null || defaultCatalog.isBlank() ? HIVE_METASTORE : defaultCatalog);
  }

  /**
   * {@code UpdateMetastoreAssignment}: changes the fields given of an existing assignment; 404
   * without one.
   */
  public synchronized void updateAssignment(
      long workspaceId, String metastoreId, String defaultCatalog) {
    requireThisWorkspace(workspaceId);
    Assignment current = assignment();
    if (metastoreId != null && !metastoreId.equals(current.metastoreId())) {
      assign(workspaceId, metastoreId, current.defaultCatalogName());
      current = assignment;
    }
    if (defaultCatalog != null) {
      assignment = new Assignment(current.metastoreId(), defaultCatalog);
    }
  }

  /**
   * {@code UnassignRequest}: {@code metastore_id} is required and must be the assigned one.
   * Unassigning never deletes the metastore.
   */
  public synchronized void unassign(long workspaceId, String metastoreId) {
    requireThisWorkspace(workspaceId);
    requireText("metastore_id", metastoreId);
    Assignment current = assignment();
    if (!current.metastoreId().equals(metastoreId)) {
      throw ApiError.invalid(
          "Workspace " + workspaceId + " is not assigned to metastore '" + metastoreId + "'");
    }
    assignment = null;
  }

  /**
   * The simulator keeps only its own workspace's assignment; assigning another workspace through
   * this workspace's API, which account admins can do, is not modelled.
   */
  private void requireThisWorkspace(long id) {
    if (id != workspaceId) {
      throw ApiError.invalid(
          "The simulator models only this workspace's assignment (workspace "
              + workspaceId
              + "), not workspace "
              + id);
    }
  }

  /** Metastore names are unique in the account: {@code METASTORE_ALREADY_EXISTS}. */
  private void requireUniqueName(String name) {
    for (Metastore other : metastores.values()) {
      if (other.name().equals(name)) {
        throw ApiError.alreadyExists(
            "METASTORE_ALREADY_EXISTS",
            "Metastore",
            name,
            "Metastore '" + name + "' already exists.");
      }
    }
  }

  private static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiError.invalid("Missing required field: " + field);
    }
  }
}
