package dev.failover.simulator.s3;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The state of the simulated S3 service. All methods are synchronized; the HTTP handler and tests
 * share one instance.
 */
public final class S3State {
  /** One stored version of an object; a delete marker has no content. */
  public record ObjectVersion(
      String versionId,
      byte[] content,
      String etag,
      String contentType,
      String contentEncoding,
      Map<String, String> metadata,
      String checksumAlgorithm,
      String checksum,
      Instant lastModified,
      boolean deleteMarker) {}

  /** A bucket: where it lives, which side of the runbook it belongs to, and its settings. */
  static final class Bucket {
    final String name;
    final String region;
    final String side;
    final Instant created = Instant.now();
    String versioning;
    ReplicationConfiguration replication;
    final Map<String, List<ObjectVersion>> objects = new TreeMap<>();

    Bucket(String name, String region, String side) {
      this.name = name;
      this.region = region;
      this.side = side;
    }
  }

  private final Map<String, Bucket> buckets = new TreeMap<>();

  public synchronized void createBucket(String name, String region, String side) {
    if (!name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") || name.contains("..")) {
      throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.", name);
    }
    if (buckets.containsKey(name)) {
      throw new S3Error(
          409,
          "BucketAlreadyOwnedByYou",
          "Your previous request to create the named bucket succeeded and you already own it.",
          name);
    }
    buckets.put(name, new Bucket(name, region, side));
  }

  public synchronized void deleteBucket(String name) {
    Bucket bucket = bucket(name);
    if (bucket.objects.values().stream().anyMatch(v -> !v.isEmpty())) {
      throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", name);
    }
    buckets.remove(name);
  }

  public synchronized List<String> bucketNames() {
    return List.copyOf(buckets.keySet());
  }

  /** The side ("primary", "secondary") a bucket was created for, or "" if there is none. */
  public synchronized String sideOf(String name) {
    Bucket bucket = buckets.get(name);
    return bucket == null ? "" : bucket.side;
  }

  public synchronized String region(String name) {
    return bucket(name).region;
  }

  synchronized Instant created(String name) {
    return bucket(name).created;
  }

  /** {@code Enabled}, {@code Suspended}, or null when versioning was never enabled. */
  public synchronized String versioning(String name) {
    return bucket(name).versioning;
  }

  public synchronized void setVersioning(String name, String status) {
    if (!"Enabled".equals(status) && !"Suspended".equals(status)) {
      throw S3Error.malformedXml(name);
    }
    bucket(name).versioning = status;
  }

  public synchronized ReplicationConfiguration replication(String name) {
    ReplicationConfiguration replication = bucket(name).replication;
    if (replication == null) {
      throw new S3Error(
          404,
          "ReplicationConfigurationNotFoundError",
          "The replication configuration was not found",
          name);
    }
    return replication;
  }

  /**
   * Sets the replication configuration. As in S3, the source bucket must have versioning enabled,
   * and so must a destination bucket this simulator holds; a destination it does not hold may live
   * in another account, which S3 cannot check either.
   */
  public synchronized void putReplication(String name, ReplicationConfiguration configuration) {
    Bucket bucket = bucket(name);
    if (!"Enabled".equals(bucket.versioning)) {
      throw S3Error.invalidRequest(
          "Versioning must be 'Enabled' on the bucket to apply a replication configuration", name);
    }
    if (configuration.rules().isEmpty()) {
      throw S3Error.malformedXml(name);
    }
    for (ReplicationConfiguration.Rule rule : configuration.rules()) {
      Bucket destination = buckets.get(rule.destination().bucketName());
      if (destination != null && !"Enabled".equals(destination.versioning)) {
        throw S3Error.invalidRequest("Destination bucket must have versioning enabled.", name);
      }
    }
    bucket.replication = configuration;
  }

  public synchronized void deleteReplication(String name) {
    bucket(name).replication = null;
  }

  /** Stores an object as an upload without headers would, for seeding. */
  public ObjectVersion putObject(String name, String key, byte[] content) {
    return putObject(name, key, content, null, null, Map.of(), null, null);
  }

  /** Stores a new version (or replaces the null version when versioning is off). */
  public synchronized ObjectVersion putObject(
      String name,
      String key,
      byte[] content,
      String contentType,
      String contentEncoding,
      Map<String, String> metadata,
      String checksumAlgorithm,
      String checksum) {
    Bucket bucket = bucket(name);
    boolean versioned = "Enabled".equals(bucket.versioning);
    ObjectVersion version =
        new ObjectVersion(
            versioned ? UUID.randomUUID().toString().replace("-", "") : "null",
            content,
            Checksums.md5Hex(content),
            contentType == null ? "binary/octet-stream" : contentType,
            contentEncoding,
            Map.copyOf(metadata),
            checksumAlgorithm,
            checksum,
            Instant.now(),
            false);
    List<ObjectVersion> versions = bucket.objects.computeIfAbsent(key, k -> new ArrayList<>());
    if (!versioned) {
      versions.removeIf(v -> v.versionId().equals("null"));
    }
    versions.add(version);
    return version;
  }

  /** The current version; NoSuchKey when there is none or it is a delete marker. */
  public ObjectVersion getObject(String name, String key) {
    return getObject(name, key, null);
  }

  /** The current version, or the one asked for; a delete marker or nothing is NoSuchKey. */
  public synchronized ObjectVersion getObject(String name, String key, String versionId) {
    List<ObjectVersion> versions = bucket(name).objects.getOrDefault(key, List.of());
    ObjectVersion found = null;
    if (versionId == null) {
      found = versions.isEmpty() ? null : versions.get(versions.size() - 1);
    } else {
      for (ObjectVersion v : versions) {
        if (v.versionId().equals(versionId)) {
          found = v;
        }
      }
      if (found == null) {
        throw new S3Error(400, "InvalidArgument", "Invalid version id specified", name);
      }
    }
    if (found == null || found.deleteMarker()) {
      throw new S3Error(404, "NoSuchKey", "The specified key does not exist.", name);
    }
    return found;
  }

  /**
   * Deletes an object: a versioned bucket gets a delete marker; an unversioned one loses the
   * object; a version id removes that version for good. Returns the marker or removed version id.
   */
  public synchronized String deleteObject(String name, String key, String versionId) {
    Bucket bucket = bucket(name);
    List<ObjectVersion> versions = bucket.objects.computeIfAbsent(key, k -> new ArrayList<>());
    if (versionId != null) {
      versions.removeIf(v -> v.versionId().equals(versionId));
      return versionId;
    }
    if ("Enabled".equals(bucket.versioning)) {
      String marker = UUID.randomUUID().toString().replace("-", "");
      versions.add(
          new ObjectVersion(
              marker, new byte[0], null, null, null, Map.of(), null, null, Instant.now(), true));
      return marker;
    }
    versions.clear();
    return null;
  }

  /** Keys whose current version is not a delete marker, sorted. */
  public synchronized List<String> objectKeys(String name) {
    List<String> keys = new ArrayList<>();
    bucket(name)
        .objects
        .forEach(
            (key, versions) -> {
              if (!versions.isEmpty() && !versions.get(versions.size() - 1).deleteMarker()) {
                keys.add(key);
              }
            });
    return keys;
  }

  private Bucket bucket(String name) {
    Bucket bucket = buckets.get(name);
    if (bucket == null) {
      throw S3Error.noSuchBucket(name);
    }
    return bucket;
  }
}
