package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A Delta table's transaction log as a {@code CREATE TABLE ... USING DELTA LOCATION} reads and
 * writes it, after the Delta protocol (delta-io/delta PROTOCOL.md): JSON commits {@code
 * _delta_log/<20-digit version>.json}, one action per line; the newest {@code metaData} action
 * gives the schema ({@code schemaString}, a Spark {@code StructType} as JSON, whose fields carry
 * {@code delta.generationExpression} and {@code delta.identity.*} in their {@code metadata} for
 * generated and identity columns), {@code partitionColumns}, {@code configuration} (the table
 * properties) and {@code description}; the newest {@code protocol} action gives the reader and
 * writer versions.
 *
 * <p>Not simulated: Parquet checkpoints (a log that only has a checkpoint reads as having no
 * commits, which fails the statement: harsher than the service), column mapping, CHAR/VARCHAR
 * metadata ({@code __CHAR_VARCHAR_TYPE_STRING}), and the other actions of a version 0 commit
 * (domain metadata, table features).
 */
final class DeltaLog {
  private static final Pattern COMMIT = Pattern.compile("_delta_log/\\d{20}\\.json");

  /** What the newest {@code metaData} and {@code protocol} actions say. */
  record Metadata(
      ArrayNode fields,
      List<String> partitionColumns,
      Map<String, String> configuration,
      String description,
      int minReaderVersion,
      int minWriterVersion) {

    /** The fields as Unity Catalog's columns: SQL type text, comment, the field as type_json. */
    List<WorkspaceState.Column> columns() {
      List<WorkspaceState.Column> columns = new ArrayList<>();
      for (JsonNode field : fields) {
        String name = field.path("name").asText();
        int partition = partitionColumns.indexOf(name);
        columns.add(
            new WorkspaceState.Column(
                name,
                sqlType(field.get("type")),
                field.path("nullable").asBoolean(true),
                field.path("metadata").hasNonNull("comment")
                    ? field.path("metadata").get("comment").asText()
                    : null,
                field.toString(),
                partition < 0 ? null : partition));
      }
      return columns;
    }

    /**
     * The table properties Unity Catalog shows for the table: its configuration and the protocol
     * versions (the Databricks Terraform provider's {@code sqlTableIsManagedProperty} lists {@code
     * delta.minReaderVersion} and {@code delta.minWriterVersion} among the properties the service
     * adds to a Delta table's {@code TableInfo.properties}).
     */
    Map<String, String> properties() {
      Map<String, String> properties = new LinkedHashMap<>(configuration);
      properties.put("delta.minReaderVersion", String.valueOf(minReaderVersion));
      properties.put("delta.minWriterVersion", String.valueOf(minWriterVersion));
      return properties;
    }
  }

  private DeltaLog() {}

  /** Whether a listing of a location holds a JSON commit, that is, a Delta table. */
  static boolean hasCommits(List<String> names) {
    return names.stream().anyMatch(name -> COMMIT.matcher(name).matches());
  }

  /** Replays the JSON commits under the location; null when it has none. */
  static Metadata read(TableStorage storage, String location, List<String> names) {
    ObjectNode metaData = null;
    ObjectNode protocol = null;
    for (String name : names.stream().filter(n -> COMMIT.matcher(n).matches()).sorted().toList()) {
      String text = new String(storage.read(location, name), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode action = parse(line);
        if (action.has("metaData")) {
          metaData = (ObjectNode) action.get("metaData");
        } else if (action.has("protocol")) {
          protocol = (ObjectNode) action.get("protocol");
        }
      }
    }
    if (metaData == null) {
      return null;
    }
    JsonNode schema = parse(metaData.path("schemaString").asText("{}"));
    List<String> partitions = new ArrayList<>();
    metaData.path("partitionColumns").forEach(p -> partitions.add(p.asText()));
    Map<String, String> configuration = new LinkedHashMap<>();
    metaData
        .path("configuration")
        .fields()
        .forEachRemaining(e -> configuration.put(e.getKey(), e.getValue().asText()));
    return new Metadata(
        schema.has("fields") ? (ArrayNode) schema.get("fields") : JSON.createArrayNode(),
        partitions,
        configuration,
        metaData.hasNonNull("description") ? metaData.get("description").asText() : null,
        protocol == null ? 1 : protocol.path("minReaderVersion").asInt(1),
        protocol == null ? 2 : protocol.path("minWriterVersion").asInt(2));
  }

