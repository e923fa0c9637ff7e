package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAbacStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Bucket tags as S3 treats them on buckets CloudFormation made (system tags under {@code aws:}) and
 * on buckets with ABAC enabled, through the real S3 client.
 */
class S3BucketTaggingTest {
  private static final String STACK_BUCKET = "lake-cfn-use1";
  private static final String PLAIN_BUCKET = "lake-plain-use1";

  private Simulator simulator;
  private S3Client s3;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"));
    s3 = SimulatorS3.client(simulator);
    simulator
        .s3()
        .createStackBucket(
            STACK_BUCKET, "us-east-1", "primary", "lake-stack", "Lake", Map.of("team", "data"));
    simulator.s3().createBucket(PLAIN_BUCKET, "us-east-1", "primary");
  }

  @AfterEach
  void stop() {
    s3.close();
    simulator.close();
  }

  @Test
  void aStackBucketCarriesCloudFormationsSystemTags() {
    Map<String, String> tags = tags(STACK_BUCKET);
    assertThat(tags)
        .containsEntry("team", "data")
        .containsEntry("aws:cloudformation:stack-name", "lake-stack")
        .containsEntry("aws:cloudformation:logical-id", "Lake");
    assertThat(tags.get("aws:cloudformation:stack-id"))
        .startsWith("arn:aws:cloudformation:us-east-1:123456789012:stack/lake-stack/");
  }

  @Test
  void aSetThatLeavesOutTheSystemTagsIsRefusedAndChangesNothing() {
    Map<String, String> before = tags(STACK_BUCKET);

    assertRefused(
        () -> putTags(STACK_BUCKET, Map.of("team", "data", "failover:role", "active")),
        "InvalidTag",
        "System Tags cannot be removed by requester");

    assertThat(tags(STACK_BUCKET)).isEqualTo(before);
  }

  @Test
  void aSetThatAddsOrChangesASystemTagIsRefusedAndChangesNothing() {
    Map<String, String> before = tags(STACK_BUCKET);
    Map<String, String> added = new LinkedHashMap<>(before);
    added.put("aws:owner", "me");
    Map<String, String> changed = new LinkedHashMap<>(before);
    changed.put("aws:cloudformation:logical-id", "Other");

    assertRefused(
        () -> putTags(STACK_BUCKET, added),
        "InvalidTag",
        "System tags cannot be added/updated by requester");
    assertRefused(
        () -> putTags(STACK_BUCKET, changed),
        "InvalidTag",
        "System tags cannot be added/updated by requester");
    assertRefused(
        () -> putTags(PLAIN_BUCKET, Map.of("aws:owner", "me")),
        "InvalidTag",
        "System tags cannot be added/updated by requester");

    assertThat(tags(STACK_BUCKET)).isEqualTo(before);
  }

  @Test
  void aSetThatRepeatsTheSystemTagsUnchangedIsAccepted() {
    Map<String, String> merged = new LinkedHashMap<>(tags(STACK_BUCKET));
    merged.put("failover:role", "active");

    putTags(STACK_BUCKET, merged);

    assertThat(tags(STACK_BUCKET)).isEqualTo(merged);
  }

  @Test
  void deletingTheTagsOfAStackBucketIsRefused() {
    Map<String, String> before = tags(STACK_BUCKET);

    assertRefused(
        () -> s3.deleteBucketTagging(b -> b.bucket(STACK_BUCKET)),
        "InvalidTag",
        "System Tags cannot be removed by requester");

    assertThat(tags(STACK_BUCKET)).isEqualTo(before);
  }

  @Test
  void aBucketWithAbacEnabledCannotBeTaggedByPutOrDeleteBucketTagging() {
    putTags(PLAIN_BUCKET, Map.of("team", "data"));
    s3.putBucketAbac(
        b -> b.bucket(PLAIN_BUCKET).abacStatus(a -> a.status(BucketAbacStatus.ENABLED)));
    assertThat(s3.getBucketAbac(b -> b.bucket(PLAIN_BUCKET)).abacStatus().status())
        .isEqualTo(BucketAbacStatus.ENABLED);

    assertRefused(
        () -> putTags(PLAIN_BUCKET, Map.of("team", "data", "failover:role", "active")),
        "InvalidRequest",
        "PutBucketTagging is not supported for a bucket with ABAC enabled");
    assertRefused(
        () -> s3.deleteBucketTagging(b -> b.bucket(PLAIN_BUCKET)),
        "InvalidRequest",
        "DeleteBucketTagging is not supported for a bucket with ABAC enabled");
    // Reading the tags still works.
    assertThat(tags(PLAIN_BUCKET)).isEqualTo(Map.of("team", "data"));
  }

  private static void assertRefused(Runnable call, String code, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e -> {
              S3Exception s3e = (S3Exception) e;
              assertThat(s3e.statusCode()).isEqualTo(400);
              assertThat(s3e.awsErrorDetails().errorCode()).isEqualTo(code);
              assertThat(s3e.awsErrorDetails().errorMessage()).contains(message);
            });
  }

  private void putTags(String bucket, Map<String, String> tags) {
    List<Tag> tagSet =
        tags.entrySet().stream()
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
            .toList();
    s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(tagSet)));
  }

  private Map<String, String> tags(String bucket) {
    Map<String, String> tags = new LinkedHashMap<>();
    s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }
}
