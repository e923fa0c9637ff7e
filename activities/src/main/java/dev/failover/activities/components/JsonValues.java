package dev.failover.activities.components;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** JSON values compared by what they say, not by how they were built. */
public final class JsonValues {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonValues() {}

  /**
   * The value as it reads back from text: a number read from the API as a long and the same number
   * read back from a snapshot as an int then compare equal.
   */
  @SuppressWarnings("unchecked")
  public static <T extends JsonNode> T normalized(T node) {
    try {
      return (T) JSON.readTree(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
