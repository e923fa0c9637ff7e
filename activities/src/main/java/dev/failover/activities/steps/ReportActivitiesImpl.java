package dev.failover.activities.steps;

import dev.failover.activities.clients.CloudClients;
import dev.failover.workflows.run.ReportJson;
import dev.failover.workflows.run.ReportMarkdown;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ReportActivities;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.sync.RequestBody;

/** Writes the run report as JSON, and as Markdown beside it, into the replica bucket. */
public final class ReportActivitiesImpl implements ReportActivities {
  private final CloudClients clients;

  public ReportActivitiesImpl(CloudClients clients) {
    this.clients = clients;
  }

  @Override
  public String storeReport(BucketTarget store, String key, RunReport report) {
    byte[] json = ReportJson.render(report).getBytes(StandardCharsets.UTF_8);
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
