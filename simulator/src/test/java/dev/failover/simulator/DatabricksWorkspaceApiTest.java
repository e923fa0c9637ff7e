package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.BadRequest;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.core.error.platform.Unauthenticated;
import com.databricks.sdk.service.catalog.CatalogInfo;
import com.databricks.sdk.service.catalog.CreateCatalog;
import com.databricks.sdk.service.catalog.CreateSchema;
import com.databricks.sdk.service.catalog.DeleteCatalogRequest;
import com.databricks.sdk.service.catalog.GetGrantRequest;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import com.databricks.sdk.service.catalog.ListSchemasRequest;
import com.databricks.sdk.service.catalog.PermissionsChange;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.PrivilegeAssignment;
import com.databricks.sdk.service.catalog.SchemaInfo;
import com.databricks.sdk.service.catalog.UpdateCatalog;
import com.databricks.sdk.service.catalog.UpdatePermissions;
import com.databricks.sdk.service.iam.MeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated workspace API, driven only through the real Databricks SDK for Java. */
class DatabricksWorkspaceApiTest {
  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = client(simulator.workspaceToken("primary"));
    simulator.account().addGroups("data-engineers");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private WorkspaceClient client(String token) {
    return new WorkspaceClient(
        new DatabricksConfig()
            .setHost(simulator.workspaceUrl("primary").toString())
            .setToken(token)
            .setAuthType("pat"));
  }

  private static <T> List<T> all(Iterable<T> items) {
    List<T> list = new ArrayList<>();
    items.forEach(list::add);
    return list;
  }

  @Test
  void catalogLifecycleWithTheSdksOwnRequestAndResponseShapes() {
    CatalogInfo created =
        workspace
            .catalogs()
            .create(
                new CreateCatalog()
                    .setName("sales")
                    .setComment("Sales")
                    .setProperties(Map.of("domain", "sales"))
                    .setStorageRoot("s3://bucket/uc/sales"));
    assertThat(created.getFullName()).isEqualTo("sales");
    assertThat(created.getOwner()).isEqualTo(simulator.workspace("primary").userName());
    assertThat(created.getStorageRoot()).isEqualTo("s3://bucket/uc/sales");
    assertThat(created.getMetastoreId()).isNotBlank();

    workspace
        .catalogs()
        .update(
            new UpdateCatalog().setName("sales").setOwner("data-engineers").setComment("Sales v2"));
    CatalogInfo read = workspace.catalogs().get("sales");
    assertThat(read.getOwner()).isEqualTo("data-engineers");
    assertThat(read.getComment()).isEqualTo("Sales v2");
    assertThat(read.getProperties()).containsEntry("domain", "sales");

    List<SchemaInfo> schemas =
        all(workspace.schemas().list(new ListSchemasRequest().setCatalogName("sales")));
    // Both made with the catalog: its default schema and its information schema.
    assertThat(schemas)
        .extracting(SchemaInfo::getName)
        .containsExactly("default", "information_schema");
  }

  @Test
  void creatingAnExistingCatalogIsAConflictWithTheUnityCatalogErrorCode() {
    workspace.catalogs().create(new CreateCatalog().setName("main"));
    assertThatThrownBy(() -> workspace.catalogs().create(new CreateCatalog().setName("main")))
        .isInstanceOf(BadRequest.class)
        .satisfies(
            e -> {
              DatabricksError error = (DatabricksError) e;
              assertThat(error.getStatusCode()).isEqualTo(400);
              assertThat(error.getErrorCode()).isEqualTo("CATALOG_ALREADY_EXISTS");
            });
    workspace.schemas().create(new CreateSchema().setCatalogName("main").setName("s"));
    assertThatThrownBy(
            () ->
                workspace.schemas().create(new CreateSchema().setCatalogName("main").setName("s")))
        .isInstanceOf(BadRequest.class)
        .hasMessageContaining("Schema 's' already exists");
  }

