package dev.failover.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.failover.cli.RunLauncher;
import dev.failover.cli.RunbookFiles;
import dev.failover.worker.AesGcmPayloadCodec;
import dev.failover.worker.TemporalConnection;
import dev.failover.workflows.run.Approval;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.Outcome;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.runbook.Runbook;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowTargetOptions;
import io.temporal.common.converter.DataConverterException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * With a payload key, the Temporal service holds only ciphertext: after a drill and an approved
 * failover in the sandbox, every payload of both histories (workflow input and result, activity
 * inputs and results, the approval signal, failure details), read by a client without the key, is
 * encrypted and contains none of the runbook's hosts, buckets, profiles, tables, the workspace
 * user, the approver or the incident id. A client with the key reads the results as usual. The same
 * payloads decrypted do contain that content, which shows the scan looks at the right material.
 */
class EncryptedPayloadsHideRunbookContentTest {
  private static final String INCIDENT = "CHG-ENCRYPTED-7731";
  private static final List<String> RUNBOOK_CONTENT =
      List.of(
          "dbc-acme-prod",
          "dbc-acme-dr",
          "acme-lakehouse-use1",
          "acme-lakehouse-usw2",
          "acme-primary",
          "s3-replication-dr",
          "sales.silver.orders_clean",
          "finance.ledger.entries",
          "sre-automation@acme.example",
          "oncall-sre",
          INCIDENT);

  @Test
  void historiesHoldOnlyEncryptedPayloadsAndTheKeyReadsThemBack() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(key);
    Runbook runbook = RunbookFiles.bundledSandboxRunbook();
    try (Sandbox sandbox = Sandbox.start(runbook, 0, Optional.of(codec));
        TemporalConnection withoutKey =
            TemporalConnection.connect(
                null, sandbox.temporalAddress(), "default", Optional.empty())) {
      assertThat(sandbox.describe()).contains("payloads encrypted with key id " + codec.keyId());

      RunReport drill =
          new RunLauncher(sandbox.temporal().client(), sandbox.temporal().target())
              .run(runbook, Mode.DRILL, INCIDENT, new PrintWriter(new StringWriter()));
      RunReport failover =
          sandbox.runApproved(
              runbook,
              Mode.FAILOVER,
              INCIDENT,
              new Approval("oncall-sre", "drill of the encrypted path"),
              new PrintWriter(new StringWriter()));
      assertThat(drill.outcome()).as(drill.failure()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(failover.outcome()).as(failover.failure()).isEqualTo(Outcome.SUCCEEDED);

      List<Payload> payloads = new ArrayList<>();
      for (RunReport run : List.of(drill, failover)) {
        for (HistoryEvent event :
            withoutKey.client().fetchHistory(run.workflowId(), run.runId()).getEvents()) {
          if (event.hasMarkerRecordedEventAttributes()
              && event.getMarkerRecordedEventAttributes().getMarkerName().equals("Version")) {
            // The SDK writes version markers (Workflow.getVersion) itself, unencoded: they hold
            // only the workflow's change ids and numbers, never runbook content.
            List<Payload> marker = new ArrayList<>();
            collectPayloads(event, marker);
            for (Payload payload : marker) {
              for (String content : RUNBOOK_CONTENT) {
                assertThat(readable(payload)).doesNotContain(content);
              }
            }
            continue;
          }
          collectPayloads(event, payloads);
        }
      }

      assertThat(payloads).hasSizeGreaterThan(20);
      StringBuilder decrypted = new StringBuilder();
      for (Payload payload : payloads) {
        assertThat(AesGcmPayloadCodec.isEncrypted(payload)).as(payload.toString()).isTrue();
        String raw = readable(payload);
        for (String content : RUNBOOK_CONTENT) {
          assertThat(raw).doesNotContain(content);
        }
        decrypted.append(readable(codec.decode(List.of(payload)).get(0))).append('\n');
      }
      assertThat(decrypted.toString()).contains(RUNBOOK_CONTENT);

      RunReport readWithKey =
          sandbox
              .temporal()
              .client()
              .newUntypedWorkflowStub(runOf(drill))
              .getResult(RunReport.class);
      assertThat(readWithKey).isEqualTo(drill);
      assertThatThrownBy(
              () ->
                  withoutKey
                      .client()
                      .newUntypedWorkflowStub(runOf(drill))
                      .getResult(RunReport.class))
          .hasRootCauseInstanceOf(DataConverterException.class);
    }
  }

  private static WorkflowTargetOptions runOf(RunReport run) {
    return WorkflowTargetOptions.newBuilder()
        .setWorkflowId(run.workflowId())
        .setRunId(run.runId())
        .build();
  }

  /** Every {@link Payload} anywhere in a history event, in any field at any depth. */
  private static void collectPayloads(Message message, List<Payload> found) {
    if (message instanceof Payload payload) {
      found.add(payload);
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object element : (List<?>) field.getValue()) {
          collectPayloads((Message) element, found);
        }
      } else {
        collectPayloads((Message) field.getValue(), found);
      }
    }
  }

  /** A payload's metadata values and data as text, for searching. */
  private static String readable(Payload payload) {
    StringBuilder text = new StringBuilder();
    payload
        .getMetadataMap()
        .values()
        .forEach(value -> text.append(value.toStringUtf8()).append(' '));
    return text.append(payload.getData().toString(StandardCharsets.ISO_8859_1)).toString();
  }
}
