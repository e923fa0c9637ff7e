package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.ReplicationStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Asynchronous replication, version listing, bucket tagging and regional outages of the simulated
 * S3, driven through the real {@code S3Client}, with a clock the test moves.
 */
class S3ReplicationTest {

  private final TestClock clock = new TestClock(Instant.parse("2026-11-25T03:00:00Z"));
  private Simulator simulator;
  private S3Client s3;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary", "secondary"), clock);
    SimulatorS3.callerMayPassAnyRole(simulator);
    s3 =
        SimulatorS3.builder(simulator)
            .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
            .build();
    simulator.s3().createBucket("lake-use1", "us-east-1", "primary");
    simulator.s3().createBucket("lake-usw2", "us-west-2", "secondary");
    for (String bucket : List.of("lake-use1", "lake-usw2")) {
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
  }

  @AfterEach
  void stop() {
    s3.close();
    simulator.close();
  }

  /** A rule from one bucket to another by a role that may replicate exactly that way. */
  private void replicate(String from, String to, String prefix, boolean deleteMarkers) {
    String role = "arn:aws:iam::123456789012:role/replication-" + from + "-to-" + to;
    simulator.iam().createReplicationRole(role, from, to);
    replicate(from, to, prefix, deleteMarkers, role);
  }

  private void replicate(
      String from, String to, String prefix, boolean deleteMarkers, String role) {
    s3.putBucketReplication(
        b ->
            b.bucket(from)
                .replicationConfiguration(
                    c ->
                        c.role(role)
                            .rules(
                                ReplicationRule.builder()
                                    .id(from + "-to-" + to)
                                    .priority(1)
                                    .status(ReplicationRuleStatus.ENABLED)
                                    .filter(f -> f.prefix(prefix))
                                    .destination(d -> d.bucket("arn:aws:s3:::" + to))
                                    .deleteMarkerReplication(
                                        m ->
                                            m.status(
                                                deleteMarkers
                                                    ? DeleteMarkerReplicationStatus.ENABLED
                                                    : DeleteMarkerReplicationStatus.DISABLED))
                                    .build())));
  }

