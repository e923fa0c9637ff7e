package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.NotFound;
import com.databricks.sdk.service.catalog.ColumnInfo;
import com.databricks.sdk.service.catalog.ColumnTypeName;
import com.databricks.sdk.service.catalog.TableInfo;
import com.databricks.sdk.service.catalog.TableType;
import com.databricks.sdk.service.sql.CancelExecutionRequest;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.ExecuteStatementRequestOnWaitTimeout;
import com.databricks.sdk.service.sql.ServiceErrorCode;
import com.databricks.sdk.service.sql.StatementResponse;
import com.databricks.sdk.service.sql.StatementState;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.simulator.databricks.WarehousesState;
import dev.failover.simulator.databricks.WorkspaceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated SQL Statement Execution API, driven only through the real Databricks SDK for Java:
 * statements move PENDING, RUNNING, SUCCEEDED as they are polled, register tables and views in
 * Unity Catalog, and fail with Databricks SQL's errors.
 */
class StatementExecutionApiTest {
  private Simulator simulator;
  private WorkspaceClient workspace;
  private WorkspaceState state;
  private String warehouseId;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
    state = simulator.workspace("primary");
    simulator.account().addGroups("analysts", "data_engineers");
    state.setWarehouseStartDelay(Duration.ZERO);
    warehouseId =
        state
            .warehouses()
            .create(
                new ObjectMapper()
                    .createObjectNode()
                    .put("name", "dr")
                    .put("cluster_size", "Small"));
    state.createCatalog("sales", null, Map.of(), null);
    state.createSchema("sales", "gold", null, Map.of(), null);
    // The buckets under the tables' locations: a Delta table's log is written there.
    simulator.s3().createBucket("acme-lakehouse-usw2", "us-west-2", "secondary");
    simulator.s3().createBucket("bkt", "us-west-2", "secondary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private StatementResponse submit(String sql) {
    return workspace
        .statementExecution()
        .executeStatement(
            new ExecuteStatementRequest()
                .setWarehouseId(warehouseId)
                .setStatement(sql)
                .setWaitTimeout("0s"));
  }

  private StatementResponse poll(String id) {
    return workspace.statementExecution().getStatement(id);
  }

  /** Polls until the statement finishes; the simulator finishes it on the second look. */
  private StatementResponse finish(StatementResponse response) {
    while (response.getStatus().getState() == StatementState.PENDING
        || response.getStatus().getState() == StatementState.RUNNING) {
      response = poll(response.getStatementId());
    }
    return response;
  }

