package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.PermissionDenied;
import com.databricks.sdk.service.catalog.CreateCatalog;
import com.databricks.sdk.service.catalog.CreateExternalLocation;
import com.databricks.sdk.service.catalog.CreateSchema;
import com.databricks.sdk.service.catalog.EffectivePermissionsList;
import com.databricks.sdk.service.catalog.EffectivePrivilege;
import com.databricks.sdk.service.catalog.GetEffectiveRequest;
import com.databricks.sdk.service.catalog.PermissionsChange;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.SecurableType;
import com.databricks.sdk.service.catalog.UpdateCatalog;
import com.databricks.sdk.service.catalog.UpdatePermissions;
import com.databricks.sdk.service.catalog.UpdateTableRequest;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.StatementResponse;
import com.databricks.sdk.service.sql.StatementState;
import com.fasterxml.jackson.databind.JsonNode;
import dev.failover.simulator.databricks.GroupsState;
import dev.failover.simulator.databricks.WorkspaceState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unity Catalog authorization for the calling principal, driven through the SDK with the tokens of
 * the workspace's first user (the metastore admin) and of a user that is not an admin.
 */
class UnityCatalogAuthorizationTest {
  private static final String WORKER = "worker@example.com";

  private Simulator simulator;
  private WorkspaceState state;
  private WorkspaceClient admin;
  private WorkspaceClient worker;
  private String metastoreId;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    state = simulator.workspace("primary");
    simulator.account().addGroups("engineers", "analysts", "data-owners");
    state.principals().addUser("someone-else@example.com", "Someone else");
    state.metastores().setRegion("us-west-2");
    metastoreId = state.metastores().create("primary-metastore", null, null).id();
    state.metastores().assign(state.metastores().workspaceId(), metastoreId, "main");
    state.principals().addUser(WORKER, "Worker");
    admin = SdkClients.workspace(simulator, "primary");
    worker =
        new WorkspaceClient(
            new DatabricksConfig()
                .setHost(simulator.workspaceUrl("primary").toString())
                .setToken(state.principals().tokenFor(WORKER))
                .setAuthType("pat"));
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void creatingACatalogNeedsCreateCatalogOnTheMetastoreAndTheCreatorOwnsIt() {
    assertThatThrownBy(() -> worker.catalogs().create(new CreateCatalog().setName("sales")))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User does not have CREATE CATALOG on Metastore 'primary-metastore'.")
        .satisfies(
            e -> assertThat(((DatabricksError) e).getErrorCode()).isEqualTo("PERMISSION_DENIED"))
        .satisfies(e -> assertThat(((DatabricksError) e).getStatusCode()).isEqualTo(403));

    grant("metastore", metastoreId, WORKER, Privilege.CREATE_CATALOG);
    assertThat(worker.catalogs().create(new CreateCatalog().setName("sales")).getOwner())
        .isEqualTo(WORKER);
    assertThat(state.catalog("sales").createdBy()).isEqualTo(WORKER);
    // Its default schema, made with it, is the creator's too (the worker may read it as owner).
    assertThat(worker.schemas().get("sales.default").getOwner()).isEqualTo(WORKER);
  }

  @Test
  void creatingASchemaNeedsUseCatalogAndCreateSchema() {
    admin.catalogs().create(new CreateCatalog().setName("sales"));
    grant("catalog", "sales", WORKER, Privilege.CREATE_SCHEMA);

    assertThatThrownBy(() -> worker.schemas().create(schema("sales", "raw")))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User does not have USE CATALOG on Catalog 'sales'.");

    grant("catalog", "sales", WORKER, Privilege.USE_CATALOG);
    assertThat(worker.schemas().create(schema("sales", "raw")).getOwner()).isEqualTo(WORKER);
  }

  @Test
  void allPrivilegesGrantedToAGroupOfTheCallerExpandsAndIsInherited() {
    admin.catalogs().create(new CreateCatalog().setName("sales"));
    var member = state.principals().named(WORKER).orElseThrow();
    state
        .groups()
        .create(
            "engineers",
            null,
            List.of(
                new GroupsState.Member(member.id(), member.displayName(), "Users/" + member.id())),
            List.of(),
            List.of());
    grant("catalog", "sales", "engineers", Privilege.ALL_PRIVILEGES);

    assertThat(worker.schemas().create(schema("sales", "raw")).getFullName())
        .isEqualTo("sales.raw");
    // MANAGE is not part of what ALL_PRIVILEGES stands for: changing the catalog stays refused.
    assertThatThrownBy(
            () -> worker.catalogs().update(new UpdateCatalog().setName("sales").setComment("x")))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User is not an owner of Catalog 'sales'.");
  }

