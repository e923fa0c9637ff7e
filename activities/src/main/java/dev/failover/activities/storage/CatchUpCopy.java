package dev.failover.activities.storage;

import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Before a failback changes direction, copies to the primary what was written in DR and that no
 * replication rule will carry: objects written while the reverse rule did not exist (the primary
 * was unreachable at failover), which S3 replication never picks up afterwards, objects whose
 * replication failed, and SSE-KMS objects, which a rule without {@code SseKmsEncryptedObjects} does
 * not select. It compares current versions by ETag (or by the version a previous copy recorded) and
 * leaves alone what is pending (the drain waits for it) and what came from the primary in the first
 * place.
 *
 * <p>First, it refuses when both sides wrote a key since the failover point ({@link
 * WriteConflicts}): it never overwrites the primary's version. A copy keeps the object's content
 * type, metadata, tags and SSE-KMS encryption ({@link #destinationKey}), goes in parts above the
 * single-request limit, and records the DR version it copied in {@link WriteConflicts#COPIED_FROM}.
 */
public final class CatchUpCopy implements ReplicaPromotion.CatchUp {
  private final Buckets buckets;
  private final IntConsumer progress;
  private final ObjectTransfer transfer;
  private final Supplier<Map<String, String>> tableNames;

  /**
   * @param tableNames the names of the Delta tables by storage location ({@code
   *     s3://bucket/path/}), read only to name the tables of conflicting keys
   */
  public CatchUpCopy(
      Buckets buckets, IntConsumer progress, Supplier<Map<String, String>> tableNames) {
    this(buckets, progress, tableNames, ObjectTransfer.Limits.S3);
  }

  /** With other transfer limits: for tests against a simulator whose limit was lowered. */
  public CatchUpCopy(
      Buckets buckets,
      IntConsumer progress,
      Supplier<Map<String, String>> tableNames,
      ObjectTransfer.Limits limits) {
    this.buckets = buckets;
    this.progress = progress;
    this.tableNames = tableNames;
    this.transfer = new ObjectTransfer(buckets.retry(), limits);
  }

  /** One object to copy back: the DR version as HEAD describes it. */
  private record Candidate(String key, HeadObjectResponse head) {}

  @Override
  public List<ReplicaPromotion.PutBack> copyMissing(
      BucketPairTarget pair, Instant failoverPoint, List<String> done) {
    BucketTarget primary = pair.primary();
    BucketTarget replica = pair.replica();
    // The runbook's own state (snapshots, reports, fence and replication records) lives in the
    // replica on purpose; it is not data written in DR.
    String ownState = "failover/" + pair.runbook() + "/";
    new WriteConflicts(buckets).refuseIfAny(pair, failoverPoint, ownState, tableNames);
    Map<String, String> primaryEtags = new HashMap<>();
    for (S3Object object : list(primary)) {
      primaryEtags.put(object.key(), object.eTag());
    }
    List<Candidate> toCopy = new ArrayList<>();
    List<String> diverged = new ArrayList<>();
    int inspected = 0;
    for (S3Object object : list(replica)) {
      progress.accept(++inspected);
      if (object.key().startsWith(ownState)
          || object.eTag().equals(primaryEtags.get(object.key()))) {
        continue;
      }
      HeadObjectResponse head = head(replica, object.key(), null);
      ReplicationStatus status = head.replicationStatus();
      if (status == ReplicationStatus.PENDING || status == ReplicationStatus.COMPLETED) {
        continue;
      }
      if (status == ReplicationStatus.REPLICA) {
        // It came from the primary, which has changed it since without the change arriving.
        diverged.add(object.key());
        continue;
      }
      if (primaryEtags.containsKey(object.key()) && alreadyCopied(primary, object.key(), head)) {
        continue;
      }
      toCopy.add(new Candidate(object.key(), head));
    }
    Map<String, ObjectTransfer.Settings> settings = settings(pair, toCopy);
    List<ReplicaPromotion.PutBack> putBack = new ArrayList<>();
    for (Candidate candidate : toCopy) {
      String copyVersionId =
          transfer.copy(
              new ObjectTransfer.Source(
                  buckets.s3(replica),
                  replica.bucket(),
                  candidate.key(),
                  candidate.head().versionId(),
                  candidate.head().contentLength()),
              buckets.s3(primary),
              primary.bucket(),
              candidate.key(),
              settings.get(candidate.key()));
      putBack.add(
          new ReplicaPromotion.PutBack(
              candidate.key(), candidate.head().versionId(), copyVersionId));
    }
    if (!toCopy.isEmpty()) {
      List<String> copied = toCopy.stream().map(Candidate::key).toList();
      done.add(
          "copied "
              + copied.size()
              + " object(s) written in DR that no rule replicates to "
              + primary.bucket()
              + ", with their tags and encryption "
              + examples(copied));
    }
    if (!diverged.isEmpty()) {
      done.add(
          "left "
              + diverged.size()
              + " object(s) that the primary changed after they were replicated "
              + examples(diverged));
    }
    return putBack;
  }

  /** Whether the primary's current version is a copy of this DR version, by a previous attempt. */
  private boolean alreadyCopied(BucketTarget primary, String key, HeadObjectResponse replica) {
    HeadObjectResponse current = head(primary, key, null);
    return replica.versionId() != null
        && replica.versionId().equals(current.metadata().get(WriteConflicts.COPIED_FROM));
  }

  /**
   * What each copy writes: the object's content type, metadata and tags, and its SSE-KMS key mapped
   * to the primary's region. Fails, before anything is copied, when a key cannot be mapped.
   */
  private Map<String, ObjectTransfer.Settings> settings(
      BucketPairTarget pair, List<Candidate> toCopy) {
    Map<String, ObjectTransfer.Settings> settings = new LinkedHashMap<>();
    Map<String, String> unmappable = new LinkedHashMap<>();
    for (Candidate candidate : toCopy) {
      HeadObjectResponse head = candidate.head();
      String key = null;
      if (head.serverSideEncryption() == ServerSideEncryption.AWS_KMS) {
        key = destinationKey(pair.replica(), head.ssekmsKeyId(), pair.primary().region());
        if (key == null) {
          unmappable.put(candidate.key(), head.ssekmsKeyId());
          continue;
        }
      }
      Map<String, String> metadata = new LinkedHashMap<>(head.metadata());
      metadata.put(WriteConflicts.COPIED_FROM, head.versionId());
      settings.put(
          candidate.key(),
          new ObjectTransfer.Settings(
              head.contentType(),
              metadata,
              key,
              tags(pair.replica(), candidate.key(), head.versionId())));
    }
    if (!unmappable.isEmpty()) {
      throw Buckets.notReady(
          unmappable.size()
              + " object(s) written in DR are encrypted with single-Region KMS key(s), which S3"
              + " cannot use in "
              + pair.primary().region()
              + " (a KMS key serves its own Region only): "
              + examples(
                  unmappable.entrySet().stream()
                      .map(e -> e.getKey() + " (" + e.getValue() + ")")
                      .toList())
              + ". Copy them to "
              + pair.primary().bucket()
              + " under a key of "
              + pair.primary().region()
              + " by hand, or encrypt DR's writes with a multi-Region key (mrk-), then retry;"
              + " nothing was copied");
    }
    return settings;
  }

  /** Per key ARN, whether KMS says it is an AWS managed key; asked once per copy. */
  private final Map<String, Boolean> awsManaged = new HashMap<>();

  /**
   * The key that encrypts, in {@code region}, a copy of an object encrypted with {@code keyArn};
   * null when there is none. KMS keys are regional and S3 only uses a key of the bucket's Region. A
   * multi-Region key ({@code mrk-} id) has a replica with the same id in the other Region, named by
   * the same ARN with that Region (S3 treats it as a key of that Region, "Replicating encrypted
   * objects"); a key of the same Region is itself. The AWS managed key {@code aws/s3} exists in
   * every Region, with another key id in each, and S3 names it by its key ARN, never its alias (a
   * LocalStack snapshot recorded against AWS, test_s3_sse_default_kms_key); so a key of another
   * Region is asked of KMS there (DescribeKey, with the replica's credentials): one whose {@code
   * KeyManager} is {@code AWS} maps to {@code alias/aws/s3}, which S3 resolves to the AWS managed
   * key of the primary's Region. Any other single-Region key of another Region has no counterpart
   * the copy could know.
   */
  String destinationKey(BucketTarget replica, String keyArn, String region) {
    String[] parts = keyArn == null ? new String[0] : keyArn.split(":", 6);
    if (parts.length < 6 || !parts[2].equals("kms")) {
      return null;
    }
    if (parts[3].equals(region)) {
      return keyArn;
    }
    if (parts[5].equals(AWS_S3_ALIAS)) {
      return AWS_S3_ALIAS;
    }
    if (parts[5].startsWith("key/mrk-")) {
      return String.join(":", parts[0], parts[1], parts[2], region, parts[4], parts[5]);
    }
    if (parts[5].startsWith("key/") && awsManaged(replica, keyArn, parts[3])) {
      return AWS_S3_ALIAS;
    }
    return null;
  }

  static final String AWS_S3_ALIAS = "alias/aws/s3";

  /** Whether KMS, in the key's Region, says the key is AWS managed; false for a key it lacks. */
  private boolean awsManaged(BucketTarget replica, String keyArn, String keyRegion) {
    Boolean known = awsManaged.get(keyArn);
    if (known != null) {
      return known;
    }
    boolean managed;
    try {
      managed =
          buckets
                  .retry()
                  .aws(
                      "describe the KMS key " + keyArn,
                      () ->
                          buckets
                              .kms(replica, keyRegion)
                              .describeKey(d -> d.keyId(keyArn))
                              .keyMetadata())
                  .keyManager()
              == KeyManagerType.AWS;
    } catch (ApplicationFailure e) {
      // KMS answers a key it does not hold 400 NotFoundException: no AWS managed key then.
      if (!(e.getCause() instanceof NotFoundException)) {
        throw e;
      }
      managed = false;
    }
    awsManaged.put(keyArn, managed);
    return managed;
  }

  private Map<String, String> tags(BucketTarget bucket, String key, String versionId) {
    List<Tag> tagSet =
        buckets
            .retry()
            .aws(
                "read tags of s3://" + bucket.bucket() + "/" + key,
                () ->
                    buckets
                        .s3(bucket)
                        .getObjectTagging(
                            get -> get.bucket(bucket.bucket()).key(key).versionId(versionId))
                        .tagSet());
    Map<String, String> tags = new LinkedHashMap<>();
    tagSet.forEach(tag -> tags.put(tag.key(), tag.value()));
    return tags;
  }

  private HeadObjectResponse head(BucketTarget bucket, String key, String versionId) {
    return buckets
        .retry()
        .aws(
            "read s3://" + bucket.bucket() + "/" + key,
            () ->
                buckets
                    .s3(bucket)
                    .headObject(h -> h.bucket(bucket.bucket()).key(key).versionId(versionId)));
  }

  private List<S3Object> list(BucketTarget bucket) {
    return buckets
        .retry()
        .aws(
            "list objects of " + bucket.bucket(),
            () -> {
              List<S3Object> all = new ArrayList<>();
              buckets
                  .s3(bucket)
                  .listObjectsV2Paginator(list -> list.bucket(bucket.bucket()))
                  .contents()
                  .forEach(all::add);
              return all;
            });
  }

  private static String examples(List<String> keys) {
    return keys.subList(0, Math.min(5, keys.size())).toString();
  }
}
