package dev.failover.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code failover schema}: the runbook format as a JSON Schema (draft 2020-12), so that an editor
 * completes and checks runbooks (the YAML language server reads {@code # yaml-language-server:
 * $schema=...}) and a pipeline can check them. The schema covers the structure; {@code failover
 * validate} also checks what involves more than one field.
 */
@Command(
    name = "schema",
    description = {
      "Print the runbook format's JSON Schema (draft 2020-12), for editors and CI checks.",
      "Save it next to your runbooks and name it on their first line:",
      "  # yaml-language-server: $schema=./runbook.schema.json"
    })
final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(RunbookFiles.bundled(RunbookFiles.SCHEMA));
    out.flush();
    return ExitCodes.OK;
  }
}
