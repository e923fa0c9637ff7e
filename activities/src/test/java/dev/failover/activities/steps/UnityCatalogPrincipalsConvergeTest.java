package dev.failover.activities.steps;

import static dev.failover.activities.steps.ReadinessActivitiesTest.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.Components;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.SnapshotRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converge over a DR whose Unity Catalog lacks principals the primary has (a user added to the
 * primary only), and over catalogs that Unity Catalog creates with a {@code default} schema: one
 * unknown principal does not keep the others' grants from DR, an owner DR cannot give is refused by
 * name without leaving a copy owned by the worker, and a DR catalog holds the schemas the primary's
 * holds and no others.
 */
class UnityCatalogPrincipalsConvergeTest {
  private static final String KEY = "failover/acme-lakehouse/snapshots/principals.json.gz";

  /** A user of the primary only: Unity Catalog in DR cannot resolve it. */
  private static final String CONTRACTOR = "contractor@acme.example";

  @TempDir Path dir;
  private ControlPlaneActivities activities;
  private ConvergeActivities converge;
  private WorkspaceState primary;
  private WorkspaceState dr;

  @BeforeEach
  void start() {
    activities = new ControlPlaneActivities(dir);
    converge = activities.converge;
    primary = activities.cloud.simulator.workspace("primary");
    dr = activities.cloud.simulator.workspace("secondary");
    primary.principals().addUser(CONTRACTOR, "Contractor");
  }

  @AfterEach
  void stop() {
    activities.close();
  }

  private ConvergeRequest captured() {
    SnapshotRef snapshot =
        activities.capture.captureControlPlane(
            SimulatedCloud.primary(), List.of(), SimulatedCloud.replicaBucket(), KEY);
    return ControlPlaneActivities.request(snapshot);
  }

  /** Catalogs, schemas and every component but the grants; returns what each refused. */
  private List<String> convergeAllButGrants(ConvergeRequest request) {
    converge.convergeCatalogs(request);
    converge.convergeSchemas(request);
    List<String> refused = new ArrayList<>();
    for (var component : Components.all()) {
      refused.addAll(
          converge
              .convergeBatch(ControlPlaneActivities.batch(request, component.name()))
              .refusedItems());
    }
    return refused;
  }

  private ComponentResult convergeGrants(ConvergeRequest request) {
    return converge.convergeBatch(ControlPlaneActivities.batch(request, "grants"));
  }

