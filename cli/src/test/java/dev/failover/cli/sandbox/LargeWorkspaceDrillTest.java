package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.databricks.GroupsState;
import dev.failover.simulator.databricks.WorkspaceState;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A drill of a generated workspace at the scale the issue sets, 2,000 jobs and 20,000 grants on top
 * of the demo lakehouse: the run's history stays under Temporal's 10,240-event warning (a
 * functional limit: batches keep it small), and a second drill over the kept DR copies sends no
 * mutating request to the DR workspace. Prints the figures.
 */
class LargeWorkspaceDrillTest {
  static final int JOBS = 2_000;
  static final int SCHEMAS = 1_000;
  static final int PRINCIPALS_PER_SCHEMA = 20;

  private static void generate(WorkspaceState primary, GroupsState groups) {
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < JOBS; i++) {
      ObjectNode job = json.createObjectNode();
      job.put("name", String.format("generated-job-%04d", i));
      job.putObject("tags").put("team", "team-" + (i % 17));
      ObjectNode task = job.putArray("tasks").addObject();
      task.put("task_key", "main");
      task.putObject("spark_python_task")
          .put("python_file", "s3://acme-lakehouse-use1/code/generated/" + i + ".py");
      if (i % 3 == 0) {
        job.putObject("schedule")
            .put("quartz_cron_expression", "0 " + (i % 60) + " * * * ?")
            .put("timezone_id", "UTC")
            .put("pause_status", "UNPAUSED");
      }
      primary.jobs().create(job);
    }
    // Unity Catalog grants only to principals the account has: the account groups granted to.
    for (int p = 0; p < PRINCIPALS_PER_SCHEMA; p++) {
      groups.create("group-" + p, null, List.of(), List.of(), List.of());
    }
    primary.createCatalog("generated", "Generated at scale", Map.of(), null);
    for (int s = 0; s < SCHEMAS; s++) {
      String schema = String.format("schema_%04d", s);
      primary.createSchema("generated", schema, null, Map.of(), null);
      for (int p = 0; p < PRINCIPALS_PER_SCHEMA; p++) {
        primary.changeGrants(
            "schema",
            "generated." + schema,
            "group-" + p,
            p % 2 == 0 ? List.of("USE_SCHEMA", "SELECT") : List.of("USE_SCHEMA"),
            List.of());
      }
    }
  }

  @Test
  void aDrillOfTwoThousandJobsAndTwentyThousandGrantsKeepsItsHistorySmall() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      generate(sandbox.simulator().workspace("primary"), sandbox.simulator().account().groups());

      long started = System.nanoTime();
      RunReport first =
          sandbox.run(
              runbook, Mode.DRILL, "DRILL-SCALE", new PrintWriter(new StringWriter()), true);
      double firstSeconds = (System.nanoTime() - started) / 1e9;
      assertThat(first.outcome()).as(first.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(step(first, "converge-jobs").counts().created()).isGreaterThanOrEqualTo(JOBS);
      assertThat(first.snapshot().grants()).isGreaterThanOrEqualTo(SCHEMAS * PRINCIPALS_PER_SCHEMA);
      int events = historyEvents(sandbox, first.runId());
      assertThat(events).isLessThan(10_240);

      sandbox.simulator().requests().clear();
      started = System.nanoTime();
      RunReport second =
          sandbox.run(
              runbook, Mode.DRILL, "DRILL-SCALE-2", new PrintWriter(new StringWriter()), true);
      double secondSeconds = (System.nanoTime() - started) / 1e9;
      assertThat(second.outcome()).as(second.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(sandbox.simulator().requests().mutating("databricks", "secondary")).isEmpty();
      assertThat(step(second, "converge-jobs").counts().unchanged()).isGreaterThanOrEqualTo(JOBS);

      System.out.printf(
          "scale drill: %d jobs, %d grants (%d securables); first drill %.1f s, %d history events;"
              + " second drill %.1f s, %d requests, 0 mutating to DR; snapshot %d bytes%n",
          JOBS,
          first.snapshot().grants(),
          first.snapshot().count("grants"),
          firstSeconds,
          events,
          secondSeconds,
          sandbox.simulator().requests().all().size(),
          first.snapshot().sizeBytes());
    }
  }

  private static StepReport step(RunReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static int historyEvents(Sandbox sandbox, String runId) {
    return sandbox
        .temporal()
        .client()
        .fetchHistory("failover-acme-lakehouse", runId)
        .getHistory()
        .getEventsCount();
  }
}
