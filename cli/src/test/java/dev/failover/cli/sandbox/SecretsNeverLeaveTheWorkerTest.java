package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.cli.RunLauncher;
import dev.failover.cli.RunbookFiles;
import dev.failover.simulator.Simulator;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.Runbook;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Credentials stay with the worker: after a drill, neither the workflow history (inputs, results,
 * activity payloads), nor the report, nor anything stored in the replica bucket, nor any log line
 * holds a token or secret key, even with the root logger at DEBUG (HTTP client wire logs print the
 * Authorization header, so the shipped logging configuration switches them off). The profile names
 * do appear, which shows the checks look at the right material.
 */
class SecretsNeverLeaveTheWorkerTest {
  @Test
  void noTokenOrKeyAppearsInHistoryReportSnapshotOrLogs() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.DEBUG);
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook)) {
      Simulator simulator = sandbox.simulator();
      List<String> secrets =
          List.of(
              simulator.workspaceToken("primary"),
              simulator.workspaceToken("secondary"),
              simulator.accountToken(),
              Sandbox.AWS_SECRET);

      RunReport report =
          new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
              .run(runbook, Mode.DRILL, "SECRETS-1", new PrintWriter(new StringWriter()));
      assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);

      String history =
          withDecodedPayloads(
              sandbox
                  .temporal()
                  .client()
                  .fetchHistory(report.workflowId(), report.runId())
                  .toJson(true));
      String reportJson = new ObjectMapper().writeValueAsString(report);
      StringBuilder stored = new StringBuilder();
      for (String key : simulator.s3().objectKeys("acme-lakehouse-usw2")) {
        if (key.startsWith("failover/")) {
          byte[] content = simulator.s3().getObject("acme-lakehouse-usw2", key, null).content();
          stored.append(
              key.endsWith(".gz") ? gunzip(content) : new String(content, StandardCharsets.UTF_8));
        }
      }
      StringBuilder logText = new StringBuilder();
      // The worker's and the simulator's threads still log while this reads: a copy taken under
      // the appender's lock (AppenderBase.doAppend is synchronized on it) cannot change under us.
      List<ILoggingEvent> events;
      synchronized (logs) {
        events = new java.util.ArrayList<>(logs.list);
      }
      for (ILoggingEvent event : events) {
        logText.append(event.getFormattedMessage()).append('\n');
        if (event.getThrowableProxy() != null) {
          logText.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
        }
      }

      assertThat(history).contains("acme-primary", "acme-dr");
      assertThat(stored).contains("sales");
      assertThat(logText).isNotEmpty();
      for (String secret : secrets) {
        assertThat(history).doesNotContain(secret);
        assertThat(reportJson).doesNotContain(secret);
        assertThat(stored.toString()).doesNotContain(secret);
        assertThat(logText.toString()).doesNotContain(secret);
      }
    } finally {
      root.detachAppender(logs);
      root.setLevel(level);
    }
  }

  /**
   * The history's JSON followed by every payload decoded: payload data is base64 in the JSON, so a
   * plain search would never find a leaked value.
   */
  private static String withDecodedPayloads(String historyJson) throws IOException {
    StringBuilder text = new StringBuilder(historyJson);
    List<JsonNode> data = new ObjectMapper().readTree(historyJson).findValues("data");
    for (JsonNode value : data) {
      if (value.isTextual()) {
        try {
          text.append('\n')
              .append(
                  new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
          text.append('\n').append(value.asText());
        }
      }
    }
    return text.toString();
  }

  private static String gunzip(byte[] content) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
