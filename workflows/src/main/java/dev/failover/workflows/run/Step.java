package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import java.util.List;

/** The steps a run can take. Their names are what the CLI and report show. */
public enum Step {
  READINESS("readiness", "workspaces answer; buckets versioned; replication rule and backlog"),
  APPROVAL("approval", "wait for an operator to approve the change"),
  FENCE_SOURCE(
      "fence-source", "pause the job schedules and stop the SQL warehouses of the side being left"),
  PROMOTE_STORAGE(
      "promote-storage", "drain the backlog, reverse replication, tag the replica as active"),
  RESTORE_REPLICATION(
      "restore-replication", "drain the reverse backlog, restore the original direction and tags"),
  CAPTURE("capture", "read the active side's catalogs, schemas, tables and grants into a snapshot"),
  CONVERGE_GROUPS(
      "converge-groups",
      "verify the groups that grants and ACLs name are assigned to the target workspace",
      "groups"),
  CONVERGE_METASTORE(
      "converge-metastore",
      "assign a Unity Catalog metastore to the target workspace, with the captured default catalog",
      "metastore"),
  CONVERGE_STORAGE_CREDENTIALS(
      "converge-storage-credentials",
      "create or update storage credentials",
      "storage-credentials"),
  CONVERGE_EXTERNAL_LOCATIONS(
      "converge-external-locations",
      "create or update external locations at the replica buckets (read-only in a drill)",
      "external-locations"),
  CONVERGE_CATALOGS("converge-catalogs", "create or update catalogs in the target workspace"),
  CONVERGE_SCHEMAS("converge-schemas", "create or update schemas in the target workspace"),
  CONVERGE_WAREHOUSES(
      "converge-warehouses",
      "create or update SQL warehouses, start them and wait until RUNNING",
      "warehouses"),
  CONVERGE_TABLES(
      "converge-tables",
      "register external tables at the replica location and re-create views (SQL statements)",
      "tables"),
  CONVERGE_CLUSTER_POLICIES(
      "converge-cluster-policies", "create or update cluster policies", "cluster-policies"),
  CONVERGE_CLUSTERS(
      "converge-clusters", "create or update cluster configurations, left terminated", "clusters"),
  CONVERGE_REPOS(
      "converge-repos", "create Git folders and check out the captured branch or tag", "repos"),
  CONVERGE_NOTEBOOKS(
      "converge-notebooks", "import notebooks outside Git folders from their source", "notebooks"),
  CONVERGE_JOBS(
      "converge-jobs",
      "create or update jobs, paused, with storage paths rewritten (identity by tag)",
      "jobs"),
  CONVERGE_MODELS(
      "converge-models",
      "register models and their versions against the replicated artifacts",
      "models"),
  CONVERGE_PERMISSIONS(
      "converge-permissions",
      "set exact access control lists on jobs, clusters, policies, warehouses, notebooks, folders"
          + " and Git folders, owners included",
      "permissions"),
  CONVERGE_GRANTS("converge-grants", "set exact privileges per principal in the target workspace"),
  CHECK_DELTA_TABLES(
      "check-delta-tables", "each external Delta table's latest commit is complete in the replica"),
  SMOKE_TEST("smoke-test", "target catalogs, schemas and grants equal the snapshot"),
  RESTORE_SCHEDULES(
      "restore-schedules",
      "resume the job schedules that ran on the side left (a drill leaves copies paused)"),
  CLEAN_UP(
      "clean-up",
      "remove from DR what this drill created (by its run mark), unless the drill keeps it"),
  UNFENCE_TARGET(
      "unfence-target",
      "resume the job schedules and SQL warehouses an earlier failover fenced on the target"),
  REPORT("report", "store the run report next to the snapshot");

  private final String stepName;
  private final String description;
  private final String component;

  Step(String stepName, String description) {
    this(stepName, description, null);
  }

  Step(String stepName, String description, String component) {
    this.stepName = stepName;
    this.description = description;
    this.component = component;
  }

  /**
   * The component this step converges in batches ({@code jobs}, ...), or null for the other steps
   * (catalogs and schemas converge in one activity each; grants are batched by {@link #GRANTS}).
   */
  public String component() {
    return component;
  }

  /** How many waves the converge steps run in. */
  public static final int WAVES = 6;

  /**
   * The wave a converge step runs in, 0 for the other steps. A step runs after every step of the
   * waves before it, and with the other steps of its wave, which it does not depend on: external
   * locations need their credentials; catalogs the metastore and the locations their storage roots
   * lie in; schemas their catalogs; tables, models and jobs their schemas, warehouses and cluster
   * policies and clusters; grants every securable; permissions every object they are on (and owners
   * change last).
   */
  public static int wave(Step step) {
    return switch (step) {
      case CONVERGE_GROUPS,
          CONVERGE_METASTORE,
          CONVERGE_STORAGE_CREDENTIALS,
          CONVERGE_WAREHOUSES,
          CONVERGE_CLUSTER_POLICIES,
          CONVERGE_REPOS,
          CONVERGE_NOTEBOOKS ->
          1;
      case CONVERGE_EXTERNAL_LOCATIONS, CONVERGE_CLUSTERS -> 2;
      case CONVERGE_CATALOGS -> 3;
      case CONVERGE_SCHEMAS -> 4;
      case CONVERGE_TABLES, CONVERGE_MODELS, CONVERGE_JOBS -> 5;
      case CONVERGE_GRANTS, CONVERGE_PERMISSIONS -> 6;
      default -> 0;
    };
  }

  /** The batch unit of the grants step: securables with their captured privileges. */
  public static final String GRANTS = "grants";

