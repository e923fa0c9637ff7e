package dev.failover.simulator.databricks;

import static dev.failover.simulator.databricks.UcJson.JSON;
import static dev.failover.simulator.databricks.UcJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL Statement Execution API of a simulated workspace, with the paths and fields of the SDK's
 * {@code StatementExecutionImpl}: {@code POST /api/2.0/sql/statements} ({@code
 * ExecuteStatementRequest}: {@code statement}, {@code warehouse_id}, {@code catalog}, {@code
 * schema}, {@code wait_timeout}, {@code on_wait_timeout}), {@code GET
 * /api/2.0/sql/statements/{statement_id}} and {@code POST .../{statement_id}/cancel}, answering a
 * {@code StatementResponse} ({@code statement_id}, {@code status} with {@code state}, {@code error}
 * and {@code sql_state}, and for a succeeded statement a {@code manifest} of an empty result, since
 * the DDL it runs returns no rows). How statements progress is in {@link StatementsState}.
 *
 * <p>Simplified: {@code parameters}, {@code row_limit}, {@code byte_limit}, {@code disposition} and
 * {@code format} are not modelled; a request with {@code parameters} is refused (400) rather than
 * run with its markers unbound. Result chunks ({@code /result/chunks/N}) are not served.
 */
final class StatementsApi {
  static final String PREFIX = "/api/2.0/sql/statements";

  /** {@code wait_timeout}: "0s" or "5s" to "50s". */
  private static final Pattern WAIT = Pattern.compile("(\\d+)s");

  private final StatementsState statements;

  StatementsApi(StatementsState statements) {
    this.statements = statements;
  }

  /** Answers one request under {@link #PREFIX}; null for a path or method it does not have. */
  JsonNode route(String method, String path, RequestBody body, PrincipalsState.Principal caller)
      throws IOException {
    String rest = path.substring(PREFIX.length());
    if ((rest.isEmpty() || rest.equals("/")) && method.equals("POST")) {
      return execute(body.read(), caller);
    }
    String[] parts = rest.startsWith("/") ? rest.substring(1).split("/", -1) : new String[0];
    if (parts.length == 1 && !parts[0].isEmpty() && method.equals("GET")) {
      return response(statements.get(parts[0]));
    }
    if (parts.length == 2 && parts[1].equals("cancel") && method.equals("POST")) {
      statements.cancel(parts[0]);
      return JSON.createObjectNode();
    }
    return null;
  }

  private JsonNode execute(JsonNode body, PrincipalsState.Principal caller) {
    String statement = text(body, "statement");
    if (statement == null || statement.isBlank()) {
      throw ApiError.invalid("Missing required field: statement");
    }
    String warehouseId = text(body, "warehouse_id");
    if (warehouseId == null || warehouseId.isBlank()) {
      throw ApiError.invalid("Missing required field: warehouse_id");
    }
    if (body.hasNonNull("parameters") && body.get("parameters").size() > 0) {
      throw ApiError.invalid("Statement parameters are not supported by the simulator");
    }
    String wait = text(body, "wait_timeout");
    int waitSeconds = 10;
    if (wait != null) {
      Matcher matcher = WAIT.matcher(wait);
      waitSeconds = matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
      if (waitSeconds != 0 && (waitSeconds < 5 || waitSeconds > 50)) {
        throw ApiError.invalid("wait_timeout must be 0s or between 5s and 50s, got '" + wait + "'");
      }
    }
    String onTimeout = text(body, "on_wait_timeout");
    if (onTimeout != null && !onTimeout.equals("CONTINUE") && !onTimeout.equals("CANCEL")) {
      throw ApiError.invalid("on_wait_timeout must be CONTINUE or CANCEL, got '" + onTimeout + "'");
    }
    return response(
        statements.execute(
            warehouseId,
            statement,
            text(body, "catalog"),
            text(body, "schema"),
            waitSeconds,
            "CANCEL".equals(onTimeout),
            caller));
  }

  private static ObjectNode response(StatementsState.Statement s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("statement_id", s.id());
    ObjectNode status = node.putObject("status");
    status.put("state", s.state().name());
    if (s.errorCode() != null) {
      ObjectNode error = status.putObject("error");
      error.put("error_code", s.errorCode());
      error.put("message", s.errorMessage());
      status.put("sql_state", s.sqlState());
    }
    if (s.state() == StatementsState.State.SUCCEEDED) {
      ObjectNode manifest = node.putObject("manifest");
      manifest.put("format", "JSON_ARRAY");
      manifest.putObject("schema").put("column_count", 0);
      manifest.put("total_chunk_count", 0);
      manifest.put("total_row_count", 0);
      manifest.put("truncated", false);
    }
    return node;
  }
}
