package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.ResourceDoesNotExist;
import com.databricks.sdk.mixin.JobsExt;
import com.databricks.sdk.service.jobs.BaseJob;
import com.databricks.sdk.service.jobs.CreateJob;
import com.databricks.sdk.service.jobs.CronSchedule;
import com.databricks.sdk.service.jobs.DeleteJob;
import com.databricks.sdk.service.jobs.Format;
import com.databricks.sdk.service.jobs.GetJobRequest;
import com.databricks.sdk.service.jobs.Job;
import com.databricks.sdk.service.jobs.JobCluster;
import com.databricks.sdk.service.jobs.JobEmailNotifications;
import com.databricks.sdk.service.jobs.JobEnvironment;
import com.databricks.sdk.service.jobs.JobParameterDefinition;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.ListJobsRequest;
import com.databricks.sdk.service.jobs.ListJobsResponse;
import com.databricks.sdk.service.jobs.NotebookTask;
import com.databricks.sdk.service.jobs.PauseStatus;
import com.databricks.sdk.service.jobs.PeriodicTriggerConfiguration;
import com.databricks.sdk.service.jobs.PeriodicTriggerConfigurationTimeUnit;
import com.databricks.sdk.service.jobs.ResetJob;
import com.databricks.sdk.service.jobs.SqlConditionConfiguration;
import com.databricks.sdk.service.jobs.SqlConditionTriggerMode;
import com.databricks.sdk.service.jobs.Task;
import com.databricks.sdk.service.jobs.TriggerSettings;
import com.databricks.sdk.service.jobs.UpdateJob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated Jobs API 2.2, driven only through the real Databricks SDK for Java. */
class JobsApiTest {
  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    workspace = SdkClients.workspace(simulator, "primary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private static Task notebook(String key) {
    return new Task()
        .setTaskKey(key)
        .setJobClusterKey("main")
        .setNotebookTask(new NotebookTask().setNotebookPath("/Repos/etl/" + key));
  }

  private static List<Task> tasks(int count) {
    return IntStream.range(0, count).mapToObj(i -> notebook(String.format("t%03d", i))).toList();
  }

  private long create(String name) {
    return workspace.jobs().create(new CreateJob().setName(name)).getJobId();
  }

  @Test
  void createdJobKeepsEverySettingTheRunbookNeeds() {
    long jobId =
        workspace
            .jobs()
            .create(
                new CreateJob()
                    .setName("nightly-orders")
                    .setTags(Map.of("team", "sales", "dr", "replicate"))
                    .setSchedule(
                        new CronSchedule()
                            .setQuartzCronExpression("0 0 2 * * ?")
                            .setTimezoneId("Europe/Berlin")
                            .setPauseStatus(PauseStatus.PAUSED))
                    .setTasks(List.of(notebook("ingest"), notebook("clean")))
                    .setJobClusters(List.of(new JobCluster().setJobClusterKey("main")))
                    .setMaxConcurrentRuns(3L)
                    .setTimeoutSeconds(3600L)
                    .setEmailNotifications(
                        new JobEmailNotifications().setOnFailure(List.of("oncall@acme.example"))))
            .getJobId();

    Job job = workspace.jobs().get(jobId);
    assertThat(job.getJobId()).isEqualTo(jobId);
    assertThat(job.getCreatorUserName()).isEqualTo("sre-automation@acme.example");
    assertThat(job.getRunAsUserName()).isEqualTo("sre-automation@acme.example");
    assertThat(job.getCreatedTime()).isCloseTo(System.currentTimeMillis(), within(60_000L));
    assertThat(job.getNextPageToken()).isNull();
    JobSettings settings = job.getSettings();
    assertThat(settings.getName()).isEqualTo("nightly-orders");
    assertThat(settings.getTags())
        .containsExactlyInAnyOrderEntriesOf(Map.of("team", "sales", "dr", "replicate"));
    assertThat(settings.getSchedule().getQuartzCronExpression()).isEqualTo("0 0 2 * * ?");
    assertThat(settings.getSchedule().getTimezoneId()).isEqualTo("Europe/Berlin");
    assertThat(settings.getSchedule().getPauseStatus()).isEqualTo(PauseStatus.PAUSED);
    assertThat(settings.getTasks()).extracting(Task::getTaskKey).containsExactly("ingest", "clean");
    assertThat(settings.getTasks())
        .extracting(t -> t.getNotebookTask().getNotebookPath())
        .containsExactly("/Repos/etl/ingest", "/Repos/etl/clean");
    assertThat(settings.getJobClusters())
        .extracting(JobCluster::getJobClusterKey)
        .containsExactly("main");
    assertThat(settings.getMaxConcurrentRuns()).isEqualTo(3L);
    assertThat(settings.getTimeoutSeconds()).isEqualTo(3600L);
    assertThat(settings.getEmailNotifications().getOnFailure())
        .containsExactly("oncall@acme.example");
    assertThat(settings.getFormat()).isEqualTo(Format.MULTI_TASK);
  }