  private String put(String bucket, String key, String body) {
    return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)).versionId();
  }

  private ReplicationStatus status(String bucket, String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key)).replicationStatus();
  }

  @Test
  void aWriteIsPendingUntilTheLagHasPassedThenCompletedWithAReplicaOfTheSameVersion() {
    replicate("lake-use1", "lake-usw2", "", true);
    simulator.s3().setReplicationLag("lake-use1", Duration.ofSeconds(30));
    String versionId = put("lake-use1", "uc/t/part-0.parquet", "rows");

    assertThat(status("lake-use1", "uc/t/part-0.parquet")).isEqualTo(ReplicationStatus.PENDING);
    assertThatThrownBy(() -> status("lake-usw2", "uc/t/part-0.parquet"))
        .isInstanceOf(S3Exception.class)
        .extracting(e -> ((S3Exception) e).statusCode())
        .isEqualTo(404);
    assertThat(simulator.s3().pendingReplications("lake-use1")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(31));
    assertThat(status("lake-use1", "uc/t/part-0.parquet")).isEqualTo(ReplicationStatus.COMPLETED);
    var replica = s3.getObjectAsBytes(b -> b.bucket("lake-usw2").key("uc/t/part-0.parquet"));
    assertThat(replica.asUtf8String()).isEqualTo("rows");
    assertThat(replica.response().versionId()).isEqualTo(versionId);
    assertThat(replica.response().replicationStatus()).isEqualTo(ReplicationStatus.REPLICA);
    assertThat(simulator.s3().pendingReplications("lake-use1")).isZero();
  }

  @Test
  void onlyKeysUnderTheRulesPrefixReplicateAndReplicasAreNotReplicatedBack() {
    replicate("lake-use1", "lake-usw2", "uc/", true);
    replicate("lake-usw2", "lake-use1", "", true);
    put("lake-use1", "uc/a.json", "a");
    put("lake-use1", "logs/b.txt", "b");

    assertThat(status("lake-use1", "uc/a.json")).isEqualTo(ReplicationStatus.COMPLETED);
    assertThat(status("lake-use1", "logs/b.txt")).isNull();
    assertThat(simulator.s3().objectKeys("lake-usw2")).containsExactly("uc/a.json");
    // The replica in us-west-2 has a rule back to us-east-1, but a replica is not replicated.
    assertThat(status("lake-usw2", "uc/a.json")).isEqualTo(ReplicationStatus.REPLICA);
    assertThat(simulator.s3().pendingReplications("lake-usw2")).isZero();
    // A write made in DR goes the other way.
    put("lake-usw2", "uc/dr-only.json", "dr");
    assertThat(status("lake-usw2", "uc/dr-only.json")).isEqualTo(ReplicationStatus.COMPLETED);
    assertThat(status("lake-use1", "uc/dr-only.json")).isEqualTo(ReplicationStatus.REPLICA);
  }

  @Test
  void aFailureRateLeavesObjectsFailedAndTheReplicaWithoutThem() {
    replicate("lake-use1", "lake-usw2", "", true);
    simulator.s3().setReplicationFailureRate("lake-use1", 1.0);
    put("lake-use1", "uc/t/part-1.parquet", "lost");
    assertThat(status("lake-use1", "uc/t/part-1.parquet")).isEqualTo(ReplicationStatus.FAILED);
    assertThat(simulator.s3().objectKeys("lake-usw2")).isEmpty();

    simulator.s3().setReplicationFailureRate("lake-use1", 0.0);
    put("lake-use1", "uc/t/part-2.parquet", "kept");
    assertThat(status("lake-use1", "uc/t/part-2.parquet")).isEqualTo(ReplicationStatus.COMPLETED);
    // S3 does not retry a failed object by itself: it stays failed.
    assertThat(status("lake-use1", "uc/t/part-1.parquet")).isEqualTo(ReplicationStatus.FAILED);
  }

  @Test
  void aRoleThatMayNotWriteTheDestinationIsAcceptedByTheRuleButEveryObjectFailsForGood() {
    // The role may replicate the other way only, as a forward role reused backwards would.
    String role = "arn:aws:iam::123456789012:role/replication-forward";
    simulator.iam().createReplicationRole(role, "lake-use1", "lake-usw2");
    replicate("lake-usw2", "lake-use1", "", true, role);
    put("lake-usw2", "uc/t/part-dr.parquet", "rows");

    assertThat(status("lake-usw2", "uc/t/part-dr.parquet")).isEqualTo(ReplicationStatus.FAILED);
    assertThat(simulator.s3().objectKeys("lake-use1")).isEmpty();
    // S3 never retries a failed replication, not even once the role may.
    simulator.iam().allowReplicationSource(role, "lake-usw2");
    simulator.iam().allowReplicationDestination(role, "lake-use1");
    clock.advance(Duration.ofHours(1));
    assertThat(status("lake-usw2", "uc/t/part-dr.parquet")).isEqualTo(ReplicationStatus.FAILED);
    assertThat(simulator.s3().objectKeys("lake-use1")).isEmpty();
    // The next write replicates.
    put("lake-usw2", "uc/t/part-dr-2.parquet", "rows");
    assertThat(status("lake-usw2", "uc/t/part-dr-2.parquet"))
        .isEqualTo(ReplicationStatus.COMPLETED);
  }

  @Test
  void aRoleThatDoesNotExistOrMayNotReplicateDeletesFails() {
    replicate("lake-use1", "lake-usw2", "", true, "arn:aws:iam::123456789012:role/nobody");
    put("lake-use1", "uc/t/part-0.parquet", "rows");
    assertThat(status("lake-use1", "uc/t/part-0.parquet")).isEqualTo(ReplicationStatus.FAILED);

    String role = "arn:aws:iam::123456789012:role/objects-only";
    simulator.iam().createRole(role);
    simulator.iam().allowReplicationSource(role, "lake-use1");
    simulator
        .iam()
        .allow(role, "arn:aws:s3:::lake-usw2/*", "s3:ReplicateObject", "s3:ReplicateTags");
    replicate("lake-use1", "lake-usw2", "", true, role);
    put("lake-use1", "uc/t/part-1.parquet", "rows");
    assertThat(status("lake-use1", "uc/t/part-1.parquet")).isEqualTo(ReplicationStatus.COMPLETED);
    s3.deleteObject(b -> b.bucket("lake-use1").key("uc/t/part-1.parquet"));
    // Without s3:ReplicateDelete the marker stays in the source only.
    assertThat(simulator.s3().objectKeys("lake-usw2")).containsExactly("uc/t/part-1.parquet");
  }

  @Test
  void aDeleteMarkerNeedsListBucketOnTheSourceBucketWhileObjectsDoNot() {
    // The role has everything the user guide lists but s3:ListBucket on the source bucket.
    String role = "arn:aws:iam::123456789012:role/no-list-bucket";
    simulator.iam().createRole(role);
    simulator.iam().allow(role, "arn:aws:s3:::lake-use1", "s3:GetReplicationConfiguration");
    simulator.iam().allow(role, "arn:aws:s3:::lake-use1/*", "s3:GetObjectVersionForReplication");
    simulator.iam().allowReplicationDestination(role, "lake-usw2");
    replicate("lake-use1", "lake-usw2", "", true, role);
    put("lake-use1", "uc/t/part-0.parquet", "rows");
    assertThat(status("lake-use1", "uc/t/part-0.parquet")).isEqualTo(ReplicationStatus.COMPLETED);

    String marker =
        s3.deleteObject(b -> b.bucket("lake-use1").key("uc/t/part-0.parquet")).versionId();
    clock.advance(Duration.ofMinutes(5));

    // The object crossed, its delete did not: the replica still serves it, and holds no marker.
    assertThat(simulator.s3().objectKeys("lake-use1")).isEmpty();
    assertThat(simulator.s3().objectKeys("lake-usw2")).containsExactly("uc/t/part-0.parquet");
    assertThat(s3.listObjectVersions(b -> b.bucket("lake-usw2")).deleteMarkers()).isEmpty();

    // With s3:ListBucket, the next delete marker crosses with its version id.
    simulator.iam().allow(role, "arn:aws:s3:::lake-use1", "s3:ListBucket");
    put("lake-use1", "uc/t/part-1.parquet", "rows");
    String crossing =
        s3.deleteObject(b -> b.bucket("lake-use1").key("uc/t/part-1.parquet")).versionId();
    assertThat(s3.listObjectVersions(b -> b.bucket("lake-usw2")).deleteMarkers())
        .extracting(DeleteMarkerEntry::versionId)
        .containsExactly(crossing)
        .doesNotContain(marker);
  }

  @Test
  void withoutGetReplicationConfigurationOnTheSourceBucketEveryReplicationFails() {
    String role = "arn:aws:iam::123456789012:role/no-get-configuration";
    simulator.iam().createRole(role);
    simulator.iam().allow(role, "arn:aws:s3:::lake-use1", "s3:ListBucket");
    simulator.iam().allow(role, "arn:aws:s3:::lake-use1/*", "s3:GetObjectVersionForReplication");
    simulator.iam().allowReplicationDestination(role, "lake-usw2");
    replicate("lake-use1", "lake-usw2", "", true, role);
    put("lake-use1", "uc/t/part-0.parquet", "rows");

    assertThat(status("lake-use1", "uc/t/part-0.parquet")).isEqualTo(ReplicationStatus.FAILED);
    assertThat(simulator.s3().objectKeys("lake-usw2")).isEmpty();
  }

  @Test
  void putBucketReplicationNeedsPassRoleOnTheConfigurationsRoleEveryTime() {
    String role = "arn:aws:iam::123456789012:role/replication-lake-use1-to-lake-usw2";
    simulator.iam().createReplicationRole(role, "lake-use1", "lake-usw2");
    String caller = "arn:aws:iam::123456789012:role/worker-without-pass-role";
    simulator.iam().createRole(caller);
    simulator.iam().allow(caller, "arn:aws:s3:::lake-use1", "s3:PutReplicationConfiguration");
    simulator.iam().signAs(SimulatorS3.ACCESS_KEY, caller);

    assertThatThrownBy(() -> replicate("lake-use1", "lake-usw2", "", true, role))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            });
    assertThatThrownBy(() -> simulator.s3().replication("lake-use1"))
        .hasMessageContaining("replication configuration was not found");

    // PassRole on another role does not count; on this one it does, and is asked again when the
    // same role is put again.
    simulator.iam().allow(caller, "arn:aws:iam::123456789012:role/other", "iam:PassRole");
    assertThatThrownBy(() -> replicate("lake-use1", "lake-usw2", "", true, role))
        .isInstanceOf(S3Exception.class);
    simulator.iam().allow(caller, role, "iam:PassRole");
    replicate("lake-use1", "lake-usw2", "", true, role);
    assertThat(simulator.s3().replication("lake-use1").role()).isEqualTo(role);
    simulator.iam().clearPermissions(caller);
    assertThatThrownBy(() -> replicate("lake-use1", "lake-usw2", "", false, role))
        .isInstanceOf(S3Exception.class);

    // A key no principal is known for may not pass any role.
    simulator.iam().signAs(SimulatorS3.ACCESS_KEY, null);
    assertThatThrownBy(() -> replicate("lake-use1", "lake-usw2", "", true, role))
        .isInstanceOf(S3Exception.class);
  }

  @Test
  void deleteMarkersReplicateOnlyWhenTheRuleSaysSo() {
    replicate("lake-use1", "lake-usw2", "", false);
    put("lake-use1", "keep.json", "x");
    s3.deleteObject(b -> b.bucket("lake-use1").key("keep.json"));
    assertThat(simulator.s3().objectKeys("lake-use1")).isEmpty();
    assertThat(simulator.s3().objectKeys("lake-usw2")).containsExactly("keep.json");

    replicate("lake-use1", "lake-usw2", "", true);
    put("lake-use1", "gone.json", "x");
    s3.deleteObject(b -> b.bucket("lake-use1").key("gone.json"));
    assertThat(simulator.s3().objectKeys("lake-usw2")).containsExactly("keep.json");
  }

  @Test
  void listObjectVersionsPagesThroughVersionsAndDeleteMarkersNewestFirst() {
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(1));
      written.add(put("lake-use1", "k1", "v" + i));
    }
    clock.advance(Duration.ofSeconds(1));
    String marker = s3.deleteObject(b -> b.bucket("lake-use1").key("k1")).versionId();
    clock.advance(Duration.ofSeconds(1));
    String k2 = put("lake-use1", "k2", "only");

    List<String> seen = new ArrayList<>();
    List<Boolean> latest = new ArrayList<>();
    int pages = 0;
    for (ListObjectVersionsResponse page :
        s3.listObjectVersionsPaginator(b -> b.bucket("lake-use1").maxKeys(2))) {
      pages++;
      // Versions and delete markers come in separate lists; merge them by time, newest first.
      List<Object[]> entries = new ArrayList<>();
      for (ObjectVersion v : page.versions()) {
        entries.add(new Object[] {v.key(), v.lastModified(), v.versionId(), v.isLatest()});
      }
      for (DeleteMarkerEntry d : page.deleteMarkers()) {
        entries.add(new Object[] {d.key(), d.lastModified(), d.versionId(), d.isLatest()});
      }
      entries.sort(
          (a, b) -> {
            int byKey = ((String) a[0]).compareTo((String) b[0]);
            return byKey != 0 ? byKey : ((Instant) b[1]).compareTo((Instant) a[1]);
          });
      for (Object[] e : entries) {
        seen.add((String) e[2]);
        latest.add((Boolean) e[3]);
      }
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly(marker, written.get(2), written.get(1), written.get(0), k2);
    assertThat(latest).containsExactly(true, false, false, false, true);

    ListObjectVersionsResponse first = s3.listObjectVersions(b -> b.bucket("lake-use1").maxKeys(2));
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.nextKeyMarker()).isEqualTo("k1");
    assertThat(first.nextVersionIdMarker()).isEqualTo(written.get(2));
    ListObjectVersionsResponse byPrefix =
        s3.listObjectVersions(b -> b.bucket("lake-use1").prefix("k2"));
    assertThat(byPrefix.versions()).extracting(ObjectVersion::versionId).containsExactly(k2);
    assertThat(byPrefix.deleteMarkers()).isEmpty();
  }

  @Test
  void taggingReplacesTheWholeSetAndRejectsBadTags() {
    assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket("lake-use1")))
        .isInstanceOf(S3Exception.class)
        .satisfies(
            e -> {
              assertThat(((S3Exception) e).statusCode()).isEqualTo(404);
              assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("NoSuchTagSet");
            });
    putTags("lake-use1", Map.of("team", "data", "failover:role", "active"));
    putTags("lake-use1", Map.of("failover:role", "standby"));
    assertThat(tags("lake-use1")).isEqualTo(Map.of("failover:role", "standby"));

    assertThatThrownBy(
            () ->
                s3.putBucketTagging(
                    b ->
                        b.bucket("lake-use1")
                            .tagging(
                                t ->
                                    t.tagSet(
                                        Tag.builder().key("a").value("1").build(),
                                        Tag.builder().key("a").value("2").build()))))
        .isInstanceOf(S3Exception.class)
        .extracting(e -> ((S3Exception) e).awsErrorDetails().errorCode())
        .isEqualTo("InvalidTag");
    assertThatThrownBy(() -> putTags("lake-use1", Map.of("aws:owner", "x")))
        .isInstanceOf(S3Exception.class)
        .extracting(e -> ((S3Exception) e).awsErrorDetails().errorCode())
        .isEqualTo("InvalidTag");
    // A rejected set changes nothing.
    assertThat(tags("lake-use1")).isEqualTo(Map.of("failover:role", "standby"));

    s3.deleteBucketTagging(b -> b.bucket("lake-use1"));
    assertThat(simulator.s3().tagsOrEmpty("lake-use1")).isEmpty();
  }

  private void putTags(String bucket, Map<String, String> tags) {
    List<Tag> tagSet =
        tags.entrySet().stream()
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
            .toList();
    s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(tagSet)));
  }

  private Map<String, String> tags(String bucket) {
    return s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }

  @Test
  void anUnreachableRegionDropsConnectionsAndHoldsReplicationUntilItIsBack() {
    replicate("lake-use1", "lake-usw2", "", true);
    simulator.setRegionReachable("us-west-2", false, "secondary");
    put("lake-use1", "uc/during-outage.json", "x");
    assertThatThrownBy(() -> status("lake-usw2", "uc/during-outage.json"))
        .isInstanceOf(SdkClientException.class);
    assertThat(status("lake-use1", "uc/during-outage.json")).isEqualTo(ReplicationStatus.PENDING);
    assertThat(simulator.requests().all())
        .anySatisfy(
            r -> {
              assertThat(r.service()).isEqualTo("s3");
              assertThat(r.status()).isZero();
            });

    simulator.setRegionReachable("us-west-2", true, "secondary");
    assertThat(status("lake-use1", "uc/during-outage.json")).isEqualTo(ReplicationStatus.COMPLETED);
    assertThat(status("lake-usw2", "uc/during-outage.json")).isEqualTo(ReplicationStatus.REPLICA);
  }
}
