package dev.failover.workflows.steps;

/**
 * Where a captured snapshot is stored, and how to check it on load. This reference, not the
 * snapshot, travels through workflow payloads, so a workspace with thousands of objects keeps the
 * history small.
 *
 * @param location the bucket that holds the snapshot
 * @param key the object key
 * @param versionId the S3 version written, so a later overwrite cannot change what a run reads
 * @param sha256 hex digest of the stored (compressed) bytes
 * @param sizeBytes the stored size
 * @param capturedAt ISO-8601 time the capture finished
 * @param catalogs number of catalogs captured
 * @param schemas number of schemas captured
 * @param grants number of (securable, principal) privilege assignments captured
 * @param tables number of tables and views captured
 * @param components how many items each further component captured ({@code jobs}, ...), and under
 *     {@code grants} the number of securables whose grants were captured (the unit of a grants
 *     batch); null in references from before components were captured
 */
public record SnapshotRef(
    BucketTarget location,
    String key,
    String versionId,
    String sha256,
    long sizeBytes,
    String capturedAt,
    int catalogs,
    int schemas,
    int grants,
    int tables,
    java.util.Map<String, Integer> components) {

  public SnapshotRef(
      BucketTarget location,
      String key,
      String versionId,
      String sha256,
      long sizeBytes,
      String capturedAt,
      int catalogs,
      int schemas,
      int grants,
      int tables) {
    this(
        location,
        key,
        versionId,
        sha256,
        sizeBytes,
        capturedAt,
        catalogs,
        schemas,
        grants,
        tables,
        null);
  }

  /** How many items of a component the snapshot holds; 0 when it has none. */
  public int count(String component) {
    return components == null ? 0 : components.getOrDefault(component, 0);
  }
}