  @Test
  void serviceFillsInItsDefaults() {
    long jobId =
        workspace
            .jobs()
            .create(
                new CreateJob()
                    .setFormat(Format.SINGLE_TASK)
                    .setSchedule(
                        new CronSchedule()
                            .setQuartzCronExpression("0 0 * * * ?")
                            .setTimezoneId("UTC")))
            .getJobId();
    JobSettings settings = workspace.jobs().get(jobId).getSettings();
    assertThat(settings.getName()).isEqualTo("Untitled");
    assertThat(settings.getMaxConcurrentRuns()).isEqualTo(1L);
    assertThat(settings.getTimeoutSeconds()).isZero();
    assertThat(settings.getFormat()).isEqualTo(Format.MULTI_TASK);
    assertThat(settings.getSchedule().getPauseStatus()).isEqualTo(PauseStatus.UNPAUSED);
  }

  @Test
  void aPeriodicTriggerMayCountInMinutes() {
    long jobId =
        workspace
            .jobs()
            .create(
                new CreateJob()
                    .setName("every-quarter-hour")
                    .setTrigger(
                        new TriggerSettings()
                            .setPeriodic(
                                new PeriodicTriggerConfiguration()
                                    .setInterval(15L)
                                    .setUnit(PeriodicTriggerConfigurationTimeUnit.MINUTES))))
            .getJobId();
    TriggerSettings trigger = workspace.jobs().get(jobId).getSettings().getTrigger();
    assertThat(trigger.getPeriodic().getUnit())
        .isEqualTo(PeriodicTriggerConfigurationTimeUnit.MINUTES);
    assertThat(trigger.getPauseStatus()).isEqualTo(PauseStatus.UNPAUSED);
  }

  @Test
  void aSqlConditionGoesAlongsideAnotherTriggerKindNotAlone() {
    SqlConditionConfiguration condition =
        new SqlConditionConfiguration()
            .setSqlQueryId("q-1")
            .setWarehouseId("wh-1")
            .setTriggerMode(SqlConditionTriggerMode.QUERY_RETURNS_ROWS);
    long jobId =
        workspace
            .jobs()
            .create(
                new CreateJob()
                    .setName("hourly-if-rows")
                    .setTrigger(
                        new TriggerSettings()
                            .setPeriodic(
                                new PeriodicTriggerConfiguration()
                                    .setInterval(1L)
                                    .setUnit(PeriodicTriggerConfigurationTimeUnit.HOURS))
                            .setSqlCondition(condition)))
            .getJobId();
    TriggerSettings trigger = workspace.jobs().get(jobId).getSettings().getTrigger();
    assertThat(trigger.getPeriodic().getInterval()).isEqualTo(1L);
    assertThat(trigger.getSqlCondition().getSqlQueryId()).isEqualTo("q-1");

    assertThatThrownBy(
            () ->
                workspace
                    .jobs()
                    .create(
                        new CreateJob()
                            .setName("only-a-condition")
                            .setTrigger(new TriggerSettings().setSqlCondition(condition))))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void listFollowsPageTokensAcrossPagesNewestFirst() {
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      created.add(create(String.format("job-%02d", i)));
    }
    simulator.requests().clear();

    List<BaseJob> all = new ArrayList<>();
    workspace.jobs().list(new ListJobsRequest().setLimit(20L)).forEach(all::add);

    assertThat(all).extracting(BaseJob::getJobId).containsExactlyElementsOf(reversed(created));
    assertThat(all.get(0).getSettings().getName()).isEqualTo("job-44");
    assertThat(simulator.requests().all())
        .filteredOn(r -> r.path().equals("/api/2.2/jobs/list"))
        .hasSize(3)
        .allMatch(r -> r.query().contains("limit=20"));
  }

