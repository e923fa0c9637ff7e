package dev.failover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.failover.workflows.capture.CaptureRequest;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.runbook.Runbook;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.schedule.v1.Schedule;
import io.temporal.api.workflowservice.v1.CreateScheduleRequest;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleInfo;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code failover capture-schedule}: the Temporal Schedule of captures. The test server has no
 * schedules, so these tests check what can be checked here: the runbook is judged before the server
 * is asked; the request the real SDK sends over gRPC holds the interval, the policies and a capture
 * of the runbook; a server without schedules is said to be so in one line; and a description is
 * printed for people.
 */
class CaptureScheduleCommandTest {
  private static final Path EXAMPLE = Path.of("..", "runbooks", "sandbox.yaml");
  private static TestServer.PortBoundTestServer server;
  private static String address;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    server = TestServer.createPortBoundServer(port, true);
    address = "127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = FailoverCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void aRunbookWithoutACaptureSectionIsRefusedBeforeTheServerIsAsked(@TempDir Path dir)
      throws Exception {
    Path runbook = dir.resolve("runbook.yaml");
    Files.writeString(
        runbook, Files.readString(EXAMPLE).replace("capture:\n  everyMinutes: 60\n", ""));
    // Nothing listens on port 1: a refusal that names the field proves the server was not asked.
    Result result =
        run("capture-schedule", "apply", "-f", runbook.toString(), "--address", "127.0.0.1:1");
    assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err().strip())
        .isEqualTo(
            "failover: capture.everyMinutes: runbook acme-lakehouse has no capture section; add"
                + " 'capture: {everyMinutes: 60}' to it to schedule captures");
  }

  @Test
  void aBadRunbookNameIsRefusedNamingTheParameter() {
    Result result = run("capture-schedule", "show", "Acme_Lakehouse", "--address", address);
    assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("RUNBOOK must be a runbook's name")
        .contains("'Acme_Lakehouse'");
  }

  @Test
  void aServerWithoutSchedulesIsSaidToBeSoInOneLine() {
    for (String[] args :
        List.of(
            new String[] {"capture-schedule", "apply", "-f", EXAMPLE.toString()},
            new String[] {"capture-schedule", "show", "acme-lakehouse"},
            new String[] {"capture-schedule", "trigger", "acme-lakehouse"},
            new String[] {"capture-schedule", "pause", "acme-lakehouse", "--reason", "upgrade"},
            new String[] {"capture-schedule", "delete", "acme-lakehouse"})) {
      List<String> withAddress = new ArrayList<>(List.of(args));
      withAddress.addAll(List.of("--address", address));
      Result result = run(withAddress.toArray(String[]::new));
      assertThat(result.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.FAILED);
      assertThat(result.err().strip().lines()).as(result.err()).hasSize(1);
      assertThat(result.err())
          .contains("the Temporal server at " + address)
          .contains("does not support schedules (UNIMPLEMENTED)")
          .contains("a full Temporal server (1.20 or later) or Temporal Cloud")
          .contains("'failover capture -f FILE' from cron");
    }
  }

  @Test
  void theRequestTheSdkSendsCapturesTheRunbookOnItsInterval() throws Exception {
    Runbook runbook = RunbookFiles.parse(Files.readString(EXAMPLE), EXAMPLE.toString());
    List<CreateScheduleRequest> sent = new CopyOnWriteArrayList<>();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(address)
                .setGrpcClientInterceptors(List.of(recording(sent)))
                .build());
    try {
      CaptureSchedules schedules =
          new CaptureSchedules(
              ScheduleClient.newInstance(
                  stubs, ScheduleClientOptions.newBuilder().setNamespace("default").build()),
              address);
      assertThatThrownBy(() -> schedules.apply(runbook, "alice"))
          .isInstanceOf(CliException.class)
          .hasMessageContaining("does not support schedules");
    } finally {
      stubs.shutdownNow();
    }

    assertThat(sent).hasSize(1);
    CreateScheduleRequest request = sent.get(0);
    assertThat(request.getNamespace()).isEqualTo("default");
    assertThat(request.getScheduleId()).isEqualTo("failover-capture-acme-lakehouse");
    assertThat(request.getRequestId()).isNotEmpty();
    Schedule schedule = request.getSchedule();
    assertThat(schedule.getSpec().getIntervalList()).hasSize(1);
    assertThat(schedule.getSpec().getInterval(0).getInterval().getSeconds()).isEqualTo(3600);
    assertThat(schedule.getPolicies().getOverlapPolicy())
        .isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
    assertThat(schedule.getPolicies().getCatchupWindow().getSeconds()).isEqualTo(3600);
    assertThat(schedule.getPolicies().getPauseOnFailure()).isFalse();
    assertThat(schedule.getState().getPaused()).isFalse();
    assertThat(schedule.getState().getNotes())
        .isEqualTo(
            "captures runbook acme-lakehouse's primary every 60 min into"
                + " s3://acme-lakehouse-usw2/failover/acme-lakehouse/snapshots/; applied by alice");

    var start = schedule.getAction().getStartWorkflow();
    assertThat(start.getWorkflowType().getName()).isEqualTo("CaptureWorkflow");
    assertThat(start.getWorkflowId()).isEqualTo("failover-capture-acme-lakehouse");
    assertThat(start.getTaskQueue().getName()).isEqualTo(RunbookWorkflow.TASK_QUEUE);
    assertThat(start.getWorkflowExecutionTimeout().getSeconds()).isEqualTo(2 * 3600);
    CaptureRequest input =
        DefaultDataConverter.newDefaultInstance()
            .fromPayload(
                start.getInput().getPayloads(0), CaptureRequest.class, CaptureRequest.class);
    assertThat(input.runbook()).isEqualTo(runbook);
    assertThat(input.requestedBy())
        .isEqualTo("schedule failover-capture-acme-lakehouse (applied by alice)");
    assertThat(
            DefaultDataConverter.newDefaultInstance()
                .fromPayload(
                    request.getMemo().getFieldsOrThrow(CaptureSchedules.MEMO_RUNBOOK),
                    String.class,
                    String.class))
        .isEqualTo("acme-lakehouse");
  }

  @Test
  void aDescriptionIsPrintedForPeople() throws Exception {
    Runbook runbook = RunbookFiles.parse(Files.readString(EXAMPLE), EXAMPLE.toString());
    io.temporal.client.schedules.Schedule schedule =
        io.temporal.client.schedules.Schedule.newBuilder(
                CaptureSchedules.schedule(runbook, "alice"))
            .setState(ScheduleState.newBuilder().setPaused(true).setNote("storage upgrade").build())
            .build();
    Instant at = Instant.parse("2026-11-25T17:00:00Z");
    ScheduleDescription description =
        new ScheduleDescription(
            "failover-capture-acme-lakehouse",
            new ScheduleInfo(
                12,
                1,
                2,
                List.of(),
                List.of(
                    new ScheduleActionResult(
                        at,
                        at.plusSeconds(1),
                        new ScheduleActionExecutionStartWorkflow(
                            "failover-capture-acme-lakehouse-2026-11-25T17:00:00Z", "run-1"))),
                List.of(at.plusSeconds(3600)),
                at.minusSeconds(86_400),
                at.minusSeconds(86_400)),
            schedule,
            Map.of(),
            io.temporal.common.SearchAttributes.EMPTY,
            Map.of(),
            DefaultDataConverter.newDefaultInstance());
    List<String> lines = new ArrayList<>();
    CaptureSchedules.print(description, lines::add);
    assertThat(lines)
        .containsExactly(
            "Capture schedule failover-capture-acme-lakehouse",
            "  every 60 min",
            "  PAUSED: storage upgrade",
            "  overlap skip, catch-up window 60 min",
            "  captures started: 12, skipped while one ran: 2, missed the catch-up window: 1",
            "  recent: scheduled 2026-11-25T17:00:00Z, started 2026-11-25T17:00:01Z:"
                + " failover-capture-acme-lakehouse-2026-11-25T17:00:00Z run run-1",
            "  next: 2026-11-25T18:00:00Z");
  }

  /** Records every CreateScheduleRequest the client sends, as it goes over the wire. */
  private static ClientInterceptor recording(List<CreateScheduleRequest> sent) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void sendMessage(Q message) {
            if (message instanceof CreateScheduleRequest request) {
              sent.add(request);
            }
            super.sendMessage(message);
          }
        };
      }
    };
  }
}
