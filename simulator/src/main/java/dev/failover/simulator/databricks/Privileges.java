package dev.failover.simulator.databricks;

import java.util.Locale;
import java.util.Set;

/**
 * The Unity Catalog privileges a grant may name, and which of them apply to a catalog, a schema, a
 * table, the metastore, a storage credential, an external location or a function (a registered
 * model). The names are the SDK's {@code Privilege} enum without the Hive-metastore table-ACL
 * privileges ({@code USAGE}, {@code CREATE}, {@code READ_METADATA}) that Unity Catalog securables
 * reject. The per-securable sets follow the Databricks "Unity Catalog privileges and securable
 * objects" reference: a catalog accepts every privilege that its schemas and their objects accept
 * (so that a grant on the catalog is inherited), plus the catalog-level ones.
 */
final class Privileges {
  /** Privileges that apply to objects inside a schema, and so to the schema and its catalog. */
  private static final Set<String> SCHEMA =
      Set.of(
          "ALL_PRIVILEGES",
          "APPLY_TAG",
          "CREATE_FUNCTION",
          "CREATE_MATERIALIZED_VIEW",
          "CREATE_MODEL",
          "CREATE_TABLE",
          "CREATE_VOLUME",
          "EXECUTE",
          "EXTERNAL_USE_SCHEMA",
          "MANAGE",
          "MODIFY",
          "READ_VOLUME",
          "REFRESH",
          "SELECT",
          "USE_SCHEMA",
          "WRITE_VOLUME");

  /** What a table or a view accepts ({@code MODIFY} only means something on a table). */
  private static final Set<String> TABLE =
      Set.of("ALL_PRIVILEGES", "APPLY_TAG", "MANAGE", "MODIFY", "SELECT");

  /** What the metastore accepts: creating top-level objects, and Delta Sharing. */
  private static final Set<String> METASTORE =
      Set.of(
          "CREATE_CATALOG",
          "CREATE_CLEAN_ROOM",
          "CREATE_CONNECTION",
          "CREATE_EXTERNAL_LOCATION",
          "CREATE_PROVIDER",
          "CREATE_RECIPIENT",
          "CREATE_SERVICE_CREDENTIAL",
          "CREATE_SHARE",
          "CREATE_STORAGE_CREDENTIAL",
          "MANAGE_ALLOWLIST",
          "SET_SHARE_PERMISSION",
          "USE_MARKETPLACE_ASSETS",
          "USE_PROVIDER",
          "USE_RECIPIENT",
          "USE_SHARE");

  /** What a storage credential accepts. */
  private static final Set<String> STORAGE_CREDENTIAL =
      Set.of(
          "ALL_PRIVILEGES",
          "CREATE_EXTERNAL_LOCATION",
          "CREATE_EXTERNAL_TABLE",
          "MANAGE",
          "READ_FILES",
          "WRITE_FILES");

  /** What an external location accepts. */
  private static final Set<String> EXTERNAL_LOCATION =
      Set.of(
          "ALL_PRIVILEGES",
          "BROWSE",
          "CREATE_EXTERNAL_TABLE",
          "CREATE_EXTERNAL_VOLUME",
          "CREATE_FOREIGN_SECURABLE",
          "CREATE_MANAGED_STORAGE",
          "MANAGE",
          "READ_FILES",
          "WRITE_FILES");

  /** What a function, and so a registered model, accepts. */
  private static final Set<String> FUNCTION =
      Set.of("ALL_PRIVILEGES", "APPLY_TAG", "EXECUTE", "MANAGE");

  /** What a catalog accepts beyond the schema-level privileges. */
  private static final Set<String> CATALOG_ONLY =
      Set.of("BROWSE", "CREATE_SCHEMA", "USE_CATALOG", "CREATE_FOREIGN_SECURABLE");

