package dev.failover.simulator.databricks;

/**
 * The cloud storage behind Unity Catalog's managed locations, as a workspace's models see it: the
 * simulator's S3, which the {@link dev.failover.simulator.Simulator} plugs in.
 */
public interface ManagedStorage {
  /** AWS temporary credentials and when they expire (epoch milliseconds). */
  record Credentials(
      String accessKeyId, String secretAccessKey, String sessionToken, long expirationTime) {
    @Override
    public String toString() {
      return "Credentials[" + accessKeyId + "]";
    }
  }

  /**
   * Credentials that reach only the objects under an {@code s3://bucket/prefix} location: read
   * them, and write them too when {@code write}.
   */
  Credentials temporaryCredentials(String location, boolean write);

  /** Deletes every object under an {@code s3://bucket/prefix} location; none is fine. */
  void deleteAll(String location);

  /** Storage that issues credentials no S3 accepts and holds nothing, until one is plugged in. */
  ManagedStorage NONE =
      new ManagedStorage() {
        @Override
        public Credentials temporaryCredentials(String location, boolean write) {
          throw ApiError.invalid("No storage is attached to this simulated workspace");
        }

        @Override
        public void deleteAll(String location) {}
      };
}
