package dev.failover.activities.components.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one walk over job settings: which text values it visits, as what, and what it replaces. */
class JsonFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One visit: the holder, the field (null in an array) and the text. */
  private record Visit(JsonNode parent, String field, String value) {}

  private static ObjectNode tree(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
  }

  private static List<Visit> visits(JsonNode node) {
    List<Visit> visits = new ArrayList<>();
    JsonFields.visit(
        node,
        (parent, field, value) -> {
          visits.add(new Visit(parent, field, value));
          return value;
        });
    return visits;
  }

  @Test
  void everyTextValueIsVisitedInDocumentOrderWithItsFieldAndTheNodeHoldingIt() throws Exception {
    ObjectNode settings =
        tree(
            "{'name': 'etl',"
                + " 'tasks': [{'task_key': 'a', 'sql_task': {'warehouse_id': 'w1'}},"
                + "           's3://bucket/loose', ['nested-in-array']],"
                + " 'job_clusters': [{'new_cluster': {'policy_id': 'p1'}}],"
                + " 'tags': {'team': 'data'}}");

    List<Visit> visits = visits(settings);

    assertThat(visits)
        .extracting(Visit::field, Visit::value)
        .containsExactly(
            tuple("name", "etl"),
            tuple("task_key", "a"),
            tuple("warehouse_id", "w1"),
            tuple(null, "s3://bucket/loose"),
            tuple(null, "nested-in-array"),
            tuple("policy_id", "p1"),
            tuple("team", "data"));
    assertThat(visits.get(0).parent()).isSameAs(settings);
    assertThat(visits.get(1).parent()).isSameAs(settings.at("/tasks/0"));
    assertThat(visits.get(2).parent()).isSameAs(settings.at("/tasks/0/sql_task"));
    assertThat(visits.get(3).parent()).isSameAs(settings.get("tasks"));
    assertThat(visits.get(4).parent()).isSameAs(settings.at("/tasks/2"));
    assertThat(visits.get(5).parent()).isSameAs(settings.at("/job_clusters/0/new_cluster"));
    assertThat(visits.get(6).parent()).isSameAs(settings.get("tags"));
  }

  @Test
  void numbersBooleansNullsAndEmptyContainersAreNotVisited() throws Exception {
    ObjectNode settings =
        tree(
            "{'max_concurrent_runs': 3, 'timeout': 1.5, 'paused': false, 'email': null,"
                + " 'ids': [1, 2, true, null], 'empty': {}, 'none': [],"
                + " 'schedule': {'interval': 60, 'quartz': 'x'}}");

    assertThat(visits(settings))
        .extracting(Visit::field, Visit::value)
        .containsExactly(tuple("quartz", "x"));
  }

  @Test
  void aTextNodeOnItsOwnHasNoParentAndIsNotVisited() {
    assertThat(visits(TextNode.valueOf("s3://bucket/x"))).isEmpty();
  }

  @Test
  void theReturnedTextReplacesTheValueInObjectsAndArraysAndTheSameTextLeavesIt() throws Exception {
    ObjectNode settings =
        tree(
            "{'name': 'etl', 'count': 2,"
                + " 'tasks': [{'python_file': 's3://old/code.py', 'args': ['s3://old/in', 'k']}],"
                + " 'paths': ['s3://old/a', {'deep': {'location': 's3://old/b'}}]}");
    JsonNode unchanged = settings.get("name");

    JsonFields.visit(
        settings,
        (parent, field, value) ->
            value.startsWith("s3://old/") ? "s3://new/" + value.substring(9) : value);

    assertThat(settings)
        .isEqualTo(
            tree(
                "{'name': 'etl', 'count': 2,"
                    + " 'tasks': [{'python_file': 's3://new/code.py',"
                    + "            'args': ['s3://new/in', 'k']}],"
                    + " 'paths': ['s3://new/a', {'deep': {'location': 's3://new/b'}}]}"));
    assertThat(settings.get("name")).isSameAs(unchanged);
  }

  @Test
  void eachTextIsVisitedOnceAndItsReplacementPutWhereItWas() throws Exception {
    ObjectNode settings = tree("{'a': 'x', 'b': ['x', 'x'], 'c': 'x'}");
    List<String> seen = new ArrayList<>();

    JsonFields.visit(
        settings,
        (parent, field, value) -> {
          seen.add(field + "=" + value);
          return value + "!";
        });

    assertThat(seen).containsExactly("a=x", "null=x", "null=x", "c=x");
    assertThat(settings).isEqualTo(tree("{'a': 'x!', 'b': ['x!', 'x!'], 'c': 'x!'}"));
  }

  @Test
  void aNullReplacementIsRefused() throws Exception {
    ObjectNode settings = tree("{'warehouse_id': 'w1'}");

    assertThatThrownBy(() -> JsonFields.visit(settings, (parent, field, value) -> null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("warehouse_id");
    assertThat(settings.get("warehouse_id").asText()).isEqualTo("w1");
  }
}
