package dev.failover.simulator;

import dev.failover.simulator.s3.S3State;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a Delta table into a simulated bucket as a Delta writer would: data files first, then the
 * JSON commit that adds them under {@code _delta_log/}. Commits carry real Delta actions ({@code
 * commitInfo}, {@code protocol}, {@code metaData}, {@code add}, {@code remove}); the data files are
 * placeholders framed like Parquet ({@code PAR1} magic at both ends), since nothing here reads
 * rows.
 */
public final class DeltaTableWriter {
  private final S3State s3;
  private final String bucket;
  private final String prefix;
  private long nextVersion;
  private int nextFile;

  /**
   * A writer for the table under a prefix; a table already there is continued at its next version.
   *
   * @param prefix the table's key prefix in the bucket, ending in '/'
   */
  public DeltaTableWriter(S3State s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    for (String key : s3.objectKeys(bucket)) {
      if (key.startsWith(prefix + "_delta_log/") && key.endsWith(".json")) {
        String name = key.substring(key.lastIndexOf('/') + 1, key.length() - ".json".length());
        nextVersion = Math.max(nextVersion, Long.parseLong(name) + 1);
      } else if (key.startsWith(prefix) && key.endsWith(".parquet")) {
        nextFile++;
      }
    }
  }

  /** The table's location, {@code s3://bucket/prefix}. */
  public String location() {
    return "s3://" + bucket + "/" + prefix;
  }

  /** Version 0: creates the table with one data file; returns that file's key. */
  public String create(String schemaJson) {
    return create(schemaJson, 2);
  }

  /**
   * Version 0 at a writer protocol version (PROTOCOL.md: generated columns need 4, identity columns
   * 6); returns the data file's key.
   */
  public String create(String schemaJson, int minWriterVersion) {
    String file = dataFile();
    List<String> actions = new ArrayList<>();
    actions.add(commitInfo("CREATE TABLE AS SELECT"));
    actions.add(
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":" + minWriterVersion + "}}");
    actions.add(
        "{\"metaData\":{\"id\":\""
            + UUID.nameUUIDFromBytes(location().getBytes(StandardCharsets.UTF_8))
            + "\",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\""
            + schemaJson.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\",\"partitionColumns\":[],\"configuration\":{},\"createdTime\":"
            + System.currentTimeMillis()
            + "}}");
    actions.add(add(file));
    commit(actions);
    return prefix + file;
  }

  /** An append: one new data file, then the commit that adds it; returns the file's key. */
  public String append() {
    String key = writeDataFile();
    commitAppend(key);
    return key;
  }

  /** The first half of an append: a new data file that no commit names yet; returns its key. */
  public String writeDataFile() {
    return prefix + dataFile();
  }

  /** The second half of an append: the commit that adds a written data file; returns its key. */
  public String commitAppend(String dataFileKey) {
    return commit(List.of(commitInfo("WRITE"), add(dataFileKey.substring(prefix.length()))));
  }

  /** A compaction: the given files (keys) removed and one new file added; returns its key. */
  public String compact(List<String> removedKeys) {
    String file = dataFile();
    List<String> actions = new ArrayList<>();
    actions.add(commitInfo("OPTIMIZE"));
    for (String key : removedKeys) {
      actions.add(
          "{\"remove\":{\"path\":\""
              + key.substring(prefix.length())
              + "\",\"deletionTimestamp\":"
              + System.currentTimeMillis()
              + ",\"dataChange\":false}}");
    }
    actions.add(add(file));
    commit(actions);
    return prefix + file;
  }

  /** The version the next commit will have. */
  public long nextVersion() {
    return nextVersion;
  }

  private String dataFile() {
    String name =
        String.format(
            "part-%05d-%s-c000.snappy.parquet",
            nextFile++,
            UUID.nameUUIDFromBytes((location() + nextFile).getBytes(StandardCharsets.UTF_8)));
    byte[] body = ("PAR1 rows of " + location() + name + " PAR1").getBytes(StandardCharsets.UTF_8);
    s3.putObject(bucket, prefix + name, body);
    return name;
  }

  private String add(String file) {
    return "{\"add\":{\"path\":\""
        + file
        + "\",\"partitionValues\":{},\"size\":"
        + s3.getObject(bucket, prefix + file).content().length
        + ",\"modificationTime\":"
        + System.currentTimeMillis()
        + ",\"dataChange\":true}}";
  }

  private static String commitInfo(String operation) {
    return "{\"commitInfo\":{\"timestamp\":"
        + System.currentTimeMillis()
        + ",\"operation\":\""
        + operation
        + "\",\"engineInfo\":\"failover-simulator\"}}";
  }

  private String commit(List<String> actions) {
    String key = String.format("%s_delta_log/%020d.json", prefix, nextVersion++);
    s3.putObject(bucket, key, (String.join("\n", actions) + "\n").getBytes(StandardCharsets.UTF_8));
    return key;
  }
}
