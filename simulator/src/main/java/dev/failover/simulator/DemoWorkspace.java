package dev.failover.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.s3.ReplicationConfiguration;
import dev.failover.simulator.s3.S3State;
import java.util.List;
import java.util.Map;

/**
 * The demo lakehouse the sandbox drills: a primary workspace in us-east-1 with catalogs, schemas
 * and grants, an empty DR workspace in us-west-2, and a replicated pair of versioned buckets. The
 * names match {@code runbooks/sandbox.yaml}.
 */
public final class DemoWorkspace {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String PRIMARY_BUCKET = "acme-lakehouse-use1";
  public static final String REPLICA_BUCKET = "acme-lakehouse-usw2";

  private DemoWorkspace() {}

  public static void seed(Simulator simulator) {
    seedPrimaryWorkspace(simulator.workspace("primary"));
    seedBuckets(simulator.s3());
    seedTables(simulator.workspace("primary"));
    seedJobsAndWarehouses(simulator.workspace("primary"));
    seedCompute(simulator.workspace("primary"));
  }

  private static void seedPrimaryWorkspace(WorkspaceState uc) {
    uc.createCatalog("main", "Default catalog for shared, governed data", Map.of(), null);
    uc.updateCatalog("main", null, "platform-admins", null);
    uc.createCatalog(
        "sales",
        "Sales lakehouse",
        Map.of("domain", "sales", "cost-center", "cc-1042"),
        "s3://" + PRIMARY_BUCKET + "/uc/sales");
    uc.updateCatalog("sales", null, "data-engineers", null);
    uc.createCatalog(
        "finance",
        "Finance, restricted",
        Map.of("domain", "finance", "pii", "true"),
        "s3://" + PRIMARY_BUCKET + "/uc/finance");
    uc.updateCatalog("finance", null, "finance-team", null);

    uc.createSchema("main", "default", "Default schema", Map.of(), null);
    uc.createSchema("main", "reference", "Reference data", Map.of("refresh", "daily"), null);
    uc.createSchema("sales", "bronze", "Raw ingested orders", Map.of("layer", "bronze"), null);
    uc.createSchema("sales", "silver", "Cleaned orders", Map.of("layer", "silver"), null);
    uc.createSchema(
        "sales",
        "gold",
        "Reporting marts",
        Map.of("layer", "gold"),
        "s3://" + PRIMARY_BUCKET + "/uc/sales/gold");
    uc.createSchema("finance", "ledger", "General ledger", Map.of("retention", "7y"), null);
    uc.createSchema("finance", "reporting", "Finance reporting", Map.of(), null);
    uc.updateSchema("finance.ledger", null, "finance-team", null);

    grant(uc, "catalog", "main", "account users", "USE_CATALOG", "BROWSE");
    grant(uc, "catalog", "sales", "data-engineers", "ALL_PRIVILEGES");
    grant(uc, "catalog", "sales", "analysts", "USE_CATALOG", "BROWSE");
    grant(uc, "catalog", "finance", "finance-team", "USE_CATALOG", "CREATE_SCHEMA");
    grant(uc, "schema", "main.reference", "analysts", "USE_SCHEMA", "SELECT");
    grant(uc, "schema", "sales.silver", "analysts", "USE_SCHEMA", "SELECT");
    grant(uc, "schema", "sales.gold", "analysts", "USE_SCHEMA", "SELECT", "EXECUTE");
    grant(uc, "schema", "sales.gold", "bi-service", "USE_SCHEMA", "SELECT");
    grant(
        uc,
        "schema",
        "finance.ledger",
        "finance-team",
        "USE_SCHEMA",
        "SELECT",
        "MODIFY",
        "CREATE_TABLE");
    grant(uc, "schema", "finance.reporting", "finance-team", "USE_SCHEMA", "SELECT");
    grant(uc, "schema", "finance.reporting", "auditors", "USE_SCHEMA", "SELECT");
  }

  private static void grant(
      WorkspaceState uc, String type, String name, String principal, String... privileges) {
    uc.changeGrants(type, name, principal, List.of(privileges), List.of());
  }

