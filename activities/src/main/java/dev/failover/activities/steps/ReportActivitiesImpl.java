package dev.failover.activities.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.failover.activities.clients.CloudClients;
import dev.failover.workflows.run.ReportMarkdown;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ReportActivities;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.sync.RequestBody;

/** Writes the run report as JSON into the replica bucket. */
public final class ReportActivitiesImpl implements ReportActivities {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final CloudClients clients;

  public ReportActivitiesImpl(CloudClients clients) {
    this.clients = clients;
  }

  @Override
  public String storeReport(BucketTarget store, String key, RunReport report) {
    byte[] json;
    try {
      com.fasterxml.jackson.databind.node.ObjectNode node = JSON.valueToTree(report);
      node.set(
          "componentMatrix",
          JSON.valueToTree(dev.failover.workflows.run.ComponentMatrix.rows(report)));
      json = JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    // The same report for people, next to it: what goes into the incident record.
    String markdownKey =
        key.endsWith(".json") ? key.substring(0, key.length() - 5) + ".md" : key + ".md";
    byte[] markdown = ReportMarkdown.render(report).getBytes(StandardCharsets.UTF_8);
    ActivityScope scope = ActivityScope.current();
    scope
        .retry()
        .aws(
            "store the run report at s3://" + store.bucket() + "/" + key,
            () ->
                clients
                    .s3(store)
                    .putObject(
                        put -> put.bucket(store.bucket()).key(key).contentType("application/json"),
                        RequestBody.fromBytes(json)));
    scope
        .retry()
        .aws(
            "store the run report at s3://" + store.bucket() + "/" + markdownKey,
            () ->
                clients
                    .s3(store)
                    .putObject(
                        put ->
                            put.bucket(store.bucket())
                                .key(markdownKey)
                                .contentType("text/markdown; charset=utf-8"),
                        RequestBody.fromBytes(markdown)));
    // The posture the run found, once its report is kept: what dashboards and alerts read.
    clients.metrics().posture().runEnded(report);
    return "s3://" + store.bucket() + "/" + key;
  }
}
