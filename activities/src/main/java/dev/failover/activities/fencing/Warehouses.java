package dev.failover.activities.fencing;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.service.sql.EndpointInfo;
import com.databricks.sdk.service.sql.ListWarehousesRequest;
import com.databricks.sdk.service.sql.StartRequest;
import com.databricks.sdk.service.sql.State;
import com.databricks.sdk.service.sql.StopRequest;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stopping the running SQL warehouses of a workspace and starting them again. */
final class Warehouses {
  private final WorkspaceClient workspace;
  private final CallRetry retry;

  Warehouses(WorkspaceClient workspace, CallRetry retry) {
    this.workspace = workspace;
    this.retry = retry;
  }

  /** The running or starting warehouses, id to name. */
  Map<String, String> running(String side) {
    List<EndpointInfo> all =
        retry.databricks(
            "list the SQL warehouses of the " + side + " workspace",
            () -> {
              List<EndpointInfo> list = new ArrayList<>();
              workspace.warehouses().list(new ListWarehousesRequest()).forEach(list::add);
              return list;
            });
    Map<String, String> running = new LinkedHashMap<>();
    for (EndpointInfo warehouse : all) {
      if (warehouse.getState() == State.RUNNING || warehouse.getState() == State.STARTING) {
        running.put(warehouse.getId(), warehouse.getName());
      }
    }
    return running;
  }

  void stop(String id, String name, String side) {
    retry.databricks(
        "stop SQL warehouse " + name + " in the " + side + " workspace",
        () -> workspace.warehouses().stop(new StopRequest().setId(id)));
  }

  /** Starts a warehouse; false, with the reason in {@code notDone}, when it no longer exists. */
  boolean start(String id, String name, String side, List<String> notDone) {
    try {
      retry.databricks(
          "start SQL warehouse " + name + " in the " + side + " workspace",
          () -> workspace.warehouses().start(new StartRequest().setId(id)));
      return true;
    } catch (ApplicationFailure e) {
      if (!FailureTypes.NOT_FOUND.equals(e.getType())) {
        throw e;
      }
      notDone.add("SQL warehouse " + name + " no longer exists");
      return false;
    }
  }
}
