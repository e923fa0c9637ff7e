package dev.failover.activities.storage;

import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * One bucket's settings as the storage steps read and change them, each call through the call
 * retry: versioning, the replication configuration, and the tag set (which S3 replaces whole, so
 * tags are changed by read-modify-write).
 */
public final class Buckets {
  /** Tag key that holds a bucket's current role: {@code active} or {@code standby}. */
  public static final String ROLE_TAG = "failover:role";

  /** Tag key that names the runbook that set the role. */
  public static final String RUNBOOK_TAG = "failover:runbook";

  /** Tag key that names the run that last changed the role. */
  public static final String RUN_TAG = "failover:run-id";

  private final CloudClients clients;
  private final CallRetry retry;

  public Buckets(CloudClients clients, CallRetry retry) {
    this.clients = clients;
    this.retry = retry;
  }

  public S3Client s3(BucketTarget bucket) {
    return clients.s3(bucket);
  }

  /**
   * The CloudWatch of a bucket's region, with its side's credentials: rules writing to it publish
   * their pending operations there, rules writing from it their failures.
   */
  public CloudWatchClient cloudWatch(BucketTarget bucket) {
    return clients.cloudWatch(bucket);
  }

  /** KMS in a region, with a side's credentials: for describing keys only. */
  public KmsClient kms(BucketTarget side, String region) {
    return clients.kms(side, region);
  }

  public CallRetry retry() {
    return retry;
  }

  /** The JSON state documents steps keep in the state bucket, through the same call retry. */
  public StateObjects state() {
    return new StateObjects(clients, retry);
  }

  /** Whether the failure is the bucket's region not answering at all (as in a regional outage). */
  public static boolean unreachable(ApplicationFailure failure) {
    return FailureTypes.UNAVAILABLE.equals(failure.getType())
        && failure.getCause() instanceof SdkClientException;
  }

  /** Versioning status; NOT_READY when the bucket does not exist. */
  public BucketVersioningStatus versioning(BucketTarget bucket) {
    return call(
        bucket,
        "read versioning of bucket " + bucket.bucket(),
        () -> s3(bucket).getBucketVersioning(get -> get.bucket(bucket.bucket())).status());
  }

  /** Fails NOT_READY unless versioning is enabled: replication requires it on both buckets. */
  public void requireVersioning(BucketTarget bucket) {
    BucketVersioningStatus status = versioning(bucket);
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

  /** The replication configuration, or empty when the bucket has none. */
  public Optional<ReplicationConfiguration> replication(BucketTarget bucket) {
    try {
      return Optional.of(
          call(
              bucket,
              "read the replication configuration of " + bucket.bucket(),
              () ->
                  s3(bucket)
                      .getBucketReplication(get -> get.bucket(bucket.bucket()))
                      .replicationConfiguration()));
    } catch (ApplicationFailure e) {
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Replaces the replication configuration; with no rules left, deletes it (S3 needs one). */
  public void putReplication(BucketTarget bucket, String role, List<ReplicationRule> rules) {
    if (rules.isEmpty()) {
      call(
          bucket,
          "delete the replication configuration of " + bucket.bucket(),
          () -> s3(bucket).deleteBucketReplication(delete -> delete.bucket(bucket.bucket())));
      return;
    }
    call(
        bucket,
        "set the replication configuration of " + bucket.bucket(),
        () ->
            s3(bucket)
                .putBucketReplication(
                    put ->
                        put.bucket(bucket.bucket())
                            .replicationConfiguration(config -> config.role(role).rules(rules))));
  }

  /** The bucket's tags, in order; empty when it has none. */
  public Map<String, String> tags(BucketTarget bucket) {
    try {
      Map<String, String> tags = new LinkedHashMap<>();
      for (Tag tag :
          call(
              bucket,
              "read the tags of bucket " + bucket.bucket(),
              () -> s3(bucket).getBucketTagging(get -> get.bucket(bucket.bucket())).tagSet())) {
        tags.put(tag.key(), tag.value());
      }
      return tags;
    } catch (ApplicationFailure e) {
      // S3 answers NoSuchTagSet (404) for a bucket without tags.
      if (FailureTypes.NOT_FOUND.equals(e.getType())) {
        return new LinkedHashMap<>();
      }
      throw e;
    }
  }

  /**
   * Sets some tags and keeps the others: PutBucketTagging replaces the whole set, so the current
   * set is read first. Returns false when the tags were already so (nothing written).
   */
  public boolean mergeTags(BucketTarget bucket, Map<String, String> changes) {
    Map<String, String> tags = tags(bucket);
    Map<String, String> merged = new LinkedHashMap<>(tags);
    merged.putAll(changes);
    if (merged.equals(tags)) {
      return false;
    }
    List<Tag> tagSet = new ArrayList<>();
    merged.forEach((key, value) -> tagSet.add(Tag.builder().key(key).value(value).build()));
    call(
        bucket,
        "tag bucket " + bucket.bucket(),
        () ->
            s3(bucket)
                .putBucketTagging(
                    put -> put.bucket(bucket.bucket()).tagging(t -> t.tagSet(tagSet))));
    return true;
  }

  private <T> T call(BucketTarget bucket, String action, Supplier<T> request) {
    try {
      return retry.aws(action, request);
    } catch (ApplicationFailure e) {
      if (FailureTypes.NOT_FOUND.equals(e.getType())
          && e.getOriginalMessage().contains("NoSuchBucket")) {
        throw notReady(
            bucket.side() + " bucket " + bucket.bucket() + " does not exist in " + bucket.region());
      }
      throw e;
    }
  }

  static ApplicationFailure notReady(String message) {
    return ApplicationFailure.newFailure(message, FailureTypes.NOT_READY);
  }
}
