package dev.failover.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.Simulator;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.simulator.databricks.WorkspaceTree;
import dev.failover.simulator.s3.ReplicationConfiguration;
import dev.failover.simulator.s3.S3State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's primary workspace at a scale: 1.0 is 1,000 schemas, 20,000 tables, 50,000 grants,
 * 5,000 jobs, 100 SQL warehouses, 500 Git folders, 2,000 notebooks, 200 registered models and
 * 1,000,000 object versions in the primary bucket, 100,000 of them in the lookback window. It is
 * written into the simulator's state directly, before the profile is played.
 *
 * @param scale the fraction of the full size
 * @param replicationMetrics whether the bucket's replication rule enables S3 Replication metrics
 */
public record BenchmarkWorkspace(double scale, boolean replicationMetrics) {
  static final String CATALOG = "bench";

  /** Table folders the bucket's versions are spread over. */
  static final int TABLE_FOLDERS = 64;

  private static final ObjectMapper JSON = new ObjectMapper();

  int schemas() {
    return count(1_000);
  }

  int tables() {
    return count(20_000);
  }

  int grants() {
    return count(50_000);
  }

  int jobs() {
    return count(5_000);
  }

  int warehouses() {
    return count(100);
  }

  int gitFolders() {
    return count(500);
  }

  int notebooks() {
    return count(2_000);
  }

  int models() {
    return count(200);
  }

  int objectVersions() {
    return count(1_000_000);
  }

  int versionsInWindow() {
    return count(100_000);
  }

  /**
   * Turns on S3 Replication metrics on the demo's rule, as an operator who set the bucket up long
   * ago would have: CloudWatch has reported them since a day before the run (a fixture; S3 begins
   * reporting 15 minutes after they are enabled), so readiness reads the backlog from them.
   */
  static void enableReplicationMetrics(S3State s3) {
    ReplicationConfiguration config = s3.replication(DemoWorkspace.PRIMARY_BUCKET);
    List<ReplicationConfiguration.Rule> rules =
        config.rules().stream().map(ReplicationConfiguration.Rule::withMetricsEnabled).toList();
    s3.putReplication(
        DemoWorkspace.PRIMARY_BUCKET, new ReplicationConfiguration(config.role(), rules));
    s3.replicationMetricsEnabledAt(
        DemoWorkspace.PRIMARY_BUCKET, Instant.now().minus(Duration.ofDays(1)));
  }

  private int count(int full) {
    return (int) Math.max(1, Math.round(full * scale));
  }

  /** Writes everything into the simulator's primary workspace and bucket. */
  void seed(Simulator simulator) {
    WorkspaceState primary = simulator.workspace("primary");
    seedGroups(simulator);
    seedCatalog(primary);
    seedJobs(primary, 0, jobs());
    seedWarehouses(primary);
    seedTree(primary.workspaceTree());
    seedModels(primary);
    seedVersions(simulator.s3());
    if (replicationMetrics) {
      enableReplicationMetrics(simulator.s3());
    }
  }

  /**
   * The account groups the grants name ({@code group-N}, and {@code group-drift} for {@link
   * #drift}): Unity Catalog grants only to principals the account has.
   */
  private void seedGroups(Simulator simulator) {
    List<String> names = new java.util.ArrayList<>();
    for (int g = 0; g < grants(); g += schemas()) {
      names.add("group-" + (g / schemas()));
    }
    names.add("group-drift");
    for (String name : names) {
      if (simulator.account().groups().named(name).isEmpty()) {
        simulator.account().groups().create(name, null, List.of(), List.of(), List.of());
      }
    }
  }

  private void seedCatalog(WorkspaceState primary) {
    primary.createCatalog(CATALOG, "Generated for the benchmark", Map.of(), null);
    for (int s = 0; s < schemas(); s++) {
      primary.createSchema(CATALOG, schema(s), null, Map.of(), null);
    }
    addTables(primary, 0, tables());
    for (int g = 0; g < grants(); g++) {
      int s = g % schemas();
      primary.changeGrants(
          "schema",
          CATALOG + "." + schema(s),
          "group-" + (g / schemas()),
          g % 2 == 0 ? List.of("USE_SCHEMA", "SELECT") : List.of("USE_SCHEMA"),
          List.of());
    }
  }

