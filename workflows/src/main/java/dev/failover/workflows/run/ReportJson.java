package dev.failover.workflows.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A run report as one JSON object, for machines: the CLI prints it and the report step stores it
 * alike. It leads with {@code risks} and the data RPO's verdict, so that a consumer reading only
 * the first fields cannot take DR for healthy while data is known lost; the report's own fields and
 * the component matrix follow.
 */
public final class ReportJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  /** The report's JSON tree, risks first. */
  public static ObjectNode tree(RunReport report) {
    ObjectNode node = JSON.createObjectNode();
    node.set("risks", JSON.valueToTree(RunRisk.of(report)));
    node.set("dataRpo", JSON.valueToTree(DataRpo.of(report)));
    node.setAll((ObjectNode) JSON.valueToTree(report));
    node.set("componentMatrix", JSON.valueToTree(ComponentMatrix.rows(report)));
    return node;
  }

  /** The report as indented JSON text. */
  public static String render(RunReport report) {
    try {
      return JSON.writeValueAsString(tree(report));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