  /** Where the demo's external Delta tables live in the primary bucket, by full name. */
  public static final Map<String, String> DELTA_TABLES =
      Map.of(
          "sales.bronze.orders", "uc/sales/bronze/orders/",
          "sales.silver.orders_clean", "uc/sales/silver/orders_clean/",
          "finance.ledger.entries", "uc/finance/ledger/entries/",
          "sales.gold.customer_features", "uc/sales/gold/customer_features/");

  /** The feature table: an external Delta table with a primary key, as feature tables have. */
  public static final String FEATURE_TABLE = "sales.gold.customer_features";

  /** The table whose newest commit arrived in the replica without its data file. */
  public static final String TORN_TABLE = "sales.silver.orders_clean";

  private static final String ORDERS_SCHEMA =
      "{\"type\":\"struct\",\"fields\":["
          + "{\"name\":\"order_id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
          + "{\"name\":\"amount\",\"type\":\"decimal(12,2)\",\"nullable\":true,\"metadata\":{}}]}";

  private static final String FEATURES_SCHEMA =
      "{\"type\":\"struct\",\"fields\":["
          + "{\"name\":\"customer_id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
          + "{\"name\":\"orders_30d\",\"type\":\"integer\",\"nullable\":true,\"metadata\":{}},"
          + "{\"name\":\"revenue_30d\",\"type\":\"decimal(12,2)\",\"nullable\":true,"
          + "\"metadata\":{}}]}";

  private static final List<WorkspaceState.Column> ORDERS_COLUMNS =
      List.of(
          new WorkspaceState.Column("order_id", "BIGINT", false, null),
          new WorkspaceState.Column("amount", "DECIMAL(12,2)", true, null));

  private static final List<WorkspaceState.Column> FEATURES_COLUMNS =
      List.of(
          new WorkspaceState.Column("customer_id", "BIGINT", false, "Customer key"),
          new WorkspaceState.Column("orders_30d", "INT", true, "Orders in the last 30 days"),
          new WorkspaceState.Column(
              "revenue_30d", "DECIMAL(12,2)", true, "Revenue in the last 30 days"));

  /**
   * The primary bucket replicates every key to the DR bucket, delete markers included, as the
   * failover runbook expects. The Delta tables are written to the primary only, and reach the
   * replica by replication, which is asynchronous: one data file of {@link #TORN_TABLE}'s newest
   * commit fails to replicate (as objects do when, say, a KMS key or permission is wrong), so its
   * replica is torn at that version and the Delta check has something to find.
   */
  private static void seedBuckets(S3State s3) {
    s3.createBucket(PRIMARY_BUCKET, "us-east-1", "primary");
    s3.setVersioning(PRIMARY_BUCKET, "Enabled");
    s3.createBucket(REPLICA_BUCKET, "us-west-2", "secondary");
    s3.setVersioning(REPLICA_BUCKET, "Enabled");
    s3.putReplication(
        PRIMARY_BUCKET,
        new ReplicationConfiguration(
            "arn:aws:iam::123456789012:role/s3-replication",
            List.of(
                ReplicationConfiguration.Rule.of(
                    "lakehouse-to-dr",
                    1,
                    "Enabled",
                    "",
                    "arn:aws:s3:::" + REPLICA_BUCKET,
                    "Enabled"))));
    s3.putTags(PRIMARY_BUCKET, List.of(Map.entry("team", "data-platform")));

    DeltaTableWriter orders =
        new DeltaTableWriter(s3, PRIMARY_BUCKET, DELTA_TABLES.get("sales.bronze.orders"));
    orders.create(ORDERS_SCHEMA);
    orders.append();
    orders.append();

    DeltaTableWriter clean = new DeltaTableWriter(s3, PRIMARY_BUCKET, DELTA_TABLES.get(TORN_TABLE));
    clean.create(ORDERS_SCHEMA);
    clean.append();
    s3.setReplicationFailureRate(PRIMARY_BUCKET, 1.0);
    String lost = clean.writeDataFile();
    s3.setReplicationFailureRate(PRIMARY_BUCKET, 0.0);
    clean.commitAppend(lost);

    DeltaTableWriter ledger =
        new DeltaTableWriter(s3, PRIMARY_BUCKET, DELTA_TABLES.get("finance.ledger.entries"));
    String first = ledger.create(ORDERS_SCHEMA);
    String second = ledger.append();
    ledger.compact(List.of(first, second));

    DeltaTableWriter features =
        new DeltaTableWriter(s3, PRIMARY_BUCKET, DELTA_TABLES.get(FEATURE_TABLE));
    features.create(FEATURES_SCHEMA);
    features.append();
    // Replication falls due at the next call: let it run, so that the demo starts settled.
    s3.pendingReplications(PRIMARY_BUCKET);
  }

