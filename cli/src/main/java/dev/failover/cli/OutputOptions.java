package dev.failover.cli;

import picocli.CommandLine.Option;

/** The output format: text for people, or one JSON object on stdout for machines. */
public final class OutputOptions {
  /** The formats a command can print. */
  public enum Format {
    text,
    json,
    markdown
  }

  @Option(
      names = {"-o", "--output"},
      description =
          "text, json or markdown (json and markdown: the report alone on stdout, progress on"
              + " stderr)",
      defaultValue = "text")
  Format format = Format.text;

  boolean json() {
    return format == Format.json;
  }

  boolean markdown() {
    return format == Format.markdown;
  }
}
