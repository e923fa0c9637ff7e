package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.ApiClient;
import com.databricks.sdk.core.error.platform.InvalidParameterValue;
import com.databricks.sdk.core.error.platform.ResourceConflict;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.service.jobs.BaseRun;
import com.databricks.sdk.service.jobs.CancelRun;
import com.databricks.sdk.service.jobs.Continuous;
import com.databricks.sdk.service.jobs.CreateJob;
import com.databricks.sdk.service.jobs.FileArrivalTriggerConfiguration;
import com.databricks.sdk.service.jobs.GetRunRequest;
import com.databricks.sdk.service.jobs.JobSettings;
import com.databricks.sdk.service.jobs.ListRunsRequest;
import com.databricks.sdk.service.jobs.ListRunsResponse;
import com.databricks.sdk.service.jobs.PauseStatus;
import com.databricks.sdk.service.jobs.RunLifeCycleState;
import com.databricks.sdk.service.jobs.RunNow;
import com.databricks.sdk.service.jobs.RunResultState;
import com.databricks.sdk.service.jobs.TriggerSettings;
import com.databricks.sdk.service.jobs.TriggerType;
import com.databricks.sdk.service.jobs.UpdateJob;
import com.databricks.sdk.service.pipelines.CreatePipeline;
import com.databricks.sdk.service.pipelines.EditPipeline;
import com.databricks.sdk.service.pipelines.ListPipelinesRequest;
import com.databricks.sdk.service.pipelines.PipelineState;
import com.databricks.sdk.service.pipelines.PipelineStateInfo;
import com.databricks.sdk.service.pipelines.StartUpdate;
import com.databricks.sdk.service.pipelines.StopRequest;
import com.databricks.sdk.service.pipelines.UpdateStateInfoState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Job triggers, job runs and pipelines of a simulated workspace, through the real SDK. */
class JobRunsAndPipelinesApiTest {
  private Simulator simulator;
  private WorkspaceClient workspace;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    workspace = SdkClients.workspace(simulator, "primary");
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void aTriggerGetsItsPauseStatusFilledInAndIsChecked() {
    long id =
        workspace
            .jobs()
            .create(
                new CreateJob()
                    .setName("landing")
                    .setTrigger(
                        new TriggerSettings()
                            .setFileArrival(
                                new FileArrivalTriggerConfiguration().setUrl("s3://b/landing/"))))
            .getJobId();

    assertThat(workspace.jobs().get(id).getSettings().getTrigger().getPauseStatus())
        .isEqualTo(PauseStatus.UNPAUSED);
    assertThatThrownBy(
            () ->
                workspace
                    .jobs()
                    .create(
                        new CreateJob()
                            .setName("no-url")
                            .setTrigger(
                                new TriggerSettings()
                                    .setFileArrival(new FileArrivalTriggerConfiguration()))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("trigger.file_arrival.url");
    assertThatThrownBy(
            () ->
                workspace
                    .jobs()
                    .create(
                        new CreateJob()
                            .setName("both")
                            .setContinuous(new Continuous())
                            .setTrigger(
                                new TriggerSettings()
                                    .setFileArrival(
                                        new FileArrivalTriggerConfiguration().setUrl("s3://b/")))))
        .isInstanceOf(InvalidParameterValue.class)
        .hasMessageContaining("only one of schedule, trigger and continuous");
  }

  @Test
  void anUnpausedContinuousJobAlwaysHasARunAndPausingItLeavesTheRunGoing() {
    long id =
        workspace
            .jobs()
            .create(new CreateJob().setName("stream").setContinuous(new Continuous()))
            .getJobId();

    List<BaseRun> active = activeRuns(id);
    assertThat(active).hasSize(1);
    assertThat(active.get(0).getTrigger()).isEqualTo(TriggerType.CONTINUOUS);

    workspace
        .jobs()
        .update(
            new UpdateJob()
                .setJobId(id)
                .setNewSettings(
                    new JobSettings()
                        .setContinuous(new Continuous().setPauseStatus(PauseStatus.PAUSED))));
    assertThat(activeRuns(id))
        .extracting(BaseRun::getRunId)
        .containsExactly(active.get(0).getRunId());

    workspace.jobs().cancelRun(new CancelRun().setRunId(active.get(0).getRunId()));
    assertThat(activeRuns(id)).hasSize(1);
    assertThat(activeRuns(id)).isEmpty();
    workspace
        .jobs()
        .update(
            new UpdateJob()
                .setJobId(id)
                .setNewSettings(
                    new JobSettings()
                        .setContinuous(new Continuous().setPauseStatus(PauseStatus.UNPAUSED))));
    assertThat(activeRuns(id)).hasSize(1).first().isNotEqualTo(active.get(0));
  }

  @Test
  void aCancelIsAsynchronousAndCancellingAnEndedRunChangesNothing() {
    long id = workspace.jobs().create(new CreateJob().setName("etl")).getJobId();
    long runId = workspace.jobs().runNow(new RunNow().setJobId(id)).getResponse().getRunId();

    assertThat(lifeCycle(runId)).isEqualTo(RunLifeCycleState.RUNNING);
    workspace.jobs().cancelRun(new CancelRun().setRunId(runId));
    assertThat(lifeCycle(runId)).isEqualTo(RunLifeCycleState.TERMINATING);
    assertThat(lifeCycle(runId)).isEqualTo(RunLifeCycleState.TERMINATED);
    assertThat(
            workspace
                .jobs()
                .getRun(new GetRunRequest().setRunId(runId))
                .getState()
                .getResultState())
        .isEqualTo(RunResultState.CANCELED);

    workspace.jobs().cancelRun(new CancelRun().setRunId(runId));
    assertThat(
            workspace
                .jobs()
                .getRun(new GetRunRequest().setRunId(runId))
                .getState()
                .getResultState())
        .isEqualTo(RunResultState.CANCELED);
  }

  @Test
  void runNowWithAnIdempotencyTokenStartsOneRunWhenTheAnswerIsLost() {
    long id = workspace.jobs().create(new CreateJob().setName("etl")).getJobId();
    simulator
        .faults()
        .failNext("databricks", "POST", "/api/2.2/jobs/run-now", 1, Faults.Kind.ANSWER_LOST);

    assertThatThrownBy(
        () -> workspace.jobs().runNow(new RunNow().setJobId(id).setIdempotencyToken("t-1")));
    long runId =
        workspace
            .jobs()
            .runNow(new RunNow().setJobId(id).setIdempotencyToken("t-1"))
            .getResponse()
            .getRunId();

    assertThat(activeRuns(id)).extracting(BaseRun::getRunId).containsExactly(runId);
  }

  @Test
  void aContinuousPipelineRunsUntilStoppedAndRefusesASecondUpdate() {
    String id =
        workspace
            .pipelines()
            .create(new CreatePipeline().setName("orders-stream").setContinuous(true))
            .getPipelineId();
    assertThat(workspace.pipelines().get(id).getState()).isEqualTo(PipelineState.IDLE);

    workspace.pipelines().startUpdate(new StartUpdate().setPipelineId(id));
    assertThat(workspace.pipelines().get(id).getState()).isEqualTo(PipelineState.RUNNING);
    assertThatThrownBy(() -> workspace.pipelines().startUpdate(new StartUpdate().setPipelineId(id)))
        .isInstanceOf(ResourceConflict.class);

    workspace.pipelines().stop(new StopRequest().setPipelineId(id));
    assertThat(workspace.pipelines().get(id).getState()).isEqualTo(PipelineState.STOPPING);
    var stopped = workspace.pipelines().get(id);
    assertThat(stopped.getState()).isEqualTo(PipelineState.IDLE);
    assertThat(stopped.getLatestUpdates().iterator().next().getState())
        .isEqualTo(UpdateStateInfoState.CANCELED);
    workspace.pipelines().stop(new StopRequest().setPipelineId(id));
    assertThat(workspace.pipelines().get(id).getSpec().getContinuous()).isTrue();

    workspace
        .pipelines()
        .update(new EditPipeline().setPipelineId(id).setName("orders-stream").setContinuous(false));
    assertThat(workspace.pipelines().get(id).getSpec().getContinuous()).isFalse();
  }

  @Test
  void pipelinesAreListedPageByPage() {
    for (int i = 0; i < 3; i++) {
      workspace.pipelines().create(new CreatePipeline().setName("p" + i));
    }
    List<String> names = new ArrayList<>();
    workspace
        .pipelines()
        .listPipelines(new ListPipelinesRequest().setMaxResults(2L))
        .forEach(p -> names.add(p.getName()));
    assertThat(names).containsExactly("p0", "p1", "p2");
    assertThat(workspace.pipelines().listPipelines(new ListPipelinesRequest()).iterator().next())
        .extracting(PipelineStateInfo::getState)
        .isEqualTo(PipelineState.IDLE);
  }

  @Test
  void runsListTakesALimitOfZeroAsTheMaximumAndRefusesTwentyFive() {
    long id =
        workspace
            .jobs()
            .create(new CreateJob().setName("busy").setMaxConcurrentRuns(100L))
            .getJobId();
    for (int i = 0; i < 30; i++) {
      workspace.jobs().runNow(new RunNow().setJobId(id));
    }
    ListRunsResponse maximum = runsPage(new ListRunsRequest().setJobId(id).setLimit(0L));
    assertThat(maximum.getRuns()).hasSize(24);
    assertThat(maximum.getHasMore()).isTrue();
    assertThat(runsPage(new ListRunsRequest().setJobId(id)).getRuns()).hasSize(20);
    assertThatThrownBy(() -> runsPage(new ListRunsRequest().setJobId(id).setLimit(25L)))
        .isInstanceOf(InvalidParameterValue.class);
  }

  /**
   * One page of {@code runs/list}, sent as the SDK's generated client sends it; {@code
   * WorkspaceClient.jobs().listRuns} would follow the pages.
   */
  private ListRunsResponse runsPage(ListRunsRequest request) {
    Request http = new Request("GET", "/api/2.2/jobs/runs/list");
    ApiClient.setQuery(http, request);
    http.withHeader("Accept", "application/json");
    try {
      return workspace.apiClient().execute(http, ListRunsResponse.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RunLifeCycleState lifeCycle(long runId) {
    return workspace
        .jobs()
        .getRun(new GetRunRequest().setRunId(runId))
        .getState()
        .getLifeCycleState();
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
