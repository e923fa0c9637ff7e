package dev.failover.activities.components.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.service.catalog.ColumnInfo;
import com.databricks.sdk.service.catalog.TableInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import dev.failover.activities.components.ComponentConverger;
import dev.failover.activities.components.ComponentHarness;
import dev.failover.activities.components.DelegatingComponent;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.s3.S3State;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables and views converged into DR through SQL statements on a DR warehouse. */
class TablesComponentTest {
  private static final SqlWarehouseSession.Polling FAST =
      new SqlWarehouseSession.Polling(
          Duration.ofMillis(1),
          Duration.ofMillis(5),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10));

  @TempDir Path dir;
  private ComponentHarness<TableItem> harness;
  private WorkspaceState primary;
  private WorkspaceState dr;

  @BeforeEach
  void start() {
    harness = new ComponentHarness<>(dir, new TablesComponent(FAST));
    primary = harness.cloud.simulator.workspace("primary");
    dr = harness.cloud.simulator.workspace("secondary");
    copyCatalogsAndSchemas();
    dr.setWarehouseStartDelay(Duration.ofMillis(20));
    dr.warehouses()
        .create(
            new ObjectMapper()
                .createObjectNode()
                .put("name", "dr-sql")
                .put("cluster_size", "Small"));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  /** DR as the catalogs and schemas converge leaves it. */
  private void copyCatalogsAndSchemas() {
    primary.catalogs().forEach(c -> dr.createCatalog(c.name(), c.comment(), c.properties(), null));
    // Each catalog comes with its information_schema and default schema.
    primary.schemas().stream()
        .filter(s -> !s.name().equals("information_schema") && !s.name().equals("default"))
        .forEach(
            s -> dr.createSchema(s.catalogName(), s.name(), s.comment(), s.properties(), null));
  }

  private static TableItem find(List<TableItem> items, String fullName) {
    return items.stream().filter(t -> t.fullName().equals(fullName)).findFirst().orElseThrow();
  }

  @Test
  void captureHasColumnsPrimaryKeysAndViewsAfterTheViewsTheyRead() {
    List<TableItem> captured = harness.capturePrimary();

    TableItem features = find(captured, DemoWorkspace.FEATURE_TABLE);
    assertThat(features.primaryKey())
        .isEqualTo(new TableItem.PrimaryKey("customer_features_pk", List.of("customer_id")));
    assertThat(features.columns())
        .extracting(TableItem.Column::name)
        .containsExactly("customer_id", "orders_30d", "revenue_30d");
    assertThat(captured)
        .extracting(TableItem::fullName)
        .containsSubsequence("sales.gold.daily_revenue", "sales.gold.weekly_revenue");
    assertThat(captured.subList(captured.size() - 2, captured.size())).allMatch(TableItem::view);

    TableComponentReasons reasons = new TableComponentReasons(harness.component, captured);
    assertThat(reasons.of("main.reference.countries"))
        .startsWith("managed table: its data is in the metastore's managed storage")
        .contains("DEEP CLONE");
    assertThat(reasons.of("sales.gold.top_customers"))
        .contains("replicated to s3://acme-lakehouse-usw2/uc/sales/gold/__unitystorage/")
        .contains("cannot register a managed table on existing files");
    assertThat(reasons.of("sales.bronze.orders")).isNull();
    assertThat(harness.component.securables(features))
        .containsExactly(new Component.Securable("table", DemoWorkspace.FEATURE_TABLE));
  }

  private record TableComponentReasons(Component<TableItem> component, List<TableItem> items) {
    String of(String fullName) {
      return component.skipReason(find(items, fullName));
    }
  }

  @Test
  void convergeRegistersEachTableOnceThenFindsNothingToDo() {
    List<TableItem> captured = harness.capturePrimary();

    ComponentConverger.Result first = harness.converge(captured, null, false);

    assertThat(first.counts()).isEqualTo(new ChangeCounts(7, 0, 0, 0));
    assertThat(first.skipped()).hasSize(2);
    WorkspaceState.Table orders = dr.table("sales.bronze.orders");
    assertThat(orders.tableType()).isEqualTo("EXTERNAL");
    assertThat(orders.storageLocation())
        .isEqualTo("s3://acme-lakehouse-usw2/uc/sales/bronze/orders");
    // The worker keeps what it registered until the grants step's ownership pass.
    assertThat(orders.owner()).isEqualTo(dr.userName());
    assertThat(giveOwners(captured)).isEqualTo(new ChangeCounts(0, 1, 6, 0));
    assertThat(dr.table("sales.bronze.orders").owner()).isEqualTo("data-engineers");
    WorkspaceState.Table features = dr.table(DemoWorkspace.FEATURE_TABLE);
    assertThat(features.primaryKey().columns()).containsExactly("customer_id");
    assertThat(features.columns()).hasSize(3);
    assertThat(dr.table("sales.gold.weekly_revenue").viewDefinition())
        .isEqualTo(primary.table("sales.gold.weekly_revenue").viewDefinition());
    assertThat(dr.hasTable("main.reference.countries")).isFalse();
    assertThat(dr.hasTable("sales.gold.top_customers")).isFalse();
    assertThat(dr.statements().succeeded()).filteredOn(sql -> sql.startsWith("CREATE")).hasSize(7);

    harness.cloud.simulator.requests().clear();
    ComponentConverger.Result second = harness.converge(harness.capturePrimary(), null, false);
    assertThat(second.counts()).isEqualTo(new ChangeCounts(0, 0, 7, 0));
    assertThat(harness.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  @Test
  void tablesAreRegisteredSeveralAtOnceAndViewsAfterThem() {
    List<TableItem> captured = harness.capturePrimary();
    // Each DR request takes a while, so that registrations sent at once overlap in the server.
    harness.cloud.simulator.setLatency("databricks", "secondary", 100);
    harness.cloud.simulator.inFlight().reset();

    ComponentConverger.Result result = harness.converge(captured, null, false);

    assertThat(result.counts().created()).isEqualTo(7);
    assertThat(harness.cloud.simulator.inFlight().peak()).isGreaterThan(1);
    List<String> creates =
        dr.statements().succeeded().stream().filter(sql -> sql.startsWith("CREATE")).toList();
    int firstView =
        creates.indexOf(creates.stream().filter(this::isView).findFirst().orElseThrow());
    assertThat(creates.subList(firstView, creates.size())).allMatch(this::isView);
    // weekly_revenue reads daily_revenue: views keep the captured order.
    assertThat(indexOf(creates, "weekly_revenue")).isGreaterThan(indexOf(creates, "daily_revenue"));
  }

  @Test
  void viewsThatReadNoOtherPendingViewAreCreatedSideBySide() {
    List<TableItem> captured = harness.capturePrimary();
    TablesComponent real = new TablesComponent(FAST);
    java.util.concurrent.atomic.AtomicInteger viewsAtOnce =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger peak =
        new java.util.concurrent.atomic.AtomicInteger();
    List<String> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    Component<TableItem> timed =
        new DelegatingComponent<>(real) {
          @Override
          public void create(TableItem want, ComponentContext target) {
            if (!want.view()) {
              real.create(want, target);
              return;
            }
            started.add(want.name() + " after " + finished);
            peak.accumulateAndGet(viewsAtOnce.incrementAndGet(), Math::max);
            try {
              Thread.sleep(200);
              real.create(want, target);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            } finally {
              viewsAtOnce.decrementAndGet();
              finished.add(want.name());
            }
          }

          @Override
          public int inFlight() {
            return real.inFlight();
          }

          @Override
          public boolean waitsForOthers(TableItem item) {
            return real.waitsForOthers(item);
          }

          @Override
          public boolean waitsFor(TableItem item, TableItem earlier) {
            return real.waitsFor(item, earlier);
          }
        };

    ComponentConverger.Result result =
        new ComponentConverger<>(timed, harness.context(SimulatedCloud.secondary(), null), n -> {})
            .converge(captured, null, false);

    assertThat(result.counts().created()).isEqualTo(7);
    // daily_revenue and large_orders read only tables; weekly_revenue reads daily_revenue.
    assertThat(peak.get()).isEqualTo(2);
    assertThat(started)
        .filteredOn(s -> s.startsWith("weekly_revenue"))
        .singleElement()
        .asString()
        .contains("daily_revenue");
    assertThat(dr.hasTable("sales.gold.weekly_revenue")).isTrue();
  }

  private static int indexOf(List<String> statements, String name) {
    for (int i = 0; i < statements.size(); i++) {
      if (statements.get(i).contains(name)) {
        return i;
      }
    }
    return -1;
  }

  private boolean isView(String sql) {
    return sql.startsWith("CREATE VIEW");
  }

  @Test
  void aChangedCommentOwnerDefinitionAndPrimaryKeyAreUpdated() {
    List<TableItem> captured = harness.capturePrimary();
    harness.converge(captured, null, false);
    dr.updateTable(
        "sales.bronze.orders",
        t ->
            new WorkspaceState.Table(
                t.catalogName(),
                t.schemaName(),
                t.name(),
                t.tableType(),
                t.dataSourceFormat(),
                t.storageLocation(),
                t.viewDefinition(),
                "stale",
                "someone",
                t.properties(),
                t.columns(),
                t.primaryKey(),
                t.createdAt(),
                t.createdBy(),
                t.updatedAt(),
                t.updatedBy()));
    dr.updateTable(
        DemoWorkspace.FEATURE_TABLE,
        t ->
            new WorkspaceState.Table(
                t.catalogName(),
                t.schemaName(),
                t.name(),
                t.tableType(),
                t.dataSourceFormat(),
                t.storageLocation(),
                t.viewDefinition(),
                t.comment(),
                t.owner(),
                t.properties(),
                t.columns(),
                null,
                t.createdAt(),
                t.createdBy(),
                t.updatedAt(),
                t.updatedBy()));
    dr.updateTable(
        "sales.gold.daily_revenue",
        t ->
            new WorkspaceState.Table(
                t.catalogName(),
                t.schemaName(),
                t.name(),
                t.tableType(),
                t.dataSourceFormat(),
                t.storageLocation(),
                "SELECT 1 AS day",
                t.comment(),
                t.owner(),
                t.properties(),
                t.columns(),
                t.primaryKey(),
                t.createdAt(),
                t.createdBy(),
                t.updatedAt(),
                t.updatedBy()));

    assertThat(harness.converge(captured, null, true).differences())
        .contains("sales.bronze.orders differs in comment, owner");
    ComponentConverger.Result result = harness.converge(captured, null, false);

    assertThat(result.counts()).isEqualTo(new ChangeCounts(0, 3, 4, 0));
    assertThat(result.differences()).contains("sales.bronze.orders differs in comment");
    assertThat(dr.table("sales.bronze.orders").comment()).isEqualTo("Demo Delta table");
    assertThat(dr.table("sales.bronze.orders").owner()).isEqualTo("someone");
    giveOwners(captured);
    assertThat(dr.table("sales.bronze.orders").owner()).isEqualTo("data-engineers");
    assertThat(dr.table(DemoWorkspace.FEATURE_TABLE).primaryKey().name())
        .isEqualTo("customer_features_pk");
    assertThat(dr.table("sales.gold.daily_revenue").viewDefinition())
        .isEqualTo(primary.table("sales.gold.daily_revenue").viewDefinition());
    assertThat(harness.converge(captured, null, false).counts().updated()).isZero();
  }

  @Test
  void aTableRegisteredElsewhereInDrFailsWithWhatToDo() {
    dr.createTable(
        "sales.bronze",
        "orders",
        "EXTERNAL",
        "DELTA",
        "s3://somewhere-else/orders",
        null,
        "Demo Delta table");

    assertThatThrownBy(() -> harness.converge(harness.capturePrimary(), null, false))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_REQUEST);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("sales.bronze.orders")
                  .contains("differs in location")
                  .contains("s3://somewhere-else/orders")
                  .contains("storagePathRewrites");
            });
  }

  @Test
  void aStatementThatFailsStopsConvergeWithTheSqlError() {
    dr.deleteSchema("sales.gold");

    assertThatThrownBy(() -> harness.converge(harness.capturePrimary(), null, false))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_REQUEST);
              assertThat(f.getOriginalMessage())
                  .contains("[SCHEMA_NOT_FOUND] The schema `sales`.`gold` cannot be found")
                  .contains("CREATE TABLE IF NOT EXISTS `sales`.`gold`.`customer_features`");
            });
  }

  @Test
  void convergeListsOnlyTheSchemasOfTheWantedTables() {
    List<TableItem> captured = harness.capturePrimary();
    List<TableItem> wanted =
        captured.stream().filter(t -> t.fullName().equals("sales.bronze.orders")).toList();
    harness.converge(wanted, null, false);
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result again = harness.converge(wanted, null, false);

    assertThat(again.counts().unchanged()).isEqualTo(1);
    assertThat(harness.cloud.simulator.requests().all())
        .filteredOn(
            r -> r.side().equals("secondary") && r.path().startsWith("/api/2.1/unity-catalog/"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.path()).isEqualTo("/api/2.1/unity-catalog/tables");
              assertThat(r.query()).contains("catalog_name=sales").contains("schema_name=bronze");
            });
  }

  @Test
  void statementsWaitForTheirAnswerWithinHalfTheHttpTimeoutAndWithinTheApisRange() {
    SqlWarehouseSession.Polling polling = SqlWarehouseSession.Polling.DEFAULT;
    assertThat(polling.waitTimeoutUnder(Duration.ofSeconds(60))).isEqualTo("10s");
    assertThat(polling.waitTimeoutUnder(Duration.ofSeconds(12))).isEqualTo("6s");
    // Half of 9 s is below the API's 5 s: no wait, every statement polled.
    assertThat(polling.waitTimeoutUnder(Duration.ofSeconds(9))).isEqualTo("0s");
    assertThat(polling.waitTimeoutUnder(Duration.ofSeconds(2))).isEqualTo("0s");
    SqlWarehouseSession.Polling longWait =
        new SqlWarehouseSession.Polling(
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(20),
            Duration.ofMinutes(5));
    assertThat(longWait.waitTimeoutUnder(Duration.ofMinutes(10))).isEqualTo("50s");
  }

  @Test
  void aStatementFinishedWithinTheWaitIsNotPolled() {
    List<TableItem> captured = harness.capturePrimary();
    ComponentContext target = harness.context(SimulatedCloud.secondary(), null);
    TableItem orders = find(captured, "sales.bronze.orders");
    harness.cloud.simulator.requests().clear();
    // The worker's default HTTP timeout (60 s) leaves room for a 10 s wait.
    try (dev.failover.activities.clients.CloudClients clients =
        harness.cloud.clientsWithHttpTimeout(60)) {
      ComponentContext patient =
          new ComponentContext(
              target.target(),
              clients,
              target.rewrites(),
              target.catalogs(),
              target.runbook(),
              target.runId(),
              target.retry(),
              target.account(),
              target.compute(),
              target.storageCredentials());
      new TablesComponent(SqlWarehouseSession.Polling.DEFAULT)
          .create(new TablesComponent().expected(orders, patient), patient);
    }

    assertThat(dr.hasTable("sales.bronze.orders")).isTrue();
    assertThat(harness.cloud.simulator.requests().all())
        .filteredOn(r -> r.path().startsWith("/api/2.0/sql/statements"))
        .allMatch(r -> r.method().equals("POST"))
        .isNotEmpty();
  }

  @Test
  void aStoppedWarehouseIsStartedAndNoWarehouseIsAClearFailure() {
    dr.warehouses().setStopDelay(Duration.ZERO);
    String id = dr.warehouses().warehouses().get(0).id();
    dr.warehouses().stop(id);

    harness.converge(harness.capturePrimary(), null, false);

    assertThat(dr.warehouses().warehouse(id).state().name()).isEqualTo("RUNNING");
    assertThat(dr.hasTable("sales.bronze.orders")).isTrue();

    TablesComponent fresh = new TablesComponent(FAST);
    dr.warehouses().delete(id);
    ComponentContext target = harness.context(SimulatedCloud.secondary(), null);
    TableItem view = find(harness.capturePrimary(), "sales.gold.daily_revenue");
    assertThatThrownBy(() -> fresh.delete(view, target))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.NOT_FOUND);
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).contains("No SQL warehouse in " + target.host());
            });
  }

  @Test
  void captureFollowsEveryPage() {
    for (int i = 0; i < 60; i++) {
      primary.createTable(
          "sales.silver", String.format("v%02d", i), "VIEW", null, null, "SELECT " + i, null);
    }
    harness.cloud.simulator.requests().clear();

    List<TableItem> captured = harness.capturePrimary();

    assertThat(captured).filteredOn(t -> t.schema().equals("silver")).hasSize(61);
    assertThat(harness.cloud.simulator.requests().all())
        .filteredOn(
            r ->
                r.path().equals("/api/2.1/unity-catalog/tables")
                    && r.query().contains("schema_name=silver"))
        .hasSize(2);
  }

  @Test
  void aTableCreatedBetweenReadAndCreateIsNotDuplicated() {
    TablesComponent real = new TablesComponent(FAST);
    Component<TableItem> racing =
        new DelegatingComponent<>(real) {
          @Override
          public Map<String, TableItem> current(ComponentContext target, List<TableItem> wanted) {
            Map<String, TableItem> current = real.current(target, wanted);
            dr.createTable(
                "sales.bronze",
                "orders",
                "EXTERNAL",
                "DELTA",
                "s3://acme-lakehouse-usw2/uc/sales/bronze/orders",
                null,
                "Demo Delta table");
            return current;
          }
        };
    ComponentConverger.Result result =
        new ComponentConverger<>(
                racing, harness.context(SimulatedCloud.secondary(), null), done -> {})
            .converge(harness.capturePrimary(), null, false);

    assertThat(result.counts().created()).isEqualTo(7);
    assertThat(dr.allTables()).filteredOn(t -> t.name().equals("orders")).hasSize(1);
  }

  @Test
  void aViewOverATableOwnedByAnotherPrincipalIsCreatedAndTheTableThenGetsItsOwner() {
    // Two views read orders_clean: owned by another principal, the worker could not read it.
    primary.updateTable(
        "sales.silver.orders_clean",
        t ->
            new WorkspaceState.Table(
                t.catalogName(),
                t.schemaName(),
                t.name(),
                t.tableType(),
                t.dataSourceFormat(),
                t.storageLocation(),
                t.viewDefinition(),
                t.comment(),
                "data-engineers",
                t.properties(),
                t.columns(),
                t.primaryKey(),
                t.createdAt(),
                t.createdBy(),
                t.updatedAt(),
                t.updatedBy()));
    List<TableItem> captured = harness.capturePrimary();

    ComponentConverger.Result result = harness.converge(captured, null, false);
    assertThat(result.refused()).isEmpty();
    assertThat(result.counts().created()).isEqualTo(7);
    assertThat(dr.table("sales.gold.daily_revenue").isView()).isTrue();
    assertThat(dr.table(DemoWorkspace.UNQUALIFIED_VIEW).isView()).isTrue();
    assertThat(dr.statements().succeeded()).noneMatch(sql -> sql.contains("SET OWNER"));

    giveOwners(captured);
    assertThat(dr.table("sales.silver.orders_clean").owner()).isEqualTo("data-engineers");
    assertThat(dr.table("sales.bronze.orders").owner()).isEqualTo("data-engineers");
    assertThat(harness.converge(captured, null, true).counts())
        .isEqualTo(new ChangeCounts(0, 0, 7, 0));
  }

  /** The grants step's ownership pass over these tables, into DR. */
  private ChangeCounts giveOwners(List<TableItem> captured) {
    return dev.failover.activities.components.unitycatalog.OwnershipPass.tablesAndModels(
            captured, List.of(), harness.context(SimulatedCloud.secondary(), null), n -> {})
        .counts();
  }

  @Test
  void drillCleanUpDropsWhatTheDrillRegisteredAndNothingElse() {
    dr.createTable(
        "sales.bronze",
        "orders",
        "EXTERNAL",
        "DELTA",
        "s3://acme-lakehouse-usw2/uc/sales/bronze/orders",
        null,
        "Demo Delta table");
    dr.updateTable(
        "sales.bronze.orders",
        t ->
            new WorkspaceState.Table(
                t.catalogName(),
                t.schemaName(),
                t.name(),
                t.tableType(),
                t.dataSourceFormat(),
                t.storageLocation(),
                t.viewDefinition(),
                t.comment(),
                "data-engineers",
                t.properties(),
                t.columns(),
                t.primaryKey(),
                t.createdAt(),
                t.createdBy(),
                t.updatedAt(),
                t.updatedBy()));

    ComponentConverger.Result drill = harness.converge(harness.capturePrimary(), "run-1", false);
    assertThat(drill.counts().created()).isEqualTo(6);
    assertThat(harness.ledger.created("tables")).hasSize(6).doesNotContain("sales.bronze.orders");

    ChangeCounts removed = harness.removeCreated("run-1");

    assertThat(removed.deleted()).isEqualTo(6);
    assertThat(dr.allTables())
        .extracting(WorkspaceState.Table::fullName)
        .containsExactly("sales.bronze.orders");
  }

  @Test
  void dryRunDescribesWithoutWriting() {
    harness.cloud.simulator.requests().clear();

    ComponentConverger.Result preview = harness.converge(harness.capturePrimary(), null, true);

    assertThat(preview.counts()).isEqualTo(new ChangeCounts(7, 0, 0, 0));
    assertThat(preview.differences()).contains("sales.bronze.orders is missing");
    assertThat(harness.cloud.simulator.requests().all()).noneMatch(r -> r.mutating());
    assertThat(dr.allTables()).isEmpty();
  }

  @Test
  void aTableWhoseReplicaHasNoLogIsRefusedByNameAndNothingIsWrittenToItsPath() {
    List<TableItem> captured = harness.capturePrimary();
    S3State s3 = harness.cloud.simulator.s3();
    String bucket = "acme-lakehouse-usw2";
    String prefix = "uc/sales/silver/orders_clean/";
    s3.objectKeys(bucket).stream()
        .filter(key -> key.startsWith(prefix + "_delta_log/"))
        .forEach(key -> s3.deleteObject(bucket, key, null));
    List<String> before = s3.objectKeys(bucket).stream().filter(k -> k.startsWith(prefix)).toList();

    ComponentConverger.Result result = harness.converge(captured, null, false);

    assertThat(result.refused().get(0))
        .startsWith(
            DemoWorkspace.TORN_TABLE
                + ": its replica s3://"
                + bucket
                + "/"
                + prefix.substring(0, prefix.length() - 1)
                + " ")
        .contains("has no Delta log", "replicate or restore the log");
    // The views that read it, directly or through another view, cannot be created either.
    assertThat(result.refused().subList(1, result.refused().size()))
        .extracting(r -> r.substring(0, r.indexOf(':')))
        .containsExactlyInAnyOrder(
            "sales.gold.daily_revenue",
            "sales.gold.weekly_revenue",
            DemoWorkspace.UNQUALIFIED_VIEW);
    assertThat(result.counts()).isEqualTo(new ChangeCounts(3, 0, 0, 0));
    assertThat(dr.hasTable(DemoWorkspace.TORN_TABLE)).isFalse();
    assertThat(dr.hasTable("sales.bronze.orders")).isTrue();
    assertThat(dr.hasTable(DemoWorkspace.FEATURE_TABLE)).isTrue();
    assertThat(s3.objectKeys(bucket).stream().filter(k -> k.startsWith(prefix)).toList())
        .isEqualTo(before);
    assertThat(dr.statements().succeeded()).noneMatch(sql -> sql.contains("orders_clean`"));
  }

  @Test
  void deltaTablesAreRegisteredFromTheirLogWithGeneratedAndIdentityColumnsIntact() {
    harness.converge(harness.capturePrimary(), null, false);

    assertThat(dr.statements().succeeded())
        .filteredOn(sql -> sql.contains("`sales`.`bronze`.`orders`") && sql.startsWith("CREATE"))
        .singleElement()
        .asString()
        .startsWith("CREATE TABLE IF NOT EXISTS `sales`.`bronze`.`orders` USING DELTA LOCATION");
    TableInfo orders =
        harness
            .cloud
            .clients
            .workspace(dev.failover.activities.SimulatedCloud.secondary())
            .tables()
            .get("sales.bronze.orders");
    assertThat(orders.getColumns())
        .extracting(ColumnInfo::getName)
        .containsExactly("order_id", "amount", "order_ts", "order_date");
    assertThat(orders.getColumns())
        .filteredOn(c -> c.getName().equals("order_date"))
        .singleElement()
        .extracting(ColumnInfo::getTypeJson)
        .asString()
        .contains("\"delta.generationExpression\":\"CAST(order_ts AS DATE)\"");
    assertThat(orders.getColumns().iterator().next().getTypeJson())
        .contains("\"delta.identity.start\":1");
    TableInfo features =
        harness
            .cloud
            .clients
            .workspace(dev.failover.activities.SimulatedCloud.secondary())
            .tables()
            .get(DemoWorkspace.FEATURE_TABLE);
    assertThat(features.getTableConstraints().iterator().next().getPrimaryKeyConstraint().getName())
        .isEqualTo("customer_features_pk");
  }

  @Test
  void aNonDeltaExternalTableKeepsItsColumnList() {
    primary.createTable(
        "sales.bronze",
        "raw_csv",
        "EXTERNAL",
        "CSV",
        "s3://acme-lakehouse-use1/raw/csv",
        null,
        null,
        List.of(new WorkspaceState.Column("line", "STRING", true, null)),
        null,
        java.util.Map.of());

    harness.converge(harness.capturePrimary(), null, false);

    assertThat(dr.statements().succeeded())
        .filteredOn(sql -> sql.contains("raw_csv"))
        .first()
        .asString()
        .startsWith(
            "CREATE TABLE IF NOT EXISTS `sales`.`bronze`.`raw_csv` (`line` STRING) USING CSV");
    assertThat(dr.table("sales.bronze.raw_csv").columns())
        .extracting(WorkspaceState.Column::name)
        .containsExactly("line");
  }

  @Test
  void aViewWithUnqualifiedNamesIsCreatedInTheCatalogAndSchemaItWasDefinedIn() {
    harness.converge(harness.capturePrimary(), null, false);

    WorkspaceState.Table view = dr.table(DemoWorkspace.UNQUALIFIED_VIEW);
    assertThat(view.viewDefinition()).contains("FROM orders_clean");
    assertThat(view.properties())
        .containsEntry("view.catalogAndNamespace.part.0", "sales")
        .containsEntry("view.catalogAndNamespace.part.1", "silver");
    harness.cloud.simulator.requests().clear();
    assertThat(harness.converge(harness.capturePrimary(), null, false).counts().created()).isZero();
  }
}
