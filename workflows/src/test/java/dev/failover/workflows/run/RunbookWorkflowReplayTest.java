package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays recorded histories of real runs against the current workflow code, so a change that would
 * make runs in flight fail on replay (a non-deterministic change) fails here. The histories are the
 * baseline of the first release, recorded in the sandbox by {@code RecordReplayHistories} in the
 * cli module's tests; after a release, a change to the commands a run issues goes behind a {@code
 * Workflow.getVersion} change id and the histories of the version before it stay here.
 */
class RunbookWorkflowReplayTest {
  private static final Path HISTORIES = Path.of("src", "test", "resources", "histories");

  static Stream<Path> histories() throws IOException {
    return Files.list(HISTORIES).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void recordedRunReplaysAgainstTheCurrentWorkflowCode(Path history) throws Exception {
    WorkflowExecutionHistory recorded =
        WorkflowExecutionHistory.fromJson(Files.readString(history));
    assertThat(recorded.getEvents()).hasSizeGreaterThan(10);
    WorkflowReplayer.replayWorkflowExecution(recorded, RunbookWorkflowImpl.class);
  }
}
