package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.service.jobs.BaseRun;
import com.databricks.sdk.service.jobs.CancelRun;
import com.databricks.sdk.service.jobs.ListRunsRequest;
import com.databricks.sdk.service.jobs.TriggerType;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The [Beta] {@code settings.triggers} of the simulated Jobs API. SDK 0.141.0 has no such field and
 * its mapper drops it, so the requests go as raw JSON through the SDK's own {@code ApiClient}.
 */
class JobsMultipleTriggersApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    simulator.workspace("primary").jobs().multipleTriggers(true);
    workspace = SdkClients.workspace(simulator, "primary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  /** A response body as JSON, whatever its fields: filled in by the SDK's mapper. */
  public static final class Raw {
    final ObjectNode fields = JSON.createObjectNode();

    @JsonAnySetter
    public void set(String name, JsonNode value) {
      fields.set(name, value);
    }
  }

  private JsonNode call(String method, String path, ObjectNode body) {
    try {
      Request request =
          new Request(method, path, JSON.writeValueAsString(body))
              .withHeader("Content-Type", "application/json")
              .withHeader("Accept", "application/json");
      return workspace.apiClient().execute(request, Raw.class).fields;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode get(String path, String parameter, String value) {
    try {
      Request request =
          new Request("GET", path)
              .withQueryParam(parameter, value)
              .withHeader("Accept", "application/json");
      return workspace.apiClient().execute(request, Raw.class).fields;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long create(ObjectNode settings) {
    return call("POST", "/api/2.2/jobs/create", settings).path("job_id").asLong();
  }

  private JsonNode settings(long jobId) {
    return get("/api/2.2/jobs/get", "job_id", Long.toString(jobId)).path("settings");
  }

  private void update(long jobId, ObjectNode newSettings) {
    ObjectNode body = JSON.createObjectNode().put("job_id", jobId);
    body.set("new_settings", newSettings);
    call("POST", "/api/2.2/jobs/update", body);
  }

  private void reset(long jobId, ObjectNode newSettings) {
    ObjectNode body = JSON.createObjectNode().put("job_id", jobId);
    body.set("new_settings", newSettings);
    call("POST", "/api/2.2/jobs/reset", body);
  }

  private static ObjectNode job(String name, ObjectNode... triggers) {
    ObjectNode settings = JSON.createObjectNode().put("name", name);
    ArrayNode list = settings.putArray("triggers");
    for (ObjectNode trigger : triggers) {
      list.add(trigger);
    }
    return settings;
  }

  private static ObjectNode periodic() {
    ObjectNode entry = JSON.createObjectNode();
    entry.putObject("periodic").put("interval", 1).put("unit", "HOURS");
    return entry;
  }

  private static ObjectNode fileArrival(String url) {
    ObjectNode entry = JSON.createObjectNode();
    entry.putObject("file_arrival").put("url", url);
    return entry;
  }

  private static ObjectNode continuous() {
    ObjectNode entry = JSON.createObjectNode();
    entry.putObject("continuous");
    return entry;
  }

  private static ObjectNode cron() {
    return JSON.createObjectNode()
        .put("quartz_cron_expression", "0 0 2 * * ?")
        .put("timezone_id", "UTC");
  }

  @Test
  void getAndListShowTheTriggersEachWithAnExplicitPauseStatus() {
    ObjectNode paused = fileArrival("s3://landing/in/").put("pause_status", "PAUSED");
    long id = create(job("two-ways-in", periodic(), paused));

    JsonNode triggers = settings(id).path("triggers");
    assertThat(triggers).hasSize(2);
    assertThat(triggers.get(0).path("pause_status").asText()).isEqualTo("UNPAUSED");
    assertThat(triggers.get(0).path("periodic").path("unit").asText()).isEqualTo("HOURS");
    assertThat(triggers.get(1).path("pause_status").asText()).isEqualTo("PAUSED");
    JsonNode listed = get("/api/2.2/jobs/list", "limit", "100").path("jobs").get(0);
    assertThat(listed.path("settings").path("triggers")).isEqualTo(triggers);
  }

  @Test
  void triggersCannotGoWithTheLegacyFieldsInACreateAResetOrAnUpdate() {
    ObjectNode withSchedule = job("both", periodic());
    withSchedule.set("schedule", cron());
    assertThatThrownBy(() -> create(withSchedule))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("legacy schedule, trigger or continuous");
    ObjectNode withContinuous = job("both", periodic());
    withContinuous.putObject("continuous");
    assertThatThrownBy(() -> create(withContinuous)).isInstanceOf(InvalidParameterValue.class);

    ObjectNode scheduled = JSON.createObjectNode().put("name", "nightly");
    scheduled.set("schedule", cron());
    long id = create(scheduled);
    ObjectNode legacyAndNew = job("nightly", periodic());
    legacyAndNew.set("trigger", fileArrival("s3://landing/"));
    assertThatThrownBy(() -> reset(id, legacyAndNew)).isInstanceOf(InvalidParameterValue.class);
    // An update that adds triggers to a job that keeps its schedule leaves both: refused too.
    ObjectNode onlyTriggers = JSON.createObjectNode();
    onlyTriggers.set("triggers", JSON.createArrayNode().add(periodic()));
    assertThatThrownBy(() -> update(id, onlyTriggers)).isInstanceOf(InvalidParameterValue.class);
    assertThat(settings(id).has("triggers")).isFalse();

    reset(id, job("nightly", periodic()));
    assertThat(settings(id).has("schedule")).isFalse();
    assertThat(settings(id).path("triggers")).hasSize(1);
  }

  @Test
  void eachEntryNamesExactlyOneKindCheckedAsTheLegacyTriggerIs() {
    ObjectNode none = JSON.createObjectNode().put("pause_status", "PAUSED");
    ObjectNode two = periodic();
    two.putObject("continuous");
    ObjectNode onlyCondition = JSON.createObjectNode();
    onlyCondition.putObject("sql_condition").put("sql_query_id", "q").put("warehouse_id", "w");
    ObjectNode cronWithoutZone = JSON.createObjectNode();
    cronWithoutZone.putObject("schedule").put("quartz_cron_expression", "0 0 * * * ?");
    ObjectNode badPause = periodic().put("pause_status", "SOMETIMES");
    for (ObjectNode entry :
        List.of(none, two, onlyCondition, cronWithoutZone, fileArrival(""), badPause)) {
      assertThatThrownBy(() -> create(job("bad", periodic(), entry)))
          .isInstanceOf(InvalidParameterValue.class)
          .hasMessageContaining("triggers[1]");
    }

    ObjectNode gated = periodic();
    gated.putObject("sql_condition").put("sql_query_id", "q").put("warehouse_id", "w");
    ObjectNode schedule = JSON.createObjectNode();
    schedule.set("schedule", cron());
    long id = create(job("good", gated, schedule, continuous()));
    assertThat(settings(id).path("triggers")).hasSize(3);
  }

  @Test
  void aWorkspaceWithoutTheFeaturePreviewRefusesTriggers() {
    simulator.workspace("primary").jobs().multipleTriggers(false);

    assertThatThrownBy(() -> create(job("gated", periodic())))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("Multiple Triggers");
  }

  @Test
  void anUpdateReplacesTheListWhole() {
    long id = create(job("two", periodic(), fileArrival("s3://landing/")));

    ObjectNode changes = JSON.createObjectNode();
    changes.putArray("triggers").add(periodic().put("pause_status", "PAUSED"));
    update(id, changes);

    JsonNode triggers = settings(id).path("triggers");
    assertThat(triggers).hasSize(1);
    assertThat(triggers.get(0).path("pause_status").asText()).isEqualTo("PAUSED");
  }

  @Test
  void anUnpausedContinuousEntryKeepsARunGoingAsTheLegacyContinuousDoes() {
    long id = create(job("stream", continuous()));

    List<BaseRun> active = activeRuns(id);
    assertThat(active)
        .singleElement()
        .satisfies(r -> assertThat(r.getTrigger()).isEqualTo(TriggerType.CONTINUOUS));

    ObjectNode paused = JSON.createObjectNode();
    paused.putArray("triggers").add(continuous().put("pause_status", "PAUSED"));
    update(id, paused);
    assertThat(activeRuns(id)).hasSize(1);
    workspace.jobs().cancelRun(new CancelRun().setRunId(active.get(0).getRunId()));
    assertThat(activeRuns(id)).hasSize(1);
    assertThat(activeRuns(id)).isEmpty();

    ObjectNode unpaused = JSON.createObjectNode();
    unpaused.putArray("triggers").add(continuous().put("pause_status", "UNPAUSED"));
    update(id, unpaused);
    assertThat(activeRuns(id)).hasSize(1);
  }

  private List<BaseRun> activeRuns(long jobId) {
    List<BaseRun> runs = new ArrayList<>();
    workspace
        .jobs()
        .listRuns(new ListRunsRequest().setJobId(jobId).setActiveOnly(true))
        .forEach(runs::add);
    return runs;
  }
}