  /**
   * Writes version 0 of a new table with the declared columns: {@code commitInfo}, {@code protocol}
   * (reader 1, writer 2, the protocol of a table without features) and {@code metaData}, as Delta's
   * CreateDeltaTableCommand commits a table created with a schema on an empty path.
   */
  static Metadata create(
      TableStorage storage,
      String location,
      List<WorkspaceState.Column> columns,
      String comment,
      Map<String, String> properties) {
    ArrayNode fields = fields(columns);
    ObjectNode schema = JSON.createObjectNode().put("type", "struct");
    schema.set("fields", fields);
    long now = System.currentTimeMillis();
    ObjectNode commitInfo = JSON.createObjectNode();
    commitInfo
        .putObject("commitInfo")
        .put("timestamp", now)
        .put("operation", "CREATE TABLE")
        .put("engineInfo", "failover-simulator");
    ObjectNode protocol = JSON.createObjectNode();
    protocol.putObject("protocol").put("minReaderVersion", 1).put("minWriterVersion", 2);
    ObjectNode metaData = JSON.createObjectNode();
    ObjectNode meta = metaData.putObject("metaData");
    meta.put("id", UUID.nameUUIDFromBytes(location.getBytes(StandardCharsets.UTF_8)).toString());
    if (comment != null) {
      meta.put("description", comment);
    }
    meta.putObject("format").put("provider", "parquet").putObject("options");
    meta.put("schemaString", schema.toString());
    meta.putArray("partitionColumns");
    ObjectNode configuration = meta.putObject("configuration");
    properties.forEach(configuration::put);
    meta.put("createdTime", now);
    String commit = commitInfo + "\n" + protocol + "\n" + metaData + "\n";
    storage.write(
        location, "_delta_log/00000000000000000000.json", commit.getBytes(StandardCharsets.UTF_8));
    return new Metadata(fields, List.of(), properties, comment, 1, 2);
  }

  /** Declared columns as Delta schema fields: a declared comment is the field's metadata. */
  static ArrayNode fields(List<WorkspaceState.Column> columns) {
    ArrayNode fields = JSON.createArrayNode();
    for (WorkspaceState.Column c : columns) {
      ObjectNode field = fields.addObject();
      field.put("name", c.name());
      field.set("type", deltaType(c.typeText()));
      field.put("nullable", c.nullable());
      ObjectNode metadata = field.putObject("metadata");
      if (c.comment() != null) {
        metadata.put("comment", c.comment());
      }
    }
    return fields;
  }

