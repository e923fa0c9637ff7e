package dev.failover.activities.components.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the table of id fields finds them in job settings, and the order jobs are captured in. */
class JobReferencesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyIdFieldIsFoundWithItsPathAlsoInTheTaskAForEachRuns() throws Exception {
    String settings =
        "{'job_clusters': [{'new_cluster': {'instance_pool_id': 'pool-1', 'policy_id': 'p1'}}],"
            + " 'webhook_notifications': {'on_success': [{'id': 'd1'}, {'id': 'd2'}]},"
            + " 'tasks': ["
            + "  {'task_key': 'a', 'run_job_task': {'job_id': 7},"
            + "   'sql_task': {'warehouse_id': 'w', 'alert': {'alert_id': 'al',"
            + "     'subscriptions': [{'user_name': 'u'}, {'destination_id': 'd3'}]}}},"
            + "  {'task_key': 'b', 'for_each_task': {'task': {'task_key': 'c',"
            + "   'pipeline_task': {'pipeline_id': 'pl'}, 'dashboard_task': {'dashboard_id': 'db'}}}},"
            + "  {'task_key': 'd', 'notebook_task': {'notebook_path': '/x'}, 'run_job_task': null}]}";

    List<String> found =
        JobReferences.find(JSON.readTree(settings.replace('\'', '"'))).stream()
            .map(f -> f.path() + " " + f.field().action())
            .toList();

    assertThat(found)
        .containsExactlyInAnyOrder(
            "job_clusters[0].new_cluster.policy_id BY_NAME",
            "job_clusters[0].new_cluster.instance_pool_id REFUSED",
            "webhook_notifications.on_success[0].id DROPPED",
            "webhook_notifications.on_success[1].id DROPPED",
            "tasks[0].run_job_task.job_id COPY_OF_JOB",
            "tasks[0].sql_task.warehouse_id BY_NAME",
            "tasks[0].sql_task.alert.alert_id REFUSED",
            "tasks[0].sql_task.alert.subscriptions[1].destination_id DROPPED",
            "tasks[1].for_each_task.task.pipeline_task.pipeline_id REFUSED",
            "tasks[1].for_each_task.task.dashboard_task.dashboard_id REFUSED");
  }

  /**
   * Id fields of the SDK's task model that name nothing of the workspace: jobs in dbt, and instance
   * types (the regional fields' concern, {@code RegionalFields}).
   */
  private static final java.util.Set<String> KEPT =
      java.util.Set.of(
          "dbt_cloud_task.dbt_cloud_job_id",
          "dbt_platform_task.dbt_platform_job_id",
          "new_cluster.node_type_id",
          "new_cluster.driver_node_type_id");

  /**
   * Every field of the SDK's {@code Task} model (0.141.0) whose name ends in {@code _id} or is
   * {@code id}, at any depth of the task kinds and the task's cluster, is in the table or known to
   * name nothing of the workspace: a new SDK field of that sort fails here until it is decided.
   */
  @Test
  void theTableCoversEveryIdFieldOfTheSdksTaskModel() {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    idFields(com.databricks.sdk.service.jobs.Task.class, "", ids, 0);
    java.util.Set<String> table = new java.util.HashSet<>(KEPT);
    JobReferences.TASK_FIELDS.forEach(field -> table.add(field.path().replace("[]", "")));

    assertThat(table).containsAll(ids);
    assertThat(ids).contains("run_job_task.job_id", "new_cluster.instance_pool_id");
  }

  private static void idFields(Class<?> type, String prefix, java.util.Set<String> ids, int depth) {
    for (java.lang.reflect.Field field : type.getDeclaredFields()) {
      com.fasterxml.jackson.annotation.JsonProperty json =
          field.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      if (json == null) {
        continue;
      }
      String path = prefix + json.value();
      Class<?> value = elementType(field);
      if (path.endsWith("_id") || json.value().equals("id")) {
        ids.add(path);
      } else if (depth < 3
          && value != com.databricks.sdk.service.jobs.Task.class
          && (value.getPackageName().startsWith("com.databricks.sdk.service.jobs")
              || value == com.databricks.sdk.service.compute.ClusterSpec.class)
          && !value.isEnum()) {
        idFields(value, path + ".", ids, depth + 1);
      }
    }
  }

  private static Class<?> elementType(java.lang.reflect.Field field) {
    if (field.getGenericType() instanceof java.lang.reflect.ParameterizedType generic
        && generic.getActualTypeArguments()[0] instanceof Class<?> element) {
      return element;
    }
    return field.getType();
  }

  @Test
  void jobsComeAfterTheJobsTheyRunAndACycleKeepsTheCapturedOrder() {
    JobItem a = job("a", java.util.Map.of("job:2", "b"));
    JobItem b = job("b", java.util.Map.of("job:3", "c"));
    JobItem c = job("c", java.util.Map.of());
    JobItem x = job("x", java.util.Map.of("job:9", "y"));
    JobItem y = job("y", java.util.Map.of("job:8", "x"));

    assertThat(JobReferences.referencedFirst(List.of(a, x, b, y, c)))
        .extracting(JobItem::key)
        .containsExactly("c", "b", "a", "y", "x");
  }

  private static JobItem job(String key, java.util.Map<String, String> references) {
    return new JobItem(key, 1L, JSON.createObjectNode().put("name", key), references);
  }
}
