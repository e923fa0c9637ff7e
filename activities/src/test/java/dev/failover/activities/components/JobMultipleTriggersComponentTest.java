package dev.failover.activities.components;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.jobs.JobItem;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.simulator.databricks.JobsState;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job with the [Beta] {@code settings.triggers} (the "Multiple Triggers" feature preview),
 * captured and converged into DR through the real SDK, which has no such field: the copy carries
 * the triggers paused, a second converge finds it unchanged, restoring schedules gives each entry
 * the original's pause status, and a DR without the preview refuses that job alone, by name.
 */
class JobMultipleTriggersComponentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "multi-trigger-ingest";

  @TempDir Path dir;

  /** A periodic entry left unpaused and a file arrival its owners paused, on the primary. */
  private static void createOnPrimary(ComponentHarness<?> h) {
    h.cloud.simulator.workspace("primary").jobs().multipleTriggers(true);
    ObjectNode settings = JSON.createObjectNode().put("name", NAME);
    settings
        .putArray("tasks")
        .addObject()
        .put("task_key", "main")
        .putObject("notebook_task")
        .put("notebook_path", "/Repos/etl/ingest");
    ArrayNode triggers = settings.putArray("triggers");
    triggers.addObject().putObject("periodic").put("interval", 1).put("unit", "HOURS");
    triggers
        .addObject()
        .put("pause_status", "PAUSED")
        .putObject("file_arrival")
        .put("url", "s3://acme-lakehouse-use1/landing/");
    h.cloud.simulator.workspace("primary").jobs().create(settings);
  }

  private static List<JobItem> captured(ComponentHarness<JobItem> h) {
    return h.capturePrimary().stream().filter(j -> j.name().equals(NAME)).toList();
  }

  private static JobsState.Job drJob(ComponentHarness<?> h, String name) {
    return h.cloud.simulator.workspace("secondary").jobs().jobs().stream()
        .filter(j -> j.settings().path("name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> pauses(JsonNode settings) {
    List<String> pauses = new ArrayList<>();
    settings.path("triggers").forEach(t -> pauses.add(t.path("pause_status").asText()));
    return pauses;
  }

  @Test
  void theCopyCarriesTheTriggersPausedIsLeftAloneAfterwardsAndResumesAsTheOriginalWas() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      createOnPrimary(h);
      h.cloud.simulator.workspace("secondary").jobs().multipleTriggers(true);
      List<JobItem> captured = captured(h);
      assertThat(captured.get(0).settings().get("triggers")).hasSize(2);

      assertThat(h.converge(captured, null, false).counts().created()).isEqualTo(1);
      JsonNode copy = drJob(h, NAME).settings();
      assertThat(pauses(copy)).containsExactly("PAUSED", "PAUSED");
      assertThat(copy.at("/triggers/0/periodic/unit").asText()).isEqualTo("HOURS");
      assertThat(copy.at("/triggers/1/file_arrival/url").asText())
          .isEqualTo("s3://acme-lakehouse-usw2/landing/");

      h.cloud.simulator.requests().clear();
      assertThat(h.converge(captured, null, false).counts())
          .isEqualTo(new ChangeCounts(0, 0, 1, 0));
      assertThat(h.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();

      ComponentResult restored =
          new JobsComponent()
              .restoreSchedules(
                  captured, Map.of(), h.context(SimulatedCloud.secondary(), null), d -> {});
      assertThat(restored.counts().updated()).isEqualTo(1);
      assertThat(pauses(drJob(h, NAME).settings())).containsExactly("UNPAUSED", "PAUSED");
      // Restored, the copy still matches: converge does not compare pause statuses.
      assertThat(h.converge(captured, null, false).counts().unchanged()).isEqualTo(1);
    }
  }

  @Test
  void aResetKeepsTheCopysPausesAndOnlyTheEntriesAFencePausedResume() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      createOnPrimary(h);
      h.cloud.simulator.workspace("secondary").jobs().multipleTriggers(true);
      List<JobItem> captured = captured(h);
      h.converge(captured, null, false);
      JobsState.Job copy = drJob(h, NAME);
      ObjectNode changed = copy.settings().deepCopy();
      changed.put("max_concurrent_runs", 7);
      ((ArrayNode) changed.get("triggers")).remove(1);
      h.cloud.simulator.workspace("secondary").jobs().reset(copy.jobId(), changed);

      ComponentConverger.Result again = h.converge(captured, null, false);
      assertThat(again.counts().updated()).isEqualTo(1);
      assertThat(again.differences()).anyMatch(d -> d.contains("triggers"));
      assertThat(pauses(drJob(h, NAME).settings())).containsExactly("PAUSED", "PAUSED");

      // Captured after a fence paused the periodic entry: both entries read PAUSED, and the fence's
      // record says which one it paused; the file arrival its owners paused stays paused.
      JobItem original = captured.get(0);
      ObjectNode asFenced = original.settings().deepCopy();
      ((ObjectNode) asFenced.at("/triggers/0")).put("pause_status", "PAUSED");
      new JobsComponent()
          .restoreSchedules(
              List.of(original.withSettings(asFenced)),
              Map.of(original.jobId(), List.of("triggers[0]:periodic")),
              h.context(SimulatedCloud.secondary(), null),
              d -> {});
      assertThat(pauses(drJob(h, NAME).settings())).containsExactly("UNPAUSED", "PAUSED");
    }
  }

  @Test
  void aDrWithoutTheFeaturePreviewRefusesThatJobByNameAndConvergesTheOthers() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      createOnPrimary(h);
      ObjectNode plain = JSON.createObjectNode().put("name", "plain-report");
      h.cloud.simulator.workspace("primary").jobs().create(plain);
      List<JobItem> captured =
          h.capturePrimary().stream()
              .filter(j -> j.name().equals(NAME) || j.name().equals("plain-report"))
              .toList();

      ComponentConverger.Result result = h.converge(captured, null, false);

      assertThat(result.counts().created()).isEqualTo(1);
      assertThat(result.refused())
          .singleElement()
          .asString()
          .contains("job " + NAME + " has 2 entries of triggers")
          .contains("Multiple Triggers")
          .contains("enable that preview there");
      assertThat(h.cloud.simulator.workspace("secondary").jobs().jobs())
          .extracting(j -> j.settings().path("name").asText())
          .contains("plain-report")
          .doesNotContain(NAME);
    }
  }
}
