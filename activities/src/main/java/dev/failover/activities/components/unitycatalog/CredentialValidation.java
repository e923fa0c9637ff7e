package dev.failover.activities.components.unitycatalog;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.catalog.StorageCredentialInfo;
import com.databricks.sdk.service.catalog.ValidateStorageCredential;
import com.databricks.sdk.service.catalog.ValidateStorageCredentialResponse;
import com.databricks.sdk.service.catalog.ValidationResult;
import com.databricks.sdk.service.catalog.ValidationResultResult;
import dev.failover.activities.errors.CallRetry;
import java.util.List;

/**
 * Whether Unity Catalog can use a storage credential for a URL, asked of Unity Catalog's
 * validate-storage-credentials API ({@code POST
 * /api/2.1/unity-catalog/validate-storage-credentials}, the SDK's {@code
 * StorageCredentialsAPI.validate}), which changes nothing. A credential's IAM role must trust the
 * credential's own external id ({@code aws_iam_role.external_id}); a credential created anew gets a
 * new one, so it fails here until someone adds it to the role's trust policy.
 */
public final class CredentialValidation {
  private CredentialValidation() {}

  /**
   * What validation found for one credential and URL.
   *
   * @param failures the failed operations, as {@code OPERATION: message}; empty when usable
   */
  public record Outcome(
      String credential, String url, String roleArn, String externalId, List<String> failures) {
    public boolean usable() {
      return failures.isEmpty();
    }

    /**
     * One line for an operator: the credential, its role, the external id to add to the role's
     * trust policy, and the first failure.
     */
    public String describe() {
      return "storage credential "
          + credential
          + " cannot reach "
          + url
          + ": add external id "
          + externalId
          + " to the trust policy of IAM role "
          + roleArn
          + " (sts:ExternalId), then retry ("
          + failures.get(0)
          + (failures.size() > 1 ? "; " + (failures.size() - 1) + " more operations failed" : "")
          + ")";
    }
  }

  /**
   * Validates a credential of the workspace for a URL: read and list only when {@code readOnly} (no
   * test object is written), read, list, write and delete otherwise.
   */
  public static Outcome validate(
      WorkspaceClient workspace,
      String host,
      CallRetry retry,
      String credential,
      String url,
      boolean readOnly) {
    StorageCredentialInfo info =
        retry.databricks(
            "read storage credential " + credential + " in " + host,
            () -> workspace.storageCredentials().get(credential));
    ValidateStorageCredentialResponse response =
        retry.databricks(
            "validate storage credential " + credential + " for " + url + " in " + host,
            () ->
                workspace
                    .storageCredentials()
                    .validate(
                        new ValidateStorageCredential()
                            .setStorageCredentialName(credential)
                            .setUrl(url)
                            .setReadOnly(readOnly)));
    List<String> failures =
        response.getResults() == null
            ? List.of()
            : response.getResults().stream()
                .filter(r -> r.getResult() == ValidationResultResult.FAIL)
                .map(CredentialValidation::failure)
                .toList();
    return new Outcome(
        credential,
        url,
        info.getAwsIamRole() == null ? null : info.getAwsIamRole().getRoleArn(),
        info.getAwsIamRole() == null ? null : info.getAwsIamRole().getExternalId(),
        failures);
  }

  private static String failure(ValidationResult result) {
    return result.getOperation() + ": " + result.getMessage();
  }
}
