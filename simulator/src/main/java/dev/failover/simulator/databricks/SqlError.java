package dev.failover.simulator.databricks;

/**
 * A SQL statement's failure as Databricks SQL reports it: an error class in brackets, the message,
 * and the SQLSTATE, which the statement execution API puts in {@code status.error.message} and
 * {@code status.sql_state}. The error classes and messages follow Spark's and Databricks' where the
 * simulator knows them (SCHEMA_NOT_FOUND, NO_SUCH_CATALOG_EXCEPTION, TABLE_OR_VIEW_NOT_FOUND,
 * TABLE_OR_VIEW_ALREADY_EXISTS, PARSE_SYNTAX_ERROR, WRONG_COMMAND_FOR_OBJECT_TYPE, ...); a few for
 * constraints are the simulator's own wording.
 */
final class SqlError extends RuntimeException {
  private final String errorClass;
  private final String sqlState;

  SqlError(String errorClass, String sqlState, String message) {
    super(message);
    this.errorClass = errorClass;
    this.sqlState = sqlState;
  }

  String sqlState() {
    return sqlState;
  }

  /** The message as the service shows it: {@code [CLASS] message SQLSTATE: state}. */
  String fullMessage() {
    return "[" + errorClass + "] " + getMessage() + " SQLSTATE: " + sqlState;
  }

  static SqlError syntax(String near) {
    return new SqlError(
        "PARSE_SYNTAX_ERROR",
        "42601",
        "Syntax error at or near " + (near == null ? "end of input" : "'" + near + "'") + ".");
  }

  /**
   * A principal Unity Catalog does not resolve ({@link WorkspaceState#resolvesPrincipal}): the
   * error class and message as recorded SQL output shows them ("PRINCIPAL_DOES_NOT_EXIST: Could not
   * find principal with name hr_analysts"). The SQLSTATE is not on public record: 42704 (undefined
   * object) is chosen, that of the other classes for a name that does not resolve.
   */
  static SqlError noPrincipal(String principal) {
    return new SqlError(
        "PRINCIPAL_DOES_NOT_EXIST", "42704", "Could not find principal with name " + principal);
  }

  static SqlError noCatalog(String catalog) {
    return new SqlError(
        "NO_SUCH_CATALOG_EXCEPTION",
        "42704",
        "Catalog '"
            + catalog
            + "' was not found. Please verify the catalog name and then retry the query or"
            + " command again.");
  }

  static SqlError noSchema(String catalog, String schema) {
    return new SqlError(
        "SCHEMA_NOT_FOUND",
        "42704",
        "The schema `"
            + catalog
            + "`.`"
            + schema
            + "` cannot be found. Verify the spelling and correctness of the schema and catalog.\n"
            + "If you did not qualify the name with a catalog, verify the current_schema()"
            + " output, or qualify the name with the correct catalog.\n"
            + "To tolerate the error on drop use DROP SCHEMA IF EXISTS.");
  }

  static SqlError noTable(String quotedName) {
    return new SqlError(
        "TABLE_OR_VIEW_NOT_FOUND",
        "42P01",
        "The table or view "
            + quotedName
            + " cannot be found. Verify the spelling and correctness of the schema and catalog.\n"
            + "If you did not qualify the name with a schema, verify the current_schema() output,"
            + " or qualify the name with the correct schema and catalog.\n"
            + "To tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS.");
  }

  static SqlError exists(String quotedName) {
    return new SqlError(
        "TABLE_OR_VIEW_ALREADY_EXISTS",
        "42P07",
        "Cannot create table or view "
            + quotedName
            + " because it already exists.\n"
            + "Choose a different name, drop or replace the existing object, or add the IF NOT"
            + " EXISTS clause to tolerate pre-existing objects.");
  }
}
