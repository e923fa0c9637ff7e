package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.cli.ExitCodes;
import dev.failover.cli.FailoverCli;
import dev.failover.cli.RunLauncher;
import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.DemoWorkspace;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.Simulator;
import dev.failover.worker.PayloadEncryption;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.ChangeCounts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The whole system in one process: Temporal test server, simulator, worker, and the CLI's own
 * launcher, with the real Temporal, Databricks and S3 clients over the network.
 */
class SandboxDrillEndToEndTest {
  /** Every step that converges a component: the demo has some of each. */
  private static final List<String> CONVERGE_STEPS =
      java.util.Arrays.stream(dev.failover.workflows.run.Step.values())
          .map(dev.failover.workflows.run.Step::stepName)
          .filter(name -> name.startsWith("converge-"))
          .toList();

  private static RunReport drill(Sandbox sandbox, Runbook runbook, StringWriter progress) {
    // Kept, so that the second drill finds the first one's DR objects.
    return new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
        .keeping(true)
        .run(runbook, Mode.DRILL, "DRILL-42", new PrintWriter(progress, true));
  }

  private static ChangeCounts counts(RunReport report, String step) {
    return report.steps().stream()
        .filter(s -> s.name().equals(step))
        .findFirst()
        .map(StepReport::counts)
        .orElseThrow();
  }

