package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.failover.cli.RunbookFiles;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.StepReport;
import dev.failover.workflows.run.StepStatus;
import dev.failover.workflows.runbook.Runbook;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A runbook's custom step calls a webhook (here a local receiver standing in for a DNS API or a
 * chat hook) once its dependencies have run, with the runbook's JSON body and an idempotency key.
 */
class CustomWebhookStepEndToEndTest {
  private record Received(String method, String path, String body, String idempotencyKey) {}

  @Test
  void aDrillCallsTheRunbooksWebhookAfterTheSmokeTest() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    receiver.createContext(
        "/",
        exchange -> {
          received.add(
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                  exchange.getRequestHeaders().getFirst("Idempotency-Key")));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      String yaml =
          Files.readString(Path.of("..", "runbooks", "sandbox.yaml"))
              + "steps:\n"
              + "  disable: [check-delta-tables]\n"
              + "  custom:\n"
              + "    - name: notify-chat\n"
              + "      modes: [drill]\n"
              + "      dependsOn: [smoke-test]\n"
              + "      webhook:\n"
              + "        url: http://127.0.0.1:"
              + receiver.getAddress().getPort()
              + "/hooks/drill\n"
              + "        body: {text: \"drill of acme-lakehouse done\", channel: \"#dr\"}\n"
              + "        expectStatus: 204\n";
      Runbook runbook = RunbookFiles.parse(yaml, "custom-steps.yaml");
      try (Sandbox sandbox = Sandbox.start(runbook)) {
        RunReport report =
            sandbox.run(runbook, Mode.DRILL, "DRILL-HOOK", new PrintWriter(new StringWriter()));

        assertThat(report.outcome()).as(report.failure()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(report.steps())
            .extracting(StepReport::name)
            .containsSubsequence("smoke-test", "notify-chat", "report")
            .doesNotContain("check-delta-tables");
        StepReport notify =
            report.steps().stream()
                .filter(s -> s.name().equals("notify-chat"))
                .findFirst()
                .orElseThrow();
        assertThat(notify.status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(notify.message()).endsWith("/hooks/drill answered 204");
        assertThat(received)
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.method()).isEqualTo("POST");
                  assertThat(r.path()).isEqualTo("/hooks/drill");
                  assertThat(r.body())
                      .isEqualTo("{\"text\":\"drill of acme-lakehouse done\",\"channel\":\"#dr\"}");
                  assertThat(r.idempotencyKey())
                      .isEqualTo("failover-acme-lakehouse/" + report.runId() + "/notify-chat");
                });
      }
    } finally {
      receiver.stop(0);
    }
  }
}