  @Test
  void listPagesCarryHasMoreAndBothTokens() {
    for (int i = 0; i < 45; i++) {
      create("job-" + i);
    }
    ListJobsResponse first = workspace.jobs().impl().list(new ListJobsRequest().setLimit(20L));
    assertThat(first.getJobs()).hasSize(20);
    assertThat(first.getHasMore()).isTrue();
    assertThat(first.getPrevPageToken()).isNull();

    ListJobsResponse second =
        workspace
            .jobs()
            .impl()
            .list(new ListJobsRequest().setLimit(20L).setPageToken(first.getNextPageToken()));
    ListJobsResponse third =
        workspace
            .jobs()
            .impl()
            .list(new ListJobsRequest().setLimit(20L).setPageToken(second.getNextPageToken()));
    assertThat(third.getJobs()).hasSize(5);
    assertThat(third.getHasMore()).isFalse();
    assertThat(third.getNextPageToken()).isNull();

    ListJobsResponse back =
        workspace
            .jobs()
            .impl()
            .list(new ListJobsRequest().setLimit(20L).setPageToken(third.getPrevPageToken()));
    assertThat(back.getJobs())
        .extracting(BaseJob::getJobId)
        .containsExactlyElementsOf(second.getJobs().stream().map(BaseJob::getJobId).toList());
  }

  @Test
  void listFiltersByExactNameIgnoringCaseAndHidesTasksUnlessExpanded() {
    workspace
        .jobs()
        .create(new CreateJob().setName("Orders").setTasks(List.of(notebook("a"))))
        .getJobId();
    create("orders-backfill");

    List<BaseJob> byName = new ArrayList<>();
    workspace.jobs().list(new ListJobsRequest().setName("ORDERS")).forEach(byName::add);
    assertThat(byName).extracting(j -> j.getSettings().getName()).containsExactly("Orders");
    assertThat(byName.get(0).getSettings().getTasks()).isNull();
    assertThat(workspace.jobs().list(new ListJobsRequest().setName("nothing"))).isEmpty();

    List<BaseJob> expanded = new ArrayList<>();
    workspace
        .jobs()
        .list(new ListJobsRequest().setName("orders").setExpandTasks(true))
        .forEach(expanded::add);
    assertThat(expanded.get(0).getSettings().getTasks())
        .extracting(Task::getTaskKey)
        .containsExactly("a");
  }

