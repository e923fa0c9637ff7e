package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;
import static dev.failover.simulator.databricks.UcJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.simulator.http.HttpExchanges;
import dev.failover.simulator.iam.IamState;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The storage credentials and external locations endpoints of a simulated workspace, with the
 * paths, methods and fields of the SDK's {@code StorageCredentialsImpl} ({@code
 * CreateStorageCredential}, {@code UpdateStorageCredential}, {@code StorageCredentialInfo}, {@code
 * ListStorageCredentialsRequest}/{@code Response}) and {@code ExternalLocationsImpl} ({@code
 * CreateExternalLocation}, {@code UpdateExternalLocation}, {@code ExternalLocationInfo}, {@code
 * ListExternalLocationsRequest}/{@code Response}). Lists page by {@code max_results} and {@code
 * page_token}; only AWS IAM role credentials exist here. {@code validate-storage-credentials} (the
 * SDK's {@code ValidateStorageCredential} and {@code ValidateStorageCredentialResponse}) validates
 * an existing credential by name against a URL or an external location's URL.
 */
public final class StorageAccessApi {
  static final String CREDENTIALS = "/api/2.1/unity-catalog/storage-credentials";
  static final String LOCATIONS = "/api/2.1/unity-catalog/external-locations";

  /**
   * {@code POST}, but it reads only: the API reference ("Validate Storage Credential") describes it
   * as validating, and it changes no Unity Catalog object.
   */
  public static final String VALIDATE = "/api/2.1/unity-catalog/validate-storage-credentials";

  /** Credential fields of other clouds, which an AWS workspace rejects. */
  private static final List<String> OTHER_CLOUDS =
      List.of(
          "azure_managed_identity",
          "azure_service_principal",
          "cloudflare_api_token",
          "databricks_gcp_service_account");

  private final StorageAccessState storage;
  private final String metastoreId;

  StorageAccessApi(StorageAccessState storage, String metastoreId) {
    this.storage = storage;
    this.metastoreId = metastoreId;
  }

  static boolean handles(String path) {
    return path.equals(VALIDATE)
        || path.equals(CREDENTIALS)
        || path.startsWith(CREDENTIALS + "/")
        || path.equals(LOCATIONS)
        || path.startsWith(LOCATIONS + "/");
  }

  /** Answers one request; null for a path or method this API does not have. */
  JsonNode route(String method, String path, Map<String, String> query, RequestBody body)
      throws IOException {
    if (path.equals(VALIDATE)) {
      return method.equals("POST") ? validate(body.read()) : null;
    }
    boolean credentials = path.startsWith(CREDENTIALS);
    String rest = path.substring((credentials ? CREDENTIALS : LOCATIONS).length());
    if (rest.isEmpty()) {
      return switch (method) {
        case "GET" ->
            credentials
                ? UcJson.page(
                    Pages.page(
                        storage.credentials(),
                        StorageAccessState.Credential::name,
                        query.get("page_token"),
                        Pages.length(query, "max_results")),
                    "storage_credentials",
                    this::credential)
                : UcJson.page(
                    Pages.page(
                        storage.locations(),
                        StorageAccessState.Location::name,
                        query.get("page_token"),
                        Pages.length(query, "max_results")),
                    "external_locations",
                    this::location);
        case "POST" -> {
          JsonNode request = body.read();
          yield credentials
              ? credential(
                  storage.createCredential(text(request, "name"), credentialFields(request, true)))
              : location(createLocation(request));
        }
        default -> null;
      };
    }
    if (rest.length() < 2 || rest.indexOf('/', 1) >= 0) {
      return null;
    }
    String name = HttpExchanges.decode(rest.substring(1));
    boolean force = Boolean.parseBoolean(query.getOrDefault("force", "false"));
    return switch (method) {
      case "GET" ->
          credentials ? credential(storage.credential(name)) : location(storage.location(name));
      case "PATCH" -> {
        JsonNode request = body.read();
        if (request.hasNonNull("new_name") && !request.get("new_name").asText().equals(name)) {
          throw ApiError.invalid("Renaming is not supported by the simulator");
        }
        yield credentials
            ? credential(storage.updateCredential(name, credentialFields(request, false)))
            : location(updateLocation(name, request));
      }
      case "DELETE" -> {
        if (credentials) {
          storage.deleteCredential(name, force);
        } else {
          storage.deleteLocation(name);
        }
        yield JSON.createObjectNode();
      }
      default -> null;
    };
  }

  /**
   * A {@code ValidateStorageCredentialResponse}. Either the credential's name or a cloud credential
   * may be given; only the name is modelled (a role given inline is refused). When both {@code url}
   * and {@code external_location_name} are given, the URL is used (API reference).
   */
  private JsonNode validate(JsonNode request) {
    String credentialName = text(request, "storage_credential_name");
    if (credentialName == null) {
      throw ApiError.invalid(
          "storage_credential_name is required (validating an inline aws_iam_role is not"
              + " supported by the simulator)");
    }
    String url = text(request, "url");
    if (url == null && text(request, "external_location_name") != null) {
      url = storage.location(text(request, "external_location_name")).url();
    }
    if (url == null) {
      throw ApiError.invalid("At least one of external_location_name and url must be provided");
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("is_dir", true);
    var results = response.putArray("results");
    for (StorageAccessState.ValidationResult r :
        storage.validate(credentialName, url, Boolean.TRUE.equals(bool(request, "read_only")))) {
      ObjectNode result = results.addObject();
      result.put("operation", r.operation());
      result.put("result", r.result());
      if (r.message() != null) {
        result.put("message", r.message());
      }
    }
    return response;
  }

  /** Creates a location, validating its credential first unless {@code skip_validation}. */
  private StorageAccessState.Location createLocation(JsonNode request) {
    StorageAccessState.LocationFields fields = locationFields(request);
    if (!Boolean.TRUE.equals(bool(request, "skip_validation"))
        && fields.credentialName() != null
        && fields.url() != null) {
      storage.credential(fields.credentialName());
      storage.requireUsable(
          fields.credentialName(), fields.url(), Boolean.TRUE.equals(fields.readOnly()));
    }
    return storage.createLocation(text(request, "name"), fields);
  }

  /** Changes a location; a new URL or credential is validated first unless skip_validation. */
  private StorageAccessState.Location updateLocation(String name, JsonNode request) {
    StorageAccessState.LocationFields fields = locationFields(request);
    if (!Boolean.TRUE.equals(bool(request, "skip_validation"))
        && (fields.credentialName() != null || fields.url() != null)) {
      StorageAccessState.Location l = storage.location(name);
      String credential =
          fields.credentialName() == null ? l.credentialName() : fields.credentialName();
      String url = fields.url() == null ? l.url() : fields.url();
      boolean readOnly = fields.readOnly() == null ? l.readOnly() : fields.readOnly();
      storage.credential(credential);
      storage.requireUsable(credential, url, readOnly);
    }
    return storage.updateLocation(name, fields);
  }

  private static StorageAccessState.CredentialFields credentialFields(
      JsonNode request, boolean create) {
    for (String field : OTHER_CLOUDS) {
      if (request.hasNonNull(field)) {
        throw ApiError.invalid(field + " is not supported on AWS; use aws_iam_role");
      }
    }
    JsonNode role = request.get("aws_iam_role");
    String roleArn = role == null || role.isNull() ? null : text(role, "role_arn");
    if (create && roleArn == null) {
      throw ApiError.invalid("Missing required field: aws_iam_role");
    }
    return new StorageAccessState.CredentialFields(
        roleArn, text(request, "comment"), text(request, "owner"), bool(request, "read_only"));
  }

  private static StorageAccessState.LocationFields locationFields(JsonNode request) {
    return new StorageAccessState.LocationFields(
        text(request, "url"),
        text(request, "credential_name"),
        text(request, "comment"),
        text(request, "owner"),
        bool(request, "read_only"));
  }

  private static Boolean bool(JsonNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw ApiError.invalid(field + " must be a boolean, got " + value);
    }
    return value.asBoolean();
  }

  /** A {@code StorageCredentialInfo}. */
  private ObjectNode credential(StorageAccessState.Credential c) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", c.name());
    node.put("full_name", c.name());
    node.put("id", c.id());
    ObjectNode role = node.putObject("aws_iam_role");
    role.put("role_arn", c.roleArn());
    role.put("external_id", c.externalId());
    role.put("unity_catalog_iam_arn", IamState.UNITY_CATALOG_MASTER_ROLE);
    if (c.comment() != null) {
      node.put("comment", c.comment());
    }
    node.put("owner", c.owner());
    node.put("read_only", c.readOnly());
    node.put("used_for_managed_storage", false);
    node.put("isolation_mode", "ISOLATION_MODE_OPEN");
    node.put("metastore_id", metastoreId);
    audit(node, c.createdAt(), c.createdBy(), c.updatedAt(), c.updatedBy());
    return node;
  }

  /** An {@code ExternalLocationInfo}. */
  private ObjectNode location(StorageAccessState.Location l) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", l.name());
    node.put("url", l.url());
    node.put("credential_name", l.credentialName());
    // A location whose credential was force-deleted still names it, without an id.
    storage.credentials().stream()
        .filter(c -> c.name().equals(l.credentialName()))
        .findFirst()
        .ifPresent(c -> node.put("credential_id", c.id()));
    if (l.comment() != null) {
      node.put("comment", l.comment());
    }
    node.put("owner", l.owner());
    node.put("read_only", l.readOnly());
    node.put("fallback", false);
    node.put("browse_only", false);
    node.put("isolation_mode", "ISOLATION_MODE_OPEN");
    node.put("metastore_id", metastoreId);
    audit(node, l.createdAt(), l.createdBy(), l.updatedAt(), l.updatedBy());
    return node;
  }

  private static void audit(
      ObjectNode node, long createdAt, String createdBy, long updatedAt, String updatedBy) {
    node.put("created_at", createdAt);
    node.put("created_by", createdBy);
    node.put("updated_at", updatedAt);
    node.put("updated_by", updatedBy);
  }
}