  @Test
  void changingGrantsNeedsOwnershipOfTheObjectOrAParentOrManage() {
    admin.catalogs().create(new CreateCatalog().setName("sales"));
    admin.schemas().create(schema("sales", "raw"));

    assertThatThrownBy(() -> grantAs(worker, "schema", "sales.raw", "analysts", Privilege.SELECT))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User is not an owner of Schema 'sales.raw'.");

    grant("schema", "sales.raw", WORKER, Privilege.MANAGE);
    grantAs(worker, "schema", "sales.raw", "analysts", Privilege.SELECT);

    admin.catalogs().update(new UpdateCatalog().setName("sales").setOwner(WORKER));
    admin
        .schemas()
        .update(
            new com.databricks.sdk.service.catalog.UpdateSchema()
                .setFullName("sales.raw")
                .setOwner("someone-else@example.com"));
    grant("schema", "sales.raw", WORKER, Privilege.USE_SCHEMA);
    revoke("schema", "sales.raw", WORKER, Privilege.MANAGE);
    // The owner of the catalog manages the privileges of everything in it.
    grantAs(worker, "schema", "sales.raw", "analysts", Privilege.USE_SCHEMA);
    assertThat(state.grants("schema", "sales.raw").get("analysts"))
        .containsExactlyInAnyOrder("SELECT", "USE_SCHEMA");
  }

  @Test
  void transferringOwnershipTakesTheFormerOwnersRightsAway() {
    grant("metastore", metastoreId, WORKER, Privilege.CREATE_CATALOG);
    worker.catalogs().create(new CreateCatalog().setName("sales"));
    worker.schemas().create(schema("sales", "raw"));
    grantAs(worker, "catalog", "sales", "analysts", Privilege.USE_CATALOG);

    worker.catalogs().update(new UpdateCatalog().setName("sales").setOwner("data-owners"));

    assertThatThrownBy(() -> grantAs(worker, "catalog", "sales", "analysts", Privilege.BROWSE))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User is not an owner of Catalog 'sales'.");
    assertThatThrownBy(
            () -> worker.catalogs().update(new UpdateCatalog().setName("sales").setComment("c")))
        .isInstanceOf(PermissionDenied.class);
    assertThatThrownBy(() -> worker.schemas().create(schema("sales", "curated")))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User does not have USE CATALOG on Catalog 'sales'.");
    assertThatThrownBy(() -> worker.catalogs().delete("sales"))
        .isInstanceOf(PermissionDenied.class);
    // The schema it created is still its own.
    grantAs(worker, "schema", "sales.raw", "analysts", Privilege.USE_SCHEMA);
  }

  @Test
  void aTablesOwnerChangesOnlyByItsOwnerAParentsOwnerOrManage() {
    admin.catalogs().create(new CreateCatalog().setName("sales"));
    admin.schemas().create(schema("sales", "raw"));
    state.createTable("sales.raw", "orders", "MANAGED", "DELTA", null, null, null);

    assertThatThrownBy(
            () ->
                worker
                    .tables()
                    .update(
                        new UpdateTableRequest().setFullName("sales.raw.orders").setOwner(WORKER)))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User is not an owner of Table 'sales.raw.orders'.");
    admin
        .tables()
        .update(new UpdateTableRequest().setFullName("sales.raw.orders").setOwner(WORKER));
    assertThat(admin.tables().get("sales.raw.orders").getOwner()).isEqualTo(WORKER);
  }

  @Test
  void anExternalLocationNeedsCreateExternalLocationOnTheMetastoreAndTheCredential() {
    admin.storageCredentials().create(StorageCredentialsApiTest.credential("replica"));
    CreateExternalLocation location =
        new CreateExternalLocation()
            .setName("replica")
            .setUrl("s3://replica-bucket/data")
            .setCredentialName("replica");

    assertThatThrownBy(() -> worker.externalLocations().create(location))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage(
            "User does not have CREATE EXTERNAL LOCATION on Metastore 'primary-metastore'.");
    grant("metastore", metastoreId, WORKER, Privilege.CREATE_EXTERNAL_LOCATION);
    assertThatThrownBy(() -> worker.externalLocations().create(location))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User does not have CREATE EXTERNAL LOCATION on Storage Credential 'replica'.");
    assertThatThrownBy(
            () -> worker.storageCredentials().create(StorageCredentialsApiTest.credential("other")))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage(
            "User does not have CREATE STORAGE CREDENTIAL on Metastore 'primary-metastore'.");
  }

