package dev.failover.cli;

import picocli.CommandLine.Option;

/** The output format: text for people, or one JSON object on stdout for machines. */
public final class OutputOptions {
  /** The formats a command can print. */
  public enum Format {
    text,
    json
  }

  @Option(
      names = {"-o", "--output"},
      description =
          "text or json (json: the report as one JSON object on stdout, progress on stderr)",
      defaultValue = "text")
  Format format = Format.text;

  boolean json() {
    return format == Format.json;
  }
}