  /** Every privilege name the API knows, for securables this simulator does not model. */
  private static final Set<String> KNOWN =
      Set.of(
          "ACCESS",
          "ALL_PRIVILEGES",
          "APPLY_TAG",
          "BROWSE",
          "CREATE_CATALOG",
          "CREATE_CLEAN_ROOM",
          "CREATE_CONNECTION",
          "CREATE_EXTERNAL_LOCATION",
          "CREATE_EXTERNAL_TABLE",
          "CREATE_EXTERNAL_VOLUME",
          "CREATE_FOREIGN_CATALOG",
          "CREATE_FOREIGN_SECURABLE",
          "CREATE_FUNCTION",
          "CREATE_MANAGED_STORAGE",
          "CREATE_MATERIALIZED_VIEW",
          "CREATE_MODEL",
          "CREATE_PROVIDER",
          "CREATE_RECIPIENT",
          "CREATE_SCHEMA",
          "CREATE_SERVICE_CREDENTIAL",
          "CREATE_SHARE",
          "CREATE_STORAGE_CREDENTIAL",
          "CREATE_TABLE",
          "CREATE_VIEW",
          "CREATE_VOLUME",
          "EXECUTE",
          "EXECUTE_CLEAN_ROOM_TASK",
          "EXTERNAL_USE_SCHEMA",
          "MANAGE",
          "MANAGE_ALLOWLIST",
          "MODIFY",
          "MODIFY_CLEAN_ROOM",
          "READ_FILES",
          "READ_PRIVATE_FILES",
          "READ_VOLUME",
          "REFRESH",
          "SELECT",
          "SET_SHARE_PERMISSION",
          "USE_CATALOG",
          "USE_CONNECTION",
          "USE_MARKETPLACE_ASSETS",
          "USE_PROVIDER",
          "USE_RECIPIENT",
          "USE_SCHEMA",
          "USE_SHARE",
          "WRITE_FILES",
          "WRITE_PRIVATE_FILES",
          "WRITE_VOLUME");

  private Privileges() {}

  /**
   * The privileges that apply to a securable type, without {@code ALL_PRIVILEGES}: what {@code
   * ALL_PRIVILEGES} granted on it stands for ("Unity Catalog privileges and securable objects": ALL
   * PRIVILEGES expands to all available privileges at the time a permission check is made).
   */
  static Set<String> applicableTo(String securableType) {
    Set<String> all =
        switch (securableType) {
          case "table" -> TABLE;
          case "metastore" -> METASTORE;
          case "storage_credential" -> STORAGE_CREDENTIAL;
          case "external_location" -> EXTERNAL_LOCATION;
          case "function" -> FUNCTION;
          case "schema" -> SCHEMA;
          default -> {
            Set<String> catalog = new java.util.TreeSet<>(SCHEMA);
            catalog.addAll(CATALOG_ONLY);
            yield catalog;
          }
        };
    Set<String> result = new java.util.TreeSet<>(all);
    result.remove("ALL_PRIVILEGES");
    // Whether ALL_PRIVILEGES also stands for MANAGE is not documented; the reference excludes
    // EXTERNAL USE SCHEMA from what even an owner holds. The simulator leaves both out (harsher).
    result.remove("MANAGE");
    result.remove("EXTERNAL_USE_SCHEMA");
    return result;
  }

  /**
   * Checks that a privilege exists and applies to the securable type ({@code catalog}, {@code
   * schema} or {@code table}); otherwise the API answers 400 {@code INVALID_PARAMETER_VALUE}.
   */
  static void require(String securableType, String fullName, String privilege) {
    if (!KNOWN.contains(privilege)) {
      throw ApiError.invalid("Privilege " + privilege + " is not a valid privilege.");
    }
    boolean applies =
        switch (securableType) {
          case "table" -> TABLE.contains(privilege);
          case "metastore" -> METASTORE.contains(privilege);
          case "storage_credential" -> STORAGE_CREDENTIAL.contains(privilege);
          case "external_location" -> EXTERNAL_LOCATION.contains(privilege);
          case "function" -> FUNCTION.contains(privilege);
          case "schema" -> SCHEMA.contains(privilege);
          default -> SCHEMA.contains(privilege) || CATALOG_ONLY.contains(privilege);
        };
    if (!applies) {
      throw ApiError.invalid(
          "Privilege "
              + privilege
              + " is not applicable to this entity ["
              + securableType.toUpperCase(Locale.ROOT)
              + ": "
              + fullName
              + "].");
    }
  }
}