  @Test
  void aGrantToAPrincipalDrLacksIsRefusedByNameAndTheOthersOnTheSecurableAreApplied() {
    primary.changeGrants(
        "schema", "sales.silver", CONTRACTOR, List.of("USE_SCHEMA", "SELECT"), List.of());
    ConvergeRequest request = captured();
    assertThat(convergeAllButGrants(request)).isEmpty();

    ComponentResult grants = convergeGrants(request);

    assertThat(grants.refusedItems())
        .singleElement()
        .asString()
        .startsWith("grants of " + CONTRACTOR + " on schema sales.silver: ")
        .contains("PRINCIPAL_DOES_NOT_EXIST")
        .contains("[SELECT, USE_SCHEMA] were not granted");
    // The other principal on that securable, and every other securable, got theirs.
    assertThat(dr.grants("schema", "sales.silver"))
        .isEqualTo(Map.of("analysts", Set.of("SELECT", "USE_SCHEMA")));
    assertThat(dr.grants("schema", "sales.gold")).isEqualTo(primary.grants("schema", "sales.gold"));
    // The step as a whole fails naming it, once everything else is converged.
    assertThatThrownBy(() -> converge.convergeGrants(request))
        .satisfies(
            thrown -> {
              var failure = failureOf(thrown);
              assertThat(failure.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(failure.getOriginalMessage())
                  .contains("grants of " + CONTRACTOR + " on schema sales.silver");
            });
  }

  @Test
  void aTableWhoseOwnerDrLacksIsRefusedByNameByTheOwnershipPassAndGivenOnceDrHasThePrincipal() {
    primary.updateTableOwner("sales.silver.orders_clean", CONTRACTOR);
    ConvergeRequest request = captured();
    // The table and the views over it are created owned by the worker, which reads the table.
    assertThat(convergeAllButGrants(request)).isEmpty();

    ComponentResult grants = convergeGrants(request);

    String worker = dr.table("sales.silver.orders_clean").owner();
    assertThat(worker).isEqualTo(dr.userName());
    assertThat(grants.refusedItems())
        .singleElement()
        .asString()
        .startsWith("table sales.silver.orders_clean: its owner " + CONTRACTOR)
        .contains("PRINCIPAL_DOES_NOT_EXIST")
        .contains("so it is still owned by " + worker);
    // The other tables got their owners.
    assertThat(dr.table("sales.bronze.orders").owner())
        .isEqualTo(primary.table("sales.bronze.orders").owner());

    // Once DR's account has the principal, the step's retry gives the table its owner.
    dr.principals().addUser(CONTRACTOR, "Contractor");
    assertThat(convergeGrants(request).refusedItems()).isEmpty();
    assertThat(dr.table("sales.silver.orders_clean").owner()).isEqualTo(CONTRACTOR);
  }

  @Test
  void aModelWhoseOwnerDrLacksIsRefusedByNameWithItsVersionsCopied() {
    primary.models().updateModel("sales.gold.churn_classifier", null, CONTRACTOR);
    ConvergeRequest request = captured();
    assertThat(convergeAllButGrants(request)).isEmpty();

    ComponentResult grants = convergeGrants(request);

    assertThat(grants.refusedItems())
        .singleElement()
        .asString()
        .startsWith("registered model sales.gold.churn_classifier: its owner " + CONTRACTOR)
        .contains("PRINCIPAL_DOES_NOT_EXIST")
        .contains(
            "so it is still owned by " + dr.models().model("sales.gold.churn_classifier").owner());
    assertThat(dr.models().versions("sales.gold.churn_classifier"))
        .hasSameSizeAs(primary.models().versions("sales.gold.churn_classifier"));
  }

  @Test
  void aSchemaWhoseOwnerDrLacksIsRefusedByNameAndTheOthersGetTheirs() {
    primary.updateSchema("sales.silver", null, CONTRACTOR, null);
    ConvergeRequest request = captured();
    assertThat(convergeAllButGrants(request)).isEmpty();

    ComponentResult grants = convergeGrants(request);

    String worker = dr.schema("sales.silver").owner();
    assertThat(worker).isEqualTo(dr.userName());
    assertThat(grants.refusedItems())
        .singleElement()
        .asString()
        .startsWith("schema sales.silver: its owner " + CONTRACTOR)
        .contains("PRINCIPAL_DOES_NOT_EXIST")
        .contains("so it is still owned by " + worker);
    // The other schemas and the catalogs got their owners.
    assertThat(dr.schema("finance.ledger").owner()).isEqualTo("finance-team");
    assertThat(dr.catalog("sales").owner()).isEqualTo("data-engineers");
  }

  @Test
  void aDrCatalogHoldsTheDefaultSchemaOnlyWhenThePrimarysDoesAndWithItsStorageRoot() {
    // finance has no default schema (the demo's Terraform dropped it); sales' default gets a root
    // of its own; main's is as Unity Catalog made it, with a comment.
    assertThat(primary.schemas("finance").stream().map(WorkspaceState.Schema::name))
        .doesNotContain("default");
    primary.deleteSchema("sales.default");
    primary.createSchema(
        "sales", "default", "Landing", Map.of(), "s3://acme-lakehouse-use1/uc/sales/default");
    ConvergeRequest request = captured();

    converge.convergeCatalogs(request);
    converge.convergeSchemas(request);

    assertThat(dr.schemas("finance").stream().map(WorkspaceState.Schema::name))
        .containsExactlyInAnyOrder("information_schema", "ledger", "reporting");
    assertThat(dr.schema("sales.default").storageRoot())
        .isEqualTo("s3://acme-lakehouse-usw2/uc/sales/default");
    assertThat(dr.schema("main.default").comment()).isEqualTo("Default schema");
    // A second run changes nothing.
    var again = converge.convergeCatalogs(request).plus(converge.convergeSchemas(request));
    assertThat(again.created() + again.updated() + again.deleted()).isZero();

    // The smoke test names a schema DR has in a catalog this tool created and the snapshot lacks.
    dr.createSchema("finance", "scratch", null, Map.of(), null);
    for (var component : Components.all()) {
      converge.convergeBatch(ControlPlaneActivities.batch(request, component.name()));
    }
    convergeGrants(request);
    assertThatThrownBy(() -> activities.smokeTest.verifyControlPlane(request))
        .satisfies(
            thrown ->
                assertThat(failureOf(thrown).getOriginalMessage())
                    .contains("1 difference(s)")
                    .contains("schema finance.scratch is in DR but not in the snapshot"));
  }
}