  private static String jobIdIn(Simulator simulator, String side, String name) {
    return simulator.workspace(side).jobs().jobs().stream()
        .filter(job -> job.settings().path("name").asText().equals(name))
        .map(job -> Long.toString(job.jobId()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aDryRunShowsThePlanReadinessAndWhatWouldChangeAndChangesNothing() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      Simulator simulator = sandbox.simulator();
      StringWriter out = new StringWriter();
      CommandLine plan = FailoverCli.commandLine();
      plan.setOut(new PrintWriter(out));

      int code =
          plan.execute(
              "plan",
              "-f",
              "../runbooks/sandbox.yaml",
              "--mode",
              "failover",
              "--address",
              sandbox.temporalAddress());

      assertThat(code).as(out.toString()).isEqualTo(ExitCodes.OK);
      assertThat(out.toString())
          .contains("Dry run of a failover of runbook acme-lakehouse (nothing was changed)")
          .contains(
              "    each step starts once the steps it waits for have run, at most 8 steps at once:")
          .contains("      fence-source  (after approval)")
          .contains("      promote-storage  (after fence-source)")
          .contains("      capture  (after fence-source)")
          .contains("      check-delta-tables  (after capture, promote-storage)")
          .contains("bucket acme-lakehouse-use1 replicates to acme-lakehouse-usw2")
          .contains(
              "reverse path would work: role arn:aws:iam::123456789012:role/s3-replication-dr")
          .contains(
              "secondary workspace is RUNNING in account 7a1c3e52-9b4d-4f6a-8e21-5c0d3b9f4a17")
          .containsPattern("catalogs +3 +0 +0 +0")
          // The demo's seven schemas and sales' default (main's is among the seven; finance has
          // none): the preview counts them all as created, the default schemas the catalogs come
          // with included.
          .containsPattern("schemas +8 +0 +0 +0")
          .containsPattern("grants +11 +0 +0 +0")
          // Lists of objects DR lacks yet, and of DR's own default policies and folders.
          .containsPattern("permissions +28 +0 +6 +0");
      assertThat(simulator.requests().all()).isNotEmpty().noneMatch(RecordedRequest::mutating);

      // After a drill that kept its objects, the dry run finds DR converged.
      new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
          .keeping(true)
          .run(runbook, Mode.DRILL, null, new PrintWriter(new StringWriter()));
      simulator.requests().clear();
      StringWriter again = new StringWriter();
      CommandLine planAgain = FailoverCli.commandLine();
      planAgain.setOut(new PrintWriter(again));
      planAgain.execute(
          "plan",
          "-f",
          "../runbooks/sandbox.yaml",
          "--mode",
          "drill",
          "--address",
          sandbox.temporalAddress());
      assertThat(again.toString())
          .containsPattern("catalogs +0 +0 +3 +0")
          .containsPattern("grants +0 +0 +11 +0")
          .containsPattern("permissions +0 +0 +34 +0");
      assertThat(simulator.requests().all()).noneMatch(RecordedRequest::mutating);
    }
  }

  @Test
  void drillConvergesDrWithoutTouchingThePrimaryAndASecondDrillChangesNothing() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox =
        Sandbox.start(runbook, 0, PayloadEncryption.fromEnvironment(), null, 0)) {
      Simulator simulator = sandbox.simulator();
      StringWriter progress = new StringWriter();
      int metricsPort = sandbox.metricsPort().orElseThrow();

      CompletableFuture<RunReport> drilling =
          CompletableFuture.supplyAsync(() -> drill(sandbox, runbook, progress));
      MetricsScrape during = scrapeWhileRunning(metricsPort, drilling);
      RunReport first = drilling.get(5, TimeUnit.MINUTES);
      assertWorkerMetricsShowTheDrill(during, metricsPort, runbook, first);

      assertThat(first.outcome()).as(first.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(first.steps())
          .filteredOn(s -> !s.name().equals("clean-up"))
          .allMatch(s -> s.status() == StepStatus.SUCCEEDED);
      assertThat(first.steps())
          .filteredOn(s -> s.name().equals("clean-up"))
          .singleElement()
          .satisfies(s -> assertThat(s.status()).isEqualTo(StepStatus.SKIPPED));
      assertThat(progress.toString())
          .contains("readiness", "capture", "converge-grants", "smoke-test", "SUCCEEDED");
      assertThat(first.snapshot().catalogs()).isGreaterThanOrEqualTo(3);
      assertThat(counts(first, "converge-catalogs").created())
          .isEqualTo(first.snapshot().catalogs());
      // main's and sales' default schemas come with their catalogs (finance's, which the primary
      // lacks, is dropped): every other schema is created.
      assertThat(counts(first, "converge-schemas").created())
          .isEqualTo(first.snapshot().schemas() - 2);
      for (String step : CONVERGE_STEPS) {
        assertThat(counts(first, step).created() + counts(first, step).unchanged())
            .as(step)
            .isPositive();
      }
      // The lists DR's copies got: the 13 the demo set on objects and quarterly-archive's (owned by
      // its creator, wei.chen), DR's own creator entries replaced; the rest already equal.
      assertThat(counts(first, "converge-permissions").updated()).isEqualTo(14);
      assertThat(
              simulator.requests().mutating("databricks", "secondary").stream()
                  .filter(r -> r.path().startsWith("/api/2.0/permissions/")))
          .hasSize(14)
          .allMatch(r -> r.method().equals("PUT"));
      assertThat(
              simulator
                  .workspace("secondary")
                  .permissions()
                  .get("jobs", jobIdIn(simulator, "secondary", "nightly-orders-etl")))
          .filteredOn(held -> !held.inherited())
          .extracting(held -> held.entry().principal() + " " + held.entry().level())
          .contains("maria.garcia@acme.example IS_OWNER", "data-engineers CAN_MANAGE");
      // Every row of the matrix is accounted for: converged, verified, or needs no action.
      assertThat(dev.failover.workflows.run.ComponentMatrix.rows(first))
          .allSatisfy(
              row ->
                  assertThat(row.result())
                      .as(row.component() + ": " + row.detail())
                      .isIn("SUCCEEDED", "NO_ACTION"));
      assertThat(simulator.requests().mutating("databricks", "primary")).isEmpty();
      assertThat(simulator.requests().mutating("s3", "primary")).isEmpty();
      // Read-only towards both buckets' settings and data: DR gets the run's own state (snapshot,
      // ledger, report) and the files of the model versions it registered, each in the version's
      // own storage location under Unity Catalog's managed storage.
      assertThat(simulator.requests().mutating("s3", "secondary"))
          .extracting(RecordedRequest::path)
          .allMatch(
              path ->
                  path.startsWith("/acme-lakehouse-usw2/failover/acme-lakehouse/")
                      || path.matches(
                          "/acme-lakehouse-usw2/uc/.*/__unitystorage/.*/models/[^/]+/versions/"
                              + "[^/]+/[^/]+"));
      assertThat(first.deltaTables()).hasSize(DemoWorkspace.DELTA_TABLES.size());
      // Each job's copy runs as its original does (owners, users and service principals alike),
      // set explicitly, never as the worker that created it.
      java.util.Map<String, String> runsAs = new java.util.TreeMap<>();
      simulator
          .workspace("primary")
          .jobs()
          .jobs()
          .forEach(j -> runsAs.put(j.settings().path("name").asText(), j.runAsUserName()));
      assertThat(runsAs).containsEntry("nightly-orders-etl", DemoWorkspace.ETL_RUNNER);
      java.util.Map<String, String> copiesRunAs = new java.util.TreeMap<>();
      simulator
          .workspace("secondary")
          .jobs()
          .jobs()
          .forEach(
              j -> {
                assertThat(j.runAs()).as(j.settings().path("name").asText()).isNotNull();
                copiesRunAs.put(j.settings().path("name").asText(), j.runAsUserName());
              });
      assertThat(copiesRunAs).isEqualTo(runsAs);
      // What Temporal UI shows for the run.
      var described =
          sandbox.temporal().client().newUntypedWorkflowStub("failover-acme-lakehouse").describe();
      assertThat(described.getStaticSummary())
          .startsWith(
              "drill of runbook acme-lakehouse (us-east-1 -> us-west-2), incident DRILL-42");
      assertThat(described.getStaticDetails())
          .contains("1. `readiness`")
          .contains("`check-delta-tables`");
      assertThat(first.dataRpoSeconds()).isNotNull();

      simulator.requests().clear();
      RunReport second = drill(sandbox, runbook, new StringWriter());

      assertThat(second.outcome()).as(second.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(second.runId()).isNotEqualTo(first.runId());
      for (String step : CONVERGE_STEPS) {
        ChangeCounts again = counts(second, step);
        assertThat(again.created() + again.updated() + again.deleted()).as(step).isZero();
        ChangeCounts before = counts(first, step);
        // What the first drill edited (DR's default Job Compute policy) is unchanged the second.
        assertThat(again.unchanged())
            .as(step)
            .isEqualTo(before.created() + before.updated() + before.unchanged());
      }
      assertThat(simulator.requests().mutating("databricks", "secondary")).isEmpty();
      assertThat(simulator.requests().mutating("databricks", "primary")).isEmpty();
      assertThat(simulator.requests().mutating("s3", "primary")).isEmpty();
      assertThat(simulator.requests().mutating("s3", "secondary"))
          .extracting(RecordedRequest::path)
          .allMatch(path -> path.startsWith("/acme-lakehouse-usw2/failover/acme-lakehouse/"))
          // The snapshot, the JSON report and the Markdown report; the kept drill's record that DR
          // matches its snapshot, claimed (deleted) before converging and written again after.
          .hasSize(5)
          .filteredOn(path -> path.endsWith("/verified-target.json"))
          .hasSize(2);
      String stored =
          new String(
              simulator
                  .s3()
                  .getObject(
                      "acme-lakehouse-usw2",
                      "failover/acme-lakehouse/reports/" + second.runId() + ".md")
                  .content(),
              java.nio.charset.StandardCharsets.UTF_8);
      assertThat(stored)
          .startsWith("# Drill of runbook `acme-lakehouse`: SUCCEEDED")
          .contains("## Steps")
          .contains("## Component matrix")
          .contains("| Job scheduler (jobs) |")
          .contains("## Data replication (RPO per bucket pair)")
          .contains("## Delta tables in the replica")
          .contains("| `sales.silver.orders_clean` | TORN |")
          .contains("- `clean-up`: kept: the drill was started with --keep");

      StringWriter listed = new StringWriter();
      CommandLine list = FailoverCli.commandLine();
      list.setOut(new PrintWriter(listed));
      assertThat(
              list.execute(
                  "list", "--runbook", "acme-lakehouse", "--address", sandbox.temporalAddress()))
          .isEqualTo(ExitCodes.OK);
      assertThat(listed.toString())
          .contains(first.runId())
          .contains(second.runId())
          .contains("COMPLETED");
      // The newest run comes first.
      assertThat(listed.toString().indexOf(second.runId()))
          .isLessThan(listed.toString().indexOf(first.runId()));

      StringWriter markdown = new StringWriter();
      CommandLine markdownReport = FailoverCli.commandLine();
      markdownReport.setOut(new PrintWriter(markdown));
      assertThat(
              markdownReport.execute(
                  "report",
                  "failover-acme-lakehouse",
                  "--address",
                  sandbox.temporalAddress(),
                  "--output",
                  "markdown"))
          .isEqualTo(ExitCodes.OK);
      assertThat(markdown.toString()).startsWith("# Drill of runbook `acme-lakehouse`: SUCCEEDED");

      StringWriter out = new StringWriter();
      CommandLine report = FailoverCli.commandLine();
      report.setOut(new PrintWriter(out));
      int code =
          report.execute(
              "report",
              "failover-acme-lakehouse",
              "--address",
              sandbox.temporalAddress(),
              "--namespace",
              "default",
              "--output",
              "json");
      assertThat(code).isEqualTo(ExitCodes.OK);
      JsonNode json = new ObjectMapper().readTree(out.toString());
      assertThat(json.get("runId").asText()).isEqualTo(second.runId());
      assertThat(json.get("outcome").asText()).isEqualTo("SUCCEEDED");

      StringWriter status = new StringWriter();
      CommandLine statusCommand = FailoverCli.commandLine();
      statusCommand.setOut(new PrintWriter(status));
      assertThat(
              statusCommand.execute(
                  "status",
                  "failover-acme-lakehouse",
                  "--run-id",
                  first.runId(),
                  "--address",
                  sandbox.temporalAddress()))
          .isEqualTo(ExitCodes.OK);
      assertThat(status.toString())
          .contains("Drill of runbook acme-lakehouse: SUCCEEDED")
          .contains("converge-catalogs");
    }
  }

  /**
   * Scrapes the worker's metrics while the drill runs, until the SDK's and the engine's request
   * counters show; fails if the drill ends first.
   */
  private static MetricsScrape scrapeWhileRunning(int port, CompletableFuture<RunReport> drilling)
      throws Exception {
    while (true) {
      MetricsScrape scrape = MetricsScrape.of(port);
      boolean found =
          scrape.has("temporal_request_total") && scrape.has("failover_api_requests_total");
      if (drilling.isDone()) {
        throw new AssertionError("the drill ended before its metrics showed:\n" + scrape.text());
      }
      if (found) {
        return scrape;
      }
      Thread.sleep(100);
    }
  }

  /**
   * After the drill, the worker's metrics show the SDK's workflow metrics, the engine's requests
   * per API family and converged items, and the DR posture gauges with the drill's own figures.
   */
  private static void assertWorkerMetricsShowTheDrill(
      MetricsScrape during, int port, Runbook runbook, RunReport drill) throws Exception {
    assertThat(during.status()).isEqualTo(200);
    assertThat(during.contentType()).startsWith("text/plain");
    MetricsScrape after = MetricsScrape.of(port);
    // The SDK reports into the registry every second.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!after.has("temporal_workflow_completed_total") && System.nanoTime() < deadline) {
      Thread.sleep(200);
      after = MetricsScrape.of(port);
    }
    assertThat(
            after
                .value("temporal_workflow_completed_total", "workflow_type", "RunbookWorkflow")
                .orElse(0))
        .as(after.text())
        .isGreaterThanOrEqualTo(1);
    String dr = runbook.secondary().workspaceHost();
    assertThat(
            after
                .value(
                    "failover_api_requests_total",
                    "service",
                    "databricks",
                    "target",
                    dr,
                    "family",
                    "unity-catalog")
                .orElse(0))
        .isPositive();
    assertThat(
            after
                .value(
                    "failover_api_requests_total",
                    "service",
                    "s3",
                    "target",
                    DemoWorkspace.REPLICA_BUCKET,
                    "family",
                    "s3-write")
                .orElse(0))
        .isPositive();
    assertThat(
            after.value(
                "failover_items_converged_total", "component", "catalogs", "change", "created"))
        .hasValue(counts(drill, "converge-catalogs").created());
    assertThat(
            after.value(
                "failover_step_duration_seconds_count",
                "mode",
                "drill",
                "step",
                "converge-catalogs"))
        .hasValue(1);
    String name = drill.runbook();
    assertThat(drill.replication()).isNotEmpty();
    for (var health : drill.replication()) {
      String[] pair = {"runbook", name, "pair", health.pair(), "source", health.source()};
      assertThat(after.value("failover_replication_pending_versions", pair))
          .hasValue(health.pending());
      assertThat(after.value("failover_replication_failed_versions", pair))
          .hasValue(health.failed());
      assertThat(after.value("failover_replication_oldest_pending_seconds", pair))
          .hasValue(health.rpoSeconds());
    }
    double endedAt = java.time.Instant.parse(drill.endedAt()).toEpochMilli() / 1000.0;
    assertThat(
            after
                .value("failover_drill_last_success_timestamp_seconds", "runbook", name)
                .orElseThrow())
        .isPositive()
        .isCloseTo(endedAt, org.assertj.core.data.Offset.offset(0.001));
    assertThat(after.value("failover_drill_last_success_rto_seconds", "runbook", name))
        .hasValue(drill.rtoSeconds());
    assertThat(after.value("failover_rpo_objective_seconds", "runbook", name))
        .hasValue(drill.rpoObjectiveSeconds());
    double capturedAt =
        java.time.Instant.parse(drill.snapshot().capturedAt()).toEpochMilli() / 1000.0;
    assertThat(
            after
                .value("failover_snapshot_newest_timestamp_seconds", "runbook", name)
                .orElseThrow())
        .isCloseTo(capturedAt, org.assertj.core.data.Offset.offset(0.001));
    assertThat(after.value("failover_snapshot_age_seconds", "runbook", name).orElseThrow())
        .isNotNegative();
  }

