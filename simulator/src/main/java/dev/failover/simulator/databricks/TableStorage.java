package dev.failover.simulator.databricks;

import java.util.List;

/**
 * The cloud storage under external tables' locations, as the SQL warehouse sees it when a {@code
 * CREATE TABLE ... LOCATION} runs: the simulator's S3, which the {@link
 * dev.failover.simulator.Simulator} plugs in. Locations are {@code s3://bucket/prefix}; names are
 * keys relative to the location.
 */
public interface TableStorage {
  /**
   * The names of the objects under a location (current versions, not delete markers), sorted; null
   * when the location's bucket does not exist.
   */
  List<String> list(String location);

  /** The content of an object under a location. */
  byte[] read(String location, String name);

  /** Writes an object under a location. */
  void write(String location, String name, byte[] content);

  /** Storage without buckets, until one is plugged in. */
  TableStorage NONE =
      new TableStorage() {
        @Override
        public List<String> list(String location) {
          return null;
        }

        @Override
        public byte[] read(String location, String name) {
          throw new IllegalStateException("no storage attached");
        }

        @Override
        public void write(String location, String name, byte[] content) {
          throw new IllegalStateException("no storage attached");
        }
      };
}
