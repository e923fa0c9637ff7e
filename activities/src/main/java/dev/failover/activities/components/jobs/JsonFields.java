package dev.failover.activities.components.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * One walk over a JSON tree: every text value in it, with the field and the object or array that
 * hold it, in document order, each replaceable in place. Job settings are walked with it to rewrite
 * storage URLs, to find the ids they name and to point those ids at the target's objects.
 */
final class JsonFields {
  private JsonFields() {}

  /** What to do with one text value. */
  @FunctionalInterface
  interface TextVisitor {
    /**
     * @param parent the object or array that holds the value
     * @param fieldName the value's field in {@code parent}; null when {@code parent} is an array
     * @param value the text
     * @return the text to hold there: {@code value} to leave it as it is, or its replacement (not
     *     null)
     */
    String visit(JsonNode parent, String fieldName, String value);
  }

  /**
   * Visits every text value under {@code node}, depth first in document order (an object's fields
   * in their order, an array's elements by index, each container entered when it is reached), and
   * puts back the text the visitor returns where it differs. Numbers, booleans, nulls and other
   * non-text values are not visited; neither is {@code node} itself, which has no parent to hold a
   * replacement.
   */
  static void visit(JsonNode node, TextVisitor visitor) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode value = field.getValue();
        if (value.isTextual()) {
          String replacement = replacement(visitor, object, field.getKey(), value.asText());
          if (replacement != null) {
            field.setValue(TextNode.valueOf(replacement));
          }
        } else {
          visit(value, visitor);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = array.get(i);
        if (value.isTextual()) {
          String replacement = replacement(visitor, array, null, value.asText());
          if (replacement != null) {
            array.set(i, TextNode.valueOf(replacement));
          }
        } else {
          visit(value, visitor);
        }
      }
    }
  }

  /** What the visitor puts in place of {@code text}, or null to leave it. */
  private static String replacement(
      TextVisitor visitor, JsonNode parent, String fieldName, String text) {
    String replacement =
        Objects.requireNonNull(
            visitor.visit(parent, fieldName, text),
            () ->
                "a replacement for the text of " + (fieldName == null ? "an element" : fieldName));
    return replacement.equals(text) ? null : replacement;
  }
}