  @Test
  void limitOutsideOneToHundredIsInvalid() {
    assertThatThrownBy(
            () -> workspace.jobs().list(new ListJobsRequest().setLimit(101L)).iterator().next())
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void getAnswersAHundredTasksPerPageAndJobsExtFollowsThePages() {
    long jobId =
        workspace
            .jobs()
            .create(
                new CreateJob()
                    .setName("wide")
                    .setTasks(tasks(150))
                    .setJobClusters(List.of(new JobCluster().setJobClusterKey("main")))
                    .setParameters(
                        List.of(new JobParameterDefinition().setName("day").setDefault("today")))
                    .setEnvironments(List.of(new JobEnvironment().setEnvironmentKey("default"))))
            .getJobId();

    // WorkspaceClient.jobs() in 0.141.0 is the generated JobsAPI: its get returns one page.
    Job first = workspace.jobs().get(jobId);
    assertThat(first.getSettings().getTasks()).hasSize(100);
    assertThat(first.getNextPageToken()).isNotBlank();
    Job second = nextPage(jobId, first);
    assertThat(second.getSettings().getTasks()).hasSize(50);
    assertThat(second.getSettings().getJobClusters()).isEmpty();
    assertThat(second.getSettings().getParameters()).isEmpty();
    assertThat(second.getSettings().getEnvironments()).isEmpty();
    assertThat(second.getNextPageToken()).isNull();

    // The SDK's JobsExt mixin follows next_page_token and appends every page.
    Job whole = new JobsExt(workspace.apiClient()).get(new GetJobRequest().setJobId(jobId));
    assertThat(whole.getSettings().getTasks())
        .extracting(Task::getTaskKey)
        .containsExactlyElementsOf(tasks(150).stream().map(Task::getTaskKey).toList());
    assertThat(whole.getSettings().getJobClusters()).hasSize(1);
    assertThat(whole.getSettings().getParameters()).hasSize(1);
    assertThat(whole.getSettings().getEnvironments()).hasSize(1);

    List<BaseJob> listed = new ArrayList<>();
    workspace.jobs().list(new ListJobsRequest().setExpandTasks(true)).forEach(listed::add);
    assertThat(listed.get(0).getHasMore()).isTrue();
    assertThat(listed.get(0).getSettings().getTasks()).hasSize(100);
    List<BaseJob> listedByExt = new ArrayList<>();
    new JobsExt(workspace.apiClient())
        .list(new ListJobsRequest().setExpandTasks(true))
        .forEach(listedByExt::add);
    assertThat(listedByExt.get(0).getSettings().getTasks()).hasSize(150);
  }

  @Test
  void laterPagesSendEveryPagedArrayEmptyAlsoOneTheJobLacks() {
    long jobId =
        workspace.jobs().create(new CreateJob().setName("bare").setTasks(tasks(150))).getJobId();

    Job first = workspace.jobs().get(jobId);
    assertThat(first.getSettings().getJobClusters()).isNull();
    assertThat(first.getSettings().getParameters()).isNull();
    assertThat(first.getSettings().getEnvironments()).isNull();
    Job second = nextPage(jobId, first);
    assertThat(second.getSettings().getTasks()).hasSize(50);
    assertThat(second.getSettings().getJobClusters()).isEmpty();
    assertThat(second.getSettings().getParameters()).isEmpty();
    assertThat(second.getSettings().getEnvironments()).isEmpty();
    // JobsExt appends them to the first page's lists, which are null for such a job.
    assertThatThrownBy(
            () -> new JobsExt(workspace.apiClient()).get(new GetJobRequest().setJobId(jobId)))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void updateMergesTopLevelFieldsAndTasksByKeyWhileResetReplacesEverything() {
    long jobId =
        workspace
            .jobs()
            .create(
                new CreateJob()
                    .setName("etl")
                    .setTags(Map.of("team", "sales"))
                    .setSchedule(
                        new CronSchedule()
                            .setQuartzCronExpression("0 0 2 * * ?")
                            .setTimezoneId("UTC")
                            .setPauseStatus(PauseStatus.PAUSED))
                    .setTasks(List.of(notebook("a"), notebook("b")))
                    .setMaxConcurrentRuns(2L))
            .getJobId();

    workspace
        .jobs()
        .update(
            new UpdateJob()
                .setJobId(jobId)
                .setNewSettings(
                    new JobSettings()
                        .setTags(Map.of("dr", "yes"))
                        .setTasks(
                            List.of(
                                notebook("b")
                                    .setNotebookTask(
                                        new NotebookTask().setNotebookPath("/Repos/etl/b2")),
                                notebook("c"))))
                .setFieldsToRemove(List.of("max_concurrent_runs", "tasks/a")));
    JobSettings updated = workspace.jobs().get(jobId).getSettings();
    assertThat(updated.getName()).isEqualTo("etl");
    assertThat(updated.getTags()).containsExactlyEntriesOf(Map.of("dr", "yes"));
    assertThat(updated.getSchedule().getPauseStatus()).isEqualTo(PauseStatus.PAUSED);
    assertThat(updated.getTasks()).extracting(Task::getTaskKey).containsExactly("b", "c");
    assertThat(updated.getTasks())
        .filteredOn(t -> t.getTaskKey().equals("b"))
        .extracting(t -> t.getNotebookTask().getNotebookPath())
        .containsExactly("/Repos/etl/b2");
    assertThat(updated.getMaxConcurrentRuns()).isEqualTo(1L);

    workspace
        .jobs()
        .reset(
            new ResetJob()
                .setJobId(jobId)
                .setNewSettings(new JobSettings().setName("etl-v2").setTasks(tasks(1))));
    JobSettings reset = workspace.jobs().get(jobId).getSettings();
    assertThat(reset.getName()).isEqualTo("etl-v2");
    assertThat(reset.getTags()).isNull();
    assertThat(reset.getSchedule()).isNull();
    assertThat(reset.getTasks()).extracting(Task::getTaskKey).containsExactly("t000");
  }

  @Test
  void fieldsToRemoveTakesOutEntriesOfTasksAndJobClustersOnly() {
    long jobId =
        workspace
            .jobs()
            .create(
                new CreateJob()
                    .setName("etl")
                    .setTasks(List.of(notebook("a")))
                    .setJobClusters(
                        List.of(
                            new JobCluster().setJobClusterKey("main"),
                            new JobCluster().setJobClusterKey("spare")))
                    .setParameters(
                        List.of(new JobParameterDefinition().setName("day").setDefault("today")))
                    .setEnvironments(List.of(new JobEnvironment().setEnvironmentKey("default"))))
            .getJobId();

    for (String nested : List.of("environments/default", "parameters/day")) {
      assertThatThrownBy(
              () ->
                  workspace
                      .jobs()
                      .update(new UpdateJob().setJobId(jobId).setFieldsToRemove(List.of(nested))))
          .isInstanceOf(InvalidParameterValue.class);
    }
    JobSettings kept = workspace.jobs().get(jobId).getSettings();
    assertThat(kept.getEnvironments()).hasSize(1);
    assertThat(kept.getParameters()).hasSize(1);

    workspace
        .jobs()
        .update(
            new UpdateJob()
                .setJobId(jobId)
                .setFieldsToRemove(List.of("job_clusters/spare", "environments", "parameters")));
    JobSettings updated = workspace.jobs().get(jobId).getSettings();
    assertThat(updated.getJobClusters())
        .extracting(JobCluster::getJobClusterKey)
        .containsExactly("main");
    assertThat(updated.getEnvironments()).isNull();
    assertThat(updated.getParameters()).isNull();
  }

  @Test
  void aTaskThatRunsAJobMustNameAJobOfTheWorkspaceAlsoInsideAForEach() {
    long runs = create("runs-nothing");
    Task runJob =
        new Task()
            .setTaskKey("run")
            .setRunJobTask(new com.databricks.sdk.service.jobs.RunJobTask().setJobId(runs));
    long chain =
        workspace
            .jobs()
            .create(new CreateJob().setName("chain").setTasks(List.of(runJob)))
            .getJobId();
    assertThat(
            workspace
                .jobs()
                .get(chain)
                .getSettings()
                .getTasks()
                .iterator()
                .next()
                .getRunJobTask()
                .getJobId())
        .isEqualTo(runs);

    long unknown = runs + 1_000;
    Task nested =
        new Task()
            .setTaskKey("each")
            .setForEachTask(
                new com.databricks.sdk.service.jobs.ForEachTask()
                    .setInputs("[1]")
                    .setTask(
                        new Task()
                            .setTaskKey("inner")
                            .setRunJobTask(
                                new com.databricks.sdk.service.jobs.RunJobTask()
                                    .setJobId(unknown))));
    assertThatThrownBy(
            () -> workspace.jobs().create(new CreateJob().setName("bad").setTasks(List.of(nested))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessage("Job " + unknown + " does not exist.");
  }

  @Test
  void deletedJobIsResourceDoesNotExistOnGetAndInvalidParameterElsewhere() {
    long jobId = create("short-lived");
    workspace.jobs().delete(jobId);

    // The service answers 400 INVALID_PARAMETER_VALUE "Job <id> does not exist."; the SDK's
    // ErrorOverrides turn exactly that answer to GET jobs/get into ResourceDoesNotExist (404).
    simulator.requests().clear();
    assertThatThrownBy(() -> workspace.jobs().get(jobId))
        .isInstanceOf(ResourceDoesNotExist.class)
        .hasMessage("Job " + jobId + " does not exist.");
    assertThat(simulator.requests().all())
        .extracting(RecordedRequest::path, RecordedRequest::status)
        .containsExactly(tuple("/api/2.2/jobs/get", 400));
    assertThatThrownBy(() -> workspace.jobs().delete(jobId))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessage("Job " + jobId + " does not exist.");
    assertThatThrownBy(
            () ->
                workspace
                    .jobs()
                    .reset(new ResetJob().setJobId(jobId).setNewSettings(new JobSettings())))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void missingJobIdAndDuplicateTaskKeysAreInvalid() {
    assertThatThrownBy(() -> workspace.jobs().get(new GetJobRequest()))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("job_id");
    assertThatThrownBy(() -> workspace.jobs().delete(new DeleteJob()))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("job_id");
    assertThatThrownBy(
            () ->
                workspace
                    .jobs()
                    .create(new CreateJob().setTasks(List.of(notebook("a"), notebook("a")))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("task_key");
    assertThatThrownBy(
            () ->
                workspace
                    .jobs()
                    .create(new CreateJob().setTasks(List.of(new Task().setDescription("x")))))
        .isInstanceOf(InvalidParameterValue.class);
  }

  @Test
  void aJobHasAtMostAHundredJobClustersAndTenEnvironments() {
    List<JobCluster> clusters =
        IntStream.range(0, 101).mapToObj(i -> new JobCluster().setJobClusterKey("c" + i)).toList();
    List<JobEnvironment> environments =
        IntStream.range(0, 11)
            .mapToObj(i -> new JobEnvironment().setEnvironmentKey("e" + i))
            .toList();

    long jobId =
        workspace
            .jobs()
            .create(
                new CreateJob()
                    .setName("wide")
                    .setJobClusters(clusters.subList(0, 100))
                    .setEnvironments(environments.subList(0, 10)))
            .getJobId();
    assertThatThrownBy(
            () ->
                workspace
                    .jobs()
                    .create(new CreateJob().setName("too-many-clusters").setJobClusters(clusters)))
        .isInstanceOf(InvalidParameterValue.class);
    assertThatThrownBy(
            () ->
                workspace
                    .jobs()
                    .create(
                        new CreateJob()
                            .setName("too-many-environments")
                            .setEnvironments(environments)))
        .isInstanceOf(InvalidParameterValue.class);
    // jobs/update merges by key, so one more entry on a full job is one too many.
    assertThatThrownBy(
            () ->
                workspace
                    .jobs()
                    .update(
                        new UpdateJob()
                            .setJobId(jobId)
                            .setNewSettings(
                                new JobSettings().setJobClusters(clusters.subList(100, 101)))))
        .isInstanceOf(InvalidParameterValue.class);
    assertThat(workspace.jobs().get(jobId).getSettings().getJobClusters()).hasSize(100);
  }

  @Test
  void jobIdsDifferBetweenWorkspaces() {
    long primary = create("same");
    long secondary =
        SdkClients.workspace(simulator, "secondary")
            .jobs()
            .create(new CreateJob().setName("same"))
            .getJobId();
    assertThat(Set.of(primary, secondary)).hasSize(2);
  }

  @Test
  void requestLogMarksWritesAsMutatingAndReadsNot() {
    simulator.requests().clear();
    long jobId = create("logged");
    workspace.jobs().get(jobId);
    workspace.jobs().list(new ListJobsRequest()).forEach(j -> {});
    workspace
        .jobs()
        .update(
            new UpdateJob().setJobId(jobId).setNewSettings(new JobSettings().setName("logged-2")));
    workspace.jobs().reset(new ResetJob().setJobId(jobId).setNewSettings(new JobSettings()));
    workspace.jobs().delete(jobId);

    Set<String> mutating = new HashSet<>();
    Set<String> reads = new HashSet<>();
    simulator.requests().all().stream()
        .filter(r -> r.path().startsWith("/api/2.2/jobs/"))
        .forEach(r -> (r.mutating() ? mutating : reads).add(r.path()));
    assertThat(mutating)
        .containsExactlyInAnyOrder(
            "/api/2.2/jobs/create",
            "/api/2.2/jobs/update",
            "/api/2.2/jobs/reset",
            "/api/2.2/jobs/delete");
    assertThat(reads).containsExactlyInAnyOrder("/api/2.2/jobs/get", "/api/2.2/jobs/list");
    assertThat(simulator.requests().mutating("databricks", "secondary")).isEmpty();
  }

  private static <T> List<T> reversed(List<T> items) {
    List<T> copy = new ArrayList<>(items);
    Collections.reverse(copy);
    return copy;
  }

  /** The page of {@code jobs/get} that {@code page} names as its next. */
  private Job nextPage(long jobId, Job page) {
    return workspace
        .jobs()
        .get(new GetJobRequest().setJobId(jobId).setPageToken(page.getNextPageToken()));
  }
}
