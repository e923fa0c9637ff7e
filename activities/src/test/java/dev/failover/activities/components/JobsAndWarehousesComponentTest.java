package dev.failover.activities.components;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.LostAnswer;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.jobs.JobItem;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.activities.components.warehouses.WarehouseItem;
import dev.failover.activities.components.warehouses.WarehousesComponent;
import dev.failover.activities.errors.CallRetry;
import dev.failover.simulator.databricks.JobsState;
import dev.failover.simulator.databricks.WarehousesState;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs and SQL warehouses captured from the demo primary and converged into DR through the real
 * SDK: created once (jobs paused, tagged, paths rewritten, all tasks), unchanged and without a
 * mutating request the second time, schedules restored, and a drill's copies removed.
 */
class JobsAndWarehousesComponentTest {
  @TempDir Path dir;

  private static List<JobsState.Job> drJobs(ComponentHarness<?> h) {
    return h.cloud.simulator.workspace("secondary").jobs().jobs();
  }

  private static JobsState.Job drJob(ComponentHarness<?> h, String name) {
    return drJobs(h).stream()
        .filter(j -> j.settings().path("name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Converges what jobs refer to by id (warehouses, cluster policies) into DR first. */
  private static void convergeCompute(ComponentHarness<?> h) {
    convergeAll(h, new WarehousesComponent(Duration.ofSeconds(30), Duration.ofMillis(50)));
    convergeAll(h, new dev.failover.activities.components.compute.ClusterPoliciesComponent());
  }

  private static <T> void convergeAll(ComponentHarness<?> h, Component<T> component) {
    List<T> items = component.read(h.context(SimulatedCloud.primary(), null));
    new ComponentConverger<>(component, h.context(SimulatedCloud.secondary(), null), d -> {})
        .converge(items, null, false);
  }

  @Test
  void aJobsReferencesToWarehousesAndPoliciesPointAtDrsObjectsOfTheSameName() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      List<JobItem> captured = h.capturePrimary();
      JobItem revenue =
          captured.stream()
              .filter(j -> j.name().equals("revenue-dashboard-refresh"))
              .findFirst()
              .orElseThrow();
      assertThat(revenue.references().values()).contains("bi-warehouse", "etl-jobs");

      // Without DR's warehouse and policy, converge refuses rather than copy a foreign id.
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> h.converge(List.of(revenue), null, false)))
          .hasMessageContaining("job revenue-dashboard-refresh uses the ")
          .hasMessageContaining("which https://dbc-acme-dr.cloud.databricks.com does not have");

      convergeCompute(h);
      h.converge(captured, null, false);

      var dr = h.cloud.simulator.workspace("secondary");
      String drWarehouse =
          dr.warehouses().warehouses().stream()
              .filter(w -> w.config().path("name").asText().equals("bi-warehouse"))
              .findFirst()
              .orElseThrow()
              .id();
      ObjectNode copy = drJob(h, "revenue-dashboard-refresh").settings();
      assertThat(copy.at("/tasks/1/sql_task/warehouse_id").asText()).isEqualTo(drWarehouse);
      String drPolicy = copy.at("/job_clusters/0/new_cluster/policy_id").asText();
      assertThat(dr.clusterPolicies().get(drPolicy).path("name").asText()).isEqualTo("etl-jobs");
      assertThat(revenue.settings().at("/tasks/1/sql_task/warehouse_id").asText())
          .isNotEqualTo(drWarehouse);

      h.cloud.simulator.requests().clear();
      assertThat(h.converge(captured, null, false).counts().unchanged()).isEqualTo(captured.size());
      assertThat(h.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    }
  }

  /** The job with {@code count} tags of its own (the demo's replaced), as if captured so. */
  private static JobItem withTags(JobItem job, int count) {
    ObjectNode settings = job.settings().deepCopy();
    ObjectNode tags = settings.putObject("tags");
    for (int i = 1; i <= count; i++) {
      tags.put("team-tag-" + i, "v" + i);
    }
    return job.withSettings(settings);
  }

  @Test
  void aJobWithRoomForOneMoreTagKeepsItsIdentityAndOneWithoutIsRefusedByName() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      List<JobItem> captured = h.capturePrimary();
      JobItem etl =
          captured.stream()
              .filter(j -> j.name().equals("nightly-orders-etl"))
              .findFirst()
              .orElseThrow();
      JobItem fanOut =
          captured.stream()
              .filter(j -> j.name().equals("regional-orders-fanout"))
              .findFirst()
              .orElseThrow();

