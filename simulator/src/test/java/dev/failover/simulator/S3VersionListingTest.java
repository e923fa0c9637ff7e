package dev.failover.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * ListObjectVersions' paging parameters in the simulated S3 (delimiter, key-marker,
 * version-id-marker, max-keys), through the real {@code S3Client}.
 */
class S3VersionListingTest {
  private static final String BUCKET = "lake-use1";
  private Simulator simulator;
  private S3Client s3;

  @BeforeEach
  void start() {
    simulator = Simulator.start(0, List.of("primary"));
    s3 = SimulatorS3.client(simulator);
    simulator.s3().createBucket(BUCKET, "us-east-1", "primary");
    s3.putBucketVersioning(
        b ->
            b.bucket(BUCKET)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  @AfterEach
  void stop() {
    s3.close();
    simulator.close();
  }

  private String put(String key) {
    return s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(key)).versionId();
  }

  @Test
  void answeringCountsTheCpuTimeItTook() {
    simulator
        .s3()
        .seedHistory(
            BUCKET,
            "lake/",
            5_000,
            java.time.Instant.now().minusSeconds(3600),
            java.time.Instant.now(),
            dev.failover.simulator.s3.S3State.COMPLETED,
            0);
    long before = simulator.answerCpuNanos();

    s3.listObjectVersionsPaginator(b -> b.bucket(BUCKET)).forEach(page -> {});

    assertThat(simulator.answerCpuNanos()).isGreaterThan(before);
  }

  @Test
  void aDelimiterRollsVersionsUpIntoFoldersCountedOnceAgainstMaxKeys() {
    put("lake/a/part-0");
    put("lake/a/part-0");
    put("lake/a/part-1");
    put("lake/b/part-0");
    put("lake/c/x/part-0");
    put("lake/top.json");

    ListObjectVersionsResponse first =
        s3.listObjectVersions(b -> b.bucket(BUCKET).prefix("lake/").delimiter("/").maxKeys(2));
    assertThat(first.commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("lake/a/", "lake/b/");
    assertThat(first.versions()).isEmpty();
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.nextKeyMarker()).isEqualTo("lake/b/");

    ListObjectVersionsResponse rest =
        s3.listObjectVersions(
            b ->
                b.bucket(BUCKET)
                    .prefix("lake/")
                    .delimiter("/")
                    .keyMarker(first.nextKeyMarker())
                    .versionIdMarker(first.nextVersionIdMarker()));
    assertThat(rest.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("lake/c/");
    assertThat(rest.versions()).extracting(ObjectVersion::key).containsExactly("lake/top.json");
    assertThat(rest.isTruncated()).isFalse();
  }

  @Test
  void aPageEndingWithinOneKeysVersionsResumesAfterTheLastVersionReturned() {
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      written.add(put("k"));
    }
    put("l");

    ListObjectVersionsResponse first = s3.listObjectVersions(b -> b.bucket(BUCKET).maxKeys(3));
    assertThat(first.versions())
        .extracting(ObjectVersion::versionId)
        .containsExactly(written.get(4), written.get(3), written.get(2));
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.nextKeyMarker()).isEqualTo("k");
    assertThat(first.nextVersionIdMarker()).isEqualTo(written.get(2));

    ListObjectVersionsResponse second =
        s3.listObjectVersions(
            b ->
                b.bucket(BUCKET)
                    .keyMarker("k")
                    .versionIdMarker(first.nextVersionIdMarker())
                    .maxKeys(3));
    assertThat(second.versions())
        .extracting(v -> v.key() + "@" + v.versionId())
        .containsExactly(
            "k@" + written.get(1),
            "k@" + written.get(0),
            "l@" + second.versions().get(2).versionId());
    assertThat(second.isTruncated()).isFalse();
  }

  @Test
  void aKeyMarkerAloneListsItsOwnKeyAgainTheHarsherReading() {
    put("a");
    put("b");
    put("b");
    put("c");

    ListObjectVersionsResponse page = s3.listObjectVersions(b -> b.bucket(BUCKET).keyMarker("b"));

    assertThat(page.versions()).extracting(ObjectVersion::key).containsExactly("b", "b", "c");
  }

  @Test
  void keysComeInUtf8OrderNotJavasUtf16Order() {
    // U+FF21 (fullwidth A) sorts after a supplementary character (U+1F600) in UTF-16, before it in
    // UTF-8.
    String emoji = "k\uD83D\uDE00";
    String fullwidth = "k\uFF21";
    put(emoji);
    put(fullwidth);

    ListObjectVersionsResponse page = s3.listObjectVersions(b -> b.bucket(BUCKET));

    assertThat(page.versions()).extracting(ObjectVersion::key).containsExactly(fullwidth, emoji);
  }

  @Test
  void maxKeysAboveOneThousandIsCappedAndAVersionMarkerNeedsAKeyMarker() {
    for (int i = 0; i < 1_001; i++) {
      simulator.s3().putObject(BUCKET, String.format("f/%04d", i), new byte[0]);
    }
    ListObjectVersionsResponse page = s3.listObjectVersions(b -> b.bucket(BUCKET).maxKeys(5_000));
    assertThat(page.versions()).hasSize(1_000);
    assertThat(page.isTruncated()).isTrue();

    assertThatThrownBy(() -> s3.listObjectVersions(b -> b.bucket(BUCKET).versionIdMarker("v")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(400));
  }
}