  @Test
  void effectivePermissionsShowInheritedPrivilegesWithTheirSource() {
    admin.catalogs().create(new CreateCatalog().setName("sales"));
    admin.schemas().create(schema("sales", "raw"));
    grant("catalog", "sales", WORKER, Privilege.USE_CATALOG);
    grant("schema", "sales.raw", WORKER, Privilege.CREATE_TABLE);

    EffectivePermissionsList effective =
        worker
            .grants()
            .getEffective(
                new GetEffectiveRequest()
                    .setSecurableType("schema")
                    .setFullName("sales.raw")
                    .setPrincipal(WORKER));

    assertThat(effective.getPrivilegeAssignments()).hasSize(1);
    Map<Privilege, EffectivePrivilege> privileges =
        effective.getPrivilegeAssignments().iterator().next().getPrivileges().stream()
            .collect(java.util.stream.Collectors.toMap(EffectivePrivilege::getPrivilege, p -> p));
    assertThat(privileges).containsOnlyKeys(Privilege.USE_CATALOG, Privilege.CREATE_TABLE);
    assertThat(privileges.get(Privilege.USE_CATALOG).getInheritedFromType())
        .isEqualTo(SecurableType.CATALOG);
    assertThat(privileges.get(Privilege.USE_CATALOG).getInheritedFromName()).isEqualTo("sales");
    assertThat(privileges.get(Privilege.CREATE_TABLE).getInheritedFromType()).isNull();
  }

  @Test
  void creatingATableNeedsUseCatalogUseSchemaAndCreateTableAndTheCreatorOwnsIt() {
    admin.catalogs().create(new CreateCatalog().setName("sales"));
    admin.schemas().create(schema("sales", "raw"));
    String warehouse = warehouse();
    String create = "CREATE TABLE sales.raw.orders (id BIGINT)";

    StatementResponse refused = run(worker, warehouse, create);
    assertThat(refused.getStatus().getState()).isEqualTo(StatementState.FAILED);
    assertThat(refused.getStatus().getError().getMessage())
        .isEqualTo(
            "[PERMISSION_DENIED] User does not have USE CATALOG on Catalog 'sales'."
                + " SQLSTATE: 42501");
    grant("catalog", "sales", WORKER, Privilege.USE_CATALOG);
    grant("schema", "sales.raw", WORKER, Privilege.USE_SCHEMA);
    assertThat(run(worker, warehouse, create).getStatus().getError().getMessage())
        .contains("User does not have CREATE TABLE on Schema 'sales.raw'.");
    assertThat(state.hasTable("sales.raw.orders")).isFalse();

    grant("schema", "sales.raw", WORKER, Privilege.CREATE_TABLE);
    assertThat(run(worker, warehouse, create).getStatus().getState())
        .isEqualTo(StatementState.SUCCEEDED);
    assertThat(state.table("sales.raw.orders").owner()).isEqualTo(WORKER);
  }

  @Test
  void anExternalTableAlsoNeedsCreateExternalTableOnItsLocation() {
    admin.catalogs().create(new CreateCatalog().setName("sales"));
    admin.schemas().create(schema("sales", "raw"));
    simulator.s3().createBucket("replica-bucket", "us-west-2", "primary");
    StorageTrust.trust(
        simulator,
        admin.storageCredentials().create(StorageCredentialsApiTest.credential("replica")),
        "replica-bucket");
    admin
        .externalLocations()
        .create(
            new CreateExternalLocation()
                .setName("replica")
                .setUrl("s3://replica-bucket/data")
                .setCredentialName("replica"));
    grant("catalog", "sales", WORKER, Privilege.USE_CATALOG);
    grant("schema", "sales.raw", WORKER, Privilege.USE_SCHEMA);
    grant("schema", "sales.raw", WORKER, Privilege.CREATE_TABLE);
    String create =
        "CREATE TABLE sales.raw.events (id BIGINT) USING PARQUET"
            + " LOCATION 's3://replica-bucket/data/events'";

    assertThat(run(worker, warehouse(), create).getStatus().getError().getMessage())
        .contains("User does not have CREATE EXTERNAL TABLE on External Location 'replica'.");
    grant("external_location", "replica", WORKER, Privilege.CREATE_EXTERNAL_TABLE);
    assertThat(run(worker, warehouse(), create).getStatus().getState())
        .isEqualTo(StatementState.SUCCEEDED);
  }