      // 24 tags of its own: the copy gets the identity tag, and no ownership mark (25 at most).
      JobItem crowded = withTags(etl, JobsComponent.MAX_TAGS - 1);
      assertThat(h.converge(List.of(crowded), null, false).counts().created()).isEqualTo(1);
      ObjectNode copy = drJob(h, "nightly-orders-etl").settings();
      assertThat(copy.get("tags")).hasSize(JobsComponent.MAX_TAGS);
      assertThat(copy.at("/tags/failover-job").asText()).isEqualTo(etl.key());
      assertThat(copy.get("tags").has("failover-runbook")).isFalse();
      h.cloud.simulator.requests().clear();
      assertThat(h.converge(List.of(crowded), null, false).counts().unchanged()).isEqualTo(1);
      assertThat(h.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();

      // 25 tags of its own: no copy is made; the refusal names the job and what to do.
      JobItem full = withTags(fanOut, JobsComponent.MAX_TAGS);
      assertThat(
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> h.converge(List.of(full), null, false)))
          .hasMessageContaining(
              "job regional-orders-fanout has 25 tags, the most a job can have, and its copy"
                  + " needs one more (failover-job) to be found again by later runs: remove one of"
                  + " its tags where it was captured");
      assertThat(drJobs(h))
          .noneMatch(j -> j.settings().path("name").asText().equals("regional-orders-fanout"));
    }
  }

  @Test
  void aFailbackLeavesThePrimarysOwnJobsAsTheyWereAndCopiesWhatDrAdded() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      List<JobItem> captured = h.capturePrimary();
      h.converge(captured, null, false);
      // During the outage, DR gained a job of its own.
      JobItem fromDrOnly =
          captured.stream()
              .filter(j -> j.name().equals("nightly-orders-etl"))
              .findFirst()
              .orElseThrow();
      ObjectNode extra = fromDrOnly.settings().deepCopy();
      extra.put("name", "dr-only-report");
      extra.remove("tags");
      h.cloud.simulator.workspace("secondary").jobs().create(extra);

      // The failback: DR is read and the primary converged from it.
      List<JobItem> fromDr = new JobsComponent().read(h.context(SimulatedCloud.secondary(), null));
      h.cloud.simulator.requests().clear();
      ComponentConverger.Result back =
          new ComponentConverger<>(new JobsComponent(), h.failbackContext(), done -> {})
              .converge(fromDr, null, false);

      assertThat(back.counts()).isEqualTo(new ChangeCounts(1, 0, captured.size(), 0));
      var primaryJobs = h.cloud.simulator.workspace("primary").jobs().jobs();
      assertThat(primaryJobs)
          .filteredOn(j -> !j.settings().path("name").asText().equals("dr-only-report"))
          .allMatch(j -> !j.settings().path("tags").has(JobsComponent.KEY_TAG))
          .allMatch(j -> !j.settings().path("tags").has("failover-runbook"));
      assertThat(
              h.cloud.simulator.requests().mutating("databricks", "primary").stream()
                  .map(r -> r.method() + " " + r.path())
                  .toList())
          .containsExactly("POST /api/2.2/jobs/create");
    }
  }

  @Test
  void jobsAreCreatedPausedOnceWithEveryTaskAndRewrittenPaths() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      List<JobItem> captured = h.capturePrimary();
      assertThat(captured)
          .extracting(JobItem::name)
          .contains("nightly-orders-etl", "regional-orders-fanout");
      JobItem fanOut =
          captured.stream()
              .filter(j -> j.name().equals("regional-orders-fanout"))
              .findFirst()
              .orElseThrow();
      assertThat(fanOut.settings().get("tasks")).hasSize(120);

      ComponentConverger.Result first = h.converge(captured, "run-1", false);
      assertThat(first.counts().created()).isEqualTo(captured.size());
      assertThat(drJobs(h)).hasSize(captured.size());
      ObjectNode copy = drJob(h, "regional-orders-fanout").settings();
      assertThat(copy.get("tasks")).hasSize(120);
      assertThat(copy.at("/tasks/0/spark_python_task/python_file").asText())
          .isEqualTo("s3://acme-lakehouse-usw2/code/fanout/region.py");
      assertThat(copy.at("/schedule/pause_status").asText()).isEqualTo("PAUSED");
      assertThat(copy.at("/tags/failover-runbook").asText()).isEqualTo("acme-lakehouse");
      assertThat(copy.at("/tags/failover-job").asText())
          .startsWith("dbc-acme-prod.cloud.databricks.com#");
      assertThat(
              drJob(h, "nightly-orders-etl")
                  .settings()
                  .at("/tasks/0/notebook_task/base_parameters/input")
                  .asText())
          .isEqualTo("s3://acme-lakehouse-usw2/raw/nightly-orders-etl/");

      h.cloud.simulator.requests().clear();
      ComponentConverger.Result second = h.converge(captured, "run-1", false);
      assertThat(second.counts()).isEqualTo(new ChangeCounts(0, 0, captured.size(), 0));
      assertThat(h.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    }
  }

  @Test
  void aJobOfMoreThanAHundredTasksAndNoOtherListIsReadWholeAndCopiedOnce() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      ObjectNode settings = new ObjectMapper().createObjectNode();
      settings.put("name", "wide-notebooks");
      ArrayNode tasks = settings.putArray("tasks");
      for (int i = 0; i < 150; i++) {
        tasks
            .addObject()
            .put("task_key", String.format("t%03d", i))
            .putObject("notebook_task")
            .put("notebook_path", "/Repos/etl/t" + i);
      }
      h.cloud.simulator.workspace("primary").jobs().create(settings);

      // Its second page sends job_clusters, parameters and environments empty, which its first
      // page left out.
      JobItem wide =
          h.capturePrimary().stream()
              .filter(j -> j.name().equals("wide-notebooks"))
              .findFirst()
              .orElseThrow();
      assertThat(wide.settings().get("tasks")).hasSize(150);
      assertThat(wide.settings().has("job_clusters")).isFalse();
      assertThat(wide.settings().has("parameters")).isFalse();
      assertThat(wide.settings().has("environments")).isFalse();

      assertThat(h.converge(List.of(wide), null, false).counts().created()).isEqualTo(1);
      assertThat(drJob(h, "wide-notebooks").settings().get("tasks")).hasSize(150);
      assertThat(h.converge(List.of(wide), null, false).counts().unchanged()).isEqualTo(1);
    }
  }

  @Test
  void aJobTriggeredEveryFewMinutesIsCopiedPaused() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      ObjectNode settings = new ObjectMapper().createObjectNode();
      settings.put("name", "quarter-hourly-sync");
      settings
          .putArray("tasks")
          .addObject()
          .put("task_key", "main")
          .putObject("notebook_task")
          .put("notebook_path", "/Repos/etl/quarter-hourly-sync");
      settings
          .putObject("trigger")
          .putObject("periodic")
          .put("interval", 15)
          .put("unit", "MINUTES");
      h.cloud.simulator.workspace("primary").jobs().create(settings);
      List<JobItem> captured =
          h.capturePrimary().stream().filter(j -> j.name().equals("quarter-hourly-sync")).toList();

      assertThat(h.converge(captured, null, false).counts().created()).isEqualTo(1);
      ObjectNode copy = drJob(h, "quarter-hourly-sync").settings();
      assertThat(copy.at("/trigger/periodic/unit").asText()).isEqualTo("MINUTES");
      assertThat(copy.at("/trigger/pause_status").asText()).isEqualTo("PAUSED");
    }
  }

  @Test
  void aCreateWhoseAnswerIsLostMakesOneJob() throws Exception {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      List<JobItem> captured = h.capturePrimary();
      // The first create is answered only after the client gave up on it (5 s), and takes effect
      // 3 s later, well after the worker's first retry backoff (a quarter of a second).
      try (var lost =
          dev.failover.activities.LostAnswer.once(
              h.cloud.simulator, "databricks", "/api/2.2/jobs/create", 3_000)) {
        ComponentConverger.Result result =
            new ComponentConverger<>(
                    h.component,
                    h.context(
                        SimulatedCloud.secondary(),
                        null,
                        new dev.failover.activities.errors.CallRetry(
                            4,
                            Duration.ofMillis(250),
                            Duration.ofSeconds(5),
                            d -> Thread.sleep(d.toMillis()))),
                    d -> {})
                .converge(captured, null, false);
        assertThat(lost.lost()).isEqualTo(1);
        lost.awaitLanded();
        assertThat(result.counts().created()).isEqualTo(captured.size());
      }

      assertThat(drJobs(h))
          .extracting(j -> j.settings().path("name").asText())
          .containsExactlyInAnyOrderElementsOf(captured.stream().map(JobItem::name).toList());
    }
  }

  @Test
  void aChangedJobIsResetAndSchedulesAreRestoredAsCapturedOrAsBeforeTheFence() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      List<JobItem> captured = h.capturePrimary();
      h.converge(captured, null, false);
      JobsState.Job nightly = drJob(h, "nightly-orders-etl");
      ObjectNode changed = nightly.settings().deepCopy();
      changed.put("max_concurrent_runs", 7);
      h.cloud.simulator.workspace("secondary").jobs().reset(nightly.jobId(), changed);

      ComponentConverger.Result again = h.converge(captured, null, false);
      assertThat(again.counts().updated()).isEqualTo(1);
      assertThat(again.differences()).anyMatch(d -> d.contains("max_concurrent_runs"));
      assertThat(drJob(h, "nightly-orders-etl").settings().path("max_concurrent_runs").asInt())
          .isNotEqualTo(7);

      // hourly-ledger-refresh counts as running: a fence paused it before the capture.
      long hourly =
          captured.stream()
              .filter(j -> j.name().equals("hourly-ledger-refresh"))
              .findFirst()
              .orElseThrow()
              .jobId();
      List<JobItem> asFenced =
          captured.stream().map(j -> j.jobId() == hourly ? paused(j) : j).toList();
      h.cloud.simulator.requests().clear();
      ComponentResult restored =
          new JobsComponent()
              .restoreSchedules(
                  asFenced,
                  Map.of(hourly, List.of("schedule")),
                  h.context(SimulatedCloud.secondary(), null),
                  d -> {});
      // The copies' triggers come from the listing: no copy is read job by job.
      assertThat(h.cloud.simulator.requests().all())
          .extracting(r -> r.path())
          .doesNotContain("/api/2.2/jobs/get", "/api/2.1/jobs/get")
          .contains("/api/2.2/jobs/list");
      Map<String, String> status =
          drJobs(h).stream()
              .filter(j -> j.settings().has("schedule"))
              .collect(
                  Collectors.toMap(
                      j -> j.settings().get("name").asText(),
                      j -> j.settings().at("/schedule/pause_status").asText()));
      assertThat(status)
          .containsEntry("nightly-orders-etl", "UNPAUSED")
          .containsEntry("hourly-ledger-refresh", "UNPAUSED")
          .containsEntry("regional-orders-fanout", "UNPAUSED")
          .containsEntry("revenue-dashboard-refresh", "UNPAUSED")
          .containsEntry("quarterly-archive", "PAUSED");
      // Four schedules, the file-arrival trigger and the continuous job.
      assertThat(restored.counts().updated()).isEqualTo(6);
      assertThat(drJobs(h))
          .filteredOn(j -> j.settings().has("trigger") || j.settings().has("continuous"))
          .extracting(
              j ->
                  j.settings().has("trigger")
                      ? j.settings().at("/trigger/pause_status").asText()
                      : j.settings().at("/continuous/pause_status").asText())
          .containsExactly("UNPAUSED", "UNPAUSED");
    }
  }

  @Test
  void aRestoreWithFewJobsToResumeLooksTheirCopiesUpByNameAndListsWhenOneWasRenamed() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      List<JobItem> captured = h.capturePrimary();
      h.converge(captured, null, false);
      // Among 2,000 captured jobs, those with a trigger are fewer than the 20-odd pages a listing
      // of the target would take one after another.
      List<JobItem> many = new java.util.ArrayList<>(captured);
      for (int i = 0; i < 2_000 - captured.size(); i++) {
        ObjectNode settings =
            com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        settings.put("name", "unscheduled-" + i);
        many.add(
            new JobItem("dbc-acme-prod.cloud.databricks.com#" + (900_000 + i), null, settings));
      }
      h.cloud.simulator.requests().clear();

      ComponentResult restored =
          new JobsComponent()
              .restoreSchedules(
                  many, Map.of(), h.context(SimulatedCloud.secondary(), null), d -> {});

      assertThat(restored.counts().updated()).isEqualTo(6);
      assertThat(restored.counts().unchanged()).isEqualTo(many.size() - 6);
      assertThat(drJob(h, "nightly-orders-etl").settings().at("/schedule/pause_status").asText())
          .isEqualTo("UNPAUSED");
      assertThat(h.cloud.simulator.requests().all())
          .filteredOn(r -> r.path().equals("/api/2.2/jobs/list"))
          .isNotEmpty()
          .allMatch(r -> r.query().contains("name="), "looked up by name");

      // A copy renamed in DR is not under its original's name: the restore lists the target.
      JobsState.Job nightly = drJob(h, "nightly-orders-etl");
      ObjectNode renamed = nightly.settings().deepCopy();
      renamed.put("name", "nightly-orders-etl-dr");
      ((ObjectNode) renamed.get("schedule")).put("pause_status", "PAUSED");
      h.cloud.simulator.workspace("secondary").jobs().reset(nightly.jobId(), renamed);
      h.cloud.simulator.requests().clear();

      ComponentResult again =
          new JobsComponent()
              .restoreSchedules(
                  many, Map.of(), h.context(SimulatedCloud.secondary(), null), d -> {});

      assertThat(again.counts().updated()).isEqualTo(1);
      assertThat(drJob(h, "nightly-orders-etl-dr").settings().at("/schedule/pause_status").asText())
          .isEqualTo("UNPAUSED");
      assertThat(h.cloud.simulator.requests().all())
          .filteredOn(r -> r.path().equals("/api/2.2/jobs/list"))
          .anyMatch(r -> !r.query().contains("name="));
    }
  }

  private static JobItem paused(JobItem job) {
    ObjectNode settings = job.settings().deepCopy();
    ((ObjectNode) settings.get("schedule")).put("pause_status", "PAUSED");
    return job.withSettings(settings);
  }

  @Test
  void aDrillRemovesTheJobsItCreatedAndLeavesOthers() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      ObjectNode own =
          com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
      own.put("name", "dr-only-housekeeping");
      h.cloud.simulator.workspace("secondary").jobs().create(own);
      convergeCompute(h);
      List<JobItem> captured = h.capturePrimary();
      h.converge(captured, "run-7", false);
      // DR holds many jobs of its own: the clean-up reads in full only those it created.
      for (int i = 0; i < 40; i++) {
        ObjectNode more = own.deepCopy();
        more.put("name", "dr-only-" + i);
        h.cloud.simulator.workspace("secondary").jobs().create(more);
      }
      h.cloud.simulator.requests().clear();

      ChangeCounts removed = h.removeCreated("run-7");

      assertThat(removed.deleted()).isEqualTo(captured.size());
      // (A job of more than 100 tasks is read in pages, so count the jobs read, not the requests.)
      assertThat(
              h.cloud.simulator.requests().all().stream()
                  .filter(r -> r.path().equals("/api/2.2/jobs/get"))
                  .map(r -> r.query().replaceAll(".*job_id=(\\d+).*", "$1"))
                  .distinct())
          .hasSize(captured.size());
      assertThat(drJobs(h))
          .extracting(j -> j.settings().get("name").asText())
          .hasSize(41)
          .contains("dr-only-housekeeping", "dr-only-39")
          .noneMatch(name -> captured.stream().anyMatch(c -> c.name().equals(name)));
    }
  }

  @Test
  void warehousesAreCreatedStartedAndWaitedForThenLeftAlone() {
    WarehousesComponent component =
        new WarehousesComponent(Duration.ofSeconds(30), Duration.ofMillis(50));
    try (ComponentHarness<WarehouseItem> h = new ComponentHarness<>(dir, component)) {
      h.cloud.simulator.workspace("secondary").setWarehouseStartDelay(Duration.ofMillis(200));
      List<WarehouseItem> captured = h.capturePrimary();
      assertThat(captured)
          .extracting(WarehouseItem::name)
          .containsExactlyInAnyOrder("bi-warehouse", "finance-adhoc");

      ComponentConverger.Result first = h.converge(captured, "run-2", false);

      assertThat(first.counts().created()).isEqualTo(2);
      List<WarehousesState.Warehouse> dr =
          h.cloud.simulator.workspace("secondary").warehouses().warehouses();
      assertThat(dr)
          .extracting(WarehousesState.Warehouse::state)
          .containsOnly(WarehousesState.State.RUNNING);
      assertThat(dr)
          .allSatisfy(w -> assertThat(w.config().toString()).contains("failover-runbook"));

      h.cloud.simulator.requests().clear();
      assertThat(h.converge(captured, "run-2", false).counts())
          .isEqualTo(new ChangeCounts(0, 0, 2, 0));
      assertThat(h.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
      // The listing shows them RUNNING: none is read again to wait for it.
      assertThat(h.cloud.simulator.requests().all())
          .filteredOn(r -> r.path().matches("/api/2\\.0/sql/warehouses/[^/?]+"))
          .isEmpty();
      assertThat(h.removeCreated("run-2").deleted()).isEqualTo(2);
    }
  }

  @Test
  void aWarehouseCreateWhoseAnswerIsLostLeavesOneWarehouse() {
    WarehousesComponent component =
        new WarehousesComponent(Duration.ofSeconds(30), Duration.ofMillis(50));
    try (ComponentHarness<WarehouseItem> h = new ComponentHarness<>(dir, component)) {
      WarehouseItem bi = warehouseNamed(h.capturePrimary(), "bi-warehouse");
      // The create takes effect after the client gave up (5 s); the retry, 1 s later, is told
      // that the name is taken, in the service's words (400 INVALID_PARAMETER_VALUE).
      try (var lost = LostAnswer.once(h.cloud.simulator, "databricks", "/api/2.0/sql/warehouses")) {
        component.create(bi, h.context(SimulatedCloud.secondary(), "run-4", waitingRetry()));
        assertThat(lost.lost()).isEqualTo(1);
      }

      assertThat(h.cloud.simulator.workspace("secondary").warehouses().warehouses())
          .extracting(w -> w.config().path("name").asText())
          .containsExactly("bi-warehouse");
    }
  }

  @Test
  void aNameHeldByAWarehouseDeletedMomentsAgoIsRetriedNotTakenForSuccess() {
    WarehousesComponent component =
        new WarehousesComponent(Duration.ofSeconds(30), Duration.ofMillis(50));
    try (ComponentHarness<WarehouseItem> h = new ComponentHarness<>(dir, component)) {
      WarehouseItem bi = warehouseNamed(h.capturePrimary(), "bi-warehouse");
      WarehousesState dr = h.cloud.simulator.workspace("secondary").warehouses();
      dr.delete(dr.create(bi.config().deepCopy().put("name", "bi-warehouse")));

      Throwable refused =
          catchThrowable(() -> component.create(bi, h.context(SimulatedCloud.secondary(), null)));

      assertThat(refused)
          .isInstanceOf(ApplicationFailure.class)
          .hasMessageContaining("the name is taken but no warehouse of that name is listed");
      ApplicationFailure failure = (ApplicationFailure) refused;
      assertThat(failure.getType()).isEqualTo(FailureTypes.UNAVAILABLE);
      assertThat(failure.isNonRetryable()).isFalse();
      assertThat(dr.warehouses()).isEmpty();
    }
  }

  @Test
  void aRetriedDeleteOfAJobAlreadyGoneIsDone() {
    JobsComponent component = new JobsComponent();
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, component)) {
      convergeCompute(h);
      h.converge(h.capturePrimary(), "run-5", false);
      JobItem copy =
          component.read(h.context(SimulatedCloud.secondary(), null)).stream()
              .filter(j -> j.name().equals("nightly-orders-etl"))
              .findFirst()
              .orElseThrow();
      // The first delete took effect; its answer was lost.
      h.cloud.simulator.workspace("secondary").jobs().delete(copy.jobId());

      component.delete(copy, h.context(SimulatedCloud.secondary(), null));

      assertThat(drJobs(h)).noneMatch(j -> j.jobId() == copy.jobId());
      assertThat(h.cloud.simulator.requests().all())
          .anyMatch(r -> r.path().equals("/api/2.2/jobs/delete") && r.status() == 400);
    }
  }

  private static WarehouseItem warehouseNamed(List<WarehouseItem> items, String name) {
    return items.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
  }

  /** A call retry that really waits a second, as a worker's first backoff does. */
  private static CallRetry waitingRetry() {
    return new CallRetry(
        4, Duration.ofSeconds(1), Duration.ofSeconds(2), d -> Thread.sleep(d.toMillis()));
  }
}
