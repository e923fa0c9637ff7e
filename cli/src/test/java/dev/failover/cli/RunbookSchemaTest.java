package dev.failover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.failover.workflows.run.Mode;
import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.runbook.RunbookProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The runbook's JSON Schema ({@code runbooks/runbook.schema.json}): the example runbooks name it
 * and validate against it, it refuses a typo in a field name, and each of its objects has exactly
 * the fields the parser accepts there, so that a field added to the parser cannot be left out of
 * the schema (nor a field removed be left in).
 */
class RunbookSchemaTest {
  private static final Path RUNBOOKS = Path.of("..", "runbooks");
  private static final Path SCHEMA_FILE = RUNBOOKS.resolve("runbook.schema.json");
  private static final String NAMES_THE_SCHEMA =
      "# yaml-language-server: $schema=./runbook.schema.json";
  private static final String UNKNOWN = "zzUnknownField";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private static JsonNode schemaDocument;
  private static Schema schema;

  @BeforeAll
  static void load() throws IOException {
    schemaDocument = JSON.readTree(Files.readString(SCHEMA_FILE));
    schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(Files.readString(SCHEMA_FILE));
  }

  private static List<Path> exampleRunbooks() throws IOException {
    try (Stream<Path> files = Files.list(RUNBOOKS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static List<String> errors(JsonNode runbook) {
    return schema.validate(runbook).stream().map(Error::toString).toList();
  }

  @Test
  void theSchemaIsADraft202012Schema() {
    assertThat(schemaDocument.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    Schema metaSchema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(
                com.networknt.schema.SchemaLocation.of(schemaDocument.path("$schema").asText()));
    assertThat(metaSchema.validate(schemaDocument)).isEmpty();
  }

  @Test
  void everyExampleRunbookNamesTheSchemaAndValidatesAgainstIt() throws Exception {
    List<Path> examples = exampleRunbooks();
    assertThat(examples).isNotEmpty();
    for (Path example : examples) {
      String yaml = Files.readString(example);
      assertThat(yaml.lines().findFirst()).as(example.toString()).hasValue(NAMES_THE_SCHEMA);
      assertThat(errors(YAML.readTree(yaml))).as(example.toString()).isEmpty();
      RunbookFiles.parse(yaml, example.toString());
    }
  }

  @Test
  void aTypoInAFieldNameIsRefusedWherever() throws Exception {
    String yaml = Files.readString(RUNBOOKS.resolve("sandbox.yaml"));
    List<Typo> typos =
        List.of(
            new Typo("  drainTimeoutMinutes:", "  drainTimeoutMinute:", "drainTimeoutMinute"),
            new Typo("\nbucketPairs:", "\nbucketPair:", "bucketPair"),
            new Typo("replica: {bucket:", "replica: {buckett:", "buckett"),
            new Typo("  requiredForDrill:", "  requireForDrill:", "requireForDrill"));
    for (Typo typo : typos) {
      assertThat(yaml).contains(typo.text());
      List<String> errors = errors(YAML.readTree(yaml.replace(typo.text(), typo.misspelt())));
      assertThat(errors).as(typo.name()).anyMatch(e -> e.contains(typo.name()));
    }
  }

  /** Text of the example, the same with a field's name misspelt, and the misspelt name. */
  private record Typo(String text, String misspelt, String name) {}

  @Test
  void theSchemaListsTheValuesTheRunbookModelAllows() {
    JsonNode defs = schemaDocument.path("$defs");
    JsonNode steps = schemaDocument.path("properties").path("steps").path("properties");
    JsonNode pair = schemaDocument.path("properties").path("bucketPairs").path("items");
    assertThat(texts(steps.path("disable").path("items").path("enum")))
        .containsExactlyInAnyOrderElementsOf(Runbook.Steps.DISABLEABLE);
    assertThat(texts(pair.path("properties").path("roles").path("items").path("enum")))
        .containsExactlyInAnyOrderElementsOf(Runbook.STORAGE_ROLES);
    assertThat(
            texts(
                defs.path("customStep")
                    .path("properties")
                    .path("modes")
                    .path("items")
                    .path("enum")))
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Mode.values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList());
  }

  /**
   * For each object of the schema, puts an unknown field at that place of the example runbook: the
   * parser's refusal lists the fields it accepts there, which must be the schema's properties.
   */
  @Test
  void eachObjectOfTheSchemaHasTheFieldsTheParserAccepts() throws Exception {
    Map<String, Set<String>> objects = new LinkedHashMap<>();
    collectObjects(schemaDocument, new ArrayList<>(), objects);
    assertThat(objects).containsKeys("", "bucketPairs[0].primary", "steps.custom[0].webhook");
    JsonNode example = YAML.readTree(Files.readString(RUNBOOKS.resolve("sandbox.yaml")));
    for (Map.Entry<String, Set<String>> object : objects.entrySet()) {
      ObjectNode runbook = example.deepCopy();
      placeAt(runbook, object.getKey()).put(UNKNOWN, 1);
      assertThat(parserFields(runbook, object.getKey()))
          .as("the fields the parser accepts at '" + object.getKey() + "'")
          .isEqualTo(object.getValue());
      assertThat(errors(runbook)).as(object.getKey()).anyMatch(e -> e.contains(UNKNOWN));
    }
  }

  @Test
  void failoverSchemaPrintsTheSchema() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = FailoverCli.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("schema")).isEqualTo(ExitCodes.OK);
    assertThat(JSON.readTree(out.toString())).isEqualTo(schemaDocument);
  }

  /** The fields the parser lists when it refuses the unknown field at {@code place}. */
  private static Set<String> parserFields(JsonNode runbook, String place) {
    String field = place.isEmpty() ? UNKNOWN : place + "." + UNKNOWN;
    try {
      RunbookFiles.parse(JSON.writeValueAsString(runbook), "runbook.yaml");
    } catch (InvalidRunbookException e) {
      for (RunbookProblem problem : e.problems()) {
        String expected = "is not a known field; expected one of [";
        if (problem.field().equals(field) && problem.message().startsWith(expected)) {
          String list = problem.message().substring(expected.length());
          return Arrays.stream(list.substring(0, list.length() - 1).split(", "))
              .collect(Collectors.toCollection(TreeSet::new));
        }
      }
      fail("the parser did not refuse " + field + ": " + e.problems());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return fail("the parser accepted " + field);
  }

  /**
   * Each object of the schema with its properties, by its place in a runbook ({@code
   * bucketPairs[0].primary}); maps (objects of free keys) have no properties and are left out.
   */
  private static void collectObjects(
      JsonNode node, List<String> place, Map<String, Set<String>> objects) {
    JsonNode resolved = resolve(node);
    if (resolved.has("properties")) {
      objects.put(String.join("", place), new TreeSet<>(fieldNames(resolved.get("properties"))));
      for (String field : fieldNames(resolved.get("properties"))) {
        List<String> next = new ArrayList<>(place);
        next.add(place.isEmpty() ? field : "." + field);
        collectObjects(resolved.get("properties").get(field), next, objects);
      }
    }
    if (resolved.has("items")) {
      List<String> next = new ArrayList<>(place);
      next.add("[0]");
      collectObjects(resolved.get("items"), next, objects);
    }
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    return ref == null ? node : resolve(schemaDocument.at(ref.asText().substring(1)));
  }

  /** The object at a place of the runbook, made (empty) where the runbook has none. */
  private static ObjectNode placeAt(ObjectNode runbook, String place) {
    ObjectNode object = runbook;
    for (String step : place.isEmpty() ? new String[0] : place.split("\\.")) {
      boolean first = step.endsWith("[0]");
      String field = first ? step.substring(0, step.length() - 3) : step;
      if (first) {
        ArrayNode list =
            object.get(field) instanceof ArrayNode items ? items : object.putArray(field);
        object = list.isEmpty() ? list.addObject() : (ObjectNode) list.get(0);
      } else {
        object = object.get(field) instanceof ObjectNode child ? child : object.putObject(field);
      }
    }
    return object;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
