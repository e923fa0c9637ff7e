package dev.failover.workflows.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a runbook's tree and collects every problem found, each named by the
 * field's dotted path from the root (for example {@code bucketPairs[0].replica.region}).
 */
final class RunbookFields {
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d");

  private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private static final Pattern LOOKS_LIKE_SECRET =
      Pattern.compile("(dapi|dose|dkea)[0-9a-f]{16,}.*|(AKIA|ASIA)[A-Z0-9]{12,}");

  private final List<RunbookProblem> problems = new ArrayList<>();

  void allowOnly(JsonNode node, String path, String... known) {
    Set<String> allowed = Set.of(known);
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        problem(join(path, field), "is not a known field; expected one of " + List.of(known));
      }
    }
  }

  JsonNode object(JsonNode parent, String path, String field, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!node.isObject()) {
      problem(join(path, field), "must be a mapping");
      return null;
    }
    return node;
  }

  String text(JsonNode parent, String path, String field, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      problem(join(path, field), "must be a non-empty string");
      return null;
    }
    return node.asText().trim();
  }

  List<String> textList(JsonNode parent, String path, String field, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!node.isArray()) {
      problem(join(path, field), "must be a list of strings");
      return null;
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual() || item.asText().isBlank()) {
        problem(join(path, field) + "[" + i + "]", "must be a non-empty string");
      } else {
        values.add(item.asText().trim());
      }
    }
    return values;
  }

  Integer integer(JsonNode parent, String path, String field, boolean required) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        problem(join(path, field), "is required");
      }
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      problem(join(path, field), "must be a whole number, got '" + node.asText() + "'");
      return null;
    }
    return node.intValue();
  }

  Integer positive(JsonNode parent, String path, String field, boolean required, int fallback) {
    Integer value = integer(parent, path, field, required);
    if (value != null && value <= 0) {
      problem(join(path, field), "must be greater than 0, got " + value);
      return fallback;
    }
    return value;
  }

  Boolean bool(JsonNode parent, String path, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      problem(join(path, field), "must be true or false, got '" + node.asText() + "'");
      return null;
    }
    return node.booleanValue();
  }

  /** An optional mapping of strings to strings at {@code path} (dotted, from the root). */
  Map<String, String> stringMap(JsonNode parent, String path) {
    String field = path.substring(path.lastIndexOf('.') + 1);
    JsonNode node = object(parent, path.substring(0, path.lastIndexOf('.')), field, false);
    Map<String, String> values = new LinkedHashMap<>();
    if (node == null) {
      return values;
    }
    node.fields()
        .forEachRemaining(
            entry -> {
              if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
                problem(path + "." + entry.getKey(), "must be a non-empty string");
              } else {
                values.put(entry.getKey(), entry.getValue().asText().trim());
              }
            });
    return values;
  }

  /** A required credential profile name that is not a secret. */
  String profileName(JsonNode node, String path, String field) {
    String profile = text(node, path, field, true);
    if (profile != null) {
      if (LOOKS_LIKE_SECRET.matcher(profile).matches()) {
        problem(
            join(path, field),
            "looks like a token or access key; give the name of a credential profile, never a"
                + " secret");
      } else if (!PROFILE.matcher(profile).matches()) {
        problem(
            join(path, field),
            "must be a profile name (letters, digits, '_', '.', '-'), got '" + profile + "'");
      }
    }
    return profile;
  }

  String region(JsonNode node, String path, String field) {
    String region = text(node, path, field, true);
    if (region != null && !REGION.matcher(region).matches()) {
      problem(join(path, field), "must be an AWS region such as us-east-1, got '" + region + "'");
      return null;
    }
    return region;
  }

  void problem(String field, String message) {
    problems.add(new RunbookProblem(field, message));
  }

  static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** The problems found so far. */
  List<RunbookProblem> problems() {
    return problems;
  }
}
