package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.details.ErrorInfo;
import com.databricks.sdk.core.error.platform.BadRequest;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.CatalogInfo;
import com.databricks.sdk.service.catalog.CreateCatalog;
import com.databricks.sdk.service.catalog.CreateSchema;
import com.databricks.sdk.service.catalog.GetGrantRequest;
import com.databricks.sdk.service.catalog.GetPermissionsResponse;
import com.databricks.sdk.service.catalog.ListCatalogsRequest;
import com.databricks.sdk.service.catalog.ListSchemasRequest;
import com.databricks.sdk.service.catalog.PermissionsChange;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.PrivilegeAssignment;
import com.databricks.sdk.service.catalog.SchemaInfo;
import com.databricks.sdk.service.catalog.UpdateCatalog;
import com.databricks.sdk.service.catalog.UpdatePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The finer points of the simulated Unity Catalog API, driven through the real SDK: default
 * pagination, error details, privilege validation, grants paging and the demo seed.
 */
class UnityCatalogFidelityTest {
  private static final String CATALOGS = "/api/2.1/unity-catalog/catalogs";

  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    workspace = client("primary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private WorkspaceClient client(String side) {
    return new WorkspaceClient(
        new DatabricksConfig()
            .setHost(simulator.workspaceUrl(side).toString())
            .setToken(simulator.workspaceToken(side))
            .setAuthType("pat"));
  }

  private static <T> List<T> all(Iterable<T> items) {
    List<T> list = new ArrayList<>();
    items.forEach(list::add);
    return list;
  }

  @Test
  void theSdksDefaultListCrossesServerPagesOfFifty() {
    for (int i = 0; i < 250; i++) {
      simulator.workspace("primary").createCatalog(String.format("c%03d", i), null, Map.of(), null);
    }
    simulator.requests().clear();

    List<CatalogInfo> catalogs = all(workspace.catalogs().list(new ListCatalogsRequest()));

    assertThat(catalogs).extracting(CatalogInfo::getName).doesNotHaveDuplicates().hasSize(250);
    assertThat(catalogs.get(249).getName()).isEqualTo("c249");
    List<RecordedRequest> pages =
        simulator.requests().all().stream().filter(r -> r.path().equals(CATALOGS)).toList();
    assertThat(pages).hasSize(5).allMatch(r -> r.status() == 200 && !r.mutating());
    assertThat(pages.get(0).query()).isEqualTo("max_results=0");
    assertThat(pages.get(1).query()).contains("page_token=");
  }

  @Test
  void schemasArePagedAndEveryCatalogHasItsSystemOwnedInformationSchema() {
    workspace.catalogs().create(new CreateCatalog().setName("sales"));
    for (int i = 0; i < 60; i++) {
      workspace
          .schemas()
          .create(new CreateSchema().setCatalogName("sales").setName(String.format("s%02d", i)));
    }
    List<SchemaInfo> schemas =
        all(workspace.schemas().list(new ListSchemasRequest().setCatalogName("sales")));
    // 60 created, information_schema and default: Unity Catalog makes both with the catalog.
    assertThat(schemas).hasSize(62);
    SchemaInfo information = workspace.schemas().get("sales.information_schema");
    assertThat(information.getOwner()).isEqualTo("System user");
    assertThat(information.getCatalogName()).isEqualTo("sales");
    assertThat(information.getFullName()).isEqualTo("sales.information_schema");
    SchemaInfo defaults = workspace.schemas().get("sales.default");
    assertThat(defaults.getOwner()).isEqualTo(simulator.workspace("primary").userName());
    assertThat(defaults.getComment()).isEqualTo("Default schema (auto-created)");
    assertThat(defaults.getStorageRoot()).isNull();
    assertThat(defaults.getProperties()).isNullOrEmpty();
  }

  @Test
  void notFoundAndConflictCarryTheUnityCatalogErrorInfo() {
    assertThatThrownBy(() -> workspace.catalogs().get("nope"))
        .isInstanceOfSatisfying(
            NotFound.class,
            e -> {
              ErrorInfo info = e.getErrorDetails().errorInfo().orElseThrow();
              assertThat(info.reason()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
              assertThat(info.domain()).isEqualTo("unity-catalog.databricks.com");
              assertThat(info.metadata()).containsEntry("resourceIdentifier", "nope");
              assertThat(e.getErrorDetails().requestInfo()).isPresent();
            });
    workspace.catalogs().create(new CreateCatalog().setName("sales"));
    assertThatThrownBy(() -> workspace.catalogs().create(new CreateCatalog().setName("sales")))
        .isInstanceOfSatisfying(
            BadRequest.class,
            e ->
                assertThat(e.getErrorDetails().errorInfo().orElseThrow().reason())
                    .isEqualTo("RESOURCE_ALREADY_EXISTS"));
  }

  @Test
  void anEndpointTheSimulatorDoesNotServeIsEndpointNotFound() {
    assertThatThrownBy(() -> workspace.connections().get("postgres"))
        .isInstanceOfSatisfying(
            NotFound.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
              assertThat(e.getMessage())
                  .contains("No API found for 'GET /unity-catalog/connections/postgres'");
            });
  }

