package dev.failover.activities.steps;

import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.service.iam.MeRequest;
import com.databricks.sdk.service.iam.User;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CloudFailures;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Read-only readiness checks over the Databricks and S3 APIs. */
public final class ReadinessActivitiesImpl implements ReadinessActivities {
  private final CloudClients clients;

  public ReadinessActivitiesImpl(CloudClients clients) {
    this.clients = clients;
  }

  @Override
  public String checkWorkspace(WorkspaceTarget workspace) {
    try {
      User me = clients.workspace(workspace).currentUser().me(new MeRequest());
      return workspace.side()
          + " workspace "
          + workspace.host()
          + " answers as "
          + me.getUserName();
    } catch (DatabricksException e) {
      throw CloudFailures.databricks(
          "check that the " + workspace.side() + " workspace " + workspace.host() + " answers", e);
    }
  }

  @Override
  public String checkReplication(BucketTarget primary, BucketTarget replica) {
    requireVersioning(replica);
    requireVersioning(primary);
    S3Client s3 = clients.s3(primary);
    List<ReplicationRule> rules;
    try {
      rules =
          s3.getBucketReplication(get -> get.bucket(primary.bucket()))
              .replicationConfiguration()
              .rules();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw notReady(
            "bucket "
                + primary.bucket()
                + " has no replication configuration: add a rule that replicates it to "
                + replica.bucket());
      }
      throw CloudFailures.aws("read the replication configuration of " + primary.bucket(), e);
    } catch (SdkException e) {
      throw CloudFailures.aws("read the replication configuration of " + primary.bucket(), e);
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

  private void requireVersioning(BucketTarget bucket) {
    BucketVersioningStatus status;
    try {
      status = clients.s3(bucket).getBucketVersioning(get -> get.bucket(bucket.bucket())).status();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw notReady(
            bucket.side() + " bucket " + bucket.bucket() + " does not exist in " + bucket.region());
      }
      throw CloudFailures.aws("read versioning of bucket " + bucket.bucket(), e);
    } catch (SdkException e) {
      throw CloudFailures.aws("read versioning of bucket " + bucket.bucket(), e);
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
