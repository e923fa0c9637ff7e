package dev.failover.activities.components;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.activities.SimulatedCloud;
import dev.failover.activities.components.compute.ClusterPoliciesComponent;
import dev.failover.activities.components.jobs.JobItem;
import dev.failover.activities.components.jobs.JobsComponent;
import dev.failover.activities.components.warehouses.WarehousesComponent;
import dev.failover.simulator.databricks.JobsState;
import dev.failover.simulator.databricks.WorkspaceState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ids in job settings that name other workspace objects, converged into DR through the real SDK: a
 * job that runs another job runs DR's copy of it, a job naming what converge cannot resolve is
 * refused by field while the rest of the batch converges, and notification destinations are dropped
 * with a line in the result.
 */
class JobReferencesComponentTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static WorkspaceState workspace(ComponentHarness<?> h, String name) {
    return h.cloud.simulator.workspace(name);
  }

  private static JobsState.Job job(ComponentHarness<?> h, String side, String name) {
    return workspace(h, side).jobs().jobs().stream()
        .filter(j -> j.settings().path("name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static JobItem captured(List<JobItem> jobs, String name) {
    return jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow();
  }

  private static void convergeCompute(ComponentHarness<?> h) {
    convergeAll(h, new WarehousesComponent(Duration.ofSeconds(30), Duration.ofMillis(50)));
    convergeAll(h, new ClusterPoliciesComponent());
  }

  private static <T> void convergeAll(ComponentHarness<?> h, Component<T> component) {
    List<T> items = component.read(h.context(SimulatedCloud.primary(), null));
    new ComponentConverger<>(component, h.context(SimulatedCloud.secondary(), null), d -> {})
        .converge(items, null, false);
  }

  @Test
  void aJobThatRunsAnotherJobRunsDrsCopyOfIt() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      List<JobItem> captured = h.capturePrimary();
      List<String> names = captured.stream().map(JobItem::name).toList();
      assertThat(names.indexOf("regional-orders-fanout")).isLessThan(names.indexOf("orders-chain"));
      long primaryFanOut = job(h, "primary", "regional-orders-fanout").jobId();
      assertThat(
              job(h, "primary", "orders-chain")
                  .settings()
                  .at("/tasks/0/run_job_task/job_id")
                  .asLong())
          .isEqualTo(primaryFanOut);

      ComponentConverger.Result first = h.converge(captured, null, false);
      assertThat(first.refused()).isEmpty();

      long drFanOut = job(h, "secondary", "regional-orders-fanout").jobId();
      assertThat(drFanOut).isNotEqualTo(primaryFanOut);
      assertThat(
              job(h, "secondary", "orders-chain")
                  .settings()
                  .at("/tasks/0/run_job_task/job_id")
                  .asLong())
          .isEqualTo(drFanOut);

      h.cloud.simulator.requests().clear();
      assertThat(h.converge(captured, null, false).counts().unchanged()).isEqualTo(captured.size());
      assertThat(h.cloud.simulator.requests().mutating("databricks", "secondary")).isEmpty();
    }
  }

  @Test
  void jobsAreCreatedSeveralAtOnceAndAJobThatRunsAnotherAfterItsCopy() throws Exception {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      // A chain of three on top of the demo's jobs: chain-a runs chain-b, which runs chain-c.
      long c =
          createJob(
              h,
              "{'name': 'chain-c', 'tasks': [{'task_key': 'c', 'notebook_task':"
                  + " {'notebook_path': '/Shared/c'}}]}");
      long b = createJob(h, runs("chain-b", c));
      createJob(h, runs("chain-a", b));
      List<JobItem> captured = h.capturePrimary();
      // Each DR request takes a while, so that creates sent at once overlap in the server.
      h.cloud.simulator.setLatency("databricks", "secondary", 100);
      h.cloud.simulator.inFlight().reset();

      ComponentConverger.Result result = h.converge(captured, null, false);

      assertThat(result.refused()).isEmpty();
      assertThat(result.counts().created()).isEqualTo(captured.size());
      assertThat(h.cloud.simulator.inFlight().peak()).isGreaterThan(1);
      assertThat(runJobId(h, "chain-a")).isEqualTo(job(h, "secondary", "chain-b").jobId());
      assertThat(runJobId(h, "chain-b")).isEqualTo(job(h, "secondary", "chain-c").jobId());
      assertThat(runJobId(h, "orders-chain"))
          .isEqualTo(job(h, "secondary", "regional-orders-fanout").jobId());
      assertThat(workspace(h, "secondary").jobs().jobs()).hasSize(captured.size());
    }
  }

  private static long createJob(ComponentHarness<?> h, String json) throws Exception {
    return workspace(h, "primary")
        .jobs()
        .create((ObjectNode) JSON.readTree(json.replace('\'', '"')));
  }

  private static String runs(String name, long jobId) {
    return "{'name': '"
        + name
        + "', 'tasks': [{'task_key': 'run', 'run_job_task': {'job_id': "
        + jobId
        + "}}]}";
  }

  private static long runJobId(ComponentHarness<?> h, String name) {
    return job(h, "secondary", name).settings().at("/tasks/0/run_job_task/job_id").asLong();
  }

  @Test
  void aFailbackPointsAJobDrAddedAtThePrimarysOwnJob() throws Exception {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      convergeCompute(h);
      h.converge(h.capturePrimary(), null, false);
      // During the outage, DR gained a job that runs DR's copy of the fan-out job.
      long drFanOut = job(h, "secondary", "regional-orders-fanout").jobId();
      workspace(h, "secondary")
          .jobs()
          .create(
              (ObjectNode)
                  JSON.readTree(
                      ("{'name': 'dr-only-chain', 'tasks': [{'task_key': 'run',"
                              + " 'run_job_task': {'job_id': "
                              + drFanOut
                              + "}}]}")
                          .replace('\'', '"')));

      List<JobItem> fromDr = new JobsComponent().read(h.context(SimulatedCloud.secondary(), null));
      ComponentConverger.Result back =
          new ComponentConverger<>(new JobsComponent(), h.failbackContext(), done -> {})
              .converge(fromDr, null, false);

      assertThat(back.refused()).isEmpty();
      assertThat(back.counts().created()).isEqualTo(1);
      long primaryFanOut = job(h, "primary", "regional-orders-fanout").jobId();
      assertThat(
              job(h, "primary", "dr-only-chain")
                  .settings()
                  .at("/tasks/0/run_job_task/job_id")
                  .asLong())
          .isEqualTo(primaryFanOut);
      assertThat(
              job(h, "primary", "orders-chain")
                  .settings()
                  .at("/tasks/0/run_job_task/job_id")
                  .asLong())
          .isEqualTo(primaryFanOut);
    }
  }

  @Test
  void aJobWhoseRunJobHasNoCopyIsRefusedByFieldAndConvergesOnceItHas() {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      List<JobItem> captured = h.capturePrimary();
      JobItem chain = captured(captured, "orders-chain");
      JobItem etl = captured(captured, "nightly-orders-etl");

      // The job it runs is in another batch, not converged yet: this one waits, the rest goes on.
      ComponentConverger.Result first = h.converge(List.of(chain, etl), null, false);
      assertThat(first.counts().created()).isEqualTo(1);
      assertThat(first.refused())
          .singleElement()
          .asString()
          .contains("job orders-chain: tasks[0].run_job_task.job_id runs the job ")
          .contains("which has no copy in https://dbc-acme-dr.cloud.databricks.com yet");
      assertThat(workspace(h, "secondary").jobs().jobs())
          .noneMatch(j -> j.settings().path("name").asText().equals("orders-chain"));

      h.converge(List.of(captured(captured, "regional-orders-fanout")), null, false);
      ComponentConverger.Result again = h.converge(List.of(chain), null, false);
      assertThat(again.refused()).isEmpty();
      assertThat(
              job(h, "secondary", "orders-chain")
                  .settings()
                  .at("/tasks/0/run_job_task/job_id")
                  .asLong())
          .isEqualTo(job(h, "secondary", "regional-orders-fanout").jobId());
    }
  }

  @Test
  void idsConvergeCannotResolveAreRefusedByFieldWhileTheOthersConverge() throws Exception {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      workspace(h, "primary")
          .jobs()
          .create(
              (ObjectNode)
                  JSON.readTree(
                      ("{'name': 'pipeline-and-pool', 'tasks': ["
                              + " {'task_key': 'refresh', 'pipeline_task': {'pipeline_id': 'p-123'}},"
                              + " {'task_key': 'each', 'for_each_task': {'inputs': '[1]', 'task':"
                              + "   {'task_key': 'inner', 'spark_python_task': {'python_file':"
                              + "   '/Shared/x.py'}, 'new_cluster': {'spark_version': '15.4.x-scala2.12',"
                              + "   'num_workers': 1, 'instance_pool_id': 'pool-1'}}}}]}")
                          .replace('\'', '"')));
      List<JobItem> captured = h.capturePrimary();

      ComponentConverger.Result result =
          h.converge(
              List.of(
                  captured(captured, "pipeline-and-pool"),
                  captured(captured, "nightly-orders-etl")),
              null,
              false);

      assertThat(result.counts().created()).isEqualTo(1);
      assertThat(result.refused())
          .singleElement()
          .asString()
          .contains(
              "job pipeline-and-pool: tasks[0].pipeline_task.pipeline_id names the pipeline p-123,"
                  + " and pipelines are not converged")
          .contains(
              "tasks[1].for_each_task.task.new_cluster.instance_pool_id names the instance pool"
                  + " pool-1");
      assertThat(workspace(h, "secondary").jobs().jobs())
          .extracting(j -> j.settings().path("name").asText())
          .containsExactly("nightly-orders-etl");
    }
  }

  @Test
  void notificationDestinationsAreDroppedAndTheResultSaysSo() throws Exception {
    try (ComponentHarness<JobItem> h = new ComponentHarness<>(dir, new JobsComponent())) {
      workspace(h, "primary")
          .jobs()
          .create(
              (ObjectNode)
                  JSON.readTree(
                      ("{'name': 'alerting-job', 'webhook_notifications': {'on_failure':"
                              + " [{'id': 'dest-1'}]},"
                              + " 'email_notifications': {'on_failure': ['ops@acme.example']},"
                              + " 'tasks': [{'task_key': 'main', 'spark_python_task':"
                              + " {'python_file': '/Shared/x.py'}}]}")
                          .replace('\'', '"')));
      List<JobItem> captured = h.capturePrimary();

      ComponentConverger.Result result =
          h.converge(List.of(captured(captured, "alerting-job")), null, false);

      assertThat(result.refused()).isEmpty();
      assertThat(result.differences())
          .anyMatch(
              line ->
                  line.contains(
                      "job alerting-job: webhook_notifications.on_failure[0].id (notification"
                          + " destination dest-1) dropped"));
      ObjectNode copy = job(h, "secondary", "alerting-job").settings();
      assertThat(copy.at("/webhook_notifications/on_failure")).isEmpty();
      assertThat(copy.at("/email_notifications/on_failure/0").asText())
          .isEqualTo("ops@acme.example");
      assertThat(
              h.converge(List.of(captured(captured, "alerting-job")), null, false)
                  .counts()
                  .unchanged())
          .isEqualTo(1);
    }
  }
}
