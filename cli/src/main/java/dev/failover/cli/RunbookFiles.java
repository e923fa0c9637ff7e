package dev.failover.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.runbook.RunbookParser;
import dev.failover.workflows.runbook.RunbookProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and validates runbook files for every command that takes one. The YAML is read here, into a
 * tree that {@link RunbookParser} validates: the workflows module holds no YAML reader.
 */
public final class RunbookFiles {
  /** The example runbook bundled with the CLI, used by the sandbox. */
  public static final String SANDBOX_RUNBOOK = "runbooks/sandbox.yaml";

  /** The runbook format's JSON Schema, bundled with the CLI; {@code failover schema} prints it. */
  public static final String SCHEMA = "runbooks/runbook.schema.json";

  // Duplicate keys are rejected: YAML would otherwise keep the last one silently.
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private RunbookFiles() {}

  /**
   * Reads runbook YAML into a tree and validates it.
   *
   * @param source a name for the input (a file path) used in the exception message
   * @throws InvalidRunbookException listing every problem found
   */
  public static Runbook parse(String yaml, String source) throws InvalidRunbookException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new InvalidRunbookException(
          source,
          List.of(
              new RunbookProblem(
                  "(file)", "is not valid YAML" + where + ": " + e.getOriginalMessage())));
    }
    return RunbookParser.parse(root, source);
  }

  public static Runbook load(Path file) throws InvalidRunbookException {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.USAGE, file + ": no such runbook file");
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, file + ": cannot read runbook: " + e.getMessage());
    }
    return parse(yaml, file.toString());
  }

  public static Runbook bundledSandboxRunbook() throws InvalidRunbookException {
    return parse(bundled(SANDBOX_RUNBOOK), SANDBOX_RUNBOOK);
  }

  /** The text of a file bundled with the CLI (from the repository's runbooks/ folder). */
  public static String bundled(String resource) {
    try (InputStream in = RunbookFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the CLI's classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the bundled " + resource, e);
    }
  }
}
