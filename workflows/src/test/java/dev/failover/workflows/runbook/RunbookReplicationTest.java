package dev.failover.workflows.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.workflows.TestRunbooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runbook's {@code replication} section, and its bound on the reverse-path canary. */
class RunbookReplicationTest {
  private static final String FIELD = "  reversePathTimeoutMinutes: 5\n";

  private static String withField(String field) {
    String yaml = TestRunbooks.exampleYaml();
    assertThat(yaml).as("the example runbook sets the field").contains(FIELD);
    return yaml.replace(FIELD, field);
  }

  @Test
  void theBoundDefaultsToFiveMinutes() throws Exception {
    assertThat(RunbookYaml.parse(withField(""), "test").replication().reversePathTimeoutMinutes())
        .isEqualTo(5);
    assertThat(
            RunbookYaml.parse(withField("  reversePathTimeoutMinutes: 30\n"), "test")
                .replication()
                .reversePathTimeoutMinutes())
        .isEqualTo(30);
  }

  @Test
  void aRunbookRecordedBeforeTheFieldReadsBackWithTheDefault() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = json.valueToTree(TestRunbooks.example());
    ((ObjectNode) tree.get("replication")).remove("reversePathTimeoutMinutes");
    assertThat(json.treeToValue(tree, Runbook.class).replication().reversePathTimeoutMinutes())
        .isEqualTo(Runbook.Replication.DEFAULT_REVERSE_PATH_TIMEOUT_MINUTES);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "zero|0|replication.reversePathTimeoutMinutes: must be greater than 0, got 0",
        "too long|500|replication.reversePathTimeoutMinutes: must be at most 120, got 500",
        "not a number|soon|replication.reversePathTimeoutMinutes:",
      })
  void aBadBoundIsRefusedNamingTheField(String what, String value, String expected) {
    String yaml = withField("  reversePathTimeoutMinutes: " + value + "\n");
    assertThatThrownBy(() -> RunbookYaml.parse(yaml, "test"))
        .isInstanceOf(InvalidRunbookException.class)
        .hasMessageContaining(expected);
  }
}
