package dev.failover.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.simulator.databricks.AccountState;
import dev.failover.simulator.databricks.DisasterRecoveryState;
import dev.failover.simulator.databricks.GroupsState;
import dev.failover.simulator.databricks.ModelsState;
import dev.failover.simulator.databricks.PermissionsState;
import dev.failover.simulator.databricks.PrincipalsState;
import dev.failover.simulator.databricks.StorageAccessState;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.databricks.WorkspaceTree;
import dev.failover.simulator.iam.IamState;
import dev.failover.simulator.s3.ReplicationConfiguration;
import dev.failover.simulator.s3.S3State;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The demo lakehouse the sandbox drills: a primary workspace in us-east-1 with catalogs, schemas,
 * grants, tables, jobs, warehouses, storage credentials, external locations and registered models,
 * an empty DR workspace in us-west-2 whose account has a metastore there that is not assigned to it
 * yet, the account groups the grants name assigned to both, and a replicated pair of versioned
 * buckets. The names match {@code runbooks/sandbox.yaml}.
 */
public final class DemoWorkspace {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String PRIMARY_BUCKET = "acme-lakehouse-use1";
  public static final String REPLICA_BUCKET = "acme-lakehouse-usw2";

  /** The role of the primary's replication rule: it may replicate primary to replica only. */
  public static final String FORWARD_ROLE = "arn:aws:iam::123456789012:role/s3-replication";

  /**
   * The role a failover's reverse rule assumes (the runbook's {@code reverseReplicationRoleArn}):
   * replica to primary only.
   */
  public static final String REVERSE_ROLE = "arn:aws:iam::123456789012:role/s3-replication-dr";

  /**
   * The role the failover worker's AWS credentials belong to: whatever access key the sandbox and
   * the tests sign with is taken to be its (a fixture, {@link
   * dev.failover.simulator.iam.IamState#signUnknownKeysAs}). It may pass the forward and reverse
   * roles to S3 ({@code iam:PassRole}) and put both buckets' replication configurations, as a
   * failover and a failback do.
   */
  public static final String WORKER_ROLE = "arn:aws:iam::123456789012:role/failover-worker";

  private DemoWorkspace() {}

  public static void seed(Simulator simulator) {
    seedIdentities(simulator.workspace("primary"));
    seedIdentities(simulator.workspace("secondary"));
    // First: Unity Catalog's grants and owners name the account groups.
    seedGroups(simulator);
    seedPrimaryWorkspace(simulator.workspace("primary"));
    seedComputePlacement(simulator.workspace("primary"), simulator.workspace("secondary"));
    seedBuckets(simulator.s3());
    seedTables(simulator.workspace("primary"));
    seedJobsAndWarehouses(simulator.workspace("primary"));
    seedWriters(simulator.workspace("primary"));
    seedReposAndNotebooks(simulator.workspace("primary"));
    seedMetastores(simulator.workspace("primary"), simulator.workspace("secondary"));
    seedStorageAccess(simulator.workspace("primary"));
    seedStorageCredentialTrust(simulator);
    seedModels(simulator.workspace("primary"), simulator.s3());
    seedCompute(simulator.workspace("primary"));
    seedGrantsBeyondCatalogsAndSchemas(simulator.workspace("primary"));
    seedPermissions(simulator);
    seedDisasterRecovery(simulator);
  }

  /** The demo's failover group, which {@code runbooks/sandbox-managed-dr.yaml} names. */
  public static final String FAILOVER_GROUP_ID = "acme-lakehouse";

  /** The demo's stable URL, which follows the failover group's active workspace. */
  public static final String STABLE_URL_ID = "acme-analytics";

  /**
   * A failover group over the two workspaces (as one workspace set, without workspace asset
   * replication, so the engine converges workspace assets as it does without managed DR), ACTIVE in
   * the primary's region, and a stable URL that follows it.
   */
  private static void seedDisasterRecovery(Simulator simulator) {
    DisasterRecoveryState dr = simulator.disasterRecovery();
    long primary = Long.parseLong(simulator.workspace("primary").workspaceId());
    long secondary = Long.parseLong(simulator.workspace("secondary").workspaceId());
    String stableUrl =
        dr.addStableUrl(STABLE_URL_ID, "https://acme-analytics.cloud.databricks.com", primary)
            .name();
    dr.addGroup(
        FAILOVER_GROUP_ID,
        List.of("us-east-1", "us-west-2"),
        "us-east-1",
        List.of(
            new DisasterRecoveryState.WorkspaceSet(
                "acme-lakehouse-workspaces",
                List.of(primary, secondary),
                List.of(stableUrl),
                false)),
        List.of());
  }

  /**
   * The account groups that the demo's grants and owners name, provisioned into the account (as an
   * identity provider's SCIM provisioning leaves them) and assigned to both workspaces through the
   * account's workspace assignments, so that a drill finds every group in DR. The account's
   * workspaces are named and placed as {@code runbooks/sandbox.yaml} says. {@code account users} is
   * the account's built-in group and is not listed by a workspace.
   */
  private static void seedGroups(Simulator simulator) {
    AccountState account = simulator.account();
    long primary = Long.parseLong(simulator.workspace("primary").workspaceId());
    long secondary = Long.parseLong(simulator.workspace("secondary").workspaceId());
    account.describeWorkspace(primary, "acme-prod", "dbc-acme-prod", "us-east-1");
    account.describeWorkspace(secondary, "acme-dr", "dbc-acme-dr", "us-west-2");
    for (Map.Entry<String, List<GroupsState.Member>> group : DEMO_GROUPS.entrySet()) {
      GroupsState.Group created =
          account.groups().create(group.getKey(), null, group.getValue(), List.of(), List.of());
      for (long workspace : List.of(primary, secondary)) {
        account.assign(workspace, Long.parseLong(created.id()), List.of("USER"));
      }
    }
  }

