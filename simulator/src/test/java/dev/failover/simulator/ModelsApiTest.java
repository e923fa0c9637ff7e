package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.core.error.platform.ResourceAlreadyExists;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.service.catalog.CreateRegisteredModelRequest;
import com.databricks.sdk.service.catalog.ListModelVersionsRequest;
import com.databricks.sdk.service.catalog.ListModelVersionsResponse;
import com.databricks.sdk.service.catalog.ListRegisteredModelsRequest;
import com.databricks.sdk.service.catalog.ModelVersionInfo;
import com.databricks.sdk.service.catalog.ModelVersionInfoStatus;
import com.databricks.sdk.service.catalog.RegisteredModelInfo;
import com.databricks.sdk.service.catalog.UpdateModelVersionRequest;
import com.databricks.sdk.service.catalog.UpdateRegisteredModelRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.simulator.databricks.WorkspaceState;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated registered models and model versions, driven through the SDK's {@code
 * RegisteredModelsAPI} and {@code ModelVersionsAPI}, and through the SDK's {@code ApiClient} for
 * MLflow's create and finalize of a version, which the SDK has no call for.
 */
class ModelsApiTest {
  private Simulator simulator;
  private WorkspaceClient workspace;
  private WorkspaceState state;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    state = simulator.workspace("primary");
    simulator.account().addGroups("ml-platform");
    state.createCatalog("ml", null, Map.of(), "s3://acme/uc/ml");
    state.createSchema("ml", "models", null, Map.of(), null);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private RegisteredModelInfo create(String name) {
    return workspace
        .registeredModels()
        .create(
            new CreateRegisteredModelRequest()
                .setCatalogName("ml")
                .setSchemaName("models")
                .setName(name)
                .setComment("a model"));
  }

  private JsonNode mlflow(String action, String body) throws IOException {
    Request request =
        new Request("POST", "/api/2.0/mlflow/unity-catalog/model-versions/" + action, body)
            .withHeader("Accept", "application/json")
            .withHeader("Content-Type", "application/json");
    try (InputStream response = workspace.apiClient().execute(request, InputStream.class)) {
      return new ObjectMapper().readTree(response).get("model_version");
    }
  }

  private JsonNode register(String fullName, String source) throws IOException {
    return mlflow(
        "create",
        "{\"name\":\"" + fullName + "\",\"source\":\"" + source + "\",\"run_id\":\"r1\"}");
  }

  @Test
  void modelsAreCreatedReadUpdatedAndDeleted() {
    RegisteredModelInfo created = create("churn");
    assertThat(created.getFullName()).isEqualTo("ml.models.churn");
    assertThat(created.getStorageLocation())
        .startsWith("s3://acme/uc/ml/__unitystorage/catalogs/")
        .contains("/models/");
    assertThat(created.getOwner()).isEqualTo("sre-automation@acme.example");

    workspace
        .registeredModels()
        .update(
            new UpdateRegisteredModelRequest()
                .setFullName("ml.models.churn")
                .setOwner("ml-platform")
                .setComment("v2"));
    RegisteredModelInfo read = workspace.registeredModels().get("ml.models.churn");
    assertThat(read.getOwner()).isEqualTo("ml-platform");
    assertThat(read.getComment()).isEqualTo("v2");

    workspace.registeredModels().delete("ml.models.churn");
    assertThatThrownBy(() -> workspace.registeredModels().get("ml.models.churn"))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessage("Routine or Model 'ml.models.churn' does not exist.");
  }

