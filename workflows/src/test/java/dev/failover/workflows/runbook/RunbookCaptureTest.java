package dev.failover.workflows.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.workflows.TestRunbooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runbook's optional {@code capture} section: the interval of scheduled captures. */
class RunbookCaptureTest {
  private static final String SECTION = "capture:\n  everyMinutes: 60\n";

  private static String withCapture(String section) {
    String yaml = TestRunbooks.exampleYaml();
    assertThat(yaml).as("the example runbook has a capture section").contains(SECTION);
    return yaml.replace(SECTION, section);
  }

  @Test
  void theExampleRunbookCapturesHourly() {
    assertThat(TestRunbooks.example().capture()).isEqualTo(new Runbook.Capture(60));
  }

  @Test
  void withoutTheSectionThereIsNoScheduleAndCopiesKeepIt() throws Exception {
    assertThat(RunbookYaml.parse(withCapture(""), "test").capture()).isNull();
    Runbook example = TestRunbooks.example();
    assertThat(example.withSteps(Runbook.Steps.NONE).capture()).isEqualTo(example.capture());
    assertThat(example.withAccount(null).capture()).isEqualTo(example.capture());
    assertThat(example.withApproval(example.approval()).capture()).isEqualTo(example.capture());
    assertThat(example.withOnStepFailure(example.onStepFailure()).capture())
        .isEqualTo(example.capture());
    assertThat(example.withCapture(null).capture()).isNull();
  }

  @Test
  void aRunbookRecordedBeforeTheFieldReadsBackWithoutASchedule() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Runbook before = TestRunbooks.example().withCapture(null);
    var tree = json.valueToTree(before);
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("capture");
    assertThat(json.treeToValue(tree, Runbook.class)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "too often|capture:\\n  everyMinutes: 1\\n|capture.everyMinutes: must be between 5 and"
            + " 10080 (a week), got 1",
        "too rare|capture:\\n  everyMinutes: 20000\\n|capture.everyMinutes: must be between 5 and"
            + " 10080 (a week), got 20000",
        "missing|capture:\\n  every: 60\\n|capture.everyMinutes: is required",
        "not a number|capture:\\n  everyMinutes: hourly\\n|capture.everyMinutes:",
        "not a mapping|capture: 60\\n|capture: must be a mapping",
      })
  void aBadSectionIsRefusedNamingTheField(String what, String section, String expected) {
    String yaml = withCapture(section.replace("\\n", "\n"));
    assertThatThrownBy(() -> RunbookYaml.parse(yaml, "test"))
        .isInstanceOf(InvalidRunbookException.class)
        .hasMessageContaining(expected);
  }
}