  /** The steps that converge components in batches, in plan order. */
  public static List<Step> componentSteps() {
    return java.util.Arrays.stream(values()).filter(s -> s.component != null).toList();
  }

  public String stepName() {
    return stepName;
  }

  public String description() {
    return description;
  }

  /**
   * Whether an operator may skip this step after it failed. Readiness, approval and capture may
   * not: later steps depend on what they establish. Report is the run's own bookkeeping.
   */
  public boolean skippable() {
    return this != READINESS && this != APPROVAL && this != CAPTURE && this != REPORT;
  }

  /**
   * The steps of a mode, in order. A drill only reads storage; a failover promotes the replicas
   * before the control plane is converged into DR; a failback restores replication's direction and
   * converges the primary from the DR side.
   */
  /** Whether a run of the mode waits for an approval under this runbook. */
  public static boolean approvalRequired(Runbook runbook, Mode mode) {
    return mode == Mode.DRILL
        ? runbook.approval().requiredForDrill()
        : runbook.approval().required();
  }

  /**
   * The built-in steps a run of the mode takes under this runbook: the mode's plan, without the
   * steps the runbook disables, with the approval where the runbook places it. The run, its dry run
   * and the plan shown in Temporal UI all come from here.
   */
  public static List<Step> plan(Runbook runbook, Mode mode, boolean fencing, boolean cleanUp) {
    return plan(runbook, mode, fencing, cleanUp, true);
  }

  /**
   * The plan, with or without the components beyond catalogs, schemas and grants: runs recorded
   * before they existed replay without them.
   */
  public static List<Step> plan(
      Runbook runbook, Mode mode, boolean fencing, boolean cleanUp, boolean components) {
    List<Step> steps =
        new java.util.ArrayList<>(
            plan(mode, approvalRequired(runbook, mode), fencing, cleanUp, components));
    steps.removeIf(step -> runbook.steps().disable().contains(step.stepName()));
    return withApprovalBefore(steps, runbook.approval().before());
  }

  /**
   * Moves the approval to just before the named step, when the plan has both; otherwise the plan is
   * returned as it is (the approval right after readiness).
   */
  public static List<Step> withApprovalBefore(List<Step> plan, String before) {
    Step target = null;
    for (Step step : values()) {
      if (step.stepName().equals(before)) {
        target = step;
      }
    }
    if (target == null || !plan.contains(APPROVAL) || !plan.contains(target)) {
      return plan;
    }
    List<Step> moved = new java.util.ArrayList<>(plan);
    moved.remove(APPROVAL);
    moved.add(moved.indexOf(target), APPROVAL);
    return List.copyOf(moved);
  }

  public static List<Step> plan(Mode mode, boolean approvalRequired) {
    return plan(mode, approvalRequired, true);
  }

  /** The plan, with or without fencing: runs recorded before fencing existed replay without it. */
  public static List<Step> plan(Mode mode, boolean approvalRequired, boolean fencing) {
    return plan(mode, approvalRequired, fencing, fencing);
  }

  /**
   * The plan, with or without fencing and the drill's clean-up: runs recorded before either existed
   * replay without them.
   */
  public static List<Step> plan(
      Mode mode, boolean approvalRequired, boolean fencing, boolean cleanUp) {
    return plan(mode, approvalRequired, fencing, cleanUp, false);
  }

  /**
   * The plan of a mode: with {@code components}, every component of the matrix is converged in
   * dependency order (what an object refers to comes before it), grants last, and a failover or
   * failback resumes job schedules once the smoke test has passed.
   */
  public static List<Step> plan(
      Mode mode, boolean approvalRequired, boolean fencing, boolean cleanUp, boolean components) {
    List<Step> steps = new java.util.ArrayList<>();
    steps.add(READINESS);
    if (approvalRequired) {
      steps.add(APPROVAL);
    }
    if (fencing && mode != Mode.DRILL) {
      steps.add(FENCE_SOURCE);
    }
    switch (mode) {
      case FAILOVER -> steps.add(PROMOTE_STORAGE);
      case FAILBACK -> steps.add(RESTORE_REPLICATION);
      case DRILL -> {}
    }
    steps.add(CAPTURE);
    if (components) {
      steps.addAll(
          List.of(
              CONVERGE_GROUPS,
              CONVERGE_METASTORE,
              CONVERGE_STORAGE_CREDENTIALS,
              CONVERGE_EXTERNAL_LOCATIONS,
              CONVERGE_CATALOGS,
              CONVERGE_SCHEMAS,
              CONVERGE_WAREHOUSES,
              CONVERGE_TABLES,
              CONVERGE_CLUSTER_POLICIES,
              CONVERGE_CLUSTERS,
              CONVERGE_REPOS,
              CONVERGE_NOTEBOOKS,
              CONVERGE_JOBS,
              CONVERGE_MODELS,
              CONVERGE_PERMISSIONS,
              CONVERGE_GRANTS));
    } else {
      steps.addAll(List.of(CONVERGE_CATALOGS, CONVERGE_SCHEMAS, CONVERGE_GRANTS));
    }
    if (mode != Mode.FAILBACK) {
      steps.add(CHECK_DELTA_TABLES);
    }
    steps.add(SMOKE_TEST);
    if (components && mode != Mode.DRILL) {
      steps.add(RESTORE_SCHEDULES);
    }
    if (cleanUp && mode == Mode.DRILL) {
      steps.add(CLEAN_UP);
    }
    if (fencing && mode == Mode.FAILBACK) {
      steps.add(UNFENCE_TARGET);
    }
    steps.add(REPORT);
    return List.copyOf(steps);
  }
}