  @Test
  void creatingAViewNeedsSelectOnWhatItReadsWithUseCatalogAndUseSchemaEvenForTheMetastoreAdmin() {
    admin.catalogs().create(new CreateCatalog().setName("sales"));
    admin.schemas().create(schema("sales", "raw"));
    String warehouse = warehouse();
    assertThat(run(admin, warehouse, "CREATE TABLE sales.raw.orders (id BIGINT)").getStatus())
        .satisfies(s -> assertThat(s.getState()).isEqualTo(StatementState.SUCCEEDED));
    // The admin created the table and so reads it as its owner.
    String view = "CREATE VIEW sales.raw.recent AS SELECT id FROM sales.raw.orders";
    assertThat(run(admin, warehouse, view).getStatus().getState())
        .isEqualTo(StatementState.SUCCEEDED);
    assertThat(run(admin, warehouse, "ALTER TABLE sales.raw.orders SET OWNER TO `" + WORKER + "`"))
        .satisfies(r -> assertThat(r.getStatus().getState()).isEqualTo(StatementState.SUCCEEDED));

    // Once the table is another's, being metastore admin and owning the catalog and schema is not
    // reading it.
    String other = "CREATE VIEW sales.raw.all_orders AS SELECT id FROM sales.raw.orders";
    assertThat(run(admin, warehouse, other).getStatus().getError().getMessage())
        .isEqualTo(
            "[PERMISSION_DENIED] User does not have SELECT on Table 'sales.raw.orders'."
                + " SQLSTATE: 42501");
    assertThat(state.hasTable("sales.raw.all_orders")).isFalse();
    grant("table", "sales.raw.orders", state.userName(), Privilege.SELECT);
    assertThat(run(admin, warehouse, other).getStatus().getState())
        .isEqualTo(StatementState.SUCCEEDED);

    // A caller with CREATE TABLE in the schema and SELECT on the table still needs USE CATALOG and
    // USE SCHEMA on the table's own catalog and schema.
    admin.schemas().create(schema("sales", "mart"));
    state.principals().addUser("analyst@example.com", "Analyst");
    WorkspaceClient analyst = client("analyst@example.com");
    grant("catalog", "sales", "analyst@example.com", Privilege.USE_CATALOG);
    grant("schema", "sales.mart", "analyst@example.com", Privilege.USE_SCHEMA);
    grant("schema", "sales.mart", "analyst@example.com", Privilege.CREATE_TABLE);
    grant("table", "sales.raw.orders", "analyst@example.com", Privilege.SELECT);
    String mart = "CREATE VIEW sales.mart.orders AS SELECT id FROM sales.raw.orders";
    assertThat(run(analyst, warehouse, mart).getStatus().getError().getMessage())
        .contains("User does not have USE SCHEMA on Schema 'sales.raw'.");
    grant("schema", "sales.raw", "analyst@example.com", Privilege.USE_SCHEMA);
    assertThat(run(analyst, warehouse, mart).getStatus().getState())
        .isEqualTo(StatementState.SUCCEEDED);
    assertThat(state.table("sales.mart.orders").owner()).isEqualTo("analyst@example.com");
  }

  @Test
  void aModelIsOwnedByItsCreatorWhoNeedsUseCatalogUseSchemaAndCreateModel() {
    state.createCatalog("ml", null, Map.of(), "s3://acme/uc/ml");
    state.createSchema("ml", "models", null, Map.of(), null);
    assertThatThrownBy(() -> worker.registeredModels().create(model("churn")))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User does not have USE CATALOG on Catalog 'ml'.");
    grant("catalog", "ml", WORKER, Privilege.USE_CATALOG);
    grant("schema", "ml.models", WORKER, Privilege.USE_SCHEMA);
    assertThatThrownBy(() -> worker.registeredModels().create(model("churn")))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User does not have CREATE MODEL on Schema 'ml.models'.");

    grant("schema", "ml.models", WORKER, Privilege.CREATE_MODEL);
    assertThat(worker.registeredModels().create(model("churn")).getOwner()).isEqualTo(WORKER);
    assertThat(state.models().model("ml.models.churn").createdBy()).isEqualTo(WORKER);
    // CREATE FUNCTION serves as well ("CREATE MODEL or CREATE FUNCTION").
    revoke("schema", "ml.models", WORKER, Privilege.CREATE_MODEL);
    grant("schema", "ml.models", WORKER, Privilege.CREATE_FUNCTION);
    assertThat(worker.registeredModels().create(model("fraud")).getOwner()).isEqualTo(WORKER);
  }

