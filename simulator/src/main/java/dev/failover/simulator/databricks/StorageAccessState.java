package dev.failover.simulator.databricks;

import dev.failover.simulator.iam.IamState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The storage credentials and external locations of one simulated workspace's metastore: what Unity
 * Catalog uses to reach cloud storage. A location names the credential it uses, which must exist,
 * and no two locations' URLs may overlap.
 *
 * <p>Each credential has an external id of its own, generated when it is created; its IAM role's
 * trust policy must accept it before Unity Catalog can use the credential ({@link #validate},
 * against the simulator's {@link IamState}). Without an IAM model attached, no role can be assumed.
 *
 * <p>Not modelled: renames ({@code new_name}), isolation modes and workspace bindings, file events,
 * and the dependents of a location (tables, volumes, catalog storage roots), which the service
 * counts before a delete without {@code force}. All methods are synchronized.
 */
public final class StorageAccessState {
  /** A storage credential for an AWS IAM role. */
  public record Credential(
      String name,
      String id,
      String roleArn,
      String externalId,
      String comment,
      String owner,
      boolean readOnly,
      long createdAt,
      String createdBy,
      long updatedAt,
      String updatedBy) {}

  /**
   * One operation of a {@code ValidateStorageCredentialResponse}: the SDK's {@code
   * ValidationResult} ({@code operation} among READ, WRITE, DELETE, LIST, PATH_EXISTS; {@code
   * result} PASS, FAIL or SKIP; a {@code message}).
   */
  public record ValidationResult(String operation, String result, String message) {
    public boolean failed() {
      return result.equals("FAIL");
    }
  }

  /** An external location. */
  public record Location(
      String name,
      String id,
      String url,
      String credentialName,
      String comment,
      String owner,
      boolean readOnly,
      long createdAt,
      String createdBy,
      long updatedAt,
      String updatedBy) {}

  /** The fields of a create or update request; null means "not given". */
  public record CredentialFields(String roleArn, String comment, String owner, Boolean readOnly) {}

  /** The fields of a create or update request; null means "not given". */
  public record LocationFields(
      String url, String credentialName, String comment, String owner, Boolean readOnly) {}

  /** An IAM role ARN: {@code arn:aws:iam::<12-digit account>:role/<path and name>}. */
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws:iam::\\d{12}:role/[\\w+=,.@/-]+");

  private final String userName;
  private final Map<String, Credential> credentials = new TreeMap<>();
  private final Map<String, Location> locations = new TreeMap<>();
  private IamState iam = new IamState();

  /** Refuses an owner Unity Catalog does not resolve ({@link WorkspaceState#requirePrincipal}). */
  private final java.util.function.Consumer<String> requirePrincipal;

  StorageAccessState(String userName, java.util.function.Consumer<String> requirePrincipal) {
    this.userName = userName;
    this.requirePrincipal = requirePrincipal;
  }

  private void requireOwner(String owner) {
    if (owner != null) {
      requirePrincipal.accept(owner);
    }
  }

  /** The IAM roles (and their trust policies) that credentials name. */
  public synchronized void useIam(IamState roles) {
    this.iam = roles;
  }

  public synchronized List<Credential> credentials() {
    return List.copyOf(credentials.values());
  }

  /** 404 {@code STORAGE_CREDENTIAL_DOES_NOT_EXIST} for an unknown name. */
  public synchronized Credential credential(String name) {
    Credential credential = credentials.get(name);
    if (credential == null) {
      throw ApiError.notFound(
          "STORAGE_CREDENTIAL_DOES_NOT_EXIST",
          "StorageCredential",
          name,
          "Storage Credential '" + name + "' does not exist.");
    }
    return credential;
  }

  /**
   * {@code CreateStorageCredential} with {@code aws_iam_role}: the name and a well-formed role ARN
   * are required, the name unique (400 {@code STORAGE_CREDENTIAL_ALREADY_EXISTS}).
   */
  public synchronized Credential createCredential(String name, CredentialFields fields) {
    requireText("name", name);
    requireRoleArn(fields.roleArn());
    if (credentials.containsKey(name)) {
      throw ApiError.alreadyExists(
          "STORAGE_CREDENTIAL_ALREADY_EXISTS",
          "StorageCredential",
          name,
          "Storage Credential '" + name + "' already exists.");
    }
    long now = System.currentTimeMillis();
    Credential credential =
        new Credential(
            name,
            UUID.randomUUID().toString(),
            fields.roleArn(),
            // A credential created by a user who is not an account admin gets a random external id
            // of its own (Databricks knowledge base, "AWS S3 storage credential validation failure
            // due to external ID"); an account admin's gets the account id. The harsher case is
            // modelled: every credential its own, so a recreated credential is never trusted yet.
            UUID.randomUUID().toString(),
            fields.comment(),
            fields.owner() == null ? userName : fields.owner(),
            Boolean.TRUE.equals(fields.readOnly()),
            now,
            userName,
            now,
            userName);
    credentials.put(name, credential);
    return credential;
  }

  /** {@code UpdateStorageCredential}: the fields given replace the credential's. */
  public synchronized Credential updateCredential(String name, CredentialFields fields) {
    Credential c = credential(name);
    if (fields.roleArn() != null) {
      requireRoleArn(fields.roleArn());
    }
    requireOwner(fields.owner());
    Credential updated =
        new Credential(
            name,
            c.id(),
            fields.roleArn() == null ? c.roleArn() : fields.roleArn(),
            c.externalId(),
            fields.comment() == null ? c.comment() : fields.comment(),
            fields.owner() == null ? c.owner() : fields.owner(),
            fields.readOnly() == null ? c.readOnly() : fields.readOnly(),
            c.createdAt(),
            c.createdBy(),
            System.currentTimeMillis(),
            userName);
    credentials.put(name, updated);
    return updated;
  }

  /**
   * Deletes a credential; one that external locations use only with {@code force} (400 {@code
   * INVALID_PARAMETER_VALUE} otherwise: the service's code for this refusal could not be
   * confirmed).
   */
  public synchronized void deleteCredential(String name, boolean force) {
    credential(name);
    List<String> dependents =
        locations.values().stream()
            .filter(l -> l.credentialName().equals(name))
            .map(Location::name)
            .toList();
    if (!dependents.isEmpty() && !force) {
      throw ApiError.invalid(
          "Storage credential '"
              + name
              + "' has "
              + dependents.size()
              + " dependent external location(s): "
              + dependents
              + ". Use force to delete it anyway.");
    }
    credentials.remove(name);
  }

  /**
   * {@code ValidateStorageCredential} for an existing credential and a URL: whether Unity Catalog
   * can assume the credential's role and, through it, read and list (and unless {@code readOnly},
   * write and delete) under the URL. A role that does not accept the credential's external id fails
   * every operation. The service's exact messages are not public; these name the role, the external
   * id and the S3 action, which is what an operator needs.
   */
  public synchronized List<ValidationResult> validate(
      String credentialName, String url, boolean readOnly) {
    Credential c = credential(credentialName);
    requireStorageUrl(url);
    List<String[]> operations = new ArrayList<>();
    operations.add(new String[] {"READ", IamState.GET_OBJECT});
    operations.add(new String[] {"LIST", IamState.LIST_BUCKET});
    if (!readOnly) {
      operations.add(new String[] {"WRITE", IamState.PUT_OBJECT});
      operations.add(new String[] {"DELETE", IamState.DELETE_OBJECT});
    }
    boolean assumable = iam.unityCatalogMayAssume(c.roleArn(), c.externalId());
    List<ValidationResult> results = new ArrayList<>();
    for (String[] operation : operations) {
      results.add(validateOperation(c, url, operation[0], operation[1], assumable));
    }
    return results;
  }

  private ValidationResult validateOperation(
      Credential c, String url, String operation, String action, boolean assumable) {
    if (!assumable) {
      return new ValidationResult(
          operation,
          "FAIL",
          "Failed to assume role "
              + c.roleArn()
              + " with external id "
              + c.externalId()
              + ": the role's trust policy must allow "
              + IamState.UNITY_CATALOG_MASTER_ROLE
              + " and the role itself with this sts:ExternalId (AccessDenied)");
    }
    String bucket = url.substring("s3://".length()).split("/", 2)[0];
    String resource =
        action.equals(IamState.LIST_BUCKET)
            ? IamState.bucketArn(bucket)
            : IamState.bucketArn(url.substring("s3://".length())) + "/";
    if (!iam.allowed(c.roleArn(), action, resource)) {
      return new ValidationResult(
          operation,
          "FAIL",
          "Role "
              + c.roleArn()
              + " is not allowed "
              + action
              + " on "
              + resource
              + " (AccessDenied)");
    }
    return new ValidationResult(operation, "PASS", null);
  }

  /**
   * Refuses an external location whose credential fails validation for its URL. Creating or
   * changing an external location validates its credential unless {@code skip_validation} is set
   * (the SDK's {@code CreateExternalLocation.skipValidation}: "Skips validation of the storage
   * credential associated with the external location"; the Terraform provider's {@code
   * skip_validation}: "Suppress validation errors if any & force save the external location"). The
   * status and code of the refusal are not documented; 400 {@code INVALID_PARAMETER_VALUE} here.
   */
  public synchronized void requireUsable(String credentialName, String url, boolean readOnly) {
    // Operations that failed for the same reason (all of them, for a role that cannot be assumed)
    // are named together.
    Map<String, List<String>> failed = new java.util.LinkedHashMap<>();
    for (ValidationResult r : validate(credentialName, url, readOnly)) {
      if (r.failed()) {
        failed.computeIfAbsent(r.message(), m -> new ArrayList<>()).add(r.operation());
      }
    }
    if (!failed.isEmpty()) {
      List<String> reasons = new ArrayList<>();
      failed.forEach((message, operations) -> reasons.add(operations + ": " + message));
      throw ApiError.invalid(
          "Validation of storage credential '"
              + credentialName
              + "' for url '"
              + url
              + "' failed: "
              + String.join("; ", reasons));
    }
  }

  public synchronized List<Location> locations() {
    return List.copyOf(locations.values());
  }

  /** 404 {@code EXTERNAL_LOCATION_DOES_NOT_EXIST} for an unknown name. */
  public synchronized Location location(String name) {
    Location location = locations.get(name);
    if (location == null) {
      throw ApiError.notFound(
          "EXTERNAL_LOCATION_DOES_NOT_EXIST",
          "ExternalLocation",
          name,
          "External Location '" + name + "' does not exist.");
    }
    return location;
  }

  /**
   * {@code CreateExternalLocation}: name, URL and credential are required; the credential must
   * exist (404 {@code STORAGE_CREDENTIAL_DOES_NOT_EXIST}); the name is unique (400 {@code
   * EXTERNAL_LOCATION_ALREADY_EXISTS}); the URL must not overlap another location's.
   */
  public synchronized Location createLocation(String name, LocationFields fields) {
    requireText("name", name);
    requireText("url", fields.url());
    requireText("credential_name", fields.credentialName());
    credential(fields.credentialName());
    if (locations.containsKey(name)) {
      throw ApiError.alreadyExists(
          "EXTERNAL_LOCATION_ALREADY_EXISTS",
          "ExternalLocation",
          name,
          "External Location '" + name + "' already exists.");
    }
    requireNoOverlap(name, fields.url(), "CreateExternalLocation");
    long now = System.currentTimeMillis();
    Location location =
        new Location(
            name,
            UUID.randomUUID().toString(),
            fields.url(),
            fields.credentialName(),
            fields.comment(),
            fields.owner() == null ? userName : fields.owner(),
            Boolean.TRUE.equals(fields.readOnly()),
            now,
            userName,
            now,
            userName);
    locations.put(name, location);
    return location;
  }

  /**
   * {@code UpdateExternalLocation}: the fields given replace the location's, checked as on create.
   */
  public synchronized Location updateLocation(String name, LocationFields fields) {
    Location l = location(name);
    if (fields.credentialName() != null) {
      credential(fields.credentialName());
    }
    if (fields.url() != null) {
      requireText("url", fields.url());
      requireNoOverlap(name, fields.url(), "UpdateExternalLocation");
    }
    requireOwner(fields.owner());
    Location updated =
        new Location(
            name,
            l.id(),
            fields.url() == null ? l.url() : fields.url(),
            fields.credentialName() == null ? l.credentialName() : fields.credentialName(),
            fields.comment() == null ? l.comment() : fields.comment(),
            fields.owner() == null ? l.owner() : fields.owner(),
            fields.readOnly() == null ? l.readOnly() : fields.readOnly(),
            l.createdAt(),
            l.createdBy(),
            System.currentTimeMillis(),
            userName);
    locations.put(name, updated);
    return updated;
  }

  public synchronized void deleteLocation(String name) {
    location(name);
    locations.remove(name);
  }

  /**
   * External locations of a metastore may not overlap: one URL may be neither equal to nor under
   * another's. The service answers 400 {@code INVALID_PARAMETER_VALUE} with this message (quoted in
   * public reports, and matched by databrickslabs/ucx, whose Python SDK raises {@code
   * InvalidParameterValue} for it).
   */
  private void requireNoOverlap(String name, String url, String call) {
    requireStorageUrl(url);
    for (Location other : locations.values()) {
      if (!other.name().equals(name) && overlaps(url, other.url())) {
        throw ApiError.invalid(
            "Input path url '"
                + url
                + "' overlaps with an existing external location within '"
                + call
                + "' call. Conflicting location: "
                + other.name()
                + ".");
      }
    }
  }

  /** Whether one URL is the other or under it, comparing whole path segments. */
  static boolean overlaps(String a, String b) {
    String x = withSlash(a);
    String y = withSlash(b);
    return x.startsWith(y) || y.startsWith(x);
  }

  private static String withSlash(String url) {
    return url.endsWith("/") ? url : url + "/";
  }

  /** This simulator's workspaces are on AWS: external locations are S3 URLs. */
  private static void requireStorageUrl(String url) {
    if (!url.startsWith("s3://") || url.length() <= "s3://".length()) {
      throw ApiError.invalid("Invalid url '" + url + "': an external location on AWS is s3://...");
    }
  }

  private static void requireRoleArn(String roleArn) {
    if (roleArn == null || roleArn.isBlank()) {
      throw ApiError.invalid("Missing required field: aws_iam_role.role_arn");
    }
    if (!ROLE_ARN.matcher(roleArn).matches()) {
      throw ApiError.invalid("Invalid role ARN '" + roleArn + "'");
    }
  }

  private static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiError.invalid("Missing required field: " + field);
    }
  }
}
