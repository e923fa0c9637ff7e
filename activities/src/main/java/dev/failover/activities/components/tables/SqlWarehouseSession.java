package dev.failover.activities.components.tables;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.sql.CancelExecutionRequest;
import com.databricks.sdk.service.sql.EndpointInfo;
import com.databricks.sdk.service.sql.ExecuteStatementRequest;
import com.databricks.sdk.service.sql.ExecuteStatementRequestOnWaitTimeout;
import com.databricks.sdk.service.sql.ListWarehousesRequest;
import com.databricks.sdk.service.sql.ServiceError;
import com.databricks.sdk.service.sql.StartRequest;
import com.databricks.sdk.service.sql.State;
import com.databricks.sdk.service.sql.StatementResponse;
import com.databricks.sdk.service.sql.StatementState;
import dev.failover.activities.components.ComponentContext;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs SQL statements on a SQL warehouse of the target workspace through the statement execution
 * API, and waits for each to finish.
 *
 * <p>The warehouse is the first {@code RUNNING} one the warehouses API lists; when none runs, the
 * first one that is not being deleted is started and awaited. A workspace without any warehouse
 * fails the step with {@code NotFound}: converging tables needs one, which the warehouses component
 * (or a person) provides.
 *
 * <p>Statements are submitted with a {@code wait_timeout} ({@link Polling#waitTimeout}, kept below
 * half the client's HTTP timeout so that the answer always arrives before the client gives up and
 * resends) and {@code on_wait_timeout=CONTINUE}: the service answers as soon as the statement
 * finishes, so a short DDL statement costs one request and no polling (the Statement Execution
 * API's synchronous mode, docs.databricks.com/api/workspace/statementexecution/executestatement).
 * One still running when the wait ends, or any statement when the HTTP timeout is too short for a 5
 * s wait (the API's smallest besides 0), is polled with exponential backoff from {@link
 * Polling#first} up to {@link Polling#max} until it finishes, within a bound; the activity
 * heartbeats meanwhile. A statement that fails with a SQL error fails the step at once (retrying
 * the same DDL cannot help); one that the service fails for a transient reason, cancels, or that
 * does not finish in time, fails it retryably.
 */
final class SqlWarehouseSession {
  /** {@code ServiceErrorCode}s that say the statement itself is wrong, not the service. */
  private static final Set<String> PERMANENT =
      Set.of("BAD_REQUEST", "NOT_FOUND", "ALREADY_EXISTS", "UNAUTHENTICATED", "ABORTED");

  /**
   * How statements and warehouse starts are awaited.
   *
   * @param waitTimeout the {@code wait_timeout} a statement is submitted with, at most; zero
   *     submits without waiting (every statement is then polled)
   */
  record Polling(
      Duration first,
      Duration max,
      Duration statementTimeout,
      Duration startTimeout,
      Duration waitTimeout) {
    /**
     * A short DDL statement usually finishes within a second: polls start at 100 ms, so one that
     * finishes just after a look is not noticed seconds late, and back off to 2 s, at most one
     * request every 2 s per statement still running (the warehouse runs about 10 at once, well
     * within the Statement Execution API's rate).
     */
    static final Polling DEFAULT =
        new Polling(
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(20),
            Duration.ofSeconds(10));

    /** The API's {@code wait_timeout}: 0 or 5 to 50 seconds. */
    static final long MIN_WAIT_SECONDS = 5;

    static final long MAX_WAIT_SECONDS = 50;

    /**
     * The {@code wait_timeout} to submit with under an HTTP timeout: {@link #waitTimeout}, capped
     * at half the HTTP timeout (the answer must arrive before the client would give up on the
     * request and send the statement again) and at the API's 50 s; {@code 0s} when that leaves less
     * than the API's 5 s.
     */
    String waitTimeoutUnder(Duration httpTimeout) {
      long seconds =
          Math.min(
              Math.min(waitTimeout.toSeconds(), httpTimeout.dividedBy(2).toSeconds()),
              MAX_WAIT_SECONDS);
      return (seconds < MIN_WAIT_SECONDS ? 0 : seconds) + "s";
    }
  }

  private final ComponentContext target;
  private final Polling polling;
  private volatile String warehouseId;

  SqlWarehouseSession(ComponentContext target, Polling polling) {
    this.target = target;
    this.polling = polling;
  }

  /** Runs the statements in order, each to completion, with the warehouse's default context. */
  void run(List<String> statements) {
    run(statements, null, null);
  }

  /**
   * Runs the statements in order, each to completion, with {@code catalog} and {@code schema} as
   * the current catalog and schema (the request's {@code catalog} and {@code schema}, as {@code USE
   * CATALOG} and {@code USE SCHEMA} would set them); null leaves the warehouse's default.
   */
  void run(List<String> statements, String catalog, String schema) {
    for (String sql : statements) {
      run(sql, catalog, schema, false);
    }
  }

  /**
   * Runs one statement that names a principal ({@code SET OWNER TO}), with the warehouse's default
   * context; false, and nothing else failed, when the service refuses it because Unity Catalog
   * resolves no principal of that name ({@code PRINCIPAL_DOES_NOT_EXIST}, recorded as
   * "PRINCIPAL_DOES_NOT_EXIST: Could not find principal with name ..."): the caller reports it.
   */
  boolean runNamingPrincipal(String sql) {
    try {
      run(sql, null, null, true);
      return true;
    } catch (PrincipalNotFound e) {
      return false;
    }
  }

  /** A statement refused with {@code PRINCIPAL_DOES_NOT_EXIST}. */
  private static final class PrincipalNotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PrincipalNotFound(String message) {
      super(message, null, false, false);
    }
  }

  /** The SQL error class of a principal Unity Catalog does not resolve. */
  static final String PRINCIPAL_DOES_NOT_EXIST = "PRINCIPAL_DOES_NOT_EXIST";

  private void run(String sql, String catalog, String schema, boolean namesPrincipal) {
    WorkspaceClient workspace = target.workspace();
    String warehouse = warehouse();
    StatementResponse response;
    try {
      response = submit(workspace, warehouse, sql, catalog, schema);
    } catch (ApplicationFailure e) {
      // The warehouse may be gone: choose again on the next attempt.
      warehouseId = null;
      throw e;
    }
    String id = response.getStatementId();
    long deadline = System.nanoTime() + polling.statementTimeout().toNanos();
    Duration wait = polling.first();
    while (!finished(state(response))) {
      if (System.nanoTime() > deadline) {
        target
            .retry()
            .databricks(
                "cancel SQL statement " + id + " in " + target.host(),
                () -> {
                  workspace
                      .statementExecution()
                      .cancelExecution(new CancelExecutionRequest().setStatementId(id));
                  return null;
                });
        throw ApplicationFailure.newFailure(
            "SQL statement "
                + id
                + " in "
                + target.host()
                + " did not finish within "
                + polling.statementTimeout()
                + " and was canceled: "
                + sql,
            FailureTypes.UNAVAILABLE);
      }
      sleep(wait);
      wait = next(wait);
      response =
          target
              .retry()
              .databricks(
                  "read SQL statement " + id + " in " + target.host(),
                  () -> workspace.statementExecution().getStatement(id));
    }
    StatementState state = state(response);
    if (state == StatementState.SUCCEEDED || state == StatementState.CLOSED) {
      return;
    }
    ServiceError error = response.getStatus().getError();
    String code = error == null || error.getErrorCode() == null ? "" : error.getErrorCode().name();
    String message =
        "SQL statement "
            + state
            + " in "
            + target.host()
            + (error == null ? "" : ": " + error.getMessage())
            + "\nStatement: "
            + sql;
    if (state == StatementState.FAILED
        && error != null
        && error.getMessage() != null
        && error.getMessage().contains(PRINCIPAL_DOES_NOT_EXIST)
        && namesPrincipal) {
      throw new PrincipalNotFound(message);
    }
    if (state == StatementState.FAILED && (code.isEmpty() || PERMANENT.contains(code))) {
      throw ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_REQUEST);
    }
    throw ApplicationFailure.newFailure(message, FailureTypes.UNAVAILABLE);
  }

  private StatementResponse submit(
      WorkspaceClient workspace, String warehouse, String sql, String catalog, String schema) {
    return target
        .retry()
        .databricks(
            "submit a SQL statement in " + target.host(),
            () ->
                workspace
                    .statementExecution()
                    .executeStatement(
                        new ExecuteStatementRequest()
                            .setWarehouseId(warehouse)
                            .setStatement(sql)
                            .setCatalog(catalog)
                            .setSchema(schema)
                            .setWaitTimeout(
                                polling.waitTimeoutUnder(target.clients().httpTimeout()))
                            .setOnWaitTimeout(ExecuteStatementRequestOnWaitTimeout.CONTINUE)));
  }

  private static StatementState state(StatementResponse response) {
    return response.getStatus() == null ? null : response.getStatus().getState();
  }

  private static boolean finished(StatementState state) {
    return state != null && state != StatementState.PENDING && state != StatementState.RUNNING;
  }

  /** The warehouse statements run on: chosen once per session, started if it has to be. */
  private synchronized String warehouse() {
    if (warehouseId != null) {
      return warehouseId;
    }
    WorkspaceClient workspace = target.workspace();
    List<EndpointInfo> warehouses =
        target
            .retry()
            .databricks(
                "list SQL warehouses in " + target.host(),
                () -> {
                  List<EndpointInfo> all = new ArrayList<>();
                  workspace.warehouses().list(new ListWarehousesRequest()).forEach(all::add);
                  return all;
                });
    EndpointInfo chosen =
        warehouses.stream().filter(w -> w.getState() == State.RUNNING).findFirst().orElse(null);
    if (chosen == null) {
      chosen =
          warehouses.stream()
              .filter(w -> w.getState() != State.DELETED && w.getState() != State.DELETING)
              .findFirst()
              .orElseThrow(
                  () ->
                      ApplicationFailure.newNonRetryableFailure(
                          "No SQL warehouse in "
                              + target.host()
                              + " to register tables and views with: create one (or converge"
                              + " the warehouses first), then run the step again",
                          FailureTypes.NOT_FOUND));
      start(chosen.getId());
    }
    warehouseId = chosen.getId();
    return warehouseId;
  }

  private void start(String id) {
    WorkspaceClient workspace = target.workspace();
    target
        .retry()
        .databricks(
            "start SQL warehouse " + id + " in " + target.host(),
            () -> {
              workspace.warehouses().start(new StartRequest().setId(id));
              return null;
            });
    long deadline = System.nanoTime() + polling.startTimeout().toNanos();
    Duration wait = polling.first();
    while (true) {
      State state =
          target
              .retry()
              .databricks(
                  "read SQL warehouse " + id + " in " + target.host(),
                  () -> workspace.warehouses().get(id).getState());
      if (state == State.RUNNING) {
        return;
      }
      if (state == State.DELETED || state == State.DELETING || System.nanoTime() > deadline) {
        throw ApplicationFailure.newFailure(
            "SQL warehouse " + id + " in " + target.host() + " did not start: it is " + state,
            FailureTypes.UNAVAILABLE);
      }
      sleep(wait);
      wait = next(wait);
    }
  }

  private Duration next(Duration wait) {
    Duration doubled = wait.multipliedBy(2);
    return doubled.compareTo(polling.max()) > 0 ? polling.max() : doubled;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "interrupted while waiting for a SQL statement", FailureTypes.UNAVAILABLE);
    }
  }
}
