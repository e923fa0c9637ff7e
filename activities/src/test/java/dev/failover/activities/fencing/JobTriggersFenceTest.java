package dev.failover.activities.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.service.jobs.PauseStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Which fields and entries of {@code triggers} the fence names, and how it reads them back. */
class JobTriggersFenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anEntryOfAKindAddedSinceIsNamedByItsIndexAndPausedAllTheSame() {
    ObjectNode settings = JSON.createObjectNode();
    ArrayNode triggers = settings.putArray("triggers");
    triggers.addObject().put("pause_status", "PAUSED").putObject("periodic");
    triggers.addObject().putObject("continuous");
    triggers.addObject().put("pause_status", "UNPAUSED").putObject("webhook");

    assertThat(JobTriggersFence.unpausedFields(settings))
        .containsExactly("triggers[1]:continuous", "triggers[2]");
    assertThat(JobTriggersFence.pauseStatus(settings, "triggers[0]:periodic"))
        .isEqualTo(PauseStatus.PAUSED);
    // The entry at that index is another kind now, or gone: the job no longer has what was paused.
    assertThat(JobTriggersFence.pauseStatus(settings, "triggers[0]:continuous")).isNull();
    assertThat(JobTriggersFence.pauseStatus(settings, "triggers[3]")).isNull();
    assertThat(JobTriggersFence.continuous("triggers[1]:continuous")).isTrue();
  }
}
