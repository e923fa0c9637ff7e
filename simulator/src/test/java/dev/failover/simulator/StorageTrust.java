package dev.failover.simulator;

import com.databricks.sdk.service.catalog.StorageCredentialInfo;

/** What an operator does in AWS for a new storage credential, for tests that need it usable. */
final class StorageTrust {
  private StorageTrust() {}

  /**
   * Creates the credential's IAM role if needed, lets it read and write the bucket, and makes its
   * trust policy accept the credential's external id; returns the credential.
   */
  static StorageCredentialInfo trust(
      Simulator simulator, StorageCredentialInfo credential, String bucket) {
    String role = credential.getAwsIamRole().getRoleArn();
    simulator.iam().createRole(role);
    simulator.iam().allowStorageAccess(role, bucket, false);
    simulator.iam().trustUnityCatalog(role, credential.getAwsIamRole().getExternalId());
    return credential;
  }
}
