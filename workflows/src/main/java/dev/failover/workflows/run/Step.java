package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Every built-in step, declared once: its name (what the CLI and report show), the modes it runs
 * in, the component it converges in batches (if any) and the steps it needs. The plan of a run is
 * the graph these needs make ({@link PlanGraph}); a step is declared after every step it needs, so
 * the order of declaration is the order of the report.
 *
 * <p>To add a step: one constant, placed after what it needs, with its modes, its needs and (for a
 * converge step) its component; {@link ConvergeStep} runs every component step, other steps get a
 * body in {@link StepBodies}. A step that needs every converge step (the smoke test) says so with
 * {@code Needs.CONVERGING}.
 */
public enum Step {
  READINESS(
      "readiness", Modes.ALL, "workspaces answer; buckets versioned; replication rule and backlog"),
  /** Placed by the runbook's {@code approval.before}; by default right after readiness. */
  APPROVAL("approval", Modes.ALL, "wait for an operator to approve the change", READINESS),
  FENCE_SOURCE(
      "fence-source",
      Modes.CHANGING,
      "pause the job schedules and stop the SQL warehouses of the side being left",
      READINESS),
  PROMOTE_STORAGE(
      "promote-storage",
      Modes.FAILOVER,
      "drain the backlog, reverse replication, tag the replica as active",
      FENCE_SOURCE),
  RESTORE_REPLICATION(
      "restore-replication",
      Modes.FAILBACK,
      "drain the reverse backlog, restore the original direction and tags",
      FENCE_SOURCE),
  /** Only in the plan of a runbook with {@code managedDr}. */
  FAILOVER_GROUP(
      "failover-group",
      Modes.ALL,
      "fail the managed DR failover group over to the target region with the etag read, wait, and"
          + " check its stable URLs follow (a drill only reads it)",
      FENCE_SOURCE),
  // Converging creates the target's objects paused and read-only towards storage, so capture and
  // the converge steps need the fence, not the storage step. A drill has no fence and its capture
  // only reads, so it starts beside readiness (needsOnlyIfPlanned); the steps that write to the
  // target need readiness as well as capture.
  CAPTURE(
      "capture",
      Modes.ALL,
      "read the active side's catalogs, schemas, tables and grants into a snapshot",
      FENCE_SOURCE),
  CONVERGE_GROUPS(
      "converge-groups",
      "verify the groups that grants and ACLs name are assigned to the target workspace",
      "groups",
      READINESS,
      CAPTURE),
  CONVERGE_METASTORE(
      "converge-metastore",
      "assign a Unity Catalog metastore to the target workspace, with the captured default catalog",
      "metastore",
      READINESS,
      CAPTURE),
  CONVERGE_STORAGE_CREDENTIALS(
      "converge-storage-credentials",
      "create or update storage credentials",
      "storage-credentials",
      READINESS,
      CAPTURE),
  CONVERGE_EXTERNAL_LOCATIONS(
      "converge-external-locations",
      "create or update external locations at the replica buckets (read-only in a drill)",
      "external-locations",
      CONVERGE_STORAGE_CREDENTIALS),
  // A catalog's storage root lies in an external location; its owner may be a group.
  CONVERGE_CATALOGS(
      "converge-catalogs",
      "create or update catalogs in the target workspace",
      null,
      CONVERGE_GROUPS,
      CONVERGE_METASTORE,
      CONVERGE_EXTERNAL_LOCATIONS),
  CONVERGE_SCHEMAS(
      "converge-schemas",
      "create or update schemas in the target workspace",
      null,
      CONVERGE_CATALOGS),
  CONVERGE_WAREHOUSES(
      "converge-warehouses",
      "create or update SQL warehouses, start them and wait until RUNNING",
      "warehouses",
      READINESS,
      CAPTURE),
  // Tables are registered through SQL statements on a running warehouse.
  CONVERGE_TABLES(
      "converge-tables",
      "register external tables at the replica location and re-create views (SQL statements)",
      "tables",
      CONVERGE_SCHEMAS,
      CONVERGE_WAREHOUSES),
  CONVERGE_CLUSTER_POLICIES(
      "converge-cluster-policies",
      "create or update cluster policies",
      "cluster-policies",
      READINESS,
      CAPTURE),
  CONVERGE_CLUSTERS(
      "converge-clusters",
      "create or update cluster configurations, left terminated",
      "clusters",
      CONVERGE_CLUSTER_POLICIES),
  CONVERGE_REPOS(
      "converge-repos",
      "create Git folders and check out the captured branch or tag",
      "repos",
      READINESS,
      CAPTURE),
  CONVERGE_NOTEBOOKS(
      "converge-notebooks",
      "import notebooks outside Git folders from their source",
      "notebooks",
      READINESS,
      CAPTURE),
  // A job names warehouses, clusters and policies (through its clusters) by id, which converge
  // resolves by name in DR, and groups, which run_as and access may name. It also names notebooks,
  // files and Git folders, by path: the Jobs API does not look them up when a job is created or
  // reset, only when it runs (a job naming a missing notebook is created, and its run fails with
  // "Notebook not found": databricks/cli#261), and every copy stays paused until the smoke test,
  // which needs them converged, has passed. So jobs converge beside notebooks and Git folders.
  CONVERGE_JOBS(
      "converge-jobs",
      "create or update jobs, paused, with storage paths rewritten (identity by tag)",
      "jobs",
      CONVERGE_GROUPS,
      CONVERGE_WAREHOUSES,
      CONVERGE_CLUSTERS),
  CONVERGE_MODELS(
      "converge-models",
      "register models and their versions against the replicated artifacts",
      "models",
      CONVERGE_SCHEMAS),
  // Access control lists name the objects above and groups; owners move here, after each object's
  // own converge has run with the worker's rights.
  CONVERGE_PERMISSIONS(
      "converge-permissions",
      "set exact access control lists on jobs, clusters, policies, warehouses, notebooks, folders"
          + " and Git folders, owners included",
      "permissions",
      CONVERGE_GROUPS,
      CONVERGE_CLUSTER_POLICIES,
      CONVERGE_WAREHOUSES,
      CONVERGE_REPOS,
      CONVERGE_NOTEBOOKS,
      CONVERGE_JOBS),
  // Grants are on Unity Catalog securables and name groups. The grants' last batch moves table,
  // view, model, catalog, schema and storage owners away from the worker, so every step that
  // creates in Unity Catalog runs first; jobs, permissions and the other workspace objects do not
  // touch it, so grants run
  // beside them.
  CONVERGE_GRANTS(
      "converge-grants",
      "set exact privileges per principal in the target workspace",
      null,
      CONVERGE_GROUPS,
      CONVERGE_METASTORE,
      CONVERGE_STORAGE_CREDENTIALS,
      CONVERGE_EXTERNAL_LOCATIONS,
      CONVERGE_CATALOGS,
      CONVERGE_SCHEMAS,
      CONVERGE_TABLES,
      CONVERGE_MODELS),
  CHECK_DELTA_TABLES(
      "check-delta-tables",
      Modes.READING_REPLICA,
      "each external Delta table's latest commit is complete in the replica",
      CAPTURE,
      PROMOTE_STORAGE),
  /** Needs every converge step, and the storage steps. */
  SMOKE_TEST(
      "smoke-test",
      Modes.ALL,
      "target catalogs, schemas and grants equal the snapshot",
      Needs.CONVERGING,
      CHECK_DELTA_TABLES,
      PROMOTE_STORAGE,
      RESTORE_REPLICATION,
      FAILOVER_GROUP),
  RESTORE_SCHEDULES(
      "restore-schedules",
      Modes.CHANGING,
      "resume the job schedules that ran on the side left (a drill leaves copies paused)",
      SMOKE_TEST),
  CLEAN_UP(
      "clean-up",
      Modes.DRILL,
      "remove from DR what this drill created (by its run mark), unless the drill keeps it",
      SMOKE_TEST),
  UNFENCE_TARGET(
      "unfence-target",
      Modes.FAILBACK,
      "resume the job schedules and SQL warehouses an earlier failover fenced on the target",
      RESTORE_SCHEDULES),
  /** The run's own bookkeeping: needs every other step, custom ones too. */
  REPORT("report", Modes.ALL, "store the run report next to the snapshot", Needs.EVERY_STEP);

