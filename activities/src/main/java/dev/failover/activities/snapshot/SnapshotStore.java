package dev.failover.activities.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.SnapshotRef;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Writes snapshots to, and reads them back from, the replica bucket. Each snapshot is written once
 * under a run-specific key; the reference pins the S3 version and the SHA-256 of the stored bytes,
 * and a load that does not match fails as {@link FailureTypes#SNAPSHOT_CORRUPT}. Snapshots read
 * back are {@linkplain ControlPlaneSnapshot#frozen() frozen}; with a {@link SnapshotCache}, each is
 * fetched from S3 once while the cache keeps it.
 */
public final class SnapshotStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CloudClients clients;
  private final SnapshotCache cache;
  private final CaptureFeed capturing = new CaptureFeed();

  /** A store that fetches a snapshot from S3 on every read. */
  public SnapshotStore(CloudClients clients) {
    this(clients, null);
  }

  /** A store that keeps the snapshots it reads in {@code cache} (null: none). */
  public SnapshotStore(CloudClients clients, SnapshotCache cache) {
    this.clients = clients;
    this.cache = cache;
  }

  /**
   * The items of the snapshots this worker is capturing, handed on as they are read, for a converge
   * on this worker that writes them before the snapshot is stored.
   */
  public CaptureFeed capturing() {
    return capturing;
  }

  public SnapshotRef write(
      BucketTarget store, String key, ControlPlaneSnapshot snapshot, CallRetry retry) {
    byte[] stored = gzip(snapshot);
    String sha256 = sha256(stored);
    PutObjectResponse response =
        retry.aws(
            "store snapshot at s3://" + store.bucket() + "/" + key,
            () ->
                clients
                    .s3(store)
                    .putObject(
                        put ->
                            put.bucket(store.bucket())
                                .key(key)
                                .contentType("application/json")
                                .contentEncoding("gzip")
                                .metadata(
                                    Map.of(SHA256, sha256, SOURCE_HOST, snapshot.sourceHost())),
                        RequestBody.fromBytes(stored)));
    return ref(store, key, response.versionId(), sha256, stored.length, snapshot);
  }

  /** Object metadata: the digest of the stored bytes, and the workspace captured. */
  static final String SHA256 = "sha256";

  static final String SOURCE_HOST = "source-host";

  private static SnapshotRef ref(
      BucketTarget store,
      String key,
      String versionId,
      String sha256,
      long size,
      ControlPlaneSnapshot snapshot) {
    return new SnapshotRef(
        store,
        key,
        versionId,
        sha256,
        size,
        snapshot.capturedAt(),
        snapshot.catalogs().size(),
        snapshot.schemas().size(),
        snapshot.grantCount(),
        snapshot.allTables().size(),
        snapshot.counts());
  }

  /**
   * The newest snapshot under {@code prefix} captured from {@code sourceHost} (null: from either
   * side), checked against its digest; empty when there is none. Snapshots are found by listing
   * (newest first by time written) and told apart by their metadata, so snapshots of a failback
   * (captured from DR) are not mistaken for the primary's.
   */
  public Optional<SnapshotRef> latest(
      BucketTarget store, String prefix, String sourceHost, CallRetry retry) {
    List<S3Object> objects =
        retry.aws(
            "list snapshots under s3://" + store.bucket() + "/" + prefix,
            () -> {
              List<S3Object> all = new ArrayList<>();
              clients
                  .s3(store)
                  .listObjectsV2Paginator(list -> list.bucket(store.bucket()).prefix(prefix))
                  .contents()
                  .forEach(all::add);
              return all;
            });
    List<S3Object> newestFirst = new ArrayList<>(objects);
    newestFirst.sort(Comparator.comparing(S3Object::lastModified).reversed());
    for (S3Object object : newestFirst) {
      if (!object.key().endsWith(".json.gz")) {
        continue;
      }
      HeadObjectResponse head =
          retry.aws(
              "read s3://" + store.bucket() + "/" + object.key(),
              () -> clients.s3(store).headObject(h -> h.bucket(store.bucket()).key(object.key())));
      if ((sourceHost != null && !sourceHost.equals(head.metadata().get(SOURCE_HOST)))
          || head.metadata().get(SHA256) == null) {
        continue;
      }
      SnapshotRef unchecked =
          new SnapshotRef(
              store,
              object.key(),
              head.versionId(),
              head.metadata().get(SHA256),
              head.contentLength(),
              null,
              0,
              0,
              0,
              0);
      ControlPlaneSnapshot snapshot = read(unchecked, retry);
      return Optional.of(
          ref(
              store,
              object.key(),
              head.versionId(),
              unchecked.sha256(),
              head.contentLength(),
              snapshot));
    }
    return Optional.empty();
  }

  /**
   * The snapshot {@code ref} names, checked against its digest: from the cache when it holds it,
   * otherwise loaded from S3. Fails as {@link FailureTypes#SNAPSHOT_CORRUPT} when the stored bytes
   * do not match the digest or cannot be decoded.
   */
  public ControlPlaneSnapshot read(SnapshotRef ref, CallRetry retry) {
    return cache == null ? load(ref, retry).snapshot() : cache.get(ref, () -> load(ref, retry));
  }

  private SnapshotCache.Loaded load(SnapshotRef ref, CallRetry retry) {
    String where = "s3://" + ref.location().bucket() + "/" + ref.key();
    byte[] stored =
        retry.aws(
            "load snapshot " + where,
            () ->
                clients
                    .s3(ref.location())
                    .getObjectAsBytes(
                        get ->
                            get.bucket(ref.location().bucket())
                                .key(ref.key())
                                .versionId(ref.versionId()))
                    .asByteArray());
    String actual = sha256(stored);
    if (!actual.equals(ref.sha256())) {
      throw ApplicationFailure.newFailure(
          "snapshot "
              + where
              + " has digest "
              + actual
              + ", expected "
              + ref.sha256()
              + ": it was changed after capture; capture again",
          FailureTypes.SNAPSHOT_CORRUPT);
    }
    try (CountingInputStream json =
        new CountingInputStream(new GZIPInputStream(new ByteArrayInputStream(stored)))) {
      ControlPlaneSnapshot snapshot = JSON.readValue(json, ControlPlaneSnapshot.class);
      return new SnapshotCache.Loaded(snapshot.frozen(), json.count());
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "snapshot " + where + " cannot be decoded: " + e.getMessage(),
          FailureTypes.SNAPSHOT_CORRUPT,
          e);
    }
  }

  /** Counts the bytes read through it: the size of a snapshot's JSON. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }

    long count() {
      return count;
    }
  }

  private static byte[] gzip(ControlPlaneSnapshot snapshot) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      JSON.writeValue(out, snapshot);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The SHA-256 of {@code bytes}, in hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
