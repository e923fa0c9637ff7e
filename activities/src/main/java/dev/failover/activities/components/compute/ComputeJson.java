package dev.failover.activities.components.compute;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * JSON helpers for the compute components: the SDK's models as JSON trees (with the SDK's own
 * conventions: nulls left out, unknown fields ignored), canonical JSON documents, and storage paths
 * rewritten wherever they appear in a document.
 */
final class ComputeJson {
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private ComputeJson() {}

  /** The document with its object keys sorted, so that equal documents compare equal as text. */
  static String canonical(String document) {
    if (document == null || document.isBlank()) {
      return document;
    }
    try {
      return MAPPER.writeValueAsString(sorted(MAPPER.readTree(document)));
    } catch (JsonProcessingException e) {
      return document;
    }
  }

  /** A copy of the tree with every string value passed through {@code rewrite}. */
  static JsonNode rewriteStrings(JsonNode node, UnaryOperator<String> rewrite) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(rewrite.apply(node.asText()));
    }
    if (node.isObject()) {
      ObjectNode copy = MAPPER.createObjectNode();
      node.fields()
          .forEachRemaining(f -> copy.set(f.getKey(), rewriteStrings(f.getValue(), rewrite)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = MAPPER.createArrayNode();
      node.forEach(item -> copy.add(rewriteStrings(item, rewrite)));
      return copy;
    }
    return node;
  }

  /** A JSON document's string values rewritten; the document canonical. */
  static String rewriteDocument(String document, UnaryOperator<String> rewrite) {
    if (document == null || document.isBlank()) {
      return document;
    }
    try {
      return MAPPER.writeValueAsString(sorted(rewriteStrings(MAPPER.readTree(document), rewrite)));
    } catch (JsonProcessingException e) {
      return rewrite.apply(document);
    }
  }

  static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = MAPPER.createObjectNode();
      java.util.TreeMap<String, JsonNode> fields = new java.util.TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        fields.put(f.getKey(), sorted(f.getValue()));
      }
      copy.setAll(fields);
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = MAPPER.createArrayNode();
      node.forEach(item -> copy.add(sorted(item)));
      return copy;
    }
    return node;
  }
}
