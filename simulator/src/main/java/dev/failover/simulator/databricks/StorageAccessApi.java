package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;
import static dev.failover.simulator.databricks.UcJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.simulator.http.HttpExchanges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The storage credentials and external locations endpoints of a simulated workspace, with the
 * paths, methods and fields of the SDK's {@code StorageCredentialsImpl} ({@code
 * CreateStorageCredential}, {@code UpdateStorageCredential}, {@code StorageCredentialInfo}, {@code
 * ListStorageCredentialsRequest}/{@code Response}) and {@code ExternalLocationsImpl} ({@code
 * CreateExternalLocation}, {@code UpdateExternalLocation}, {@code ExternalLocationInfo}, {@code
 * ListExternalLocationsRequest}/{@code Response}). Lists page by {@code max_results} and {@code
 * page_token}; only AWS IAM role credentials exist here. {@code validate-storage-credentials} is
 * not modelled.
 */
final class StorageAccessApi {
  static final String CREDENTIALS = "/api/2.1/unity-catalog/storage-credentials";
  static final String LOCATIONS = "/api/2.1/unity-catalog/external-locations";

  /**
   * The role Unity Catalog assumes before it assumes a credential's role, the same for every
   * credential of a deployment (the form the service reports in {@code unity_catalog_iam_arn}).
   */
  private static final String UC_MASTER_ROLE =
      "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL";

  /** Credential fields of other clouds, which an AWS workspace rejects. */
  private static final List<String> OTHER_CLOUDS =
      List.of(
          "azure_managed_identity",
          "azure_service_principal",
          "cloudflare_api_token",
          "databricks_gcp_service_account");

  private final StorageAccessState storage;
  private final String metastoreId;
  private final String externalId;

  StorageAccessApi(StorageAccessState storage, String metastoreId) {
    this.storage = storage;
    this.metastoreId = metastoreId;
    // The external id a role's trust policy expects is the Databricks account's id.
    this.externalId =
        UUID.nameUUIDFromBytes(("account-" + metastoreId).getBytes(StandardCharsets.UTF_8))
            .toString();
  }

  static boolean handles(String path) {
    return path.equals(CREDENTIALS)
        || path.startsWith(CREDENTIALS + "/")
        || path.equals(LOCATIONS)
        || path.startsWith(LOCATIONS + "/");
  }

  /** Answers one request; null for a path or method this API does not have. */
  JsonNode route(String method, String path, Map<String, String> query, RequestBody body)
      throws IOException {
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
              : location(storage.createLocation(text(request, "name"), locationFields(request)));
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
            : location(storage.updateLocation(name, locationFields(request)));
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
    role.put("external_id", externalId);
    role.put("unity_catalog_iam_arn", UC_MASTER_ROLE);
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