  @Test
  void aDrillThatDoesNotKeepLeavesNoModelFilesInTheReplica() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      var s3 = sandbox.simulator().s3();
      List<String> before = s3.objectKeys("acme-lakehouse-usw2");

      RunReport report =
          new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
              .run(runbook, Mode.DRILL, null, new PrintWriter(new StringWriter()));

      assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
      // The drill copied its model versions' files into their storage locations...
      assertThat(sandbox.simulator().requests().mutating("s3", "secondary"))
          .extracting(RecordedRequest::path)
          .anyMatch(path -> path.contains("/models/") && path.endsWith("/model.pkl"));
      // ...and its clean-up removed them with the models: only the run's own state is new.
      List<String> after = new java.util.ArrayList<>(s3.objectKeys("acme-lakehouse-usw2"));
      after.removeAll(before);
      assertThat(after).allMatch(key -> key.startsWith("failover/acme-lakehouse/"));
    }
  }

  /**
   * The demo loses one data file of {@link DemoWorkspace#TORN_TABLE}'s newest commit to a FAILED
   * replication: the drill succeeds, its backlog is 0 s, and every report's summary must still say
   * first that the object is lost and the table torn, and must not call the data RPO met.
   */
  @Test
  void theDemoDrillsReportsLeadWithTheFailedObjectAndTheTornTable() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      RunReport report =
          new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
              .run(runbook, Mode.DRILL, null, new PrintWriter(new StringWriter()));

      assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(report.replication().get(0).failedKeys()).hasSize(1);
      String failedKey = report.replication().get(0).failedKeys().get(0);
      assertThat(failedKey).startsWith(DemoWorkspace.DELTA_TABLES.get(DemoWorkspace.TORN_TABLE));
      String failedObject = "s3://" + DemoWorkspace.PRIMARY_BUCKET + "/" + failedKey;

      StringWriter text = new StringWriter();
      dev.failover.cli.ReportPrinter.text(report, new PrintWriter(text));
      assertInOrder(
          text.toString(),
          "Drill of runbook acme-lakehouse: SUCCEEDED",
          "AT RISK",
          "replication-failed",
          failedObject,
          "delta-table-torn",
          DemoWorkspace.TORN_TABLE,
          "RTO ",
          "data RPO UNBOUNDED (objective 900 s: NOT MET)");
      assertThat(text.toString())
          .doesNotContain("objective 900s: met")
          .doesNotContain("900 s: met");

      // The Markdown and the JSON the report step stored beside the run's snapshot.
      String stored = "failover/acme-lakehouse/reports/" + report.runId();
      String markdown = storedText(sandbox.simulator(), stored + ".md");
      assertInOrder(
          markdown,
          "# Drill of runbook `acme-lakehouse`: SUCCEEDED",
          "## At risk",
          "`" + failedObject + "`",
          "`" + DemoWorkspace.TORN_TABLE + "`",
          "- **RTO**",
          "- **Data RPO**: **UNBOUNDED (objective 900 s: NOT MET)",
          "## Timeline",
          "```mermaid\ngantt\n");
      for (StepReport step : report.steps()) {
        assertThat(markdown)
            .containsPattern(
                "\n    " + java.util.regex.Pattern.quote(step.name()) + "( - [^:]*)? :");
      }

      JsonNode json =
          new ObjectMapper().readTree(storedText(sandbox.simulator(), stored + ".json"));
      assertThat(json.fieldNames().next()).isEqualTo("risks");
      JsonNode risks = json.get("risks");
      assertThat(risks.get(0).get("kind").asText()).isEqualTo("replication-failed");
      assertThat(risks.get(0).get("subject").asText()).isEqualTo(failedObject);
      assertThat(risks.get(1).get("kind").asText()).isEqualTo("delta-table-torn");
      assertThat(risks.get(1).get("subject").asText()).isEqualTo(DemoWorkspace.TORN_TABLE);
      assertThat(json.get("dataRpo").get("verdict").asText()).isEqualTo("UNBOUNDED");
      // The demo's managed tables, whose data is not replicated, are left alone: at risk too.
      assertThat(risks)
          .anySatisfy(
              risk -> {
                assertThat(risk.get("kind").asText()).isEqualTo("left-alone");
                assertThat(risk.get("subject").asText()).isEqualTo("converge-tables");
                assertThat(risk.get("detail").asText()).contains("managed table");
              });
      StringWriter printed = new StringWriter();
      dev.failover.cli.ReportPrinter.json(report, new PrintWriter(printed));
      assertThat(new ObjectMapper().readTree(printed.toString()).get("risks")).isEqualTo(risks);
    }
  }

  private static String storedText(Simulator simulator, String key) {
    return new String(
        simulator.s3().getObject("acme-lakehouse-usw2", key).content(),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void assertInOrder(String text, String... parts) {
    int from = 0;
    for (String part : parts) {
      int at = text.indexOf(part, from);
      assertThat(at)
          .as("'" + part + "' after position " + from + " in:\n" + text)
          .isGreaterThanOrEqualTo(0);
      from = at + part.length();
    }
  }

  @Test
  void drillWaitsAtAFailedReadinessChangesNothingAndARetryFromTheCliCompletesIt() throws Exception {
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      Simulator simulator = sandbox.simulator();
      simulator.s3().setVersioning("acme-lakehouse-usw2", "Suspended");
      StringWriter progress = new StringWriter();
      CompletableFuture<RunReport> drill =
          CompletableFuture.supplyAsync(
              () -> sandbox.run(runbook, Mode.DRILL, "DRILL-43", new PrintWriter(progress, true)));

      RunReport waiting = awaitWaiting(sandbox, "a decision on step readiness");
      StepReport readiness = waiting.steps().get(0);
      assertThat(readiness.status()).isEqualTo(StepStatus.FAILED);
      assertThat(readiness.message())
          .startsWith("MeasureReplication: ")
          .contains("secondary bucket acme-lakehouse-usw2 does not have versioning enabled");
      // The drill's capture only reads the primary, beside readiness; nothing else started.
      assertThat(waiting.steps().get(1).name()).isEqualTo("capture");
      assertThat(waiting.steps().subList(2, waiting.steps().size()))
          .allMatch(s -> s.status() == StepStatus.PENDING);
      assertThat(simulator.requests().mutating("databricks", "secondary")).isEmpty();
      assertThat(simulator.requests().mutating("databricks", "primary")).isEmpty();
      assertThat(simulator.requests().mutating("s3", "primary")).isEmpty();

      // The watcher tells the user what the run waits for and how to answer.
      for (int i = 0; i < 100 && !progress.toString().contains("waiting for a decision"); i++) {
        Thread.sleep(100);
      }
      simulator.s3().setVersioning("acme-lakehouse-usw2", "Enabled");
      StringWriter out = new StringWriter();
      CommandLine retry = FailoverCli.commandLine();
      retry.setOut(new PrintWriter(out));
      assertThat(
              retry.execute(
                  "retry",
                  "failover-acme-lakehouse",
                  "--by",
                  "oncall-sre",
                  "--reason",
                  "versioning enabled again",
                  "--address",
                  sandbox.temporalAddress()))
          .isEqualTo(ExitCodes.OK);
      assertThat(out.toString()).contains("step readiness will run again");

      RunReport report = drill.get(2, TimeUnit.MINUTES);
      assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(report.operatorEvents())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.action()).isEqualTo("retry");
                assertThat(e.by()).isEqualTo("oncall-sre");
              });
      assertThat(progress.toString())
          .contains("waiting for a decision on step readiness")
          .contains("`failover retry|skip|abort failover-acme-lakehouse --by NAME");

      // The audit trail: who started, what failed, who decided, how it ended.
      java.nio.file.Path exported = java.nio.file.Files.createTempFile("history", ".json");
      StringWriter history = new StringWriter();
      CommandLine historyCommand = FailoverCli.commandLine();
      historyCommand.setOut(new PrintWriter(history));
      assertThat(
              historyCommand.execute(
                  "history",
                  "failover-acme-lakehouse",
                  "--address",
                  sandbox.temporalAddress(),
                  "--export",
                  exported.toString()))
          .isEqualTo(ExitCodes.OK);
      assertThat(history.toString())
          .contains("started: drill of runbook acme-lakehouse by ")
          .contains("incident DRILL-43")
          .containsPattern("readiness +MeasureReplication FAILED: .*versioning")
          .contains("retry by oncall-sre: versioning enabled again")
          .containsPattern("converge-catalogs +ConvergeCatalogs succeeded in")
          .contains("ended: SUCCEEDED");
      assertThat(java.nio.file.Files.readString(exported)).contains("\"events\"");
      java.nio.file.Files.delete(exported);
    }
  }

  /** Polls the run's progress until it waits for something that starts with {@code what}. */
  /**
   * Waits until the run waits for {@code what} and no other step runs: a drill's capture, beside
   * readiness, finishes while readiness waits for a decision. (Temporal's test server refuses the
   * cancellation of an activity that completes while the workflow task carrying an abort is in
   * flight, so a test that aborts the run waits for capture first.)
   */
  static RunReport awaitWaiting(Sandbox sandbox, String what) throws InterruptedException {
    RunbookWorkflow run =
        sandbox
            .temporal()
            .client()
            .newWorkflowStub(RunbookWorkflow.class, "failover-acme-lakehouse");
    for (int i = 0; i < 600; i++) {
      try {
        RunReport report = run.progress();
        if (report != null
            && report.waitingFor() != null
            && report.waitingFor().startsWith(what)
            && report.steps().stream()
                .noneMatch(s -> s.status() == StepStatus.RUNNING && !s.name().equals("approval"))) {
          return report;
        }
      } catch (io.temporal.client.WorkflowException e) {
        // Not started yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the run never waited for " + what);
  }

  @Test
  void sandboxDrillCommandPrintsTheReportAsOneJsonObjectAndProgressOnStderr() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = FailoverCli.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));

    int code = cmd.execute("sandbox", "drill", "--output", "json", "--metrics-port", "0");

    assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.fieldNames().next()).isEqualTo("risks");
    assertThat(report.get("risks").get(0).get("kind").asText()).isEqualTo("replication-failed");
    assertThat(report.get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(report.get("mode").asText()).isEqualTo("DRILL");
    assertThat(report.get("workflowId").asText()).isEqualTo("failover-acme-lakehouse");
    assertThat(report.get("runId").asText()).isNotBlank();
    assertThat(report.get("startedAt").asText()).isNotBlank();
    assertThat(report.get("endedAt").asText()).isNotBlank();
    assertThat(report.get("rtoSeconds").isNumber()).isTrue();
    assertThat(report.get("steps"))
        .hasSize(
            dev.failover.workflows.run.PlanGraph.of(
                    RunbookFiles.bundledSandboxRunbook(), Mode.DRILL)
                .nodes()
                .size());
    assertThat(report.get("componentMatrix")).hasSize(18);
    for (JsonNode step : report.get("steps")) {
      assertThat(step.get("name").asText()).isNotBlank();
      assertThat(step.get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(step.get("startedAt").asText()).isNotBlank();
      assertThat(step.get("endedAt").asText()).isNotBlank();
      assertThat(step.has("counts")).isTrue();
    }
    JsonNode catalogs = null;
    for (JsonNode step : report.get("steps")) {
      if (step.get("name").asText().equals("converge-catalogs")) {
        catalogs = step;
      }
    }
    assertThat(catalogs).isNotNull();
    assertThat(catalogs.get("counts").get("created").asInt()).isPositive();
    // Without --keep the drill removed exactly what it created (grants go with their objects).
    int created = 0;
    JsonNode cleanUp = null;
    for (JsonNode step : report.get("steps")) {
      String name = step.get("name").asText();
      if (name.startsWith("converge-") && !name.equals("converge-grants")) {
        created += step.get("counts").get("created").asInt();
      }
      if (name.equals("clean-up")) {
        cleanUp = step;
      }
    }
    assertThat(created).isGreaterThan(40);
    assertThat(cleanUp.get("counts").get("deleted").asInt()).isEqualTo(created);
    JsonNode replication = report.get("replication").get(0);
    assertThat(replication.get("pair").asText()).isEqualTo("lakehouse");
    assertThat(replication.get("ruleId").asText()).isEqualTo("lakehouse-to-dr");
    assertThat(replication.get("failed").asInt()).isEqualTo(1);
    assertThat(report.get("deltaTables")).hasSize(DemoWorkspace.DELTA_TABLES.size());
    assertThat(report.get("deltaTables"))
        .anySatisfy(
            table -> {
              assertThat(table.get("table").asText()).isEqualTo("sales.silver.orders_clean");
              assertThat(table.get("status").asText()).isEqualTo("TORN");
              assertThat(table.get("newestConsistentVersion").asInt()).isEqualTo(1);
            });
    assertThat(err.toString()).contains("Sandbox: Temporal test server on 127.0.0.1:");
    assertThat(err.toString()).containsPattern("worker metrics at http://127.0.0.1:\\d+/metrics");
    assertThat(err.toString()).contains("converge-catalogs").contains("SUCCEEDED");
  }
}
