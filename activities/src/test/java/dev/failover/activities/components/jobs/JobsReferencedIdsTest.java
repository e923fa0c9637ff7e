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
}
