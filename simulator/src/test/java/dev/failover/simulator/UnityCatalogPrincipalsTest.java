package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.PermissionsChange;
import com.databricks.sdk.service.catalog.Privilege;
import com.databricks.sdk.service.catalog.UpdateCatalog;
import com.databricks.sdk.service.catalog.UpdateExternalLocation;
import com.databricks.sdk.service.catalog.UpdatePermissions;
import com.databricks.sdk.service.catalog.UpdateRegisteredModelRequest;
import com.databricks.sdk.service.catalog.UpdateSchema;
import com.databricks.sdk.service.catalog.UpdateStorageCredential;
import com.databricks.sdk.service.catalog.UpdateTableRequest;
import dev.failover.simulator.databricks.StorageAccessState;
import dev.failover.simulator.databricks.WorkspaceState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unity Catalog resolves account-level principals only, driven through the real Databricks SDK for
 * Java: grants and owner changes naming anyone else are refused with {@code
 * PRINCIPAL_DOES_NOT_EXIST}, a PATCH of grants all or nothing.
 */
class UnityCatalogPrincipalsTest {
  private static final String SERVICE_PRINCIPAL = "5b9e7c1a-0d3f-4e2a-8c61-2f4b7a9d0e13";

  private Simulator simulator;
  private WorkspaceClient workspace;
  private WorkspaceState state;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    state = simulator.workspace("primary");
    // Registered models need a metastore assigned to the workspace.
    state.metastores().setRegion("us-west-2");
    String metastoreId = state.metastores().create("primary-metastore", null, null).id();
    state.metastores().assign(state.metastores().workspaceId(), metastoreId, "main");
    state.createCatalog("sales", null, Map.of(), "s3://bkt/uc/sales");
    state.createSchema("sales", "gold", null, Map.of(), null);
    state.principals().addUser("maria@acme.example", "Maria");
    state.principals().addServicePrincipal(SERVICE_PRINCIPAL, "etl");
    // An account group assigned to the workspace, one that is not, and a workspace-local group.
    long workspaceId = Long.parseLong(state.workspaceId());
    simulator
        .account()
        .assign(
            workspaceId,
            Long.parseLong(
                simulator
                    .account()
                    .groups()
                    .create("analysts", null, List.of(), List.of(), List.of())
                    .id()),
            List.of("USER"));
    simulator.account().addGroups("auditors");
    state.groups().create("local-team", null, List.of(), List.of(), List.of());
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private void grant(String principal, Privilege... privileges) {
    grant(List.of(new PermissionsChange().setPrincipal(principal).setAdd(List.of(privileges))));
  }

  private void grant(List<PermissionsChange> changes) {
    workspace
        .grants()
        .update(
            new UpdatePermissions()
                .setSecurableType("catalog")
                .setFullName("sales")
                .setChanges(changes));
  }

  private static void assertPrincipalUnknown(ThrowableAssert.ThrowingCallable call, String name) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            NotFound.class,
            e -> {
              assertThat(((DatabricksError) e).getErrorCode())
                  .isEqualTo("PRINCIPAL_DOES_NOT_EXIST");
              assertThat(e.getMessage()).isEqualTo("Could not find principal with name " + name);
            });
  }

  @Test
  void grantsNameAccountPrincipalsOnly() {
    for (String principal :
        List.of("maria@acme.example", SERVICE_PRINCIPAL, "analysts", "auditors", "account users")) {
      grant(principal, Privilege.USE_CATALOG);
    }
    assertThat(state.grants("catalog", "sales").keySet())
        .containsExactlyInAnyOrder(
            "maria@acme.example", SERVICE_PRINCIPAL, "analysts", "auditors", "account users");
    // Unknown names, a service principal by its display name, workspace-local groups.
    for (String principal :
        List.of("nobody@acme.example", "etl", "admins", "users", "local-team")) {
      assertPrincipalUnknown(() -> grant(principal, Privilege.USE_CATALOG), principal);
    }
  }

  @Test
  void aPatchNamingOneUnknownPrincipalChangesNothing() {
    grant("analysts", Privilege.USE_CATALOG);
    assertPrincipalUnknown(
        () ->
            grant(
                List.of(
                    new PermissionsChange()
                        .setPrincipal("analysts")
                        .setAdd(List.of(Privilege.BROWSE))
                        .setRemove(List.of(Privilege.USE_CATALOG)),
                    new PermissionsChange()
                        .setPrincipal("ghosts")
                        .setAdd(List.of(Privilege.USE_CATALOG)),
                    new PermissionsChange()
                        .setPrincipal("auditors")
                        .setAdd(List.of(Privilege.USE_CATALOG)))),
        "ghosts");
    assertThat(state.grants("catalog", "sales"))
        .isEqualTo(Map.of("analysts", Set.of("USE_CATALOG")));
  }

  @Test
  void seededGrantsNameAccountPrincipalsOnly() {
    assertThatThrownBy(
            () -> state.setGrants("catalog", "sales", Map.of("admins", List.of("USE_CATALOG"))))
        .hasMessage("Could not find principal with name admins");
  }

  @Test
  void ownersAreAccountPrincipalsOnForEverySecurable() {
    state.createTable("sales.gold", "t", "EXTERNAL", "DELTA", "s3://bkt/t", null, null);
    state.models().createModel("sales", "gold", "churn", null);
    state
        .storageAccess()
        .createCredential(
            "lakehouse",
            new StorageAccessState.CredentialFields(
                "arn:aws:iam::123456789012:role/uc-lakehouse", null, null, null));
    state
        .storageAccess()
        .createLocation(
            "landing",
            new StorageAccessState.LocationFields(
                "s3://bkt/landing", "lakehouse", null, null, null));

    List<java.util.function.Consumer<String>> updates =
        List.of(
            owner ->
                workspace.catalogs().update(new UpdateCatalog().setName("sales").setOwner(owner)),
            owner ->
                workspace
                    .schemas()
                    .update(new UpdateSchema().setFullName("sales.gold").setOwner(owner)),
            owner ->
                workspace
                    .tables()
                    .update(new UpdateTableRequest().setFullName("sales.gold.t").setOwner(owner)),
            owner ->
                workspace
                    .registeredModels()
                    .update(
                        new UpdateRegisteredModelRequest()
                            .setFullName("sales.gold.churn")
                            .setOwner(owner)),
            owner ->
                workspace
                    .storageCredentials()
                    .update(new UpdateStorageCredential().setName("lakehouse").setOwner(owner)),
            owner ->
                workspace
                    .externalLocations()
                    .update(new UpdateExternalLocation().setName("landing").setOwner(owner)));
    for (java.util.function.Consumer<String> update : updates) {
      assertPrincipalUnknown(() -> update.accept("admins"), "admins");
      assertPrincipalUnknown(() -> update.accept("nobody@acme.example"), "nobody@acme.example");
      update.accept("analysts");
    }
    assertThat(workspace.catalogs().get("sales").getOwner()).isEqualTo("analysts");
    assertThat(workspace.schemas().get("sales.gold").getOwner()).isEqualTo("analysts");
    assertThat(workspace.tables().get("sales.gold.t").getOwner()).isEqualTo("analysts");
    assertThat(workspace.storageCredentials().get("lakehouse").getOwner()).isEqualTo("analysts");
    assertThat(workspace.externalLocations().get("landing").getOwner()).isEqualTo("analysts");
  }
}
