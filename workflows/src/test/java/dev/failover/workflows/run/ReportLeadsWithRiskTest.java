package dev.failover.workflows.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportLeadsWithRiskTest {
  private static final String FAILED_OBJECT =
      "s3://acme-lakehouse-use1/" + SampleReports.FAILED_KEY;

  @Test
  void risksComeDataLossFirstThenStepsWithWhatToDo() {
    List<RunRisk> risks = RunRisk.of(SampleReports.drillWithLoss());

    assertThat(risks)
        .extracting(RunRisk::kind, RunRisk::subject)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("replication-failed", FAILED_OBJECT),
            org.assertj.core.groups.Tuple.tuple("delta-table-torn", SampleReports.TORN_TABLE),
            org.assertj.core.groups.Tuple.tuple("left-alone", "converge-tables"),
            org.assertj.core.groups.Tuple.tuple("objective-missed", "data RPO"),
            org.assertj.core.groups.Tuple.tuple("step-skipped", "clean-up"));
    assertThat(risks.get(0).detail()).contains("S3 never retries it").contains("Batch Replication");
    assertThat(risks.get(1).detail()).contains("restore to v1");
    assertThat(risks.get(2).detail())
        .startsWith(SampleReports.MANAGED_TABLE + ": managed table")
        .contains("DEEP CLONE");
  }

  @Test
  void theDataRpoIsUnboundedNotMetWhileAnObjectFailedToReplicate() {
    DataRpo rpo = DataRpo.of(SampleReports.drillWithLoss());

    assertThat(rpo.verdict()).isEqualTo(DataRpo.Verdict.UNBOUNDED);
    assertThat(rpo.met()).isFalse();
    assertThat(rpo.backlogSeconds()).isZero();
    assertThat(rpo.summary())
        .startsWith("UNBOUNDED (objective 900 s: NOT MET): 1 object version(s) failed")
        .doesNotContain(": met");
    assertThat(DataRpo.of(SampleReports.healthyDrill()).summary())
        .isEqualTo("0 s (objective 900 s: met)");
  }

  @Test
  void theMarkdownSummaryNamesTheFailedObjectAndTheTornTableBeforeTheRtoAndRpo() {
    String markdown = ReportMarkdown.render(SampleReports.drillWithLoss());

    assertThat(markdown)
        .startsWith("# Drill of runbook `acme-lakehouse`: SUCCEEDED\n\n## At risk\n");
    assertInOrder(
        markdown,
        "## At risk",
        "`" + FAILED_OBJECT + "`",
        "`" + SampleReports.TORN_TABLE + "`",
        "`clean-up`",
        "## Summary",
        "- **RTO**",
        "- **Data RPO**: **UNBOUNDED (objective 900 s: NOT MET)");
    assertThat(markdown).doesNotContain("objective 900 s: met");
    assertThat(ReportMarkdown.render(SampleReports.healthyDrill()))
        .contains("## At risk\n\nNothing found")
        .contains("- **Data RPO**: 0 s (objective 900 s: met)");
  }

  @Test
  void theJsonLeadsWithItsRisksAndTheDataRpoVerdict() throws Exception {
    JsonNode json = new ObjectMapper().readTree(ReportJson.render(SampleReports.drillWithLoss()));

    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields.subList(0, 3)).containsExactly("risks", "dataRpo", "runbook");
    assertThat(fields).contains("rtoSeconds", "componentMatrix", "steps");
    JsonNode risks = json.get("risks");
    assertThat(risks.get(0).get("kind").asText()).isEqualTo("replication-failed");
    assertThat(risks.get(0).get("subject").asText()).isEqualTo(FAILED_OBJECT);
    assertThat(risks.get(1).get("kind").asText()).isEqualTo("delta-table-torn");
    assertThat(risks.get(1).get("subject").asText()).isEqualTo(SampleReports.TORN_TABLE);
    assertThat(risks.get(0).get("detail").asText()).isNotBlank();
    assertThat(json.get("dataRpo").get("verdict").asText()).isEqualTo("UNBOUNDED");
    assertThat(json.get("dataRpo").get("failedVersions").asInt()).isEqualTo(1);
  }

  @Test
  void aSourceThatDidNotAnswerMakesTheRpoUnknownNotMet() {
    RunReport healthy = SampleReports.healthyDrill();
    List<dev.failover.workflows.steps.ReplicationHealth> pairs =
        new ArrayList<>(healthy.replication());
    pairs.add(
        dev.failover.workflows.steps.ReplicationHealth.of(
                "logs", "acme-logs-use1", "acme-logs-usw2")
            .sourceReachable(false)
            .summary("bucket acme-logs-use1 unreachable")
            .build());
    RunReport report = withReplication(healthy, pairs);

    assertThat(DataRpo.of(report).verdict()).isEqualTo(DataRpo.Verdict.UNKNOWN);
    assertThat(RunRisk.of(report))
        .extracting(RunRisk::kind)
        .containsExactly("replication-unmeasured", "objective-unknown");
  }

  private static RunReport withReplication(
      RunReport r, List<dev.failover.workflows.steps.ReplicationHealth> pairs) {
    return new RunReport(
        r.runbook(),
        r.workflowId(),
        r.runId(),
        r.mode(),
        r.incidentId(),
        r.requestedBy(),
        r.outcome(),
        r.startedAt(),
        r.endedAt(),
        r.rtoSeconds(),
        r.rtoObjectiveSeconds(),
        r.rpoObjectiveSeconds(),
        r.approvalWaitSeconds(),
        r.approval(),
        r.waitingFor(),
        r.steps(),
        pairs,
        r.storage(),
        r.deltaTables(),
        r.snapshot(),
        r.reportLocation(),
        r.failure(),
        r.operatorEvents(),
        r.approvers(),
        r.fencing(),
        r.controlPlaneRpoSeconds(),
        r.captureIntervalSeconds(),
        r.controlPlaneRpoFrom());
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
}