  /** Jobs scheduled, paused and unscheduled, and two SQL warehouses, one running. */
  public static final List<String> SCHEDULED_JOBS =
      List.of("nightly-orders-etl", "hourly-ledger-refresh");

  private static void seedJobsAndWarehouses(WorkspaceState workspace) {
    job(workspace, "nightly-orders-etl", "0 0 2 * * ?", "UNPAUSED");
    job(workspace, "hourly-ledger-refresh", "0 0 * * * ?", "UNPAUSED");
    // Paused on purpose by its owners: a failback must not wake it up.
    job(workspace, "quarterly-archive", "0 0 3 1 1/3 ?", "PAUSED");
    job(workspace, "adhoc-backfill", null, null);
    ObjectNode bi = JSON.createObjectNode();
    bi.put("name", "bi-warehouse").put("cluster_size", "Small").put("auto_stop_mins", 30);
    workspace.warehouses().create(bi);
    ObjectNode adhoc = JSON.createObjectNode();
    adhoc.put("name", "finance-adhoc").put("cluster_size", "X-Small").put("auto_stop_mins", 10);
    workspace.warehouses().stop(workspace.warehouses().create(adhoc));
  }

  private static void job(WorkspaceState workspace, String name, String cron, String pause) {
    ObjectNode job = JSON.createObjectNode();
    job.put("name", name);
    job.putObject("tags").put("team", "data-platform");
    ObjectNode task = job.putArray("tasks").addObject();
    task.put("task_key", "main");
    task.putObject("notebook_task").put("notebook_path", "/Repos/etl/" + name);
    if (cron != null) {
      job.putObject("schedule")
          .put("quartz_cron_expression", cron)
          .put("timezone_id", "UTC")
          .put("pause_status", pause);
    }
    workspace.jobs().create(job);
  }

  /**
   * Registers the Delta tables (external, with their columns; the feature table with its primary
   * key), two views (one reading the other) and two managed tables: one in the metastore's root
   * storage, which no bucket pair replicates, and one in the managed storage of {@code sales.gold},
   * which is under the replicated bucket.
   */
  private static void seedTables(WorkspaceState uc) {
    DELTA_TABLES.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            table -> {
              String fullName = table.getKey();
              int dot = fullName.lastIndexOf('.');
              boolean features = fullName.equals(FEATURE_TABLE);
              uc.createTable(
                  fullName.substring(0, dot),
                  fullName.substring(dot + 1),
                  "EXTERNAL",
                  "DELTA",
                  "s3://" + PRIMARY_BUCKET + "/" + table.getValue().replaceAll("/$", ""),
                  null,
                  features ? "Customer features for the churn model" : "Demo Delta table",
                  features ? FEATURES_COLUMNS : ORDERS_COLUMNS,
                  features
                      ? new WorkspaceState.PrimaryKey(
                          "customer_features_pk", List.of("customer_id"))
                      : null,
                  Map.of());
            });
    uc.updateTable(
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
    uc.createTable(
        "sales.gold",
        "daily_revenue",
        "VIEW",
        null,
        null,
        "SELECT date(order_ts) AS day, sum(amount) AS revenue FROM sales.silver.orders_clean"
            + " GROUP BY 1",
        "Revenue per day");
    uc.createTable(
        "sales.gold",
        "weekly_revenue",
        "VIEW",
        null,
        null,
        "SELECT date_trunc('WEEK', day) AS week, sum(revenue) AS revenue"
            + " FROM sales.gold.daily_revenue GROUP BY 1",
        "Revenue per week, from the daily view");
    uc.createTable(
        "main.reference",
        "countries",
        "MANAGED",
        "DELTA",
        null,
        null,
        "Managed table: lives in the metastore's root storage");
    uc.createTable(
        "sales.gold",
        "top_customers",
        "MANAGED",
        "DELTA",
        null,
        null,
        "Managed table in the schema's managed storage, under the replicated bucket");
  }

