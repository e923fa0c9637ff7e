package dev.failover.workflows.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.workflows.TestRunbooks;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runbook's optional {@code storageCredentials} section: DR credentials set up ahead. */
class RunbookStorageCredentialsTest {
  private static String withSection(String section) {
    String yaml = TestRunbooks.exampleYaml();
    int start = yaml.indexOf("\nstorageCredentials:\n");
    int end = yaml.indexOf("\n#", start + 1);
    assertThat(start).as("the example runbook has a storageCredentials section").isPositive();
    return yaml.substring(0, start + 1) + section + yaml.substring(end + 1);
  }

  @Test
  void theExampleRunbookMapsEachDemoCredentialToItsDrTwin() {
    Runbook.StorageCredentials credentials = TestRunbooks.example().storageCredentials();
    assertThat(credentials.map())
        .isEqualTo(
            Map.of(
                "lakehouse-rw", "lakehouse-rw-dr",
                "lakehouse-ro", "lakehouse-ro-dr",
                "mlflow-artifacts", "mlflow-artifacts-dr"));
    assertThat(credentials.target("lakehouse-rw")).isEqualTo("lakehouse-rw-dr");
    assertThat(credentials.target("unmapped")).isEqualTo("unmapped");
    assertThat(credentials.isMappedTarget("lakehouse-rw-dr")).isTrue();
    assertThat(credentials.reversed().target("lakehouse-rw-dr")).isEqualTo("lakehouse-rw");
  }

  @Test
  void withoutTheSectionNothingIsMappedAndARecordedRunbookReadsBack() throws Exception {
    Runbook none = RunbookYaml.parse(withSection(""), "test");
    assertThat(none.storageCredentials()).isEqualTo(Runbook.StorageCredentials.NONE);

    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = json.valueToTree(none);
    tree.remove("storageCredentials");
    assertThat(json.treeToValue(tree, Runbook.class)).isEqualTo(none);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "two primaries on one DR credential|storageCredentials:\\n  map: {a: dr, b: dr}\\n"
            + "|storageCredentials.map.b: maps to 'dr', which a maps to already",
        "a dotted name|storageCredentials:\\n  map: {a: main.dr}\\n"
            + "|storageCredentials.map.a: must map to a storage credential name",
        "empty target|storageCredentials:\\n  map: {a: ''}\\n"
            + "|storageCredentials.map.a: must be a non-empty string",
        "unknown field|storageCredentials:\\n  mapping: {}\\n"
            + "|storageCredentials.mapping: is not a known field",
        "not a mapping|storageCredentials:\\n  map: [a]\\n|storageCredentials.map: must be a mapping",
      })
  void aBadSectionIsRefusedNamingTheField(String what, String section, String expected) {
    String yaml = withSection(section.replace("\\n", "\n"));
    assertThatThrownBy(() -> RunbookYaml.parse(yaml, "test"))
        .isInstanceOf(InvalidRunbookException.class)
        .hasMessageContaining(expected);
  }
}
