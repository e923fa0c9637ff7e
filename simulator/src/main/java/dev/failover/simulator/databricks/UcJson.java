package dev.failover.simulator.databricks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The JSON shapes of Unity Catalog requests and responses, with the SDK's snake_case field names
 * ({@code CatalogInfo}, {@code SchemaInfo}, {@code PrivilegeAssignment}, ...).
 */
final class UcJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private UcJson() {}

  static ObjectNode catalog(WorkspaceState.Catalog c, String metastoreId) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", c.name());
    node.put("full_name", c.name());
    putCommon(node, c.comment(), c.owner(), c.properties());
    if (c.storageRoot() != null) {
      node.put("storage_root", c.storageRoot());
      // Unity Catalog places a catalog's managed data under a per-catalog folder of its root.
      node.put("storage_location", c.storageRoot() + "/__unitystorage/catalogs/" + uuid(c.name()));
    }
    node.put("catalog_type", "MANAGED_CATALOG");
    node.put("securable_type", "CATALOG");
    node.put("isolation_mode", "OPEN");
    node.put("browse_only", false);
    node.put("metastore_id", metastoreId);
    putAudit(node, c.createdAt(), c.createdBy(), c.updatedAt(), c.updatedBy());
    return node;
  }

  static ObjectNode schema(WorkspaceState.Schema s, String metastoreId) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", s.name());
    node.put("catalog_name", s.catalogName());
    node.put("full_name", s.fullName());
    putCommon(node, s.comment(), s.owner(), s.properties());
    if (s.storageRoot() != null) {
      node.put("storage_root", s.storageRoot());
      node.put(
          "storage_location", s.storageRoot() + "/__unitystorage/schemas/" + uuid(s.fullName()));
    }
    node.put("catalog_type", "MANAGED_CATALOG");
    node.put("browse_only", false);
    node.put("metastore_id", metastoreId);
    node.put("schema_id", uuid(s.fullName()));
    putAudit(node, s.createdAt(), s.createdBy(), s.updatedAt(), s.updatedBy());
    return node;
  }

  /**
   * A {@code TableInfo}: with its {@code columns} ({@code ColumnInfo}: name, {@code type_text},
   * {@code type_name}, {@code position}, {@code nullable}, {@code comment}) and its primary key as
   * a {@code TableConstraint} with a {@code primary_key_constraint}. {@code type_json} and {@code
   * partition_index} are given for a Delta table registered from its log (the field as the log's
   * schema has it, with its generation expression or identity settings), not for declared columns.
   */
  static ObjectNode table(WorkspaceState.Table t, String metastoreId) {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", t.name());
    node.put("catalog_name", t.catalogName());
    node.put("schema_name", t.schemaName());
    node.put("full_name", t.fullName());
    node.put("table_type", t.tableType());
    if (t.dataSourceFormat() != null) {
      node.put("data_source_format", t.dataSourceFormat());
    }
    if (t.storageLocation() != null) {
      node.put("storage_location", t.storageLocation());
    }
    if (t.viewDefinition() != null) {
      node.put("view_definition", t.viewDefinition());
    }
    if (!t.columns().isEmpty()) {
      ArrayNode columns = node.putArray("columns");
      for (int i = 0; i < t.columns().size(); i++) {
        WorkspaceState.Column c = t.columns().get(i);
        ObjectNode column = columns.addObject();
        column.put("name", c.name());
        column.put("type_text", c.typeText());
        column.put("type_name", typeName(c.typeText()));
        column.put("position", i);
        column.put("nullable", c.nullable());
        if (c.typeJson() != null) {
          column.put("type_json", c.typeJson());
        }
        if (c.partitionIndex() != null) {
          column.put("partition_index", c.partitionIndex());
        }
        if (c.comment() != null) {
          column.put("comment", c.comment());
        }
      }
    }
    if (t.primaryKey() != null) {
      ObjectNode key =
          node.putArray("table_constraints").addObject().putObject("primary_key_constraint");
      key.put("name", t.primaryKey().name());
      ArrayNode children = key.putArray("child_columns");
      t.primaryKey().columns().forEach(children::add);
    }
    putCommon(node, t.comment(), t.owner(), t.properties());
    node.put("metastore_id", metastoreId);
    node.put("table_id", uuid(t.fullName()));
    putAudit(node, t.createdAt(), t.createdBy(), t.updatedAt(), t.updatedBy());
    return node;
  }

  /**
   * The {@code ColumnTypeName} of a SQL type: its leading word, with the SQL names the enum spells
   * differently mapped ({@code BIGINT} is {@code LONG}, {@code SMALLINT} {@code SHORT}, ...).
   */
  static String typeName(String typeText) {
    String base = typeText.replaceAll("[<(].*$", "").trim().toUpperCase(java.util.Locale.ROOT);
    return switch (base) {
      case "BIGINT" -> "LONG";
      case "INTEGER" -> "INT";
      case "SMALLINT" -> "SHORT";
      case "TINYINT" -> "BYTE";
      case "DEC", "NUMERIC" -> "DECIMAL";
      case "REAL" -> "FLOAT";
      case "VARCHAR" -> "STRING";
      default -> base;
    };
  }

  /** A {@code PrivilegeAssignment}: the principal and its privileges, sorted. */
  static ObjectNode assignment(Map.Entry<String, Set<String>> entry) {
    ObjectNode node = JSON.createObjectNode();
    node.put("principal", entry.getKey());
    ArrayNode privileges = node.putArray("privileges");
    entry.getValue().stream().sorted().forEach(privileges::add);
    return node;
  }

  /** A list response: the items under {@code field}, and {@code next_page_token} if more remain. */
  static <T> ObjectNode page(Pages.Page<T> page, String field, Function<T, JsonNode> json) {
    ObjectNode response = JSON.createObjectNode();
    ArrayNode array = response.putArray(field);
    page.items().forEach(item -> array.add(json.apply(item)));
    if (page.nextPageToken() != null) {
      response.put("next_page_token", page.nextPageToken());
    }
    return response;
  }

  /**
   * Parses a request body. The API answers 400 {@code MALFORMED_REQUEST} for a body that is not a
   * JSON object; an empty body reads as an empty object.
   */
  static JsonNode body(byte[] bytes) {
    if (bytes.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new ApiError(400, "MALFORMED_REQUEST", "Request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ApiError(
          400, "MALFORMED_REQUEST", "Could not parse request object: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** The {@code properties} map of strings, or null when the request leaves it out. */
  static Map<String, String> properties(JsonNode node) {
    JsonNode value = node.get("properties");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw ApiError.invalid("properties must be a map of strings");
    }
    Map<String, String> properties = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      properties.put(entry.getKey(), entry.getValue().asText());
    }
    return properties;
  }

  static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(item -> values.add(item.asText()));
    }
    return values;
  }

  private static void putCommon(
      ObjectNode node, String comment, String owner, Map<String, String> properties) {
    if (comment != null) {
      node.put("comment", comment);
    }
    node.put("owner", owner);
    if (!properties.isEmpty()) {
      ObjectNode props = node.putObject("properties");
      properties.forEach(props::put);
    }
  }

  private static void putAudit(
      ObjectNode node, long createdAt, String createdBy, long updatedAt, String updatedBy) {
    node.put("created_at", createdAt);
    node.put("created_by", createdBy);
    node.put("updated_at", updatedAt);
    node.put("updated_by", updatedBy);
  }

  /** A stable id derived from a name, as the simulator gives catalogs and schemas. */
  static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
