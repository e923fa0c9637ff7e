package dev.failover.activities.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.failover.activities.clients.CloudClients;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ReportActivities;
import java.io.UncheckedIOException;
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
      json = JSON.writeValueAsBytes(report);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    try (ActivityScope scope = ActivityScope.start()) {
      scope
          .retry()
          .aws(
              "store the run report at s3://" + store.bucket() + "/" + key,
              () ->
                  clients
                      .s3(store)
                      .putObject(
                          put ->
                              put.bucket(store.bucket()).key(key).contentType("application/json"),
                          RequestBody.fromBytes(json)));
    }
    return "s3://" + store.bucket() + "/" + key;
  }
}