  /**
   * Two cluster policies and three all-purpose clusters, one governed by a policy, each with
   * storage paths in the replicated bucket (init scripts, log delivery, Spark configuration) that a
   * DR copy must point at the replica.
   */
  private static void seedCompute(WorkspaceState workspace) {
    ObjectNode etl = JSON.createObjectNode();
    etl.put("name", "etl-jobs");
    etl.put("description", "Job clusters for the nightly ETL");
    etl.put(
        "definition",
        "{\"spark_version\":{\"type\":\"fixed\",\"value\":\"15.4.x-scala2.12\"},"
            + "\"node_type_id\":{\"type\":\"allowlist\",\"values\":[\"i3.xlarge\",\"i3.2xlarge\"]},"
            + "\"cluster_log_conf.path\":{\"type\":\"fixed\","
            + "\"value\":\"s3://"
            + PRIMARY_BUCKET
            + "/logs/clusters\"}}");
    etl.put("max_clusters_per_user", 5);
    String etlPolicy = workspace.clusterPolicies().create(etl);
    ObjectNode analysts = JSON.createObjectNode();
    analysts.put("name", "analyst-personal");
    analysts.put("policy_family_id", "personal-vm");
    analysts.put(
        "policy_family_definition_overrides",
        "{\"autotermination_minutes\":{\"type\":\"fixed\",\"value\":30}}");
    analysts.put("max_clusters_per_user", 1);
    workspace.clusterPolicies().create(analysts);

    ObjectNode etlCluster = cluster("etl-shared", "i3.xlarge");
    etlCluster.put("policy_id", etlPolicy);
    etlCluster.putObject("autoscale").put("min_workers", 2).put("max_workers", 8);
    etlCluster
        .putObject("cluster_log_conf")
        .putObject("s3")
        .put("destination", "s3://" + PRIMARY_BUCKET + "/logs/clusters")
        .put("region", "us-east-1");
    etlCluster
        .putArray("init_scripts")
        .addObject()
        .putObject("s3")
        .put("destination", "s3://" + PRIMARY_BUCKET + "/init/install-libs.sh")
        .put("region", "us-east-1");
    etlCluster
        .putObject("spark_conf")
        .put("spark.sql.warehouse.dir", "s3://" + PRIMARY_BUCKET + "/warehouse")
        .put("spark.databricks.delta.preview.enabled", "true");
    workspace.clusters().create(etlCluster, "UI");

    ObjectNode ml = cluster("ml-gpu", "g5.xlarge");
    ml.put("spark_version", "15.4.x-gpu-ml-scala2.12");
    ml.put("num_workers", 2);
    ml.putObject("aws_attributes")
        .put("availability", "SPOT_WITH_FALLBACK")
        .put("first_on_demand", 1)
        .put("zone_id", "auto");
    workspace.clusters().create(ml, "UI");

    ObjectNode adhoc = cluster("analyst-adhoc", "m5.large");
    adhoc.put("num_workers", 0);
    adhoc
        .putObject("spark_conf")
        .put("spark.databricks.cluster.profile", "singleNode")
        .put("spark.master", "local[*]");
    adhoc.put("autotermination_minutes", 30);
    String adhocId = workspace.clusters().create(adhoc, "API");
    workspace.clusters().terminate(adhocId);
  }

  private static ObjectNode cluster(String name, String nodeType) {
    ObjectNode cluster = JSON.createObjectNode();
    cluster.put("cluster_name", name);
    cluster.put("spark_version", "15.4.x-scala2.12");
    cluster.put("node_type_id", nodeType);
    cluster.put("autotermination_minutes", 60);
    cluster.putObject("custom_tags").put("team", "data-platform");
    return cluster;
  }
}
