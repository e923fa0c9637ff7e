package dev.failover.activities.components.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Which ids job settings are found to name: text in a reference field, at any depth. */
class JobsReferencedIdsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void referenceFieldsWithTextAreFoundAtAnyDepthAndNothingElseIs() throws Exception {
    String settings =
        "{'name': 'warehouse_id',"
            + " 'tasks': [{'sql_task': {'warehouse_id': 'w1'}, 'existing_cluster_id': 'c1'},"
            + "           {'sql_task': {'warehouse_id': 'w1'}}],"
            + " 'job_clusters': [{'new_cluster': {'policy_id': 'p1'}}],"
            + " 'policy_id': {'warehouse_id': 'w2'},"
            + " 'other': {'warehouse_id': ['w3'], 'policy_id': 7, 'existing_cluster_id': null}}";

    assertThat(JobsComponent.referencedIds(JSON.readTree(settings.replace('\'', '"'))))
        .containsExactly(
            java.util.Map.entry("cluster:c1", "existing_cluster_id"),
            java.util.Map.entry("policy:p1", "policy_id"),
            java.util.Map.entry("warehouse:w1", "warehouse_id"),
            java.util.Map.entry("warehouse:w2", "warehouse_id"));
  }

  @Test
  void aJobStandsAloneOnlyWhenItNamesNoOtherObject() throws Exception {
    String alone =
        "{'name': 'nightly', 'tasks': [{'task_key': 'main',"
            + " 'notebook_task': {'notebook_path': '/Repos/etl/nightly'},"
            + " 'new_cluster': {'spark_version': '15.4.x-scala2.12', 'num_workers': 2}}],"
            + " 'schedule': {'quartz_cron_expression': '0 0 2 * * ?', 'timezone_id': 'UTC'}}";
    assertThat(JobsComponent.standsAlone(json(alone))).isTrue();
    // Notebook and file paths do not count: the Jobs API resolves them when the job runs.
    for (String naming :
        java.util.List.of(
            "{'tasks': [{'sql_task': {'warehouse_id': 'w1'}}]}",
            "{'tasks': [{'existing_cluster_id': 'c1'}]}",
            "{'job_clusters': [{'new_cluster': {'policy_id': 'p1'}}]}",
            "{'tasks': [{'new_cluster': {'instance_pool_id': 'pool-1'}}]}",
            "{'tasks': [{'run_job_task': {'job_id': 42}}]}",
            "{'tasks': [{'pipeline_task': {'pipeline_id': 'pl-1'}}]}",
            "{'webhook_notifications': {'on_failure': [{'id': 'dest-1'}]}}")) {
      assertThat(JobsComponent.standsAlone(json(naming))).as(naming).isFalse();
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String singleQuoted)
      throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }
}
