package dev.failover.simulator;

import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.s3.ReplicationConfiguration;
import dev.failover.simulator.s3.S3State;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The demo lakehouse the sandbox drills: a primary workspace in us-east-1 with catalogs, schemas
 * and grants, an empty DR workspace in us-west-2, and a replicated pair of versioned buckets. The
 * names match {@code runbooks/sandbox.yaml}.
 */
public final class DemoWorkspace {
  public static final String PRIMARY_BUCKET = "acme-lakehouse-use1";
  public static final String REPLICA_BUCKET = "acme-lakehouse-usw2";

  private DemoWorkspace() {}

  public static void seed(Simulator simulator) {
    seedPrimaryWorkspace(simulator.workspace("primary"));
    seedBuckets(simulator.s3());
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

  /**
   * The primary bucket replicates every key to the DR bucket, delete markers included, as the
   * failover runbook expects; both hold the same few Delta objects, as if replication had caught
   * up.
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
    for (String key :
        List.of(
            "uc/sales/bronze/orders/_delta_log/00000000000000000000.json",
            "uc/sales/bronze/orders/part-00000-3f1c.snappy.parquet",
            "uc/sales/silver/orders_clean/_delta_log/00000000000000000000.json",
            "uc/sales/silver/orders_clean/part-00000-8a2e.snappy.parquet",
            "uc/sales/gold/daily_revenue/_delta_log/00000000000000000000.json",
            "uc/finance/ledger/entries/_delta_log/00000000000000000000.json")) {
      byte[] content = ("demo object " + key).getBytes(StandardCharsets.UTF_8);
      s3.putObject(PRIMARY_BUCKET, key, content);
      s3.putObject(REPLICA_BUCKET, key, content);
    }
  }
}