  @Test
  void onlyAModelsOwnerCreatesFinalizesAndWritesItsVersionsNotEvenTheMetastoreAdmin()
      throws java.io.IOException {
    simulator.s3().createBucket("acme", "us-west-2", "primary");
    state.createCatalog("ml", null, Map.of(), "s3://acme/uc/ml");
    state.createSchema("ml", "models", null, Map.of(), null);
    admin.registeredModels().create(model("churn"));
    String register = "{\"name\":\"ml.models.churn\",\"source\":\"s3://acme/runs/1\"}";
    assertThat(mlflow(admin, "create", register).get("model_version").get("version").asText())
        .isEqualTo("1");
    admin
        .registeredModels()
        .update(
            new com.databricks.sdk.service.catalog.UpdateRegisteredModelRequest()
                .setFullName("ml.models.churn")
                .setOwner(WORKER));

    // The metastore admin no longer owns the model: it may not register, write or finalize.
    for (String[] call :
        List.of(
            new String[] {"create", register},
            new String[] {"generate-temporary-credentials", credentials("1", "READ_WRITE")},
            new String[] {"finalize", "{\"name\":\"ml.models.churn\",\"version\":\"1\"}"})) {
      assertThatThrownBy(() -> mlflow(admin, call[0], call[1]))
          .isInstanceOf(PermissionDenied.class)
          .hasMessage("User is not an owner of Function 'ml.models.churn'.");
    }
    // Reading a version's files takes EXECUTE, which the metastore admin holds.
    assertThat(
            mlflow(admin, "generate-temporary-credentials", credentials("1", "READ"))
                .get("credentials"))
        .isNotNull();

    // The new owner needs USE CATALOG and USE SCHEMA too.
    assertThatThrownBy(() -> mlflow(worker, "create", register))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User does not have USE CATALOG on Catalog 'ml'.");
    grant("catalog", "ml", WORKER, Privilege.USE_CATALOG);
    grant("schema", "ml.models", WORKER, Privilege.USE_SCHEMA);
    assertThat(mlflow(worker, "generate-temporary-credentials", credentials("1", "READ_WRITE")))
        .isNotNull();
    assertThat(
            mlflow(worker, "finalize", "{\"name\":\"ml.models.churn\",\"version\":\"1\"}")
                .get("model_version")
                .get("status")
                .asText())
        .isEqualTo("READY");
    JsonNode second = mlflow(worker, "create", register).get("model_version");
    assertThat(second.get("version").asText()).isEqualTo("2");
    assertThat(second.get("user_id").asText()).isEqualTo(WORKER);
  }

  @Test
  void aModelOrItsVersionChangesOrIsDeletedOnlyByItsOwnerOrAMetastoreAdmin() {
    state.createCatalog("ml", null, Map.of(), "s3://acme/uc/ml");
    state.createSchema("ml", "models", null, Map.of(), null);
    state.models().createModel("ml", "models", "churn", null);
    state.models().createVersion("ml.models.churn", "s3://acme/runs/1", null, null);
    grant("catalog", "ml", WORKER, Privilege.USE_CATALOG);
    grant("schema", "ml.models", WORKER, Privilege.USE_SCHEMA);
    grant("function", "ml.models.churn", WORKER, Privilege.ALL_PRIVILEGES);

    var comment =
        new com.databricks.sdk.service.catalog.UpdateRegisteredModelRequest()
            .setFullName("ml.models.churn")
            .setComment("by the worker");
    assertThatThrownBy(() -> worker.registeredModels().update(comment))
        .isInstanceOf(PermissionDenied.class)
        .hasMessage("User is not an owner of Function 'ml.models.churn'.");
    assertThatThrownBy(
            () ->
                worker
                    .modelVersions()
                    .update(
                        new com.databricks.sdk.service.catalog.UpdateModelVersionRequest()
                            .setFullName("ml.models.churn")
                            .setVersion(1L)
                            .setComment("v1")))
        .isInstanceOf(PermissionDenied.class);
    assertThatThrownBy(() -> worker.modelVersions().delete("ml.models.churn", 1L))
        .isInstanceOf(PermissionDenied.class);
    assertThatThrownBy(() -> worker.registeredModels().delete("ml.models.churn"))
        .isInstanceOf(PermissionDenied.class);

    // The metastore admin may, whoever owns the model; so may its owner.
    admin
        .registeredModels()
        .update(
            new com.databricks.sdk.service.catalog.UpdateRegisteredModelRequest()
                .setFullName("ml.models.churn")
                .setOwner(WORKER));
    assertThat(worker.registeredModels().update(comment).getComment()).isEqualTo("by the worker");
    worker.modelVersions().delete("ml.models.churn", 1L);
    admin.registeredModels().delete("ml.models.churn");
    assertThat(state.models().exists("ml.models.churn")).isFalse();
  }