  /** The modes a step runs in. */
  private static final class Modes {
    static final Set<Mode> ALL = Set.of(Mode.DRILL, Mode.FAILOVER, Mode.FAILBACK);
    static final Set<Mode> CHANGING = Set.of(Mode.FAILOVER, Mode.FAILBACK);
    static final Set<Mode> READING_REPLICA = Set.of(Mode.DRILL, Mode.FAILOVER);
    static final Set<Mode> FAILOVER = Set.of(Mode.FAILOVER);
    static final Set<Mode> FAILBACK = Set.of(Mode.FAILBACK);
    static final Set<Mode> DRILL = Set.of(Mode.DRILL);
  }

  /** Needs that name groups of steps instead of steps, resolved once every step is declared. */
  private enum Needs {
    CONVERGING,
    EVERY_STEP
  }

  /** The batch unit of the grants step: securables with their captured privileges. */
  public static final String GRANTS = "grants";

  private final String stepName;
  private final Set<Mode> modes;
  private final String description;
  private final String component;
  private final List<Step> needs;
  private final Needs needsGroup;

  Step(String stepName, Set<Mode> modes, String description, Step... needs) {
    this(stepName, modes, description, null, null, needs);
  }

  Step(String stepName, Set<Mode> modes, String description, Needs group, Step... needs) {
    this(stepName, modes, description, null, group, needs);
  }

