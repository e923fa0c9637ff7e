package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.catalog.ColumnInfo;
import com.databricks.sdk.service.catalog.TableInfo;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.StatementResponse;
import com.databricks.sdk.service.sql.StatementState;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.s3.S3State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delta semantics of {@code CREATE TABLE ... USING DELTA LOCATION} and views' stored context,
 * through the real SDK's statement execution API, with the bucket read through {@link S3State}.
 */
class DeltaDdlTest {
  private static final String BUCKET = "lake-dr";
  private Simulator simulator;
  private WorkspaceClient workspace;
  private WorkspaceState state;
  private S3State s3;
  private String warehouseId;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("secondary"));
    workspace = SdkClients.workspace(simulator, "secondary");
    state = simulator.workspace("secondary");
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
    state.createSchema("sales", "silver", null, Map.of(), null);
    state.createSchema("sales", "gold", null, Map.of(), null);
    s3 = simulator.s3();
    s3.createBucket(BUCKET, "us-west-2", "secondary");
    s3.setVersioning(BUCKET, "Enabled");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private StatementResponse run(String sql) {
    return run(sql, null, null);
  }

  private StatementResponse run(String sql, String catalog, String schema) {
    StatementResponse response =
        workspace
            .statementExecution()
            .executeStatement(
                new ExecuteStatementRequest()
                    .setWarehouseId(warehouseId)
                    .setStatement(sql)
                    .setCatalog(catalog)
                    .setSchema(schema)
                    .setWaitTimeout("0s"));
    while (response.getStatus().getState() == StatementState.PENDING
        || response.getStatus().getState() == StatementState.RUNNING) {
      response = workspace.statementExecution().getStatement(response.getStatementId());
    }
    return response;
  }

  private static String error(StatementResponse response) {
    assertThat(response.getStatus().getState()).isEqualTo(StatementState.FAILED);
    return response.getStatus().getError().getMessage();
  }

  private void writeLog(String prefix, String schemaJson, String partitions, String config) {
    String commit =
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":6}}\n"
            + "{\"metaData\":{\"id\":\"t\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
            + "\"schemaString\":"
            + new ObjectMapper().getNodeFactory().textNode(schemaJson)
            + ",\"partitionColumns\":"
            + partitions
            + ",\"configuration\":"
            + config
            + "}}\n";
    s3.putObject(
        BUCKET,
        prefix + "_delta_log/00000000000000000000.json",
        commit.getBytes(StandardCharsets.UTF_8));
  }

  private static final String SCHEMA =
      "{\"type\":\"struct\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":"
          + "{\"delta.identity.start\":1,\"delta.identity.step\":1,"
          + "\"delta.identity.allowExplicitInsert\":false}},"
          + "{\"name\":\"ts\",\"type\":\"timestamp\",\"nullable\":true,\"metadata\":{}},"
          + "{\"name\":\"day\",\"type\":\"date\",\"nullable\":true,\"metadata\":"
          + "{\"delta.generationExpression\":\"CAST(ts AS DATE)\"}}]}";

  @Test
  void withoutColumnsTheTableIsRegisteredFromItsLog() {
    writeLog("t/", SCHEMA, "[\"day\"]", "{\"delta.appendOnly\":\"true\"}");

    assertThat(
            run("CREATE TABLE sales.silver.t USING DELTA LOCATION 's3://lake-dr/t'")
                .getStatus()
                .getState())
        .isEqualTo(StatementState.SUCCEEDED);

    TableInfo table = workspace.tables().get("sales.silver.t");
    assertThat(table.getColumns())
        .extracting(ColumnInfo::getName, ColumnInfo::getTypeText, ColumnInfo::getPartitionIndex)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("id", "bigint", null),
            org.assertj.core.groups.Tuple.tuple("ts", "timestamp", null),
            org.assertj.core.groups.Tuple.tuple("day", "date", 0L));
    assertThat(table.getColumns().iterator().next().getTypeJson()).contains("delta.identity.start");
    assertThat(table.getColumns())
        .last()
        .extracting(ColumnInfo::getTypeJson)
        .asString()
        .contains("\"delta.generationExpression\":\"CAST(ts AS DATE)\"");
    assertThat(table.getProperties())
        .containsEntry("delta.appendOnly", "true")
        .containsEntry("delta.minWriterVersion", "6");
    assertThat(s3.objectKeys(BUCKET)).containsExactly("t/_delta_log/00000000000000000000.json");
  }

  @Test
  void declaredColumnsMustMatchTheLogExactlySoGeneratedAndIdentityColumnsCannot() {
    writeLog("t/", SCHEMA, "[]", "{}");

    String mismatch =
        error(
            run(
                "CREATE TABLE sales.silver.t (id BIGINT NOT NULL, ts TIMESTAMP, day DATE)"
                    + " USING DELTA LOCATION 's3://lake-dr/t'"));

    assertThat(mismatch)
        .startsWith("[DELTA_CREATE_TABLE_SCHEME_MISMATCH] The specified schema does not match")
        .contains("delta.generationExpression", "delta.identity.start")
        .endsWith("SQLSTATE: 42KD7");
    assertThat(
            error(
                run("CREATE TABLE sales.silver.u (id INT) USING DELTA LOCATION 's3://lake-dr/t'")))
        .startsWith("[DELTA_CREATE_TABLE_SCHEME_MISMATCH]");
    assertThat(state.hasTable("sales.silver.t")).isFalse();
  }

  @Test
  void withoutALogAndColumnsItFailsAndWritesNothing() {
    assertThat(error(run("CREATE TABLE sales.silver.t USING DELTA LOCATION 's3://lake-dr/t'")))
        .startsWith("[DELTA_CREATE_EXTERNAL_TABLE_WITHOUT_SCHEMA]")
        .endsWith("SQLSTATE: 42601");
    s3.putObject(
        BUCKET, "t/part-00000.snappy.parquet", "PAR1 PAR1".getBytes(StandardCharsets.UTF_8));
    assertThat(error(run("CREATE TABLE sales.silver.t USING DELTA LOCATION 's3://lake-dr/t'")))
        .startsWith("[DELTA_CREATE_EXTERNAL_TABLE_WITHOUT_TXN_LOG]")
        .endsWith("SQLSTATE: 42K03");
    assertThat(
            error(
                run(
                    "CREATE TABLE sales.silver.t (id BIGINT) USING DELTA LOCATION 's3://lake-dr/t'")))
        .startsWith("[DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION]");
    assertThat(s3.objectKeys(BUCKET)).containsExactly("t/part-00000.snappy.parquet");
    assertThat(state.hasTable("sales.silver.t")).isFalse();
  }

  @Test
  void columnsOnAnEmptyPathCreateANewTableAndWriteVersionZero() {
    assertThat(
            run("CREATE TABLE sales.silver.t (id BIGINT NOT NULL, v STRING) USING DELTA LOCATION 's3://lake-dr/t'")
                .getStatus()
                .getState())
        .isEqualTo(StatementState.SUCCEEDED);

    assertThat(s3.objectKeys(BUCKET)).containsExactly("t/_delta_log/00000000000000000000.json");
    String commit =
        new String(
            s3.getObject(BUCKET, "t/_delta_log/00000000000000000000.json").content(),
            StandardCharsets.UTF_8);
    assertThat(commit).contains("\"protocol\"", "\"metaData\"", "\\\"name\\\":\\\"id\\\"");
    // The same columns again match the log it wrote.
    assertThat(
            run("CREATE TABLE sales.gold.t2 (id BIGINT NOT NULL, v STRING) USING DELTA LOCATION 's3://lake-dr/t'")
                .getStatus()
                .getError()
                .getMessage())
        .startsWith("[LOCATION_OVERLAP]");
  }

  @Test
  void aViewResolvesItsNamesInTheCatalogAndSchemaCurrentWhenItIsCreated() {
    writeLog("orders/", SCHEMA, "[]", "{}");
    run("CREATE TABLE sales.silver.orders USING DELTA LOCATION 's3://lake-dr/orders'");

    assertThat(error(run("CREATE VIEW sales.gold.big AS SELECT id FROM orders WHERE id > 1")))
        .startsWith("[TABLE_OR_VIEW_NOT_FOUND] The table or view `orders` cannot be found.");
    assertThat(error(run("CREATE VIEW sales.gold.big AS SELECT id FROM orders", "sales", "gold")))
        .startsWith("[TABLE_OR_VIEW_NOT_FOUND]");
    assertThat(
            run(
                    "CREATE VIEW sales.gold.big AS SELECT extract(YEAR FROM ts) AS y FROM orders o"
                        + " JOIN silver.orders p ON o.id = p.id",
                    "sales",
                    "silver")
                .getStatus()
                .getState())
        .isEqualTo(StatementState.SUCCEEDED);

    assertThat(workspace.tables().get("sales.gold.big").getProperties())
        .containsEntry("view.catalogAndNamespace.numParts", "2")
        .containsEntry("view.catalogAndNamespace.part.0", "sales")
        .containsEntry("view.catalogAndNamespace.part.1", "silver");
  }
}
