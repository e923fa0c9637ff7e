package dev.failover.cli;

import dev.failover.workflows.runbook.InvalidRunbookException;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.runbook.RunbookParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and validates runbook files for every command that takes one. */
public final class RunbookFiles {
  /** The example runbook bundled with the CLI, used by the sandbox. */
  public static final String SANDBOX_RUNBOOK = "runbooks/sandbox.yaml";

  /** The runbook format's JSON Schema, bundled with the CLI; {@code failover schema} prints it. */
  public static final String SCHEMA = "runbooks/runbook.schema.json";

  private RunbookFiles() {}

  public static Runbook load(Path file) throws InvalidRunbookException {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.USAGE, file + ": no such runbook file");
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, file + ": cannot read runbook: " + e.getMessage());
    }
    return RunbookParser.parse(yaml, file.toString());
  }

  public static Runbook bundledSandboxRunbook() throws InvalidRunbookException {
    return RunbookParser.parse(bundled(SANDBOX_RUNBOOK), SANDBOX_RUNBOOK);
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
