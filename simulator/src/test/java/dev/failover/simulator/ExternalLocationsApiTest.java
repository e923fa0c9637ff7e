package dev.failover.simulator;

import static dev.failover.simulator.StorageCredentialsApiTest.credential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.BadRequest;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.CreateExternalLocation;
import com.databricks.sdk.service.catalog.ExternalLocationInfo;
import com.databricks.sdk.service.catalog.ListExternalLocationsRequest;
import com.databricks.sdk.service.catalog.ListExternalLocationsResponse;
import com.databricks.sdk.service.catalog.UpdateExternalLocation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated external locations API, driven only through the SDK's ExternalLocationsAPI. */
class ExternalLocationsApiTest {
  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    simulator.account().addGroups("data-engineers");
    StorageTrust.trust(
        simulator, workspace.storageCredentials().create(credential("lakehouse")), "acme");
    StorageTrust.trust(
        simulator, workspace.storageCredentials().create(credential("other")), "acme");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private static CreateExternalLocation location(String name, String url) {
    return new CreateExternalLocation().setName(name).setUrl(url).setCredentialName("lakehouse");
  }

  @Test
  void createGetUpdateAndDelete() {
    ExternalLocationInfo created =
        workspace
            .externalLocations()
            .create(location("landing", "s3://acme/landing").setComment("raw").setReadOnly(true));
    assertThat(created.getUrl()).isEqualTo("s3://acme/landing");
    assertThat(created.getCredentialName()).isEqualTo("lakehouse");
    assertThat(created.getCredentialId())
        .isEqualTo(workspace.storageCredentials().get("lakehouse").getId());
    assertThat(created.getReadOnly()).isTrue();

    ExternalLocationInfo updated =
        workspace
            .externalLocations()
            .update(
                new UpdateExternalLocation()
                    .setName("landing")
                    .setUrl("s3://acme/landing-v2")
                    .setCredentialName("other")
                    .setOwner("data-engineers"));
    assertThat(updated.getUrl()).isEqualTo("s3://acme/landing-v2");
    assertThat(updated.getCredentialName()).isEqualTo("other");
    assertThat(updated.getOwner()).isEqualTo("data-engineers");
    assertThat(updated.getComment()).isEqualTo("raw");
    assertThat(workspace.externalLocations().get("landing").getReadOnly()).isTrue();

    workspace.externalLocations().delete("landing");
    assertThatThrownBy(() -> workspace.externalLocations().get("landing"))
        .isInstanceOf(NotFound.class)
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("EXTERNAL_LOCATION_DOES_NOT_EXIST"));
  }

  @Test
  void theCredentialMustExistAndNamesAreUnique() {
    assertThatThrownBy(
            () ->
                workspace
                    .externalLocations()
                    .create(location("landing", "s3://acme/landing").setCredentialName("nope")))
        .isInstanceOf(NotFound.class)
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("STORAGE_CREDENTIAL_DOES_NOT_EXIST"));
    workspace.externalLocations().create(location("landing", "s3://acme/landing"));
    assertThatThrownBy(
            () -> workspace.externalLocations().create(location("landing", "s3://acme/other")))
        .isInstanceOf(BadRequest.class)
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("EXTERNAL_LOCATION_ALREADY_EXISTS"));
    assertThatThrownBy(
            () ->
                workspace
                    .externalLocations()
                    .create(new CreateExternalLocation().setName("x").setUrl("s3://acme/x")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("credential_name");
    assertThatThrownBy(
            () -> workspace.externalLocations().create(location("gcs", "gs://acme/landing")))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void overlappingUrlsAreRefusedAsTheServiceRefusesThem() {
    workspace.externalLocations().create(location("landing", "s3://acme/landing"));
    for (String url : List.of("s3://acme/landing", "s3://acme/landing/sales", "s3://acme")) {
      assertThatThrownBy(() -> workspace.externalLocations().create(location("other", url)))
          .as(url)
          .isInstanceOf(InvalidParameterValue.class)
          .hasMessage(
              "Input path url '"
                  + url
                  + "' overlaps with an existing external location within"
                  + " 'CreateExternalLocation' call. Conflicting location: landing.");
    }
    workspace.externalLocations().create(location("landing2", "s3://acme/landing2"));
    assertThatThrownBy(
            () ->
                workspace
                    .externalLocations()
                    .update(
                        new UpdateExternalLocation()
                            .setName("landing2")
                            .setUrl("s3://acme/landing/x")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("'UpdateExternalLocation'");
  }

  @Test
  void listsFollowPageTokensAcrossSeveralPages() {
    for (int i = 0; i < 75; i++) {
      workspace.externalLocations().create(location("loc-" + i, "s3://acme/loc-" + i));
    }
    ListExternalLocationsResponse first =
        workspace
            .externalLocations()
            .impl()
            .list(new ListExternalLocationsRequest().setMaxResults(10L));
    assertThat(first.getExternalLocations()).hasSize(10);
    assertThat(first.getNextPageToken()).isNotBlank();
    List<String> names = new ArrayList<>();
    workspace
        .externalLocations()
        .list(new ListExternalLocationsRequest())
        .forEach(l -> names.add(l.getName()));
    assertThat(names).hasSize(75).doesNotHaveDuplicates();
  }
}