  /**
   * The differences between declared fields and the log's, as Delta's schema comparison sees them:
   * a field's name, type, nullability and metadata (comment, generation expression, identity
   * settings) must all be equal, in order. Empty when they match.
   */
  static List<String> differences(ArrayNode declared, ArrayNode existing) {
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < Math.max(declared.size(), existing.size()); i++) {
      JsonNode want = i < declared.size() ? declared.get(i) : null;
      JsonNode have = i < existing.size() ? existing.get(i) : null;
      if (want == null) {
        differences.add("Specified schema is missing field " + have.path("name").asText());
      } else if (have == null) {
        differences.add("Specified schema has additional field " + want.path("name").asText());
      } else if (!want.path("name").asText().equals(have.path("name").asText())) {
        differences.add(
            "Field "
                + have.path("name").asText()
                + " is specified as "
                + want.path("name").asText());
      } else {
        String name = want.path("name").asText();
        if (!sqlType(want.get("type")).equals(sqlType(have.get("type")))) {
          differences.add(
              "Specified type for "
                  + name
                  + " is different from existing schema:\n"
                  + "Specified: "
                  + sqlType(want.get("type"))
                  + "\nExisting:  "
                  + sqlType(have.get("type")));
        }
        if (want.path("nullable").asBoolean() != have.path("nullable").asBoolean()) {
          differences.add(
              name
                  + " is "
                  + (want.path("nullable").asBoolean() ? "nullable" : "non-nullable")
                  + " in the specified schema but "
                  + (have.path("nullable").asBoolean() ? "nullable" : "non-nullable")
                  + " in the existing schema");
        }
        if (!want.path("metadata").equals(have.path("metadata"))) {
          differences.add(
              "Specified metadata for field "
                  + name
                  + " is different from existing schema:\nSpecified: "
                  + want.path("metadata")
                  + "\nExisting:  "
                  + have.path("metadata"));
        }
      }
    }
    return differences;
  }

  /** Fields as {@code StructType.treeString} prints them, for error messages. */
  static String tree(ArrayNode fields) {
    StringBuilder tree = new StringBuilder("root");
    for (JsonNode field : fields) {
      tree.append("\n |-- ")
          .append(field.path("name").asText())
          .append(": ")
          .append(sqlType(field.get("type")))
          .append(" (nullable = ")
          .append(field.path("nullable").asBoolean())
          .append(")");
    }
    return tree.toString();
  }

  /** A Delta type as SQL type text, lower case, as Unity Catalog's {@code type_text} shows it. */
  static String sqlType(JsonNode type) {
    if (type == null) {
      return "void";
    }
    if (type.isTextual()) {
      return switch (type.asText()) {
        case "long" -> "bigint";
        case "integer" -> "int";
        case "short" -> "smallint";
        case "byte" -> "tinyint";
        default -> type.asText().replace(" ", "");
      };
    }
    return switch (type.path("type").asText()) {
      case "array" -> "array<" + sqlType(type.get("elementType")) + ">";
      case "map" ->
          "map<" + sqlType(type.get("keyType")) + "," + sqlType(type.get("valueType")) + ">";
      case "struct" -> {
        List<String> parts = new ArrayList<>();
        type.path("fields")
            .forEach(f -> parts.add(f.path("name").asText() + ":" + sqlType(f.get("type"))));
        yield "struct<" + String.join(",", parts) + ">";
      }
      default -> type.toString();
    };
  }

  /**
   * A declared SQL type ({@code BIGINT}, {@code DECIMAL(12,2)}, {@code ARRAY<STRING>}) as Delta's.
   */
  static JsonNode deltaType(String sql) {
    return new TypeReader(sql.replaceAll("\\s+", "")).type();
  }

  /** Reads one SQL type, recursively for ARRAY, MAP and STRUCT. */
  private static final class TypeReader {
    private final String text;
    private int at;

    TypeReader(String text) {
      this.text = text;
    }

    JsonNode type() {
      String word = word().toUpperCase(Locale.ROOT);
      switch (word) {
        case "ARRAY" -> {
          expect('<');
          ObjectNode array = JSON.createObjectNode().put("type", "array");
          array.set("elementType", type());
          array.put("containsNull", true);
          expect('>');
          return array;
        }
        case "MAP" -> {
          expect('<');
          ObjectNode map = JSON.createObjectNode().put("type", "map");
          map.set("keyType", type());
          expect(',');
          map.set("valueType", type());
          map.put("valueContainsNull", true);
          expect('>');
          return map;
        }
        case "STRUCT" -> {
          expect('<');
          ObjectNode struct = JSON.createObjectNode().put("type", "struct");
          ArrayNode fields = struct.putArray("fields");
          do {
            ObjectNode field = fields.addObject();
            field.put("name", word().toLowerCase(Locale.ROOT));
            expect(':');
            field.set("type", type());
            field.put("nullable", true);
            field.putObject("metadata");
          } while (accept(','));
          expect('>');
          return struct;
        }
        case "DECIMAL", "DEC", "NUMERIC" -> {
          if (accept('(')) {
            String precision = word();
            String scale = accept(',') ? word() : "0";
            expect(')');
            return JSON.getNodeFactory().textNode("decimal(" + precision + "," + scale + ")");
          }
          return JSON.getNodeFactory().textNode("decimal(10,0)");
        }
        case "VARCHAR", "CHAR" -> {
          expect('(');
          word();
          expect(')');
          return JSON.getNodeFactory().textNode("string");
        }
        default -> {
          return JSON.getNodeFactory().textNode(primitive(word));
        }
      }
    }

    private String primitive(String word) {
      return switch (word) {
        case "BIGINT", "LONG" -> "long";
        case "INT", "INTEGER" -> "integer";
        case "SMALLINT", "SHORT" -> "short";
        case "TINYINT", "BYTE" -> "byte";
        case "REAL" -> "float";
        case "STRING",
            "DOUBLE",
            "FLOAT",
            "BOOLEAN",
            "DATE",
            "TIMESTAMP",
            "TIMESTAMP_NTZ",
            "BINARY",
            "VOID" ->
            word.toLowerCase(Locale.ROOT);
        default ->
            throw new SqlError(
                "UNSUPPORTED_DATATYPE", "0A000", "Unsupported data type \"" + word + "\".");
      };
    }

    private String word() {
      int start = at;
      while (at < text.length()
          && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
        at++;
      }
      if (start == at) {
        throw SqlError.syntax(at < text.length() ? String.valueOf(text.charAt(at)) : null);
      }
      return text.substring(start, at);
    }

    private boolean accept(char c) {
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!accept(c)) {
        throw SqlError.syntax(at < text.length() ? String.valueOf(text.charAt(at)) : null);
      }
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
