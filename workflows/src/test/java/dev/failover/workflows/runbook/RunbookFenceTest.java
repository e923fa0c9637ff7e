package dev.failover.workflows.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.workflows.TestRunbooks;
import dev.failover.workflows.runbook.FenceSettings.RunsInProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runbook's optional {@code fence} section: what the fence does with runs in progress. */
class RunbookFenceTest {
  private static final String ANCHOR = "capture:\n  everyMinutes: 60\n";

  private static String withFence(String section) {
    String yaml = TestRunbooks.exampleYaml();
    assertThat(yaml).contains(ANCHOR);
    return yaml.replace(ANCHOR, ANCHOR + section);
  }

  @Test
  void withoutTheSectionRunsAreCancelledWithinTenMinutes() throws Exception {
    assertThat(RunbookYaml.parse(withFence(""), "test").fence())
        .isEqualTo(new FenceSettings(RunsInProgress.CANCEL, 10));
  }

  @Test
  void theSectionIsReadAndCopiesKeepIt() throws Exception {
    Runbook runbook =
        RunbookYaml.parse(withFence("fence:\n  runsInProgress: wait\n  waitMinutes: 15\n"), "t");
    assertThat(runbook.fence()).isEqualTo(new FenceSettings(RunsInProgress.WAIT, 15));
    assertThat(runbook.withSteps(Runbook.Steps.NONE).fence()).isEqualTo(runbook.fence());
    assertThat(runbook.withCapture(null).fence()).isEqualTo(runbook.fence());
  }

  @Test
  void aRunbookRecordedBeforeTheSectionReadsBackWithTheDefault() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Runbook example = TestRunbooks.example();
    ObjectNode tree = json.valueToTree(example);
    tree.remove("fence");
    assertThat(json.treeToValue(tree, Runbook.class).fence()).isEqualTo(FenceSettings.DEFAULT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown choice|fence:\\n  runsInProgress: kill\\n|fence.runsInProgress: must be cancel,"
            + " wait or leave, got 'kill'",
        "wait too long|fence:\\n  waitMinutes: 45\\n|fence.waitMinutes: must be between 1 and 20,"
            + " got 45",
        "no wait|fence:\\n  waitMinutes: 0\\n|fence.waitMinutes: must be between 1 and 20, got 0",
        "not a number|fence:\\n  waitMinutes: soon\\n|fence.waitMinutes: must be a whole number",
        "unknown field|fence:\\n  cancelRuns: true\\n|fence.cancelRuns",
        "not a mapping|fence: cancel\\n|fence: must be a mapping",
      })
  void aBadSectionIsRefusedNamingTheField(String what, String section, String expected) {
    String yaml = withFence(section.replace("\\n", "\n"));
    assertThatThrownBy(() -> RunbookYaml.parse(yaml, "test"))
        .isInstanceOf(InvalidRunbookException.class)
        .hasMessageContaining(expected);
  }
}
