package dev.failover.simulator.databricks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL statements submitted to a simulated workspace's warehouses, and how they move through the
 * states of the SDK's {@code StatementState}. A statement runs against the workspace's Unity
 * Catalog when it finishes; the parts the simulator runs are the DDL of {@link SqlParser}.
 *
 * <p>The life of a statement, deterministic so that tests can count polls:
 *
 * <ul>
 *   <li>submitted: {@code PENDING}. A stopped warehouse is started, as the service starts one for a
 *       statement (the statement waits in the queue meanwhile);
 *   <li>the first look at it once its warehouse is {@code RUNNING}: {@code RUNNING}, for {@link
 *       #setRunningPolls} more looks (0 by default);
 *   <li>the next look: it runs, and is {@code SUCCEEDED} or {@code FAILED} with its SQL error.
 * </ul>
 *
 * With {@code wait_timeout} between 5 and 50 seconds, a statement whose warehouse is running runs
 * within the request, as a short DDL statement does; otherwise the request returns at once as if
 * the wait had timed out ({@code PENDING}, or {@code CANCELED} with {@code on_wait_timeout=CANCEL})
 * rather than block the caller. {@code CLOSED} (results expired) is never reached. All methods are
 * synchronized; a statement's DDL takes the workspace state's lock within.
 */
public final class StatementsState {
  /** The SDK's {@code StatementState}. */
  public enum State {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELED,
    CLOSED;

    boolean terminal() {
      return this != PENDING && this != RUNNING;
    }
  }

  /** A statement as a response shows it; the error fields are set only when it FAILED. */
  public record Statement(
      String id, String sql, State state, String errorCode, String errorMessage, String sqlState) {}

  private static final class Entry {
    final String id;
    final String warehouseId;
    final String sql;
    final String catalog;
    final String schema;
    State state = State.PENDING;
    int runningPolls;
    SqlError error;
    PrincipalsState.Principal caller;

    Entry(String id, String warehouseId, String sql, String catalog, String schema) {
      this.id = id;
      this.warehouseId = warehouseId;
      this.sql = sql;
      this.catalog = catalog;
      this.schema = schema;
    }
  }

  private final WorkspaceState workspace;
  private final WarehousesState warehouses;
  private final Map<String, Entry> statements = new LinkedHashMap<>();
  private int runningPolls;

  StatementsState(WorkspaceState workspace, WarehousesState warehouses) {
    this.workspace = workspace;
    this.warehouses = warehouses;
  }

  /** How many more looks a statement answers {@code RUNNING} before it runs (default 0). */
  public synchronized void setRunningPolls(int polls) {
    runningPolls = polls;
  }

  /**
   * Submits a statement; 404 when the warehouse does not exist (as the warehouses API answers for
   * an unknown id: the statement API's own wording was not found documented).
   *
   * @param waitSeconds 0 to return at once, else how long the request may wait (5 to 50)
   * @param cancelOnTimeout {@code on_wait_timeout=CANCEL}
   */
  public synchronized Statement execute(
      String warehouseId,
      String sql,
      String catalog,
      String schema,
      int waitSeconds,
      boolean cancelOnTimeout) {
    return execute(warehouseId, sql, catalog, schema, waitSeconds, cancelOnTimeout, null);
  }

  /**
   * Submits a statement that runs with the privileges of {@code caller} (null: unchecked, as the
   * workspace's first user, for seeding).
   */
  synchronized Statement execute(
      String warehouseId,
      String sql,
      String catalog,
      String schema,
      int waitSeconds,
      boolean cancelOnTimeout,
      PrincipalsState.Principal caller) {
    WarehousesState.Warehouse warehouse = warehouses.warehouse(warehouseId);
    if (warehouse.state() == WarehousesState.State.DELETED) {
      throw new ApiError(404, "NOT_FOUND", "The warehouse " + warehouseId + " was not found.");
    }
    Entry entry = new Entry(UUID.randomUUID().toString(), warehouseId, sql, catalog, schema);
    entry.caller = caller;
    statements.put(entry.id, entry);
    startIfStopped(warehouse);
    if (waitSeconds > 0) {
      if (warehouses.warehouse(warehouseId).state() == WarehousesState.State.RUNNING) {
        run(entry);
      } else if (cancelOnTimeout) {
        entry.state = State.CANCELED;
      }
    }
    return snapshot(entry);
  }

  /** The statement, moved on by one look; 404 for an unknown id. */
  public synchronized Statement get(String id) {
    Entry entry = entry(id);
    advance(entry);
    return snapshot(entry);
  }

  /** Cancels a statement that has not finished; a finished one is left as it is. */
  public synchronized void cancel(String id) {
    Entry entry = entry(id);
    if (!entry.state.terminal()) {
      entry.state = State.CANCELED;
    }
  }

  /** The SQL of every statement that succeeded, in the order they ran. */
  public synchronized List<String> succeeded() {
    List<String> done = new ArrayList<>();
    statements.values().stream()
        .filter(e -> e.state == State.SUCCEEDED)
        .forEach(e -> done.add(e.sql));
    return done;
  }

  private void advance(Entry entry) {
    switch (entry.state) {
      case PENDING -> {
        WarehousesState.Warehouse warehouse = warehouses.warehouse(entry.warehouseId);
        if (warehouse.state() == WarehousesState.State.RUNNING) {
          entry.state = State.RUNNING;
          entry.runningPolls = runningPolls;
        } else {
          startIfStopped(warehouse);
        }
      }
      case RUNNING -> {
        if (entry.runningPolls > 0) {
          entry.runningPolls--;
        } else {
          run(entry);
        }
      }
      default -> {}
    }
  }

  private void startIfStopped(WarehousesState.Warehouse warehouse) {
    if (warehouse.state() == WarehousesState.State.STOPPED
        || warehouse.state() == WarehousesState.State.STOPPING) {
      warehouses.start(warehouse.id());
    }
  }

  /**
   * Runs the statement with its caller's privileges; a table or view it creates is owned by the
   * caller, as every object is by its creator.
   */
  private void run(Entry entry) {
    try {
      Ddl ddl = SqlParser.parse(entry.sql, entry.catalog, entry.schema);
      if (entry.caller != null) {
        new UcAuthorization(workspace).authorize(ddl, entry.caller);
      }
      String created = ddl instanceof Ddl.CreateTable t ? t.name().fullName() : null;
      if (ddl instanceof Ddl.CreateView v) {
        created = v.name().fullName();
      }
      boolean existed = created != null && workspace.hasTable(created);
      ddl.apply(workspace);
      if (created != null && !existed && !entry.caller.name().equals(workspace.userName())) {
        String owner = entry.caller.name();
        workspace.updateTable(created, t -> Ddl.withOwner(t, owner));
      }
      entry.state = State.SUCCEEDED;
    } catch (SqlError e) {
      entry.state = State.FAILED;
      entry.error = e;
    }
  }

  private Entry entry(String id) {
    Entry entry = statements.get(id);
    if (entry == null) {
      throw new ApiError(404, "NOT_FOUND", "The statement " + id + " was not found.");
    }
    return entry;
  }

  /**
   * A failed statement's error: {@code BAD_REQUEST}, the {@code ServiceErrorCode} the service gives
   * SQL analysis and syntax errors, with the SQL error's message and SQLSTATE.
   */
  private static Statement snapshot(Entry entry) {
    if (entry.error == null) {
      return new Statement(entry.id, entry.sql, entry.state, null, null, null);
    }
    return new Statement(
        entry.id,
        entry.sql,
        entry.state,
        "BAD_REQUEST",
        entry.error.fullMessage(),
        entry.error.sqlState());
  }
}
