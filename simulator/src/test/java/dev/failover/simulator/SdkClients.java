package dev.failover.simulator;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;

/** The real Databricks SDK client for a simulated workspace, as the tests drive it. */
final class SdkClients {
  private SdkClients() {}

  /** A workspace client with the side's personal access token. */
  static WorkspaceClient workspace(Simulator simulator, String side) {
    return new WorkspaceClient(
        new DatabricksConfig()
            .setHost(simulator.workspaceUrl(side).toString())
            .setToken(simulator.workspaceToken(side))
            .setAuthType("pat"));
  }

  /** A workspace client with the token of one user or service principal of the side. */
  static WorkspaceClient workspace(Simulator simulator, String side, String principal) {
    return new WorkspaceClient(
        new DatabricksConfig()
            .setHost(simulator.workspaceUrl(side).toString())
            .setToken(simulator.workspaceToken(side, principal))
            .setAuthType("pat"));
  }
}
