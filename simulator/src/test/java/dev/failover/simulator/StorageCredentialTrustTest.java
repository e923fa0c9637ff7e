package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.service.catalog.AwsIamRoleRequest;
import com.databricks.sdk.service.catalog.CreateExternalLocation;
import com.databricks.sdk.service.catalog.CreateStorageCredential;
import com.databricks.sdk.service.catalog.StorageCredentialInfo;
import com.databricks.sdk.service.catalog.ValidateStorageCredential;
import com.databricks.sdk.service.catalog.ValidateStorageCredentialResponse;
import com.databricks.sdk.service.catalog.ValidationResult;
import com.databricks.sdk.service.catalog.ValidationResultOperation;
import com.databricks.sdk.service.catalog.ValidationResultResult;
import dev.failover.simulator.iam.IamState;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Storage credentials' own external ids, their IAM roles' trust policies,
 * validate-storage-credentials and the validation behind creating an external location, through the
 * SDK.
 */
class StorageCredentialTrustTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/uc-lakehouse";

  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    simulator.iam().createRole(ROLE);
    simulator.iam().allowStorageAccess(ROLE, "acme", false);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private StorageCredentialInfo create(String name) {
    return workspace
        .storageCredentials()
        .create(
            new CreateStorageCredential()
                .setName(name)
                .setAwsIamRole(new AwsIamRoleRequest().setRoleArn(ROLE)));
  }

  private ValidateStorageCredentialResponse validate(String name, boolean readOnly) {
    return workspace
        .storageCredentials()
        .validate(
            new ValidateStorageCredential()
                .setStorageCredentialName(name)
                .setUrl("s3://acme/landing")
                .setReadOnly(readOnly));
  }

  @Test
  void eachCredentialHasAnExternalIdOfItsOwnAndTheMasterRole() {
    StorageCredentialInfo one = create("one");
    StorageCredentialInfo two = create("two");
    assertThat(one.getAwsIamRole().getExternalId()).isNotBlank();
    assertThat(two.getAwsIamRole().getExternalId())
        .isNotEqualTo(one.getAwsIamRole().getExternalId());
    assertThat(one.getAwsIamRole().getUnityCatalogIamArn())
        .isEqualTo(IamState.UNITY_CATALOG_MASTER_ROLE);
    assertThat(workspace.storageCredentials().get("one").getAwsIamRole().getExternalId())
        .isEqualTo(one.getAwsIamRole().getExternalId());
  }

  @Test
  void aRoleThatDoesNotTrustTheExternalIdFailsEveryOperationNamingIt() {
    StorageCredentialInfo trusted = create("trusted");
    simulator.iam().trustUnityCatalog(ROLE, trusted.getAwsIamRole().getExternalId());
    StorageCredentialInfo recreated = create("recreated");
    simulator.requests().clear();

    ValidateStorageCredentialResponse response = validate("recreated", false);
    assertThat(response.getResults())
        .extracting(ValidationResult::getOperation)
        .containsExactly(
            ValidationResultOperation.READ,
            ValidationResultOperation.LIST,
            ValidationResultOperation.WRITE,
            ValidationResultOperation.DELETE);
    assertThat(response.getResults())
        .allSatisfy(
            r -> {
              assertThat(r.getResult()).isEqualTo(ValidationResultResult.FAIL);
              assertThat(r.getMessage()).contains(recreated.getAwsIamRole().getExternalId());
            });
    assertThat(validate("trusted", false).getResults())
        .allMatch(r -> r.getResult() == ValidationResultResult.PASS);
    assertThat(simulator.requests().mutating("databricks", "primary"))
        .as("validation changes nothing")
        .isEmpty();
  }

  @Test
  void theRoleMustTrustTheMasterRoleAndItself() {
    StorageCredentialInfo credential = create("lakehouse");
    simulator.iam().trustExternalId(ROLE, credential.getAwsIamRole().getExternalId());
    simulator.iam().trustPrincipals(ROLE, IamState.UNITY_CATALOG_MASTER_ROLE);
    assertThat(validate("lakehouse", true).getResults())
        .allMatch(r -> r.getResult() == ValidationResultResult.FAIL);

    simulator.iam().trustPrincipals(ROLE, ROLE);
    assertThat(validate("lakehouse", true).getResults())
        .allMatch(r -> r.getResult() == ValidationResultResult.PASS);
  }

  @Test
  void readOnlyValidationChecksReadAndListAgainstTheRolesPolicy() {
    String readOnlyRole = "arn:aws:iam::123456789012:role/uc-reader";
    simulator.iam().createRole(readOnlyRole);
    simulator.iam().allowStorageAccess(readOnlyRole, "acme", true);
    StorageCredentialInfo reader =
        workspace
            .storageCredentials()
            .create(
                new CreateStorageCredential()
                    .setName("reader")
                    .setAwsIamRole(new AwsIamRoleRequest().setRoleArn(readOnlyRole)));
    simulator.iam().trustUnityCatalog(readOnlyRole, reader.getAwsIamRole().getExternalId());

    assertThat(validate("reader", true).getResults())
        .extracting(ValidationResult::getOperation, ValidationResult::getResult)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ValidationResultOperation.READ, ValidationResultResult.PASS),
            org.assertj.core.groups.Tuple.tuple(
                ValidationResultOperation.LIST, ValidationResultResult.PASS));
    assertThat(validate("reader", false).getResults())
        .filteredOn(r -> r.getResult() == ValidationResultResult.FAIL)
        .extracting(ValidationResult::getOperation)
        .containsExactly(ValidationResultOperation.WRITE, ValidationResultOperation.DELETE);
  }

  @Test
  void anExternalLocationOnAnUntrustedCredentialIsRefusedUntilTheRoleTrustsIt() {
    StorageCredentialInfo credential = create("lakehouse");
    CreateExternalLocation location =
        new CreateExternalLocation()
            .setName("landing")
            .setUrl("s3://acme/landing")
            .setCredentialName("lakehouse");

    assertThatThrownBy(() -> workspace.externalLocations().create(location))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining(credential.getAwsIamRole().getExternalId());
    assertThat(simulator.workspace("primary").storageAccess().locations()).isEmpty();

    simulator.iam().trustUnityCatalog(ROLE, credential.getAwsIamRole().getExternalId());
    assertThat(workspace.externalLocations().create(location).getName()).isEqualTo("landing");
  }

  @Test
  void skipValidationSavesTheLocationAnyway() {
    create("lakehouse");
    workspace
        .externalLocations()
        .create(
            new CreateExternalLocation()
                .setName("landing")
                .setUrl("s3://acme/landing")
                .setCredentialName("lakehouse")
                .setSkipValidation(true));
    assertThat(simulator.workspace("primary").storageAccess().location("landing").url())
        .isEqualTo("s3://acme/landing");
  }
}