  @Test
  void renamingIsRejectedRatherThanSilentlyIgnored() {
    workspace.catalogs().create(new CreateCatalog().setName("sales"));
    assertThatThrownBy(
            () -> workspace.catalogs().update(new UpdateCatalog().setName("sales").setNewName("x")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("not supported by the simulator");
  }

  @Test
  void privilegesMustBeUnityCatalogPrivilegesThatApplyToTheSecurable() {
    simulator.account().addGroups("analysts");
    workspace.catalogs().create(new CreateCatalog().setName("sales"));
    workspace.schemas().create(new CreateSchema().setCatalogName("sales").setName("gold"));
    assertThatThrownBy(() -> grant("catalog", "sales", "analysts", Privilege.USAGE))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("USAGE is not a valid privilege");
    assertThatThrownBy(() -> grant("schema", "sales.gold", "analysts", Privilege.USE_CATALOG))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("not applicable");
    assertThatThrownBy(() -> grant("schema", "sales.missing", "analysts", Privilege.SELECT))
        .isInstanceOf(NotFound.class);

    // The SDK's SecurableType enum spells types in upper case; older callers use lower case.
    grant("CATALOG", "sales", "analysts", Privilege.USE_CATALOG);
    grant("schema", "sales.gold", "analysts", Privilege.SELECT);
    assertThat(simulator.workspace("primary").grants("catalog", "sales"))
        .containsEntry("analysts", java.util.Set.of("USE_CATALOG"));
  }

  @Test
  void grantsPagesCountPrivilegesAndNeverSplitAPrincipal() {
    workspace.catalogs().create(new CreateCatalog().setName("sales"));
    List<PermissionsChange> changes = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      simulator.account().addGroups(String.format("group-%02d", i));
      changes.add(
          new PermissionsChange()
              .setPrincipal(String.format("group-%02d", i))
              .setAdd(List.of(Privilege.USE_CATALOG, Privilege.BROWSE, Privilege.SELECT)));
    }
    workspace
        .grants()
        .update(
            new UpdatePermissions()
                .setSecurableType("catalog")
                .setFullName("sales")
                .setChanges(changes));

    List<PrivilegeAssignment> collected = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      GetPermissionsResponse page =
          workspace
              .grants()
              .get(
                  new GetGrantRequest()
                      .setSecurableType("catalog")
                      .setFullName("sales")
                      .setMaxResults(150L)
                      .setPageToken(token));
      page.getPrivilegeAssignments().forEach(a -> assertThat(a.getPrivileges()).hasSize(3));
      collected.addAll(page.getPrivilegeAssignments());
      token = page.getNextPageToken();
      pages++;
    } while (token != null);

    assertThat(pages).isEqualTo(2);
    assertThat(collected).extracting(PrivilegeAssignment::getPrincipal).doesNotHaveDuplicates();
    assertThat(collected).hasSize(60);
    assertThatThrownBy(
            () ->
                workspace
                    .grants()
                    .get(
                        new GetGrantRequest()
                            .setSecurableType("catalog")
                            .setFullName("sales")
                            .setMaxResults(10L)))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void theDemoSeedsAPrimaryLakehouseAndLeavesTheSecondaryEmpty() {
    DemoWorkspace.seed(simulator);

    assertThat(all(workspace.catalogs().list(new ListCatalogsRequest())))
        .extracting(CatalogInfo::getName)
        .containsExactly("finance", "main", "sales");
    CatalogInfo sales = workspace.catalogs().get("sales");
    assertThat(sales.getStorageRoot()).isEqualTo("s3://acme-lakehouse-use1/uc/sales");
    assertThat(sales.getOwner()).isEqualTo("data-engineers");
    assertThat(sales.getProperties()).containsEntry("domain", "sales");
    assertThat(all(workspace.schemas().list(new ListSchemasRequest().setCatalogName("finance"))))
        .extracting(SchemaInfo::getName)
        .containsExactly("information_schema", "ledger", "reporting");
    assertThat(workspace.grants().get("schema", "finance.ledger").getPrivilegeAssignments())
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.getPrivileges())
                    .contains(Privilege.USE_SCHEMA, Privilege.SELECT, Privilege.MODIFY));
    assertThat(all(client("secondary").catalogs().list(new ListCatalogsRequest()))).isEmpty();
  }

  private void grant(String type, String name, String principal, Privilege privilege) {
    workspace
        .grants()
        .update(
            new UpdatePermissions()
                .setSecurableType(type)
                .setFullName(name)
                .setChanges(
                    List.of(
                        new PermissionsChange()
                            .setPrincipal(principal)
                            .setAdd(List.of(privilege)))));
  }

  @Test
  void errorsKeepTheirHttpStatusForCallersThatInspectIt() {
    assertThatThrownBy(() -> workspace.schemas().get("a.b"))
        .isInstanceOfSatisfying(
            DatabricksError.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }
}