  private static com.databricks.sdk.service.catalog.CreateRegisteredModelRequest model(
      String name) {
    return new com.databricks.sdk.service.catalog.CreateRegisteredModelRequest()
        .setCatalogName("ml")
        .setSchemaName("models")
        .setName(name);
  }

  private static String credentials(String version, String operation) {
    return "{\"name\":\"ml.models.churn\",\"version\":\""
        + version
        + "\",\"operation\":\"MODEL_VERSION_OPERATION_"
        + operation
        + "\"}";
  }

  /** One of MLflow's Unity Catalog model-version calls, which the SDK has no method for. */
  private static JsonNode mlflow(WorkspaceClient client, String action, String body)
      throws java.io.IOException {
    com.databricks.sdk.core.http.Request request =
        new com.databricks.sdk.core.http.Request(
                "POST", "/api/2.0/mlflow/unity-catalog/model-versions/" + action, body)
            .withHeader("Accept", "application/json")
            .withHeader("Content-Type", "application/json");
    try (java.io.InputStream response =
        client.apiClient().execute(request, java.io.InputStream.class)) {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response);
    }
  }

  private WorkspaceClient client(String user) {
    return new WorkspaceClient(
        new DatabricksConfig()
            .setHost(simulator.workspaceUrl("primary").toString())
            .setToken(state.principals().tokenFor(user))
            .setAuthType("pat"));
  }

  @Test
  void theMetastoreSummaryNamesItsOwnerTheAdmin() {
    assertThat(worker.metastores().summary().getOwner()).isEqualTo(state.userName());
  }

  private String warehouse() {
    state.setWarehouseStartDelay(java.time.Duration.ZERO);
    return state
        .warehouses()
        .create(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode()
                .put("name", "dr-" + System.nanoTime())
                .put("cluster_size", "Small"));
  }

  /** Runs a statement to its end, as the caller. */
  private static StatementResponse run(WorkspaceClient client, String warehouse, String sql) {
    StatementResponse response =
        client
            .statementExecution()
            .executeStatement(
                new ExecuteStatementRequest()
                    .setWarehouseId(warehouse)
                    .setStatement(sql)
                    .setWaitTimeout("0s"));
    while (response.getStatus().getState() == StatementState.PENDING
        || response.getStatus().getState() == StatementState.RUNNING) {
      response = client.statementExecution().getStatement(response.getStatementId());
    }
    return response;
  }

  private static CreateSchema schema(String catalog, String name) {
    return new CreateSchema().setCatalogName(catalog).setName(name);
  }

  private void grant(String type, String fullName, String principal, Privilege privilege) {
    grantAs(admin, type, fullName, principal, privilege);
  }

  private void revoke(String type, String fullName, String principal, Privilege privilege) {
    admin
        .grants()
        .update(
            new UpdatePermissions()
                .setSecurableType(type)
                .setFullName(fullName)
                .setChanges(
                    List.of(
                        new PermissionsChange()
                            .setPrincipal(principal)
                            .setRemove(List.of(privilege)))));
  }

  private static void grantAs(
      WorkspaceClient client, String type, String fullName, String principal, Privilege privilege) {
    client
        .grants()
        .update(
            new UpdatePermissions()
                .setSecurableType(type)
                .setFullName(fullName)
                .setChanges(
                    List.of(
                        new PermissionsChange()
                            .setPrincipal(principal)
                            .setAdd(List.of(privilege)))));
  }
}
