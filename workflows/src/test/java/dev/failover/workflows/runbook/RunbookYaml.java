package dev.failover.workflows.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads runbook YAML for the tests the way the CLI does (duplicate keys rejected), then validates
 * it with {@link RunbookParser}.
 */
public final class RunbookYaml {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private RunbookYaml() {}

  public static Runbook parse(String yaml, String source) throws InvalidRunbookException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("test runbook is not valid YAML", e);
    }
    return RunbookParser.parse(root, source);
  }
}
