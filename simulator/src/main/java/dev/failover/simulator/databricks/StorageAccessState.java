package dev.failover.simulator.databricks;

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
 * <p>Not modelled: validation of the IAM role against AWS ({@code skip_validation} is accepted and
 * ignored), renames ({@code new_name}), isolation modes and workspace bindings, file events, and
 * the dependents of a location (tables, volumes, catalog storage roots), which the service counts
 * before a delete without {@code force}. All methods are synchronized.
 */
public final class StorageAccessState {
  /** A storage credential for an AWS IAM role. */
  public record Credential(
      String name,
      String id,
      String roleArn,
      String comment,
      String owner,
      boolean readOnly,
      long createdAt,
      String createdBy,
      long updatedAt,
      String updatedBy) {}

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

  StorageAccessState(String userName) {
    this.userName = userName;
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
    Credential updated =
        new Credential(
            name,
            c.id(),
            fields.roleArn() == null ? c.roleArn() : fields.roleArn(),
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