  @Test
  void statementIsPendingThenRunningThenSucceededAndRegistersTheTable() {
    StatementResponse submitted =
        submit(
            "CREATE TABLE IF NOT EXISTS `sales`.`gold`.`customer_features` ("
                + "`customer_id` BIGINT NOT NULL COMMENT 'Customer key', `revenue` DECIMAL(12, 2),"
                + " CONSTRAINT `customer_features_pk` PRIMARY KEY (`customer_id`))"
                + " USING DELTA LOCATION 's3://acme-lakehouse-usw2/uc/features'"
                + " COMMENT 'It\\'s the features';");
    assertThat(submitted.getStatus().getState()).isEqualTo(StatementState.PENDING);
    assertThat(state.hasTable("sales.gold.customer_features")).isFalse();

    StatementResponse running = poll(submitted.getStatementId());
    assertThat(running.getStatus().getState()).isEqualTo(StatementState.RUNNING);
    StatementResponse done = poll(submitted.getStatementId());
    assertThat(done.getStatus().getState()).isEqualTo(StatementState.SUCCEEDED);
    assertThat(done.getStatus().getError()).isNull();
    assertThat(done.getManifest().getTotalRowCount()).isZero();

    TableInfo table = workspace.tables().get("sales.gold.customer_features");
    assertThat(table.getTableType()).isEqualTo(TableType.EXTERNAL);
    assertThat(table.getStorageLocation()).isEqualTo("s3://acme-lakehouse-usw2/uc/features");
    assertThat(table.getComment()).isEqualTo("It's the features");
    assertThat(table.getOwner()).isEqualTo("sre-automation@acme.example");
    assertThat(table.getColumns())
        .extracting(ColumnInfo::getName, ColumnInfo::getTypeText, ColumnInfo::getTypeName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("customer_id", "BIGINT", ColumnTypeName.LONG),
            org.assertj.core.groups.Tuple.tuple(
                "revenue", "DECIMAL(12,2)", ColumnTypeName.DECIMAL));
    assertThat(table.getColumns().iterator().next().getNullable()).isFalse();
    assertThat(table.getTableConstraints())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getPrimaryKeyConstraint().getName()).isEqualTo("customer_features_pk");
              assertThat(c.getPrimaryKeyConstraint().getChildColumns())
                  .containsExactly("customer_id");
            });
  }

  @Test
  void runningPollsCanBeStretched() {
    state.statements().setRunningPolls(2);
    StatementResponse submitted =
        submit("CREATE VIEW IF NOT EXISTS sales.gold.v AS SELECT 1 AS one");
    assertThat(poll(submitted.getStatementId()).getStatus().getState())
        .isEqualTo(StatementState.RUNNING);
    assertThat(poll(submitted.getStatementId()).getStatus().getState())
        .isEqualTo(StatementState.RUNNING);
    assertThat(poll(submitted.getStatementId()).getStatus().getState())
        .isEqualTo(StatementState.RUNNING);
    assertThat(poll(submitted.getStatementId()).getStatus().getState())
        .isEqualTo(StatementState.SUCCEEDED);
  }

  @Test
  void waitTimeoutRunsAStatementWithinTheRequestOnARunningWarehouse() {
    StatementResponse response =
        workspace
            .statementExecution()
            .executeStatement(
                new ExecuteStatementRequest()
                    .setWarehouseId(warehouseId)
                    .setCatalog("sales")
                    .setSchema("gold")
                    .setStatement("CREATE VIEW daily AS SELECT 1 AS one"));
    assertThat(response.getStatus().getState()).isEqualTo(StatementState.SUCCEEDED);
    assertThat(workspace.tables().get("sales.gold.daily").getViewDefinition())
        .isEqualTo("SELECT 1 AS one");
  }

  @Test
  void aStoppedWarehouseIsStartedAndTheStatementWaitsPendingMeanwhile() {
    state.warehouses().setStopDelay(Duration.ZERO);
    state.warehouses().stop(warehouseId);
    state.setWarehouseStartDelay(Duration.ofHours(1));
    StatementResponse submitted = submit("CREATE VIEW sales.gold.v AS SELECT 1");
    assertThat(state.warehouses().warehouse(warehouseId).state())
        .isEqualTo(WarehousesState.State.STARTING);
    assertThat(poll(submitted.getStatementId()).getStatus().getState())
        .isEqualTo(StatementState.PENDING);

    StatementResponse canceled =
        workspace
            .statementExecution()
            .executeStatement(
                new ExecuteStatementRequest()
                    .setWarehouseId(warehouseId)
                    .setStatement("CREATE VIEW sales.gold.w AS SELECT 1")
                    .setWaitTimeout("5s")
                    .setOnWaitTimeout(ExecuteStatementRequestOnWaitTimeout.CANCEL));
    assertThat(canceled.getStatus().getState()).isEqualTo(StatementState.CANCELED);
  }

  @Test
  void cancelStopsAStatementBeforeItRuns() {
    StatementResponse submitted = submit("CREATE VIEW sales.gold.v AS SELECT 1");
    workspace
        .statementExecution()
        .cancelExecution(new CancelExecutionRequest().setStatementId(submitted.getStatementId()));
    assertThat(poll(submitted.getStatementId()).getStatus().getState())
        .isEqualTo(StatementState.CANCELED);
    assertThat(state.hasTable("sales.gold.v")).isFalse();
  }

  @Test
  void missingSchemaAndCatalogFailWithTheSqlErrors() {
    StatementResponse schema =
        finish(submit("CREATE TABLE IF NOT EXISTS sales.silver.t (id INT) LOCATION 's3://bkt/t'"));
    assertThat(schema.getStatus().getState()).isEqualTo(StatementState.FAILED);
    assertThat(schema.getStatus().getError().getErrorCode())
        .isEqualTo(ServiceErrorCode.BAD_REQUEST);
    assertThat(schema.getStatus().getError().getMessage())
        .startsWith("[SCHEMA_NOT_FOUND] The schema `sales`.`silver` cannot be found.")
        .endsWith("SQLSTATE: 42704");
    assertThat(schema.getStatus().getSqlState()).isEqualTo("42704");

    StatementResponse catalog = finish(submit("CREATE VIEW finance.x.v AS SELECT 1"));
    assertThat(catalog.getStatus().getError().getMessage())
        .startsWith("[NO_SUCH_CATALOG_EXCEPTION] Catalog 'finance' was not found.");
  }

  @Test
  void ddlSemanticsFollowDatabricksSql() {
    assertThat(
            finish(submit("CREATE VIEW sales.gold.v COMMENT 'one' AS SELECT 1"))
                .getStatus()
                .getState())
        .isEqualTo(StatementState.SUCCEEDED);
    assertThat(
            finish(submit("CREATE VIEW IF NOT EXISTS sales.gold.v AS SELECT 2"))
                .getStatus()
                .getState())
        .isEqualTo(StatementState.SUCCEEDED);
    assertThat(workspace.tables().get("sales.gold.v").getViewDefinition()).isEqualTo("SELECT 1");
    assertThat(
            finish(submit("CREATE VIEW sales.gold.v AS SELECT 2"))
                .getStatus()
                .getError()
                .getMessage())
        .startsWith("[TABLE_OR_VIEW_ALREADY_EXISTS]");
    finish(submit("ALTER VIEW sales.gold.v SET OWNER TO `analysts`"));
    finish(submit("CREATE OR REPLACE VIEW sales.gold.v AS SELECT 3"));
    TableInfo replaced = workspace.tables().get("sales.gold.v");
    assertThat(replaced.getViewDefinition()).isEqualTo("SELECT 3");
    assertThat(replaced.getOwner()).isEqualTo("analysts");
    assertThat(replaced.getComment()).isNull();

    assertThat(finish(submit("DROP TABLE sales.gold.v")).getStatus().getError().getMessage())
        .startsWith("[WRONG_COMMAND_FOR_OBJECT_TYPE]")
        .contains("Use DROP VIEW instead.");
    finish(submit("DROP VIEW sales.gold.v"));
    assertThat(state.hasTable("sales.gold.v")).isFalse();
    assertThat(finish(submit("DROP VIEW IF EXISTS sales.gold.v")).getStatus().getState())
        .isEqualTo(StatementState.SUCCEEDED);
    assertThat(finish(submit("DROP TABLE sales.gold.v")).getStatus().getError().getMessage())
        .startsWith(
            "[TABLE_OR_VIEW_NOT_FOUND] The table or view `sales`.`gold`.`v` cannot be found.");
  }

  @Test
  void setOwnerNamesOnlyPrincipalsUnityCatalogResolves() {
    finish(submit("CREATE TABLE sales.gold.t (id BIGINT) LOCATION 's3://bkt/t'"));
    String creator = state.userName();
    // Unknown names and the workspace-local groups (admins, users) are refused; nothing changes.
    for (String principal : List.of("nobody@acme.example", "admins", "users")) {
      StatementResponse refused =
          finish(submit("ALTER TABLE sales.gold.t SET OWNER TO `" + principal + "`"));
      assertThat(refused.getStatus().getState()).isEqualTo(StatementState.FAILED);
      assertThat(refused.getStatus().getError().getMessage())
          .isEqualTo(
              "[PRINCIPAL_DOES_NOT_EXIST] Could not find principal with name "
                  + principal
                  + " SQLSTATE: 42704");
      assertThat(workspace.tables().get("sales.gold.t").getOwner()).isEqualTo(creator);
    }
    // An account group, a user by its user name, a service principal by its application id.
    state.principals().addUser("maria@acme.example", "Maria");
    state.principals().addServicePrincipal("5b9e7c1a-0d3f-4e2a-8c61-2f4b7a9d0e13", "etl");
    for (String principal :
        List.of("analysts", "maria@acme.example", "5b9e7c1a-0d3f-4e2a-8c61-2f4b7a9d0e13")) {
      assertThat(
              finish(submit("ALTER TABLE sales.gold.t SET OWNER TO `" + principal + "`"))
                  .getStatus()
                  .getState())
          .isEqualTo(StatementState.SUCCEEDED);
      assertThat(workspace.tables().get("sales.gold.t").getOwner()).isEqualTo(principal);
    }
  }

  @Test
  void tablesTakeCommentsOwnersAndPrimaryKeys() {
    finish(
        submit("CREATE TABLE sales.gold.t (id BIGINT NOT NULL, v STRING) LOCATION 's3://bkt/t'"));
    finish(submit("COMMENT ON TABLE sales.gold.t IS 'hello'"));
    finish(submit("ALTER TABLE sales.gold.t OWNER TO data_engineers"));
    finish(submit("ALTER TABLE sales.gold.t ADD CONSTRAINT t_pk PRIMARY KEY (id)"));
    TableInfo table = workspace.tables().get("sales.gold.t");
    assertThat(table.getComment()).isEqualTo("hello");
    assertThat(table.getOwner()).isEqualTo("data_engineers");
    assertThat(table.getTableConstraints().iterator().next().getPrimaryKeyConstraint().getName())
        .isEqualTo("t_pk");
    assertThat(
            finish(submit("ALTER TABLE sales.gold.t ADD CONSTRAINT again PRIMARY KEY (id)"))
                .getStatus()
                .getError()
                .getMessage())
        .startsWith("[MULTIPLE_PRIMARY_KEYS]");
    finish(submit("ALTER TABLE sales.gold.t DROP PRIMARY KEY IF EXISTS"));
    assertThat(workspace.tables().get("sales.gold.t").getTableConstraints()).isNull();
    assertThat(
            finish(submit("ALTER TABLE sales.gold.t ADD CONSTRAINT v_pk PRIMARY KEY (v)"))
                .getStatus()
                .getError()
                .getMessage())
        .contains("nullable");
    assertThat(
            finish(submit("CREATE TABLE sales.gold.u (id INT) LOCATION 's3://bkt/t/inner'"))
                .getStatus()
                .getError()
                .getMessage())
        .startsWith("[LOCATION_OVERLAP]")
        .contains("sales.gold.t");
  }

  @Test
  void anythingElseFailsStrictly() {
    assertThat(
            finish(submit("CREATE TABEL sales.gold.t (id INT)"))
                .getStatus()
                .getError()
                .getMessage())
        .isEqualTo("[PARSE_SYNTAX_ERROR] Syntax error at or near 'TABEL'. SQLSTATE: 42601");
    assertThat(
            finish(submit("CREATE TABLE sales.gold.t (id INT) USING DELTA LOCATION"))
                .getStatus()
                .getError()
                .getMessage())
        .isEqualTo("[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601");
    assertThat(finish(submit("SELECT * FROM sales.gold.t")).getStatus().getError().getMessage())
        .startsWith("[UNSUPPORTED_FEATURE]");
    assertThat(
            finish(submit("DROP VIEW sales.gold.a; DROP VIEW sales.gold.b"))
                .getStatus()
                .getError()
                .getMessage())
        .contains("Syntax error at or near 'DROP'");
  }

  @Test
  void requestErrorsAreHttpErrors() {
    assertThatThrownBy(
            () ->
                workspace
                    .statementExecution()
                    .executeStatement(
                        new ExecuteStatementRequest()
                            .setWarehouseId("0123456789abcdef")
                            .setStatement("DROP VIEW IF EXISTS a.b.c")))
        .isInstanceOf(NotFound.class)
        .hasMessageContaining("0123456789abcdef");
    assertThatThrownBy(
            () ->
                workspace
                    .statementExecution()
                    .executeStatement(
                        new ExecuteStatementRequest()
                            .setWarehouseId(warehouseId)
                            .setStatement("DROP VIEW IF EXISTS a.b.c")
                            .setWaitTimeout("3s")))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("wait_timeout");
    assertThatThrownBy(() -> workspace.statementExecution().getStatement("no-such-statement"))
        .isInstanceOf(NotFound.class);
  }
}
