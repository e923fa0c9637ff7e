package dev.failover.activities.components.jobs;

import com.databricks.sdk.service.jobs.BaseJob;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.components.Component;
import dev.failover.activities.components.ComponentContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields of job settings that hold the id of another workspace object, and what converge does
 * with each: a copy in DR must name DR's object of the same identity, never the primary's id, which
 * in DR names nothing or the wrong thing. Every such field of the SDK's job settings model
 * (databricks-sdk-java 0.141.0, {@code com.databricks.sdk.service.jobs}); paths under {@code
 * tasks[]} hold as well for the task a {@code for_each_task.task} runs:
 *
 * <table>
 *   <caption>Ids of other workspace objects in job settings</caption>
 *   <tr><th>Field</th><th>Comes from</th><th>What converge does</th></tr>
 *   <tr><td>{@code tasks[].run_job_task.job_id}</td><td>{@code RunJobTask.job_id}, "ID of the job
 *       to trigger"</td><td>set to the id of DR's copy of that job, found by its identity tag
 *       ({@link JobsComponent#KEY_TAG}, the original's {@code <host>#<id>}); in a failback, the
 *       original's own id. Jobs are captured referenced first, so a batch creates the job that is
 *       run before the job that runs it; a job whose referenced job has no copy when it is written
 *       (refused, or converged by a batch running in parallel) is refused; running the step again
 *       converges it</td></tr>
 *   <tr><td>{@code tasks[].sql_task.warehouse_id}, {@code dbt_task.warehouse_id}, {@code
 *       notebook_task.warehouse_id}, {@code dashboard_task.warehouse_id}, {@code
 *       alert_task.warehouse_id}, {@code power_bi_task.warehouse_id}</td><td>{@code SqlTask},
 *       {@code DbtTask}, {@code NotebookTask}, {@code DashboardTask}, {@code AlertTask}, {@code
 *       PowerBiTask}</td><td>DR's SQL warehouse of the same name ({@link JobsComponent})</td></tr>
 *   <tr><td>{@code tasks[].existing_cluster_id}</td><td>{@code Task.existing_cluster_id}</td>
 *       <td>DR's cluster of the same name</td></tr>
 *   <tr><td>{@code job_clusters[].new_cluster.policy_id}, {@code tasks[].new_cluster.policy_id}
 *       </td><td>{@code compute.ClusterSpec.policy_id}</td><td>DR's cluster policy of the same
 *       name</td></tr>
 *   <tr><td>{@code job_clusters[].new_cluster.instance_pool_id}, {@code
 *       .driver_instance_pool_id}, also under {@code tasks[].new_cluster}</td><td>{@code
 *       compute.ClusterSpec}</td><td>refused: instance pools are not converged</td></tr>
 *   <tr><td>{@code tasks[].pipeline_task.pipeline_id}</td><td>{@code PipelineTask.pipeline_id}
 *       </td><td>refused: pipelines are not converged</td></tr>
 *   <tr><td>{@code tasks[].gen_ai_compute_task.compute.gpu_node_pool_id}</td><td>{@code
 *       ComputeConfig.gpu_node_pool_id}</td><td>refused: GPU node pools are not converged</td></tr>
 *   <tr><td>{@code tasks[].sql_task.query.query_id}, {@code .dashboard.dashboard_id}, {@code
 *       .alert.alert_id}</td><td>{@code SqlTaskQuery}, {@code SqlTaskDashboard}, {@code
 *       SqlTaskAlert}</td><td>refused: SQL queries, legacy dashboards and alerts are not
 *       converged</td></tr>
 *   <tr><td>{@code tasks[].dashboard_task.dashboard_id}, {@code tasks[].alert_task.alert_id}</td>
 *       <td>{@code DashboardTask}, {@code AlertTask}</td><td>refused: dashboards and alerts are
 *       not converged</td></tr>
 *   <tr><td>{@code webhook_notifications.on_*[].id}, also under {@code tasks[]}; {@code
 *       tasks[].sql_task.dashboard.subscriptions[].destination_id}, {@code
 *       .sql_task.alert.subscriptions[].destination_id}, {@code
 *       .dashboard_task.subscription.subscribers[].destination_id}, {@code
 *       .alert_task.subscribers[].destination_id}</td><td>{@code Webhook.id}, {@code
 *       SqlTaskSubscription}, {@code SubscriptionSubscriber}, {@code AlertTaskSubscriber}: ids of
 *       notification destinations</td><td>the entry is dropped, and the create or update says so
 *       in the step's result: destinations are not converged, and a job that cannot notify one
 *       hook still does its work in DR, where refusing it would leave the work undone over a
 *       notification</td></tr>
 * </table>
 *
 * Kept as they are, because they name no object of one workspace: {@code budget_policy_id} and
 * {@code usage_policy_id} (account-level policies), {@code run_as} (users, service principals and
 * groups of the account), {@code git_source} (a remote repository), {@code task_key}, {@code
 * job_cluster_key} and {@code environment_key} (keys inside the job), notebook and file paths
 * (converged by path), Unity Catalog names ({@code trigger.table_update.table_names}, {@code
 * trigger.model.securable_name}, {@code connection_resource_name}, {@code clean_room_name}: the
 * same in DR's metastore), MLflow experiment and run names ({@code ai_runtime_task.experiment},
 * {@code gen_ai_compute_task.mlflow_experiment_name}), {@code dbt_cloud_task.dbt_cloud_job_id} and
 * {@code dbt_platform_task.dbt_platform_job_id} (ids in dbt), {@code power_bi_task.power_bi_model}
 * (names in Power BI), email addresses, and storage URLs ({@code trigger.file_arrival.url},
 * rewritten with the storage path rewrites).
 */
final class JobReferences {
  /** What converge does with a field. */
  enum Action {
    /** Resolved by {@link JobsComponent} to the target's object of the same name. */
    BY_NAME,
    /** Set to the target's copy of the job it names. */
    COPY_OF_JOB,
    /** The entry that holds it is removed, and the result says so. */
    DROPPED,
    /** The job is refused, naming the field. */
    REFUSED
  }

  /**
   * One field that names another object by id.
   *
   * @param path the field's path from a task or from the settings; {@code []} marks an array
   * @param kind what the id names
   */
  record Field(String path, String kind, Action action) {}

  static final String JOB = "job";
  private static final String DESTINATION = "notification destination";
  private static final String POOL = "instance pool";
  private static final List<String> WEBHOOK_EVENTS =
      List.of(
          "on_start",
          "on_success",
          "on_failure",
          "on_duration_warning_threshold_exceeded",
          "on_streaming_backlog_exceeded");

  /** The fields of a task, by their path from the task. */
  static final List<Field> TASK_FIELDS = taskFields();

  /** The fields of the settings outside their tasks. */
  static final List<Field> JOB_FIELDS = jobFields();

  private static List<Field> taskFields() {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("run_job_task.job_id", JOB, Action.COPY_OF_JOB));
    for (String task :
        List.of(
            "sql_task",
            "dbt_task",
            "notebook_task",
            "dashboard_task",
            "alert_task",
            "power_bi_task")) {
      fields.add(new Field(task + ".warehouse_id", WorkspaceObjects.WAREHOUSE, Action.BY_NAME));
    }
    fields.add(new Field("existing_cluster_id", WorkspaceObjects.CLUSTER, Action.BY_NAME));
    fields.add(new Field("new_cluster.policy_id", WorkspaceObjects.POLICY, Action.BY_NAME));
    fields.add(new Field("new_cluster.instance_pool_id", POOL, Action.REFUSED));
    fields.add(new Field("new_cluster.driver_instance_pool_id", POOL, Action.REFUSED));
    fields.add(new Field("pipeline_task.pipeline_id", "pipeline", Action.REFUSED));
    fields.add(
        new Field("gen_ai_compute_task.compute.gpu_node_pool_id", "GPU node pool", Action.REFUSED));
    fields.add(new Field("sql_task.query.query_id", "SQL query", Action.REFUSED));
    fields.add(new Field("sql_task.dashboard.dashboard_id", "legacy dashboard", Action.REFUSED));
    fields.add(new Field("sql_task.alert.alert_id", "SQL alert", Action.REFUSED));
    fields.add(new Field("dashboard_task.dashboard_id", "dashboard", Action.REFUSED));
    fields.add(new Field("alert_task.alert_id", "alert", Action.REFUSED));
    for (String subscribers :
        List.of(
            "sql_task.dashboard.subscriptions[]",
            "sql_task.alert.subscriptions[]",
            "dashboard_task.subscription.subscribers[]",
            "alert_task.subscribers[]")) {
      fields.add(new Field(subscribers + ".destination_id", DESTINATION, Action.DROPPED));
    }
    fields.addAll(webhookFields());
    return List.copyOf(fields);
  }

  private static List<Field> jobFields() {
    List<Field> fields = new ArrayList<>();
    fields.add(
        new Field("job_clusters[].new_cluster.policy_id", WorkspaceObjects.POLICY, Action.BY_NAME));
    fields.add(new Field("job_clusters[].new_cluster.instance_pool_id", POOL, Action.REFUSED));
    fields.add(
        new Field("job_clusters[].new_cluster.driver_instance_pool_id", POOL, Action.REFUSED));
    fields.addAll(webhookFields());
    return List.copyOf(fields);
  }

  private static List<Field> webhookFields() {
    return WEBHOOK_EVENTS.stream()
        .map(
            event ->
                new Field("webhook_notifications." + event + "[].id", DESTINATION, Action.DROPPED))
        .toList();
  }

  /**
   * One occurrence of a field in some settings.
   *
   * @param path its full path, with indexes ({@code tasks[2].run_job_task.job_id})
   * @param holder the object that holds the value, under {@code name}
   * @param array the array whose element holds the value, and that element's index; null for a
   *     field outside arrays
   */
  record Found(
      String path, Field field, ObjectNode holder, String name, ArrayNode array, int index) {
    JsonNode value() {
      return holder.get(name);
    }
  }

  /** Every field of the table that the settings fill in, in document order. */
  static List<Found> find(JsonNode settings) {
    List<Found> found = new ArrayList<>();
    for (Field field : JOB_FIELDS) {
      walk(settings, field.path().split("\\."), 0, "", null, -1, field, found);
    }
    JsonNode tasks = settings.path("tasks");
    for (int i = 0; i < tasks.size(); i++) {
      String path = "tasks[" + i + "]";
      for (JsonNode task = tasks.get(i);
          task.isObject();
          task = task.path("for_each_task").path("task")) {
        for (Field field : TASK_FIELDS) {
          walk(task, field.path().split("\\."), 0, path, null, -1, field, found);
        }
        path += ".for_each_task.task";
      }
    }
    return found;
  }

  private static void walk(
      JsonNode node,
      String[] segments,
      int at,
      String path,
      ArrayNode array,
      int index,
      Field field,
      List<Found> found) {
    boolean many = segments[at].endsWith("[]");
    String name = many ? segments[at].substring(0, segments[at].length() - 2) : segments[at];
    JsonNode child = node.path(name);
    String here = path.isEmpty() ? name : path + "." + name;
    if (at == segments.length - 1) {
      if (!child.isMissingNode() && !child.isNull() && node instanceof ObjectNode holder) {
        found.add(new Found(here, field, holder, name, array, index));
      }
    } else if (many && child instanceof ArrayNode elements) {
      for (int i = 0; i < elements.size(); i++) {
        walk(elements.get(i), segments, at + 1, here + "[" + i + "]", elements, i, field, found);
      }
    } else if (!many && child.isObject()) {
      walk(child, segments, at + 1, here, array, index, field, found);
    }
  }

  /**
   * The jobs in an order in which each comes after the jobs it runs ({@code run_job_task}), as far
   * as it can be: a cycle keeps the captured order.
   */
  static List<JobItem> referencedFirst(List<JobItem> jobs) {
    Map<String, JobItem> byKey = new LinkedHashMap<>();
    jobs.forEach(job -> byKey.put(job.key(), job));
    Set<String> placed = new LinkedHashSet<>();
    for (JobItem job : jobs) {
      place(job, byKey, placed, new java.util.HashSet<>());
    }
    List<JobItem> ordered = new ArrayList<>();
    placed.forEach(key -> ordered.add(byKey.get(key)));
    return ordered;
  }

  private static void place(
      JobItem job, Map<String, JobItem> byKey, Set<String> placed, Set<String> visiting) {
    if (placed.contains(job.key()) || !visiting.add(job.key())) {
      return;
    }
    for (String key : runs(job)) {
      JobItem runs = byKey.get(key);
      if (runs != null) {
        place(runs, byKey, placed, visiting);
      }
    }
    placed.add(job.key());
  }

  /** The keys of the jobs a captured job runs. */
  private static List<String> runs(JobItem job) {
    if (job.references() == null) {
      return List.of();
    }
    return job.references().entrySet().stream()
        .filter(entry -> entry.getKey().startsWith(JOB + ":"))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** {@code job:<id>} to the key of that job, for the jobs the settings run. */
  static Map<String, String> jobsRun(JsonNode settings, Map<Long, String> keysById) {
    Map<String, String> references = new java.util.TreeMap<>();
    for (Found found : find(settings)) {
      if (found.field().action() == Action.COPY_OF_JOB) {
        String key = keysById.get(found.value().asLong());
        if (key != null) {
          references.put(JOB + ":" + found.value().asText(), key);
        }
      }
    }
    return references;
  }

  private final Map<String, List<String>> refusals = new ConcurrentHashMap<>();
  private final Map<String, List<String>> dropped = new ConcurrentHashMap<>();

  /** Per job key: path of a {@code run_job_task.job_id} to the key of the job it runs. */
  private final Map<String, Map<String, String>> pending = new ConcurrentHashMap<>();

  /** Per target host: job key to the id of the job with that key there. */
  private final Map<String, Map<String, Long>> targetJobs = new ConcurrentHashMap<>();

  /**
   * Makes the settings' references fit the target, in place: jobs run are pointed at their copies
   * (or left pending until the job is written), destination entries dropped; fields that cannot be
   * resolved are recorded as the job's refusal.
   */
  void fit(JobItem captured, ObjectNode settings, ComponentContext target) {
    String key = captured.key();
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, String> waiting = new LinkedHashMap<>();
    List<Found> toDrop = new ArrayList<>();
    for (Found found : find(settings)) {
      switch (found.field().action()) {
        case BY_NAME -> {}
        case REFUSED ->
            problems.add(
                found.path()
                    + " names the "
                    + found.field().kind()
                    + " "
                    + found.value().asText()
                    + ", and "
                    + found.field().kind()
                    + "s are not converged: create it in "
                    + target.host()
                    + " and point the job at it there, or remove the field where it was captured");
        case DROPPED -> {
          toDrop.add(found);
          notes.add(
              "job "
                  + captured.name()
                  + ": "
                  + found.path()
                  + " (notification destination "
                  + found.value().asText()
                  + ") dropped: destinations are not converged; add one in "
                  + target.host());
        }
        case COPY_OF_JOB -> {
          String runs = runKey(captured, found, problems);
          Long id = runs == null ? null : targetJobId(target, runs, false);
          if (id != null) {
            found.holder().put(found.name(), id);
          } else if (runs != null) {
            waiting.put(found.path(), runs);
          }
        }
      }
    }
    drop(toDrop);
    refusals.put(key, problems);
    dropped.put(key, notes);
    pending.put(key, waiting);
  }

  /** The key of the job a {@code run_job_task} names, or null with a problem recorded. */
  private static String runKey(JobItem captured, Found found, List<String> problems) {
    String runs =
        captured.references() == null
            ? null
            : captured.references().get(JOB + ":" + found.value().asText());
    if (runs == null) {
      problems.add(
          found.path()
              + " names the job "
              + found.value().asText()
              + ", which was not among the jobs captured with it");
    }
    return runs;
  }

  /** Removes the array entries that hold the values, last first so the indexes hold. */
  private static void drop(List<Found> toDrop) {
    toDrop.stream()
        .filter(found -> found.array() != null)
        .sorted(Comparator.comparingInt(Found::index).reversed())
        .forEach(found -> found.array().remove(found.index()));
    toDrop.stream()
        .filter(found -> found.array() == null)
        .forEach(found -> found.holder().remove(found.name()));
  }

  /**
   * The settings to write for a job {@link #fit} prepared: the jobs it runs that had no copy then
   * are looked up again (the batch may have created them since). Throws {@link Component.Refused}
   * naming the job and every field that cannot be resolved.
   */
  ObjectNode complete(JobItem want, ComponentContext target) {
    List<String> problems = new ArrayList<>(refusals.getOrDefault(want.key(), List.of()));
    ObjectNode settings = want.settings().deepCopy();
    Map<String, String> waiting = pending.getOrDefault(want.key(), Map.of());
    if (!waiting.isEmpty()) {
      for (Found found : find(settings)) {
        String runs = waiting.get(found.path());
        if (runs == null) {
          continue;
        }
        Long id = targetJobId(target, runs, true);
        if (id == null) {
          problems.add(
              found.path()
                  + " runs the job "
                  + runs
                  + ", which has no copy in "
                  + target.host()
                  + " yet: converge it (run the step again once it is)");
        } else {
          found.holder().put(found.name(), id);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new Component.Refused("job " + want.name() + ": " + String.join("; ", problems));
    }
    return settings;
  }

  /**
   * Whether the job runs a job that had no copy in the target when {@link #fit} prepared it: its
   * write must wait for the batch's other jobs, which may create that copy.
   */
  boolean runsJobWithoutCopy(String key) {
    return !pending.getOrDefault(key, Map.of()).isEmpty();
  }

  /** What {@link #fit} dropped from the job, to say in the result. */
  List<String> notes(String key) {
    return dropped.getOrDefault(key, List.of());
  }

  /**
   * The id in the target of the job with this key: in a failback the original itself (its key is
   * the target's host and its id), else the copy that carries the key as its tag.
   */
  private Long targetJobId(ComponentContext target, String key, boolean readAgainIfMissing) {
    String own = JobsComponent.hostOf(target) + "#";
    if (key.startsWith(own)) {
      return Long.valueOf(key.substring(own.length()));
    }
    Long id = jobsOf(target).get(key);
    if (id == null && readAgainIfMissing) {
      targetJobs.remove(target.host());
      id = jobsOf(target).get(key);
    }
    return id;
  }

  private Map<String, Long> jobsOf(ComponentContext target) {
    return targetJobs.computeIfAbsent(
        target.host(),
        host -> {
          Map<String, Long> ids = new HashMap<>();
          for (BaseJob job : JobsComponent.list(target)) {
            ids.putIfAbsent(
                JobsComponent.keyOf(target, job.getJobId(), JobsComponent.tags(job.getSettings())),
                job.getJobId());
          }
          return ids;
        });
  }
}