  /** Tables {@code from} to {@code from + count}, spread over the schemas. */
  void addTables(WorkspaceState primary, int from, int count) {
    for (int t = from; t < from + count; t++) {
      primary.createTable(
          CATALOG + "." + schema(t % schemas()),
          String.format("table_%06d", t),
          "MANAGED",
          "DELTA",
          null,
          null,
          "generated");
    }
  }

  /** Jobs {@code from} to {@code from + count}. */
  void seedJobs(WorkspaceState primary, int from, int count) {
    for (int i = from; i < from + count; i++) {
      ObjectNode job = JSON.createObjectNode();
      job.put("name", String.format("bench-job-%05d", i));
      job.putObject("tags").put("team", "team-" + (i % 17));
      ObjectNode task = job.putArray("tasks").addObject();
      task.put("task_key", "main");
      task.putObject("spark_python_task")
          .put("python_file", "s3://" + DemoWorkspace.PRIMARY_BUCKET + "/code/bench/" + i + ".py");
      primary.jobs().create(job);
    }
  }

  private void seedWarehouses(WorkspaceState primary) {
    for (int w = 0; w < warehouses(); w++) {
      ObjectNode warehouse = JSON.createObjectNode();
      warehouse
          .put("name", String.format("bench-warehouse-%03d", w))
          .put("cluster_size", "X-Small")
          .put("auto_stop_mins", 10);
      primary.warehouses().stop(primary.warehouses().create(warehouse));
    }
  }

  private void seedTree(WorkspaceTree tree) {
    tree.mkdirs("/Repos/bench");
    for (int r = 0; r < gitFolders(); r++) {
      tree.createRepo(
          "https://github.com/acme-data/bench-" + r + ".git",
          "gitHub",
          "/Repos/bench/bench-" + r,
          null);
    }
    tree.mkdirs("/Shared/bench");
    for (int n = 0; n < notebooks(); n++) {
      tree.importNotebook(
          String.format("/Shared/bench/notebook_%05d", n),
          "PYTHON",
          "display(spark.table(\"" + CATALOG + "." + schema(n % schemas()) + ".table_0\"))\n",
          false);
    }
  }

  private void seedModels(WorkspaceState primary) {
    for (int m = 0; m < models(); m++) {
      primary
          .models()
          .createModel(CATALOG, schema(m % schemas()), String.format("model_%04d", m), "bench");
    }
  }

  /**
   * The bucket's history, spread over {@value #TABLE_FOLDERS} table folders as a lakehouse keeps
   * each table's files under its own: the older versions and those of the window in the same
   * folders, so that the backlog scan finds folders to split its listing at, as it would in a real
   * bucket. They sit under {@code bench/}, within the demo's replication rule (prefix "").
   */
  private void seedVersions(S3State s3) {
    Instant now = Instant.now();
    int older = objectVersions() - versionsInWindow();
    s3.seedHistory(
        DemoWorkspace.PRIMARY_BUCKET,
        BenchmarkWorkspace::tableFile,
        older,
        now.minus(Duration.ofDays(90)),
        now.minus(Duration.ofDays(2)),
        S3State.COMPLETED,
        0);
    s3.seedHistory(
        DemoWorkspace.PRIMARY_BUCKET,
        i -> tableFile(older + i),
        versionsInWindow(),
        now.minus(Duration.ofHours(20)),
        now.minus(Duration.ofMinutes(5)),
        S3State.COMPLETED,
        0);
  }

  /** The {@code i}-th data file: in folder {@code i mod 64}, so each folder gets every period. */
  static String tableFile(int i) {
    return String.format("bench/table_%03d/part-%09d.parquet", i % TABLE_FOLDERS, i);
  }

  /**
   * A 1% drift of the primary after the drills: new jobs and tables, and one more grant on a schema
   * in a hundred.
   */
  void drift(WorkspaceState primary) {
    int percent = (int) Math.max(1, Math.round(jobs() * 0.01));
    seedJobs(primary, jobs(), percent);
    addTables(primary, tables(), (int) Math.max(1, Math.round(tables() * 0.01)));
    for (int s = 0; s < schemas(); s += 100) {
      primary.changeGrants(
          "schema", CATALOG + "." + schema(s), "group-drift", List.of("USE_SCHEMA"), List.of());
    }
  }

  static String schema(int s) {
    return String.format("schema_%04d", s);
  }
}
