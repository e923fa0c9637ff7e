package dev.failover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.failover.cli.sandbox.Sandbox;
import dev.failover.simulator.Faults;
import dev.failover.simulator.RecordedRequest;
import dev.failover.simulator.Simulator;
import dev.failover.simulator.s3.ReplicationConfiguration;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Bad input, each case with the one-line error it must produce and proof that nothing was changed.
 * Input the CLI can judge (the runbook file, the command line) is refused before any run starts: no
 * workflow, no request to any cloud. Input only the clouds can judge (credentials, permissions,
 * bucket settings, catalogs) stops a drill at the step that found it, with the API's own error,
 * before anything is written to either workspace or the primary bucket.
 */
class BadInputTest {
  private static final Path EXAMPLE = Path.of("..", "runbooks", "sandbox.yaml");
  private static Sandbox sandbox;
  private static Simulator simulator;
  private static ReplicationConfiguration replication;
  private static String ok;

  @BeforeAll
  static void start() throws Exception {
    ok =
        Files.readString(EXAMPLE)
            // A run with bad input stops at once rather than waiting for an operator.
            .replace("  waitForDecision: true", "  waitForDecision: false");
    Runbook runbook = RunbookFiles.parse(ok, "runbook.yaml");
    sandbox = Sandbox.start(runbook);
    simulator = sandbox.simulator();
    replication = simulator.s3().replication("acme-lakehouse-use1");
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void clearLog() {
    simulator.requests().clear();
  }

  @AfterEach
  void restore() {
    simulator.faults().clear();
    simulator.s3().setVersioning("acme-lakehouse-usw2", "Enabled");
    simulator.s3().putReplication("acme-lakehouse-use1", replication);
  }

  /** Input the CLI refuses before it starts anything. */
  static Stream<Arguments> refusedBeforeAnyRun() {
    String hooks = "steps:\n  custom:\n";
    return Stream.of(
        Arguments.of(
            "malformed YAML",
            ok.replace("name: acme-lakehouse", "name: [acme"),
            null,
            "(file): is not valid YAML at line"),
        Arguments.of(
            "unknown field",
            ok.replace("  rpoMinutes: 15", "  rpoMinutes: 15\n  rpo: 5"),
            null,
            "objectives.rpo: is not a known field"),
        Arguments.of(
            "missing required field",
            ok.replace("  region: us-west-2\n", ""),
            null,
            "secondary.region: is required"),
        Arguments.of(
            "same bucket on both sides",
            ok.replace(
                "replica: {bucket: acme-lakehouse-usw2, region: us-west-2}",
                "replica: {bucket: acme-lakehouse-use1, region: us-west-2}"),
            null,
            "bucketPairs[0].replica.bucket: must differ from the primary bucket"),
        Arguments.of(
            "duplicate step names",
            ok
                + hooks
                + "    - {name: notify, webhook: {url: \"https://h.example.com/a\"}}\n"
                + "    - {name: notify, webhook: {url: \"https://h.example.com/b\"}}\n",
            null,
            "steps.custom[1].name: 'notify' is used by another step"),
        Arguments.of(
            "cycle in custom step dependencies",
            ok
                + hooks
                + "    - {name: a, dependsOn: [b], webhook: {url: \"https://h.example.com/a\"}}\n"
                + "    - {name: b, dependsOn: [a], webhook: {url: \"https://h.example.com/b\"}}\n",
            null,
            "steps.custom: dependencies form a cycle: a -> b -> a"),
        Arguments.of(
            "a webhook step with an invalid URL",
            ok + hooks + "    - {name: notify, webhook: {url: \"hooks.example.com/x\"}}\n",
            null,
            "steps.custom[0].webhook.url: must be an https:// URL"),
        Arguments.of(
            "an incident id that cannot go into a workflow id",
            ok,
            "INC 42/eu",
            "--incident must be 1-64 letters, digits, '.', '_' or '-'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedBeforeAnyRun")
  void refusedBeforeAnyRun(String what, String yaml, String incident, String error)
      throws IOException {
    Path file = Files.createTempFile("runbook", ".yaml");
    Files.writeString(file, yaml);
    StringWriter err = new StringWriter();
    CommandLine cmd = FailoverCli.commandLine();
    cmd.setErr(new PrintWriter(err));
    cmd.setOut(new PrintWriter(new StringWriter()));
    int code =
        incident == null
            ? cmd.execute("drill", "-f", file.toString(), "--address", sandbox.temporalAddress())
            : cmd.execute(
                "drill",
                "-f",
                file.toString(),
                "--incident",
                incident,
                "--address",
                sandbox.temporalAddress());
    Files.delete(file);

    assertThat(code).as(what).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines().filter(line -> line.contains(error)))
        .as(what + ": " + err)
        .hasSize(1);
    // Nothing started and nothing asked of any cloud.
    assertThat(simulator.requests().all()).as(what).isEmpty();
    StringWriter listed = new StringWriter();
    CommandLine list = FailoverCli.commandLine();
    list.setOut(new PrintWriter(listed));
    list.execute("list", "--runbook", "acme-lakehouse", "--address", sandbox.temporalAddress());
    assertThat(listed.toString()).as(what).doesNotContain("RUNNING");
  }

  /** Input only the clouds can judge: the drill stops at the step that found it. */
  static Stream<Arguments> stoppedByTheStepThatFindsIt() {
    Consumer<Simulator> none = s -> {};
    return Stream.of(
        Arguments.of(
            "unknown credential profile",
            ok.replace("credentialProfile: acme-dr", "credentialProfile: acme-dr-typo"),
            none,
            "step readiness failed: CheckWorkspace: ",
            "'acme-dr-typo'"),
        Arguments.of(
            "expired token (401)",
            ok.replace(
                "credentialProfile: acme-dr", "credentialProfile: " + Sandbox.EXPIRED_PROFILE),
            none,
            "step readiness failed: CheckWorkspace: ",
            "HTTP 401"),
        Arguments.of(
            "permission denied (403)",
            ok,
            (Consumer<Simulator>)
                s ->
                    s.faults()
                        .add(
                            new Faults.Rule(
                                "databricks",
                                "/api/2.1/unity-catalog/catalogs",
                                1.0,
                                List.of(Faults.Kind.PERMISSION_DENIED),
                                0)),
            "step capture failed: CaptureControlPlane: ",
            "[PermissionDenied]"),
        Arguments.of(
            "unreachable workspace host (a host DNS does not know)",
            ok.replace("https://dbc-acme-dr.cloud.databricks.com", "https://dbc-acme-dr.invalid"),
            none,
            "step readiness failed: CheckWorkspace: ",
            // The sandbox dials the demo's hosts at the simulator: a host left out of those
            // overrides is named, with the overrides that were given.
            "does not resolve (DNS): check the runbook's workspaceHost (workspace host"
                + " dbc-acme-dr.invalid has no workspace endpoint override (--workspace-endpoint),"
                + " so it was dialled as named; overrides were given for:"),
        Arguments.of(
            "DR bucket without versioning",
            ok,
            (Consumer<Simulator>) s -> s.s3().setVersioning("acme-lakehouse-usw2", "Suspended"),
            "step readiness failed: MeasureReplication: ",
            "acme-lakehouse-usw2 does not have versioning enabled"),
        Arguments.of(
            "replication rule missing",
            ok,
            (Consumer<Simulator>) s -> s.s3().deleteReplication("acme-lakehouse-use1"),
            "step readiness failed: MeasureReplication: ",
            "has no enabled replication rule to acme-lakehouse-usw2"),
        Arguments.of(
            "a catalog the runbook names does not exist",
            ok.replace("  catalogs: []", "  catalogs: [sales, marketing]"),
            none,
            "step capture failed: CaptureControlPlane: ",
            "marketing"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stoppedByTheStepThatFindsIt")
  void stoppedByTheStepThatFindsIt(
      String what, String yaml, Consumer<Simulator> setUp, String failedStep, String error)
      throws Exception {
    Runbook runbook = RunbookFiles.parse(yaml, "runbook.yaml");
    setUp.accept(simulator);

    RunReport report = sandbox.run(runbook, Mode.DRILL, null, new PrintWriter(new StringWriter()));

    assertThat(report.outcome()).as(what).isEqualTo(Outcome.FAILED);
    assertThat(report.failure()).as(what).startsWith(failedStep).contains(error);
    assertThat(report.failure().lines()).as(what).hasSize(1);
    // Nothing changed: no write to either workspace or to the primary bucket; the replica got
    // only the run's own evidence (its report, perhaps its snapshot).
    assertThat(simulator.requests().mutating("databricks", "secondary")).as(what).isEmpty();
    assertThat(simulator.requests().mutating("databricks", "primary")).as(what).isEmpty();
    assertThat(simulator.requests().mutating("s3", "primary")).as(what).isEmpty();
    assertThat(simulator.requests().mutating("s3", "secondary"))
        .as(what)
        .extracting(RecordedRequest::path)
        .allMatch(path -> path.startsWith("/acme-lakehouse-usw2/failover/acme-lakehouse/"));
  }
}