  /** A converge step: every mode converges. */
  Step(String stepName, String description, String component, Step... needs) {
    this(stepName, Modes.ALL, description, component, null, needs);
  }

  Step(
      String stepName,
      Set<Mode> modes,
      String description,
      String component,
      Needs group,
      Step... needs) {
    this.stepName = stepName;
    this.modes = modes;
    this.description = description;
    this.component = component;
    this.needsGroup = group;
    this.needs = List.of(needs);
  }

  public String stepName() {
    return stepName;
  }

  public String description() {
    return description;
  }

  /** Whether the step belongs to a mode's plan (before the runbook disables or places steps). */
  public boolean runsIn(Mode mode) {
    return modes.contains(mode);
  }

  /**
   * The component this step converges in batches ({@code jobs}, ...), or null for the other steps
   * (catalogs and schemas converge in one activity each; grants are batched by {@link #GRANTS}).
   */
  public String component() {
    return component;
  }

  /** Whether this is a {@code converge-*} step. */
  public boolean converges() {
    return stepName.startsWith("converge-");
  }

  /** The steps this one runs after, before the mode's plan leaves any out. */
  public List<Step> needs() {
    if (needsGroup == Needs.CONVERGING) {
      List<Step> converging =
          new ArrayList<>(Arrays.stream(values()).filter(s -> s.converges() && s != this).toList());
      converging.addAll(needs);
      return converging;
    }
    if (needsGroup == Needs.EVERY_STEP) {
      return Arrays.stream(values()).filter(s -> s != this).toList();
    }
    return needs;
  }

  /**
   * Whether this step's need is only on that step itself, so that a plan without it leaves the need
   * out instead of putting that step's own needs in its place: a drill's capture only reads, so it
   * does not wait for readiness.
   */
  public boolean needsOnlyIfPlanned(Step need) {
    return this == CAPTURE && need == FENCE_SOURCE;
  }

  /** The steps that converge components in batches, in plan order. */
  public static List<Step> componentSteps() {
    return Arrays.stream(values()).filter(s -> s.component != null).toList();
  }

  /** The built-in step of that name, or null. */
  public static Step named(String name) {
    return Arrays.stream(values()).filter(s -> s.stepName.equals(name)).findFirst().orElse(null);
  }

  /** The names of every built-in step, in plan order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Step::stepName).toList();
  }

  /**
   * Whether an operator may skip this step after it failed. Readiness, approval and capture may
   * not: later steps depend on what they establish. Report is the run's own bookkeeping.
   */
  public boolean skippable() {
    return this != READINESS && this != APPROVAL && this != CAPTURE && this != REPORT;
  }

  /** Whether the runbook has what this step works on (the failover group needs managedDr). */
  public boolean appliesTo(Runbook runbook) {
    return this != FAILOVER_GROUP || runbook.managedDr() != null;
  }

  /** Whether a run of the mode waits for an approval under this runbook. */
  public static boolean approvalRequired(Runbook runbook, Mode mode) {
    return mode == Mode.DRILL
        ? runbook.approval().requiredForDrill()
        : runbook.approval().required();
  }
}