  @Test
  void missingObjectsAreNotFoundWithTheUnityCatalogErrorCode() {
    assertThatThrownBy(() -> workspace.catalogs().get("nope"))
        .isInstanceOf(NotFound.class)
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("CATALOG_DOES_NOT_EXIST"));
    assertThatThrownBy(
            () -> all(workspace.schemas().list(new ListSchemasRequest().setCatalogName("nope"))))
        .isInstanceOf(NotFound.class);
    assertThatThrownBy(() -> workspace.schemas().get("nope.nope"))
        .satisfies(
            e ->
                assertThat(((DatabricksError) e).getErrorCode())
                    .isEqualTo("SCHEMA_DOES_NOT_EXIST"));
    assertThatThrownBy(
            () ->
                workspace
                    .grants()
                    .get(new GetGrantRequest().setSecurableType("catalog").setFullName("nope")))
        .isInstanceOf(NotFound.class);
  }

  @Test
  void catalogListsArePaginatedAcrossSeveralPages() {
    for (int i = 0; i < 120; i++) {
      simulator.workspace("primary").createCatalog(String.format("c%03d", i), null, Map.of(), null);
    }
    simulator.requests().clear();

    List<CatalogInfo> catalogs =
        all(workspace.catalogs().list(new ListCatalogsRequest().setMaxResults(0L)));

    assertThat(catalogs).hasSize(120);
    assertThat(catalogs).extracting(CatalogInfo::getName).doesNotHaveDuplicates();
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.path().equals("/api/2.1/unity-catalog/catalogs"))
        .hasSize(3)
        .allMatch(r -> r.status() == 200);
    assertThat(all(workspace.catalogs().list(new ListCatalogsRequest().setMaxResults(7L))))
        .hasSize(120);
  }

  @Test
  void grantsArePatchedAsChangesAndListedPerPrincipalAcrossPages() {
    workspace.catalogs().create(new CreateCatalog().setName("sales"));
    List<PermissionsChange> changes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      simulator.account().addGroups("group-" + i);
      changes.add(
          new PermissionsChange()
              .setPrincipal("group-" + i)
              .setAdd(List.of(Privilege.USE_CATALOG, Privilege.BROWSE)));
    }
    workspace
        .grants()
        .update(
            new UpdatePermissions()
                .setSecurableType("catalog")
                .setFullName("sales")
                .setChanges(changes));
    workspace
        .grants()
        .update(
            new UpdatePermissions()
                .setSecurableType("catalog")
                .setFullName("sales")
                .setChanges(
                    List.of(
                        new PermissionsChange()
                            .setPrincipal("group-0")
                            .setRemove(List.of(Privilege.BROWSE)))));

    List<PrivilegeAssignment> listed = all(workspace.grants().list("catalog", "sales"));
    assertThat(listed).hasSize(30);
    assertThat(listed.get(0).getPrincipal()).isEqualTo("group-0");
    assertThat(listed.get(0).getPrivileges()).containsExactly(Privilege.USE_CATALOG);
    assertThat(
            workspace
                .grants()
                .get(
                    new GetGrantRequest()
                        .setSecurableType("catalog")
                        .setFullName("sales")
                        .setPrincipal("group-1"))
                .getPrivilegeAssignments())
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.getPrivileges())
                    .containsExactlyInAnyOrder(Privilege.USE_CATALOG, Privilege.BROWSE));
  }

  @Test
  void deletingACatalogWithSchemasNeedsForce() {
    workspace.catalogs().create(new CreateCatalog().setName("sales"));
    workspace.schemas().create(new CreateSchema().setCatalogName("sales").setName("bronze"));
    assertThatThrownBy(
            () -> workspace.catalogs().delete(new DeleteCatalogRequest().setName("sales")))
        .isInstanceOf(DatabricksError.class)
        .satisfies(
            e -> assertThat(((DatabricksError) e).getErrorCode()).isEqualTo("CATALOG_NOT_EMPTY"));
    workspace.catalogs().delete(new DeleteCatalogRequest().setName("sales").setForce(true));
    assertThat(all(workspace.catalogs().list(new ListCatalogsRequest()))).isEmpty();
  }

  @Test
  void wrongTokenIsUnauthenticatedAndEveryRequestIsRecorded() {
    assertThatThrownBy(() -> client("dapi-wrong").currentUser().me(new MeRequest()))
        .isInstanceOf(Unauthenticated.class);
    assertThat(workspace.currentUser().me(new MeRequest()).getUserName())
        .isEqualTo(simulator.workspace("primary").userName());
    workspace.catalogs().create(new CreateCatalog().setName("x"));
    assertThat(simulator.requests().mutating("databricks", "primary"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.path()).isEqualTo("/api/2.1/unity-catalog/catalogs");
              assertThat(r.status()).isEqualTo(200);
            });
    assertThat(simulator.requests().all()).anyMatch(r -> r.status() == 401 && !r.mutating());
  }

  @Test
  void invalidParameterIsMappedByTheSdk() {
    assertThatThrownBy(() -> workspace.catalogs().create(new CreateCatalog()))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("name");
  }
}