  @Test
  void aTakenNameAlreadyExistsAndTheSchemaMustExist() {
    create("churn");
    assertThatThrownBy(() -> create("churn")).isInstanceOf(ResourceAlreadyExists.class);
    assertThatThrownBy(
            () ->
                workspace
                    .registeredModels()
                    .create(
                        new CreateRegisteredModelRequest()
                            .setCatalogName("ml")
                            .setSchemaName("nope")
                            .setName("churn")))
        .isInstanceOf(NotFound.class)
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("SCHEMA_DOES_NOT_EXIST"));
    assertThatThrownBy(
            () ->
                workspace
                    .registeredModels()
                    .create(
                        new CreateRegisteredModelRequest()
                            .setCatalogName("ml")
                            .setSchemaName("models")))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void versionsAreRegisteredPendingThenFinalizedReady() throws IOException {
    RegisteredModelInfo model = create("churn");
    JsonNode first = register("ml.models.churn", "s3://acme/mlflow/1/artifacts/model");
    assertThat(first.get("version").asText()).isEqualTo("1");
    assertThat(first.get("status").asText()).isEqualTo("PENDING_REGISTRATION");
    assertThat(first.get("storage_location").asText())
        .startsWith(model.getStorageLocation() + "/versions/");

    ModelVersionInfo pending = workspace.modelVersions().get("ml.models.churn", 1);
    assertThat(pending.getStatus()).isEqualTo(ModelVersionInfoStatus.PENDING_REGISTRATION);
    assertThat(pending.getSource()).isEqualTo("s3://acme/mlflow/1/artifacts/model");
    assertThat(pending.getRunId()).isEqualTo("r1");
    assertThat(pending.getModelName()).isEqualTo("churn");

    JsonNode ready = mlflow("finalize", "{\"name\":\"ml.models.churn\",\"version\":\"1\"}");
    assertThat(ready.get("status").asText()).isEqualTo("READY");
    assertThat(workspace.modelVersions().get("ml.models.churn", 1).getStatus())
        .isEqualTo(ModelVersionInfoStatus.READY);

    workspace
        .modelVersions()
        .update(
            new UpdateModelVersionRequest()
                .setFullName("ml.models.churn")
                .setVersion(1L)
                .setComment("baseline"));
    assertThat(workspace.modelVersions().get("ml.models.churn", 1).getComment())
        .isEqualTo("baseline");

    register("ml.models.churn", "s3://acme/mlflow/2/artifacts/model");
    workspace.modelVersions().delete("ml.models.churn", 2);
    assertThatThrownBy(() -> workspace.modelVersions().get("ml.models.churn", 2))
        .isInstanceOf(ResourceDoesNotExist.class);
    assertThat(register("ml.models.churn", "s3://acme/mlflow/3").get("version").asText())
        .as("numbers are not reused")
        .isEqualTo("3");

    assertThatThrownBy(() -> register("ml.models.nope", "s3://acme/x"))
        .isInstanceOf(ResourceDoesNotExist.class);
    assertThatThrownBy(() -> mlflow("create", "{\"name\":\"ml.models.churn\"}"))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void withoutCatalogOrSchemaRootModelsUseTheAssignedMetastoresRoot() {
    state.createCatalog("plain", null, Map.of(), null);
    state.createSchema("plain", "s", null, Map.of(), null);
    CreateRegisteredModelRequest request =
        new CreateRegisteredModelRequest().setCatalogName("plain").setSchemaName("s").setName("m");
    assertThatThrownBy(() -> workspace.registeredModels().create(request))
        .isInstanceOf(NotFound.class)
        .hasMessage("No metastore assigned for the current workspace.");
    state.metastores().register("ms-1", "acme", "us-east-1", "s3://acme/metastore");
    state.metastores().assign(state.metastores().workspaceId(), "ms-1", "main");
    assertThat(workspace.registeredModels().create(request).getStorageLocation())
        .startsWith("s3://acme/metastore/ms-1/models/");
  }

  @Test
  void modelsAndVersionsAreListedAcrossSeveralPages() throws IOException {
    for (int i = 0; i < 60; i++) {
      create(String.format("m%02d", i));
    }
    state.createSchema("ml", "other", null, Map.of(), null);
    workspace
        .registeredModels()
        .create(
            new CreateRegisteredModelRequest()
                .setCatalogName("ml")
                .setSchemaName("other")
                .setName("elsewhere"));
    List<String> inSchema = new ArrayList<>();
    workspace
        .registeredModels()
        .list(new ListRegisteredModelsRequest().setCatalogName("ml").setSchemaName("models"))
        .forEach(m -> inSchema.add(m.getName()));
    assertThat(inSchema).hasSize(60).doesNotHaveDuplicates().doesNotContain("elsewhere");
    List<String> all = new ArrayList<>();
    workspace
        .registeredModels()
        .list(new ListRegisteredModelsRequest())
        .forEach(m -> all.add(m.getFullName()));
    assertThat(all).hasSize(61).contains("ml.other.elsewhere");
    assertThatThrownBy(
            () ->
                workspace
                    .registeredModels()
                    .list(new ListRegisteredModelsRequest().setSchemaName("models"))
                    .iterator()
                    .next())
        .isInstanceOf(InvalidParameterValue.class);

    for (int v = 0; v < 7; v++) {
      register("ml.models.m00", "s3://acme/mlflow/" + v);
    }
    ListModelVersionsResponse page =
        workspace
            .modelVersions()
            .impl()
            .list(new ListModelVersionsRequest().setFullName("ml.models.m00").setMaxResults(3L));
    assertThat(page.getModelVersions()).hasSize(3);
    assertThat(page.getNextPageToken()).isNotBlank();
    List<Long> versions = new ArrayList<>();
    workspace
        .modelVersions()
        .list(new ListModelVersionsRequest().setFullName("ml.models.m00").setMaxResults(3L))
        .forEach(v -> versions.add(v.getVersion()));
    assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }
}