  /**
   * The service principal (by application id) that runs the demo's ETL: it owns a job and may run,
   * attach to and use what the ETL needs.
   */
  public static final String ETL_SERVICE_PRINCIPAL = DemoWorkspace.ETL_RUNNER;

  /**
   * Access control lists on every kind of object the engine converges, naming users, groups and a
   * service principal; ownership of two jobs and a warehouse moved away from their creator. The
   * principals are the demo's SCIM users and service principals ({@link #seedIdentities}).
   */
  private static void seedPermissions(Simulator simulator) {
    WorkspaceState primary = simulator.workspace("primary");
    PermissionsState acl = primary.permissions();
    String sre = primary.userName();
    acl.set(
        "jobs",
        jobId(primary, "nightly-orders-etl"),
        List.of(
            user("maria.garcia@acme.example", "IS_OWNER"),
            group("data-engineers", "CAN_MANAGE"),
            group("analysts", "CAN_VIEW"),
            servicePrincipal("CAN_MANAGE_RUN")));
    acl.set(
        "jobs",
        jobId(primary, "hourly-ledger-refresh"),
        List.of(servicePrincipal("IS_OWNER"), group("finance-team", "CAN_VIEW")));
    acl.set(
        "jobs",
        jobId(primary, "revenue-dashboard-refresh"),
        List.of(
            user("olivia.smith@acme.example", "IS_OWNER"), group("analysts", "CAN_MANAGE_RUN")));
    acl.set(
        "clusters",
        clusterId(primary, "etl-shared"),
        List.of(
            user(sre, "CAN_MANAGE"),
            group("data-engineers", "CAN_RESTART"),
            servicePrincipal("CAN_ATTACH_TO")));
    acl.set(
        "clusters",
        clusterId(primary, "ml-gpu"),
        List.of(user(sre, "CAN_MANAGE"), group("ml-engineers", "CAN_ATTACH_TO")));
    acl.set(
        "cluster-policies",
        policyId(primary, "etl-jobs"),
        List.of(group("data-engineers", "CAN_USE"), servicePrincipal("CAN_USE")));
    acl.set(
        "cluster-policies",
        policyId(primary, "analyst-personal"),
        List.of(group("analysts", "CAN_USE")));
    acl.set(
        "warehouses",
        warehouseId(primary, "bi-warehouse"),
        List.of(
            user(sre, "IS_OWNER"), group("analysts", "CAN_USE"), group("auditors", "CAN_MONITOR")));
    acl.set(
        "warehouses",
        warehouseId(primary, "finance-adhoc"),
        List.of(user("sofia.rossi@acme.example", "IS_OWNER"), group("finance-team", "CAN_USE")));
    WorkspaceTree tree = primary.workspaceTree();
    acl.set(
        "directories",
        objectId(tree, "/Shared/finance"),
        List.of(group("finance-team", "CAN_EDIT")));
    acl.set(
        "directories",
        objectId(tree, "/Shared/etl"),
        List.of(group("data-engineers", "CAN_MANAGE")));
    acl.set(
        "notebooks",
        objectId(tree, "/Shared/finance/quarterly_close"),
        List.of(group("auditors", "CAN_READ")));
    acl.set(
        "repos",
        objectId(tree, "/Repos/etl/lakehouse-pipelines"),
        List.of(group("data-engineers", "CAN_EDIT")));
  }

  private static PermissionsState.Entry user(String name, String level) {
    return new PermissionsState.Entry(PermissionsState.PrincipalKind.USER, name, level);
  }

  private static PermissionsState.Entry group(String name, String level) {
    return new PermissionsState.Entry(PermissionsState.PrincipalKind.GROUP, name, level);
  }

  private static PermissionsState.Entry servicePrincipal(String level) {
    return new PermissionsState.Entry(
        PermissionsState.PrincipalKind.SERVICE_PRINCIPAL, ETL_SERVICE_PRINCIPAL, level);
  }

  private static String jobId(WorkspaceState workspace, String name) {
    return workspace.jobs().jobs().stream()
        .filter(job -> job.settings().path("name").asText().equals(name))
        .findFirst()
        .map(job -> Long.toString(job.jobId()))
        .orElseThrow();
  }

  private static String clusterId(WorkspaceState workspace, String name) {
    return workspace.clusters().clusters().stream()
        .filter(cluster -> cluster.config().path("cluster_name").asText().equals(name))
        .findFirst()
        .orElseThrow()
        .id();
  }

