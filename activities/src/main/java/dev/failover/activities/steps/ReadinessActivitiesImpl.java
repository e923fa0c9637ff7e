package dev.failover.activities.steps;

import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.User;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;

/** Read-only readiness checks over the Databricks and S3 APIs. */
public final class ReadinessActivitiesImpl implements ReadinessActivities {
  private final CloudClients clients;

  public ReadinessActivitiesImpl(CloudClients clients) {
    this.clients = clients;
  }

  @Override
  public String checkWorkspace(WorkspaceTarget workspace) {
    try (ActivityScope scope = ActivityScope.start()) {
      User me =
          scope
              .retry()
              .databricks(
                  "check that the "
                      + workspace.side()
                      + " workspace "
                      + workspace.host()
                      + " answers",
                  () -> clients.workspace(workspace).currentUser().me(new MeRequest()));
      return workspace.side()
          + " workspace "
          + workspace.host()
          + " answers as "
          + me.getUserName();
    }
  }

  @Override
  public String checkReplication(BucketTarget primary, BucketTarget replica) {
    try (ActivityScope scope = ActivityScope.start()) {
      return checkReplication(primary, replica, scope.retry());
    }
  }

  private String checkReplication(BucketTarget primary, BucketTarget replica, CallRetry retry) {
    requireVersioning(replica, retry);
    requireVersioning(primary, retry);
    S3Client s3 = clients.s3(primary);
    List<ReplicationRule> rules;
    try {
      rules =
          retry.aws(
              "read the replication configuration of " + primary.bucket(),
              () ->
                  s3.getBucketReplication(get -> get.bucket(primary.bucket()))
                      .replicationConfiguration()
                      .rules());
    } catch (ApplicationFailure e) {
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        throw notReady(
            "bucket "
                + primary.bucket()
                + " has no replication configuration: add a rule that replicates it to "
                + replica.bucket());
      }
      throw e;
    }
    String destination = "arn:aws:s3:::" + replica.bucket();
    return rules.stream()
        .filter(
            rule -> rule.destination() != null && destination.equals(rule.destination().bucket()))
        .filter(rule -> rule.status() == ReplicationRuleStatus.ENABLED)
        .findFirst()
        .map(
            rule ->
                "bucket "
                    + primary.bucket()
                    + " replicates to "
                    + replica.bucket()
                    + " by rule "
                    + rule.id())
        .orElseThrow(
            () ->
                notReady(
                    "bucket "
                        + primary.bucket()
                        + " has no enabled replication rule to "
                        + replica.bucket()
                        + " (rules: "
                        + rules.stream().map(r -> r.id() + "=" + r.statusAsString()).toList()
                        + ")"));
  }

  private void requireVersioning(BucketTarget bucket, CallRetry retry) {
    BucketVersioningStatus status;
    try {
      status =
          retry.aws(
              "read versioning of bucket " + bucket.bucket(),
              () ->
                  clients
                      .s3(bucket)
                      .getBucketVersioning(get -> get.bucket(bucket.bucket()))
                      .status());
    } catch (ApplicationFailure e) {
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        throw notReady(
            bucket.side() + " bucket " + bucket.bucket() + " does not exist in " + bucket.region());
      }
      throw e;
    }
    if (status != BucketVersioningStatus.ENABLED) {
      throw notReady(
          bucket.side()
              + " bucket "
              + bucket.bucket()
              + " does not have versioning enabled (status: "
              + (status == null ? "never enabled" : status)
              + "); replication requires it on both buckets");
    }
  }

  private static ApplicationFailure notReady(String message) {
    return ApplicationFailure.newFailure(message, FailureTypes.NOT_READY);
  }
}
