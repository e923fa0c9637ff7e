package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.BadRequest;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.AwsIamRoleRequest;
import com.databricks.sdk.service.catalog.CreateExternalLocation;
import com.databricks.sdk.service.catalog.CreateStorageCredential;
import com.databricks.sdk.service.catalog.DeleteStorageCredentialRequest;
import com.databricks.sdk.service.catalog.ListStorageCredentialsRequest;
import com.databricks.sdk.service.catalog.ListStorageCredentialsResponse;
import com.databricks.sdk.service.catalog.StorageCredentialInfo;
import com.databricks.sdk.service.catalog.UpdateStorageCredential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated storage credentials API, driven only through the SDK's StorageCredentialsAPI. */
class StorageCredentialsApiTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/uc-lakehouse";

  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    simulator.account().addGroups("platform-admins");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  static CreateStorageCredential credential(String name) {
    return new CreateStorageCredential()
        .setName(name)
        .setAwsIamRole(new AwsIamRoleRequest().setRoleArn(ROLE));
  }

  @Test
  void createGetUpdateAndDelete() {
    StorageCredentialInfo created =
        workspace
            .storageCredentials()
            .create(credential("lakehouse").setComment("rw").setReadOnly(true));
    assertThat(created.getAwsIamRole().getRoleArn()).isEqualTo(ROLE);
    assertThat(created.getAwsIamRole().getExternalId()).isNotBlank();
    assertThat(created.getAwsIamRole().getUnityCatalogIamArn()).startsWith("arn:aws:iam::");
    assertThat(created.getId()).isNotBlank();
    assertThat(created.getFullName()).isEqualTo("lakehouse");
    assertThat(created.getOwner()).isEqualTo("sre-automation@acme.example");

    StorageCredentialInfo read = workspace.storageCredentials().get("lakehouse");
    assertThat(read.getComment()).isEqualTo("rw");
    assertThat(read.getReadOnly()).isTrue();

    StorageCredentialInfo updated =
        workspace
            .storageCredentials()
            .update(
                new UpdateStorageCredential()
                    .setName("lakehouse")
                    .setOwner("platform-admins")
                    .setReadOnly(false)
                    .setAwsIamRole(
                        new AwsIamRoleRequest()
                            .setRoleArn("arn:aws:iam::123456789012:role/other")));
    assertThat(updated.getOwner()).isEqualTo("platform-admins");
    assertThat(updated.getReadOnly()).isFalse();
    assertThat(updated.getComment()).as("left as it was").isEqualTo("rw");
    assertThat(updated.getAwsIamRole().getRoleArn()).endsWith("role/other");

    workspace.storageCredentials().delete("lakehouse");
    assertThatThrownBy(() -> workspace.storageCredentials().get("lakehouse"))
        .isInstanceOf(NotFound.class)
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("STORAGE_CREDENTIAL_DOES_NOT_EXIST"));
    assertThatThrownBy(() -> workspace.storageCredentials().delete("lakehouse"))
        .isInstanceOf(NotFound.class);
  }

  @Test
  void aTakenNameIsAConflictAndBadRequestsAreInvalid() {
    workspace.storageCredentials().create(credential("lakehouse"));
    assertThatThrownBy(() -> workspace.storageCredentials().create(credential("lakehouse")))
        .isInstanceOf(BadRequest.class)
        .satisfies(
            e -> {
              DatabricksError error = (DatabricksError) e;
              assertThat(error.getStatusCode()).isEqualTo(400);
              assertThat(error.getErrorCode()).isEqualTo("STORAGE_CREDENTIAL_ALREADY_EXISTS");
            });
    assertThatThrownBy(
            () ->
                workspace
                    .storageCredentials()
                    .create(new CreateStorageCredential().setName("no-role")))
        .isInstanceOf(InvalidParameterValue.class);
    assertThatThrownBy(
            () ->
                workspace
                    .storageCredentials()
                    .create(
                        new CreateStorageCredential()
                            .setName("bad-role")
                            .setAwsIamRole(new AwsIamRoleRequest().setRoleArn("not-an-arn"))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("not-an-arn");
  }

  @Test
  void aCredentialInUseIsDeletedOnlyWithForce() {
    StorageTrust.trust(
        simulator, workspace.storageCredentials().create(credential("lakehouse")), "acme");
    workspace
        .externalLocations()
        .create(
            new CreateExternalLocation()
                .setName("landing")
                .setUrl("s3://acme/landing")
                .setCredentialName("lakehouse"));
    assertThatThrownBy(() -> workspace.storageCredentials().delete("lakehouse"))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("landing");
    workspace
        .storageCredentials()
        .delete(new DeleteStorageCredentialRequest().setName("lakehouse").setForce(true));
    assertThatThrownBy(() -> workspace.storageCredentials().get("lakehouse"))
        .isInstanceOf(NotFound.class);
  }

  @Test
  void listsFollowPageTokensAcrossSeveralPages() {
    for (int i = 0; i < 120; i++) {
      workspace.storageCredentials().create(credential(String.format("cred-%03d", i)));
    }
    ListStorageCredentialsResponse first =
        workspace
            .storageCredentials()
            .impl()
            .list(new ListStorageCredentialsRequest().setMaxResults(0L));
    assertThat(first.getStorageCredentials()).hasSizeLessThan(120);
    assertThat(first.getNextPageToken()).isNotBlank();
    List<String> names = new ArrayList<>();
    workspace
        .storageCredentials()
        .list(new ListStorageCredentialsRequest())
        .forEach(c -> names.add(c.getName()));
    assertThat(names).hasSize(120).doesNotHaveDuplicates();
    assertThatThrownBy(
            () ->
                workspace
                    .storageCredentials()
                    .list(new ListStorageCredentialsRequest().setPageToken("%%%"))
                    .iterator()
                    .next())
        .isInstanceOf(InvalidParameterValue.class);
  }
}