  private static String policyId(WorkspaceState workspace, String name) {
    return workspace.clusterPolicies().list(null, null).stream()
        .filter(policy -> policy.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow()
        .path("policy_id")
        .asText();
  }

  private static String warehouseId(WorkspaceState workspace, String name) {
    return workspace.warehouses().warehouses().stream()
        .filter(warehouse -> warehouse.config().path("name").asText().equals(name))
        .findFirst()
        .orElseThrow()
        .id();
  }

  private static String objectId(WorkspaceTree tree, String path) {
    return Long.toString(tree.status(path).objectId());
  }

  /** The demo's account groups and their members, in the order they are assigned. */
  public static final Map<String, List<GroupsState.Member>> DEMO_GROUPS = demoGroups();

  private static Map<String, List<GroupsState.Member>> demoGroups() {
    Map<String, List<GroupsState.Member>> groups = new LinkedHashMap<>();
    groups.put("data-engineers", List.of(user(1, "maria.garcia"), user(2, "wei.chen")));
    groups.put(
        "analysts", List.of(user(3, "olivia.smith"), user(4, "raj.patel"), user(5, "tom.becker")));
    groups.put("finance-team", List.of(user(6, "sofia.rossi"), user(7, "james.okafor")));
    groups.put(
        "bi-service",
        List.of(
            new GroupsState.Member(
                "7210000000000011", "bi-dashboards", "ServicePrincipals/7210000000000011")));
    groups.put("auditors", List.of(user(8, "emma.larsen")));
    groups.put("platform-admins", List.of(user(9, "lukas.meyer")));
    groups.put("ml-engineers", List.of(user(10, "aisha.khan"), user(2, "wei.chen")));
    groups.put("ml-platform", List.of(user(11, "noah.kim")));
    return Collections.unmodifiableMap(groups);
  }

  /**
   * The application id of the service principal the ETL jobs run as; account identities keep their
   * names and ids in every workspace they are assigned to.
   */
  public static final String ETL_RUNNER = "3f6d2a94-1c57-4e0b-9a8e-5b2c7d1e4f60";

  /** The application id of the service principal the BI dashboards' jobs run as. */
  public static final String BI_DASHBOARDS = "8c1e4b7a-2d93-4f65-b0a8-6e3f9c2d5a17";

  /**
   * The application id of {@code dr-worker}, a service principal that is not a workspace admin, for
   * running the worker with least privilege ({@code failover sandbox drill --worker-principal
   * dr-worker}).
   */
  public static final String DR_WORKER = "d7a2c5e9-4b18-4c3f-8e6a-1f9b3d7c2e54";

  /** The user who owns the nightly ETL job and set it to run as {@link #ETL_RUNNER}. */
  public static final String ETL_OWNER = "maria.garcia@acme.example";

  /** The user who owns the quarterly archive job, which runs as its owner. */
  public static final String ARCHIVE_OWNER = "wei.chen@acme.example";

  /**
   * The account's users and service principals, assigned to the workspace with their account ids,
   * and the {@code servicePrincipal.user} roles (account-level, so the same in both workspaces):
   * the ETL owner may run jobs as {@code etl-runner}, and the workspace's admin, the sandbox's
   * default worker, as both job service principals, so that it may set DR's copies to run as them.
   * {@code dr-worker} holds no role and is no admin.
   */
  private static void seedIdentities(WorkspaceState workspace) {
    PrincipalsState principals = workspace.principals();
    Map<String, GroupsState.Member> users = new LinkedHashMap<>();
    DEMO_GROUPS.values().stream()
        .flatMap(List::stream)
        .filter(m -> m.ref().startsWith("Users/"))
        .forEach(m -> users.putIfAbsent(m.value(), m));
    users
        .values()
        .forEach(
            m ->
                principals.addAccountPrincipal(
                    PrincipalsState.Kind.USER, m.value(), m.display(), m.display()));
    PrincipalsState.Kind sp = PrincipalsState.Kind.SERVICE_PRINCIPAL;
    principals.addAccountPrincipal(sp, "7210000000000011", BI_DASHBOARDS, "bi-dashboards");
    principals.addAccountPrincipal(sp, "7210000000000012", ETL_RUNNER, "etl-runner");
    principals.addAccountPrincipal(sp, "7210000000000013", DR_WORKER, "dr-worker");
    principals.grantServicePrincipalUser(ETL_RUNNER, ETL_OWNER);
    principals.grantServicePrincipalUser(ETL_RUNNER, workspace.userName());
    principals.grantServicePrincipalUser(BI_DASHBOARDS, workspace.userName());
  }

  private static GroupsState.Member user(int n, String name) {
    String id = Long.toString(7_200_000_000_000_000L + n);
    return new GroupsState.Member(id, name + "@acme.example", "Users/" + id);
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
    // finance is managed with Terraform, whose provider deletes the default schema Unity Catalog
    // makes with each catalog (catalog/resource_catalog.go): it has none.
    uc.deleteSchema("finance.default");

    // Creating a catalog creates its `default` schema; main's carries a comment of its own.
    uc.updateSchema("main.default", "Default schema", null, null);
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

  /**
   * Grants on the other securable types a run converges: the metastore, a storage credential, an
   * external location, a table, a view and a registered model.
   */
  private static void seedGrantsBeyondCatalogsAndSchemas(WorkspaceState uc) {
    grant(
        uc,
        "metastore",
        uc.metastoreId(),
        "platform-admins",
        "CREATE_CATALOG",
        "CREATE_EXTERNAL_LOCATION");
    grant(
        uc,
        "storage_credential",
        "lakehouse-rw",
        "data-engineers",
        "CREATE_EXTERNAL_TABLE",
        "READ_FILES");
    grant(uc, "external_location", "sales-landing", "data-engineers", "READ_FILES", "WRITE_FILES");
    grant(uc, "external_location", "finance-exports", "finance-team", "READ_FILES");
    grant(uc, "table", "sales.bronze.orders", "analysts", "SELECT");
    grant(uc, "table", "sales.gold.weekly_revenue", "bi-service", "SELECT");
    grant(uc, "function", "sales.gold.churn_classifier", "ml-engineers", "EXECUTE");
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

  /**
   * The raw orders: {@code order_id} an identity column and {@code order_date} a generated one, as
   * Delta keeps them in the schema's field metadata (PROTOCOL.md, "Identity Columns" and "Generated
   * Columns"; both need writer version 6 and 4 respectively, so the table is at writer version 6).
   */
  private static final String RAW_ORDERS_SCHEMA =
      "{\"type\":\"struct\",\"fields\":["
          + "{\"name\":\"order_id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{"
          + "\"delta.identity.start\":1,\"delta.identity.step\":1,"
          + "\"delta.identity.allowExplicitInsert\":false}},"
          + "{\"name\":\"amount\",\"type\":\"decimal(12,2)\",\"nullable\":true,\"metadata\":{}},"
          + "{\"name\":\"order_ts\",\"type\":\"timestamp\",\"nullable\":true,\"metadata\":{}},"
          + "{\"name\":\"order_date\",\"type\":\"date\",\"nullable\":true,\"metadata\":{"
          + "\"delta.generationExpression\":\"CAST(order_ts AS DATE)\"}}]}";

  /** The raw orders table: the one with an identity and a generated column. */
  public static final String RAW_ORDERS_TABLE = "sales.bronze.orders";

  private static final List<WorkspaceState.Column> RAW_ORDERS_COLUMNS =
      List.of(
          new WorkspaceState.Column("order_id", "bigint", false, null),
          new WorkspaceState.Column("amount", "decimal(12,2)", true, null),
          new WorkspaceState.Column("order_ts", "timestamp", true, null),
          new WorkspaceState.Column("order_date", "date", true, null));

  private static final String FEATURES_SCHEMA =
      "{\"type\":\"struct\",\"fields\":["
          + "{\"name\":\"customer_id\",\"type\":\"long\",\"nullable\":false,"
          + "\"metadata\":{\"comment\":\"Customer key\"}},"
          + "{\"name\":\"orders_30d\",\"type\":\"integer\",\"nullable\":true,"
          + "\"metadata\":{\"comment\":\"Orders in the last 30 days\"}},"
          + "{\"name\":\"revenue_30d\",\"type\":\"decimal(12,2)\",\"nullable\":true,"
          + "\"metadata\":{\"comment\":\"Revenue in the last 30 days\"}}]}";

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
   * Leaves {@link #REVERSE_ROLE} able to read the replica for replication but not to write the
   * primary, as a reverse role copied from the forward one without its destination would be: every
   * object replicated back with it ends FAILED.
   */
  public static void denyReplicatingBack(Simulator simulator) {
    simulator.iam().clearPermissions(REVERSE_ROLE);
    simulator.iam().allowReplicationSource(REVERSE_ROLE, REPLICA_BUCKET);
  }

  /**
   * Both buckets were made by CloudFormation stacks, so they carry its {@code aws:cloudformation:*}
   * system tags, as many real lakehouse buckets do. The primary bucket replicates every key to the
   * DR bucket, delete markers included, as the failover runbook expects. The Delta tables are
   * written to the primary only, and reach the replica by replication, which is asynchronous: one
   * data file of {@link #TORN_TABLE}'s newest commit fails to replicate (as objects do when, say, a
   * KMS key or permission is wrong), so its replica is torn at that version and the Delta check has
   * something to find.
   *
   * <p>The IAM roles are those a real account would have: the forward role may replicate primary to
   * replica and nothing else, and a separate reverse role replica to primary.
   */
  private static void seedBuckets(S3State s3) {
    s3.iam().createReplicationRole(FORWARD_ROLE, PRIMARY_BUCKET, REPLICA_BUCKET);
    s3.iam().createReplicationRole(REVERSE_ROLE, REPLICA_BUCKET, PRIMARY_BUCKET);
    s3.iam().createRole(WORKER_ROLE);
    s3.iam().allow(WORKER_ROLE, FORWARD_ROLE, IamState.PASS_ROLE);
    s3.iam().allow(WORKER_ROLE, REVERSE_ROLE, IamState.PASS_ROLE);
    for (String bucket : List.of(PRIMARY_BUCKET, REPLICA_BUCKET)) {
      s3.iam()
          .allow(WORKER_ROLE, IamState.bucketArn(bucket), IamState.PUT_REPLICATION_CONFIGURATION);
    }
    s3.iam().signUnknownKeysAs(WORKER_ROLE);
    s3.createStackBucket(
        PRIMARY_BUCKET,
        "us-east-1",
        "primary",
        "acme-lakehouse-storage",
        "LakehouseBucket",
        Map.of("team", "data-platform"));
    s3.setVersioning(PRIMARY_BUCKET, "Enabled");
    s3.createStackBucket(
        REPLICA_BUCKET, "us-west-2", "secondary", "acme-lakehouse-dr", "ReplicaBucket", Map.of());
    s3.setVersioning(REPLICA_BUCKET, "Enabled");
    s3.putReplication(
        PRIMARY_BUCKET,
        new ReplicationConfiguration(
            FORWARD_ROLE,
            List.of(
                ReplicationConfiguration.Rule.of(
                    "lakehouse-to-dr",
                    1,
                    "Enabled",
                    "",
                    "arn:aws:s3:::" + REPLICA_BUCKET,
                    "Enabled"))));

    DeltaTableWriter orders =
        new DeltaTableWriter(s3, PRIMARY_BUCKET, DELTA_TABLES.get("sales.bronze.orders"));
    orders.create(RAW_ORDERS_SCHEMA, 6);
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

  /**
   * The jobs are owned by and run as different identities: {@code nightly-orders-etl} is owned by
   * {@link #ETL_OWNER} and runs as {@code etl-runner}, {@code hourly-ledger-refresh} is owned by
   * and runs as {@code etl-runner}, {@code quarterly-archive} is owned by and runs as {@link
   * #ARCHIVE_OWNER}, {@code revenue-dashboard-refresh} runs as {@code bi-dashboards}; the others
   * are the admin's.
   */
  private static void seedJobsAndWarehouses(WorkspaceState workspace) {
    PrincipalsState principals = workspace.principals();
    ObjectNode nightly = job("nightly-orders-etl", "0 0 2 * * ?", "UNPAUSED");
    nightly.putObject("run_as").put("service_principal_name", ETL_RUNNER);
    workspace.jobs().create(nightly, principals.named(ETL_OWNER).orElseThrow());
    workspace
        .jobs()
        .create(
            job("hourly-ledger-refresh", "0 0 * * * ?", "UNPAUSED"),
            principals.named(ETL_RUNNER).orElseThrow());
    // Paused on purpose by its owners: a failback must not wake it up.
    workspace
        .jobs()
        .create(
            job("quarterly-archive", "0 0 3 1 1/3 ?", "PAUSED"),
            principals.named(ARCHIVE_OWNER).orElseThrow());
    workspace.jobs().create(job("adhoc-backfill", null, null));
    long fanOut = workspace.jobs().create(fanOut());
    workspace.jobs().create(ordersChain(fanOut));
    ObjectNode bi = JSON.createObjectNode();
    bi.put("name", "bi-warehouse").put("cluster_size", "Small").put("auto_stop_mins", 30);
    workspace.warehouses().create(bi);
    ObjectNode adhoc = JSON.createObjectNode();
    adhoc.put("name", "finance-adhoc").put("cluster_size", "X-Small").put("auto_stop_mins", 10);
    workspace.warehouses().stop(workspace.warehouses().create(adhoc));
  }

  /** The job a file arriving under the landing prefix starts (a file-arrival trigger). */
  public static final String FILE_ARRIVAL_JOB = "landing-files-ingest";

  /** A continuous job: the Jobs service keeps one run of it going while it is unpaused. */
  public static final String CONTINUOUS_JOB = "orders-stream-enrich";

  /** An on-demand job with a run in progress when the demo starts. */
  public static final String RUNNING_JOB = "ledger-backfill";

  /** A continuous pipeline with its update running. */
  public static final String CONTINUOUS_PIPELINE = "orders-cdc-pipeline";

  /**
   * What writes to the primary besides schedules: a job started by file arrival, a continuous job
   * (with its run), a job run in progress and a continuous pipeline. A fence stops each.
   */
  private static void seedWriters(WorkspaceState workspace) {
    ObjectNode landing = notebookJob(FILE_ARRIVAL_JOB);
    landing
        .putObject("trigger")
        .put("pause_status", "UNPAUSED")
        .putObject("file_arrival")
        .put("url", "s3://" + PRIMARY_BUCKET + "/landing/")
        .put("min_time_between_triggers_seconds", 60);
    workspace.jobs().create(landing);
    ObjectNode stream = notebookJob(CONTINUOUS_JOB);
    stream.putObject("continuous").put("pause_status", "UNPAUSED");
    workspace.jobs().create(stream);
    long backfill = workspace.jobs().create(notebookJob(RUNNING_JOB));
    workspace.jobs().startRun(backfill, "ONE_TIME", java.time.Duration.ofHours(6));
    ObjectNode pipeline = JSON.createObjectNode();
    pipeline.put("name", CONTINUOUS_PIPELINE).put("continuous", true).put("catalog", "sales");
    pipeline.put("schema", "silver").put("serverless", true);
    pipeline
        .putArray("libraries")
        .addObject()
        .putObject("notebook")
        .put("path", "/Repos/etl/" + CONTINUOUS_PIPELINE);
    workspace.pipelines().startUpdate(workspace.pipelines().create(pipeline));
  }

  private static ObjectNode notebookJob(String name) {
    ObjectNode job = JSON.createObjectNode();
    job.put("name", name);
    job.putObject("tags").put("team", "data-platform");
    ObjectNode task = job.putArray("tasks").addObject();
    task.put("task_key", "main");
    task.putObject("notebook_task").put("notebook_path", "/Repos/etl/" + name);
    return job;
  }

  /** A job with more tasks than {@code jobs/get} returns on one page: one task per region. */
  private static ObjectNode fanOut() {
    ObjectNode job = JSON.createObjectNode();
    job.put("name", "regional-orders-fanout");
    job.putObject("tags").put("team", "data-platform");
    var tasks = job.putArray("tasks");
    for (int i = 0; i < 120; i++) {
      ObjectNode task = tasks.addObject();
      task.put("task_key", String.format("region_%03d", i));
      task.putObject("spark_python_task")
          .put("python_file", "s3://" + PRIMARY_BUCKET + "/code/fanout/region.py")
          .putArray("parameters")
          .add(String.valueOf(i));
    }
    job.putObject("schedule")
        .put("quartz_cron_expression", "0 30 4 * * ?")
        .put("timezone_id", "Europe/Amsterdam")
        .put("pause_status", "UNPAUSED");
    return job;
  }

  /**
   * An on-demand job that runs another job ({@code run_job_task}) by its id, which differs in DR:
   * converge points the copy at DR's copy of the fan-out job.
   */
  private static ObjectNode ordersChain(long fanOutJobId) {
    ObjectNode job = JSON.createObjectNode();
    job.put("name", "orders-chain");
    job.putObject("tags").put("team", "data-platform");
    ObjectNode task = job.putArray("tasks").addObject();
    task.put("task_key", "run_fanout");
    task.putObject("run_job_task").put("job_id", fanOutJobId);
    return job;
  }

  /**
   * A job that names workspace objects by id, as jobs do: a SQL task on the BI warehouse and a job
   * cluster under the ETL policy. The ids differ in DR; converge points the copy at DR's objects of
   * the same names.
   */
  private static void seedJobUsingComputeByIds(WorkspaceState workspace, String policyId) {
    String warehouseId =
        workspace.warehouses().warehouses().stream()
            .filter(w -> w.config().path("name").asText().equals("bi-warehouse"))
            .findFirst()
            .orElseThrow()
            .id();
    ObjectNode job = JSON.createObjectNode();
    job.put("name", "revenue-dashboard-refresh");
    job.putObject("tags").put("team", "analytics");
    ObjectNode cluster = job.putArray("job_clusters").addObject();
    cluster.put("job_cluster_key", "etl");
    cluster
        .putObject("new_cluster")
        .put("spark_version", "15.4.x-scala2.12")
        .put("node_type_id", "i3.xlarge")
        .put("num_workers", 2)
        .put("policy_id", policyId)
        .set("aws_attributes", etlPlacement());
    var tasks = job.putArray("tasks");
    ObjectNode compact = tasks.addObject();
    compact.put("task_key", "compact").put("job_cluster_key", "etl");
    compact
        .putObject("spark_python_task")
        .put("python_file", "s3://" + PRIMARY_BUCKET + "/code/revenue/compact.py");
    ObjectNode refresh = tasks.addObject();
    refresh.put("task_key", "refresh");
    refresh.putArray("depends_on").addObject().put("task_key", "compact");
    refresh
        .putObject("sql_task")
        .put("warehouse_id", warehouseId)
        .putObject("file")
        .put("path", "/Shared/finance/quarterly_close");
    job.putObject("schedule")
        .put("quartz_cron_expression", "0 15 6 * * ?")
        .put("timezone_id", "UTC")
        .put("pause_status", "UNPAUSED");
    job.putObject("run_as").put("service_principal_name", BI_DASHBOARDS);
    workspace.jobs().create(job);
  }

  /**
   * Creates an on-demand Python job in the workspace, as someone does on the primary after a
   * capture: the drift a later run picks up. Returns its id.
   */
  public static long addPythonJob(WorkspaceState workspace, String name) {
    ObjectNode job = JSON.createObjectNode();
    job.put("name", name);
    ObjectNode task = job.putArray("tasks").addObject();
    task.put("task_key", "main");
    task.putObject("spark_python_task")
        .put("python_file", "s3://" + PRIMARY_BUCKET + "/code/" + name + ".py");
    return workspace.jobs().create(job);
  }

  private static ObjectNode job(String name, String cron, String pause) {
    ObjectNode job = JSON.createObjectNode();
    job.put("name", name);
    job.putObject("tags").put("team", "data-platform");
    ObjectNode task = job.putArray("tasks").addObject();
    task.put("task_key", "main");
    task.putObject("notebook_task")
        .put("notebook_path", "/Repos/etl/" + name)
        .putObject("base_parameters")
        .put("input", "s3://" + PRIMARY_BUCKET + "/raw/" + name + "/");
    if (cron != null) {
      job.putObject("schedule")
          .put("quartz_cron_expression", cron)
          .put("timezone_id", "UTC")
          .put("pause_status", pause);
    }
    return job;
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
                  features
                      ? FEATURES_COLUMNS
                      : fullName.equals(RAW_ORDERS_TABLE) ? RAW_ORDERS_COLUMNS : ORDERS_COLUMNS,
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
    view(
        uc,
        "sales.gold.daily_revenue",
        "SELECT date(order_ts) AS day, sum(amount) AS revenue FROM sales.silver.orders_clean"
            + " GROUP BY 1",
        "Revenue per day",
        "sales.gold");
    view(
        uc,
        "sales.gold.weekly_revenue",
        "SELECT date_trunc('WEEK', day) AS week, sum(revenue) AS revenue"
            + " FROM sales.gold.daily_revenue GROUP BY 1",
        "Revenue per week, from the daily view",
        "sales.gold");
    // Written after USE sales.silver: its unqualified name is sales.silver.orders_clean, which
    // only the view's stored catalog and schema say.
    view(
        uc,
        UNQUALIFIED_VIEW,
        "SELECT order_id, amount FROM orders_clean WHERE amount > 100",
        "Large orders; its query names the table without catalog and schema",
        "sales.silver");
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

  /** The view whose query names its table unqualified, created while sales.silver was current. */
  public static final String UNQUALIFIED_VIEW = "sales.gold.large_orders";

  /**
   * A view as the service keeps it: its query as written and, in its properties, the catalog and
   * schema that were current when it was created ({@code view.catalogAndNamespace.*}).
   */
  private static void view(
      WorkspaceState uc, String fullName, String query, String comment, String current) {
    int dot = fullName.lastIndexOf('.');
    String[] context = current.split("\\.");
    uc.createTable(
        fullName.substring(0, dot),
        fullName.substring(dot + 1),
        "VIEW",
        null,
        null,
        query,
        comment,
        List.of(),
        null,
        Map.of(
            "view.catalogAndNamespace.numParts", "2",
            "view.catalogAndNamespace.part.0", context[0],
            "view.catalogAndNamespace.part.1", context[1]));
  }

  /** The primary's ETL instance profile, registered with the primary only. */
  public static final String PRIMARY_INSTANCE_PROFILE =
      "arn:aws:iam::123456789012:instance-profile/acme-etl-use1";

  /** DR's ETL instance profile, registered with DR only; the runbook maps the primary's to it. */
  public static final String DR_INSTANCE_PROFILE =
      "arn:aws:iam::123456789012:instance-profile/acme-etl-usw2";

  /** The zone of the primary's region that the ETL clusters are placed in. */
  public static final String PRIMARY_ZONE = "us-east-1c";

  /**
   * Each workspace's region (as {@code runbooks/sandbox.yaml} places them) and the instance profile
   * registered with it, one per region, so that a cluster copied verbatim to DR is refused.
   */
  private static void seedComputePlacement(WorkspaceState primary, WorkspaceState secondary) {
    primary.computePlacement().setRegion("us-east-1");
    primary.computePlacement().addInstanceProfile(PRIMARY_INSTANCE_PROFILE);
    secondary.computePlacement().setRegion("us-west-2");
    secondary.computePlacement().addInstanceProfile(DR_INSTANCE_PROFILE);
  }

  /**
   * The workspace's default "Job Compute" policy, edited as admins do: rules added to its family's
   * by overrides (the default policy itself cannot be replaced nor deleted).
   */
  private static void editJobComputePolicy(WorkspaceState workspace) {
    ObjectNode jobCompute =
        workspace.clusterPolicies().list(null, null).stream()
            .filter(p -> p.path("name").asText().equals("Job Compute"))
            .findFirst()
            .orElseThrow();
    jobCompute.remove("definition");
    jobCompute.put(
        "policy_family_definition_overrides",
        "{\"spark_version\":{\"type\":\"fixed\",\"value\":\"15.4.x-scala2.12\"}}");
    workspace.clusterPolicies().edit(jobCompute);
  }

  /**
   * Two cluster policies (one from the Personal Compute family), the default Job Compute policy
   * edited, and three all-purpose clusters, one governed by a policy, each with storage paths in
   * the replicated bucket (init scripts, log delivery, Spark configuration) that a DR copy must
   * point at the replica.
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
    seedJobUsingComputeByIds(workspace, etlPolicy);
    ObjectNode analysts = JSON.createObjectNode();
    analysts.put("name", "analyst-personal");
    analysts.put("policy_family_id", "personal-vm");
    analysts.put(
        "policy_family_definition_overrides",
        "{\"autotermination_minutes\":{\"type\":\"fixed\",\"value\":30}}");
    analysts.put("max_clusters_per_user", 1);
    workspace.clusterPolicies().create(analysts);
    editJobComputePolicy(workspace);

    ObjectNode etlCluster = cluster("etl-shared", "i3.xlarge");
    etlCluster.put("policy_id", etlPolicy);
    etlCluster.putObject("autoscale").put("min_workers", 2).put("max_workers", 8);
    etlCluster.set("aws_attributes", etlPlacement());
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

  /** The ETL clusters' placement: a zone of the primary's region and its instance profile. */
  private static ObjectNode etlPlacement() {
    ObjectNode aws = JSON.createObjectNode();
    aws.put("availability", "ON_DEMAND");
    aws.put("zone_id", PRIMARY_ZONE);
    aws.put("instance_profile_arn", PRIMARY_INSTANCE_PROFILE);
    return aws;
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

  /**
   * Git folders in {@code /Repos} (three providers, one on a release branch, one with sparse
   * checkout) and notebooks in {@code /Shared} and a user's home folder, in Python, SQL and Scala.
   * The ingest notebook names the primary bucket: notebook source is code, which converge copies
   * unchanged.
   */
  private static void seedReposAndNotebooks(WorkspaceState workspace) {
    WorkspaceTree tree = workspace.workspaceTree();
    tree.mkdirs("/Repos/etl");
    tree.mkdirs("/Repos/analytics");
    tree.createRepo(
        "https://github.com/acme-data/lakehouse-pipelines.git",
        "gitHub",
        "/Repos/etl/lakehouse-pipelines",
        null);
    long dashboards =
        tree.createRepo(
                "https://gitlab.com/acme-analytics/finance-dashboards.git",
                "gitLab",
                "/Repos/analytics/finance-dashboards",
                null)
            .id();
    tree.updateRepo(dashboards, "release/2024.06", null, null);
    tree.createRepo(
        "https://dev.azure.com/acme/platform/_git/dr-runbooks",
        "azureDevOpsServices",
        "/Repos/" + workspace.userName() + "/dr-runbooks",
        List.of("runbooks", "checks"));
    tree.mkdirs("/Shared/etl");
    tree.mkdirs("/Shared/finance");
    tree.mkdirs("/Users/" + workspace.userName() + "/scratch");
    tree.importNotebook(
        "/Shared/etl/ingest_orders",
        "PYTHON",
        "raw = spark.read.json(\"s3://"
            + PRIMARY_BUCKET
            + "/landing/orders/\")\n"
            + "raw.write.mode(\"append\").saveAsTable(\"sales.bronze.orders\")\n",
        false);
    tree.importNotebook(
        "/Shared/etl/refresh_ledger", "SQL", "REFRESH TABLE finance.ledger.entries;\n", false);
    tree.importNotebook(
        "/Shared/finance/quarterly_close",
        "SQL",
        "SELECT quarter, sum(amount) FROM finance.ledger.entries GROUP BY quarter;\n",
        false);
    tree.importNotebook(
        "/Shared/finance/revenue_model",
        "PYTHON",
        "df = spark.table(\"finance.ledger.entries\")\ndisplay(df.groupBy(\"region\").sum(\"amount\"))\n",
        false);
    tree.importNotebook(
        "/Users/" + workspace.userName() + "/scratch/explore_orders",
        "SCALA",
        "val orders = spark.table(\"sales.silver.orders_clean\")\ndisplay(orders.limit(10))\n",
        false);
  }

  /** The account's metastores, one per region; the primary is assigned its own, DR none yet. */
  public static final String PRIMARY_METASTORE = "acme-use1";

  public static final String DR_METASTORE = "acme-usw2";

  /**
   * Both workspaces see the account's two metastores (each the one its workspace state reports as
   * its metastore id). The primary is assigned the us-east-1 metastore with {@code main} as its
   * default catalog; DR, in us-west-2, is assigned nothing, as a workspace created for DR before
   * its first failover is, so converge assigns it the metastore of its region.
   */
  private static void seedMetastores(WorkspaceState primary, WorkspaceState secondary) {
    for (WorkspaceState workspace : List.of(primary, secondary)) {
      workspace
          .metastores()
          .register(
              primary.metastoreId(),
              PRIMARY_METASTORE,
              "us-east-1",
              "s3://" + PRIMARY_BUCKET + "/uc/metastore");
      workspace
          .metastores()
          .register(
              secondary.metastoreId(),
              DR_METASTORE,
              "us-west-2",
              "s3://" + REPLICA_BUCKET + "/uc/metastore");
    }
    primary.metastores().setRegion("us-east-1");
    secondary.metastores().setRegion("us-west-2");
    primary.metastores().assign(primary.metastores().workspaceId(), primary.metastoreId(), "main");
  }

  /** Three storage credentials and four external locations under the primary bucket. */
  private static void seedStorageAccess(WorkspaceState workspace) {
    StorageAccessState storage = workspace.storageAccess();
    storage.createCredential(
        "lakehouse-rw",
        new StorageAccessState.CredentialFields(
            "arn:aws:iam::123456789012:role/uc-lakehouse-rw",
            "Read and write the lakehouse bucket",
            "platform-admins",
            false));
    storage.createCredential(
        "lakehouse-ro",
        new StorageAccessState.CredentialFields(
            "arn:aws:iam::123456789012:role/uc-lakehouse-ro",
            "Read-only access for partner feeds",
            "platform-admins",
            true));
    storage.createCredential(
        "mlflow-artifacts",
        new StorageAccessState.CredentialFields(
            "arn:aws:iam::123456789012:role/uc-mlflow-artifacts", null, "ml-platform", false));
    location(storage, "sales-landing", "landing/sales", "lakehouse-rw", "data-engineers", false);
    location(storage, "finance-exports", "exports/finance", "lakehouse-rw", "finance-team", false);
    location(storage, "partner-feeds", "partners", "lakehouse-ro", "platform-admins", true);
    location(storage, "ml-artifacts", "mlflow-artifacts", "mlflow-artifacts", "ml-platform", false);
  }

  // ---- Storage credentials' IAM roles and the DR credentials set up ahead of time ----

  /**
   * Each primary storage credential's DR twin, set up ahead of time on the same IAM role, as {@code
   * runbooks/sandbox.yaml} maps them ({@code storageCredentials.map}).
   */
  public static final Map<String, String> DR_CREDENTIALS =
      Map.of(
          "lakehouse-rw", "lakehouse-rw-dr",
          "lakehouse-ro", "lakehouse-ro-dr",
          "mlflow-artifacts", "mlflow-artifacts-dr");

  /**
   * The IAM roles of the primary's storage credentials, with access to both buckets (a role is
   * global, so one role serves the primary and its replica), and trust policies that accept the
   * primary credentials' external ids and those of their DR twins, created in the DR workspace
   * before any incident. A credential created in DR later has an external id no role trusts.
   */
  private static void seedStorageCredentialTrust(Simulator simulator) {
    StorageAccessState primary = simulator.workspace("primary").storageAccess();
    StorageAccessState dr = simulator.workspace("secondary").storageAccess();
    for (StorageAccessState.Credential credential : primary.credentials()) {
      String role = credential.roleArn();
      simulator.iam().createRole(role);
      simulator.iam().allowStorageAccess(role, PRIMARY_BUCKET, credential.readOnly());
      simulator.iam().allowStorageAccess(role, REPLICA_BUCKET, credential.readOnly());
      simulator.iam().trustUnityCatalog(role, credential.externalId());
      StorageAccessState.Credential twin =
          dr.createCredential(
              DR_CREDENTIALS.get(credential.name()),
              new StorageAccessState.CredentialFields(
                  role,
                  "DR twin of " + credential.name() + ", trusted ahead of time",
                  credential.owner(),
                  credential.readOnly()));
      simulator.iam().trustUnityCatalog(role, twin.externalId());
    }
  }

  private static void location(
      StorageAccessState storage,
      String name,
      String prefix,
      String credential,
      String owner,
      boolean readOnly) {
    storage.createLocation(
        name,
        new StorageAccessState.LocationFields(
            "s3://" + PRIMARY_BUCKET + "/" + prefix,
            credential,
            "Demo external location " + name,
            owner,
            readOnly));
  }

  /**
   * Two registered models, one in a schema with its own storage root and one in a catalog's, with
   * versions registered from MLflow run artifacts under the primary bucket. Each version's files
   * ({@link #modelFiles}) are under its {@code source} and, as MLflow's client copies them when it
   * registers a version, in its storage location; replication carries both to the replica.
   */
  private static void seedModels(WorkspaceState workspace, S3State s3) {
    ModelsState models = workspace.models();
    model(models, s3, "sales", "gold", "churn_classifier", "Predicts customer churn", 3);
    model(
        models, s3, "finance", "reporting", "fraud_detector", "Flags suspicious ledger entries", 2);
    s3.pendingReplications(PRIMARY_BUCKET);
  }

  private static void model(
      ModelsState models,
      S3State s3,
      String catalog,
      String schema,
      String name,
      String comment,
      int versions) {
    ModelsState.Model model = models.createModel(catalog, schema, name, comment);
    models.updateModel(model.fullName(), null, "ml-platform");
    for (int v = 1; v <= versions; v++) {
      // MLflow run ids are 32 hex digits.
      String runId =
          UUID.nameUUIDFromBytes((model.fullName() + "/" + v).getBytes(StandardCharsets.UTF_8))
              .toString()
              .replace("-", "");
      String source = "mlflow-artifacts/4242/" + runId + "/artifacts/model";
      ModelsState.Version version =
          models.createVersion(
              model.fullName(),
              "s3://" + PRIMARY_BUCKET + "/" + source,
              runId,
              "Trained on the v" + v + " feature set");
      String storage =
          version.storageLocation().substring(("s3://" + PRIMARY_BUCKET + "/").length());
      modelFiles(model.fullName(), v)
          .forEach(
              (path, content) -> {
                s3.putObject(PRIMARY_BUCKET, source + "/" + path, content);
                s3.putObject(PRIMARY_BUCKET, storage + "/" + path, content);
              });
      models.finalizeVersion(model.fullName(), v);
    }
  }

  /**
   * The files of a demo model version, by path under its directory: an MLflow model as {@code
   * mlflow.sklearn} saves it (the {@code MLmodel} descriptor, the environment files and the pickled
   * model, some 48 KiB of bytes that differ per version).
   */
  public static Map<String, byte[]> modelFiles(String fullName, int version) {
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    String id = fullName + " v" + version;
    files.put(
        "MLmodel",
        ("artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.sklearn\n"
                + "    model_path: model.pkl\n  sklearn:\n    pickled_model: model.pkl\n"
                + "    sklearn_version: 1.4.2\nmlflow_version: 2.12.1\nmodel_uuid: "
                + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8))
                + "\n")
            .getBytes(StandardCharsets.UTF_8));
    files.put(
        "conda.yaml",
        "channels:\n- conda-forge\ndependencies:\n- python=3.11.8\n- pip:\n  - mlflow==2.12.1\n"
            .getBytes(StandardCharsets.UTF_8));
    files.put("python_env.yaml", "python: 3.11.8\n".getBytes(StandardCharsets.UTF_8));
    files.put(
        "requirements.txt",
        "mlflow==2.12.1\nscikit-learn==1.4.2\n".getBytes(StandardCharsets.UTF_8));
    byte[] pickle = new byte[48 * 1024 + version];
    new java.util.Random(id.hashCode()).nextBytes(pickle);
    files.put("model.pkl", pickle);
    return files;
  }
}
