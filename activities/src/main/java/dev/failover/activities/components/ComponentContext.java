package dev.failover.activities.components;

import com.databricks.sdk.AccountClient;
import com.databricks.sdk.WorkspaceClient;
import dev.failover.activities.clients.CloudClients;
import dev.failover.activities.errors.CallRetry;
import dev.failover.workflows.runbook.ComputeRules;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.runbook.Runbook.PathRewrite;
import dev.failover.workflows.steps.AccountTarget;
import dev.failover.workflows.steps.WorkspaceTarget;
import java.util.List;

/**
 * One workspace as a component sees it, and the run's settings that shape what it writes there.
 *
 * @param target the workspace (side, host, region, credential profile)
 * @param clients the worker's clients (the workspace client, S3, ...)
 * @param rewrites storage path rewrites from the captured side to this one
 * @param catalogs the runbook's catalog scope; empty means every catalog
 * @param runbook the runbook's name, the ownership mark put on what is created
 * @param runId the drill run that creates objects (its mark), or null outside a drill
 * @param retry how each SDK call is retried on transient failures
 * @param account the runbook's account, about this workspace, or null when the runbook configures
 *     none (components then use the workspace's own APIs only)
 * @param compute the runbook's rules for cluster settings of one region or workspace (zones,
 *     instance profiles), from the captured side to this one
 * @param storageCredentials the runbook's storage credentials of the captured side served here by
 *     existing credentials, from the captured side to this one
 */
public record ComponentContext(
    WorkspaceTarget target,
    CloudClients clients,
    List<PathRewrite> rewrites,
    List<String> catalogs,
    String runbook,
    String runId,
    CallRetry retry,
    AccountTarget account,
    ComputeRules compute,
    Runbook.StorageCredentials storageCredentials) {

  public ComponentContext {
    if (compute == null) {
      compute = ComputeRules.NONE;
    }
    if (storageCredentials == null) {
      storageCredentials = Runbook.StorageCredentials.NONE;
    }
  }

  /** A context without storage credential mappings. */
  public ComponentContext(
      WorkspaceTarget target,
      CloudClients clients,
      List<PathRewrite> rewrites,
      List<String> catalogs,
      String runbook,
      String runId,
      CallRetry retry,
      AccountTarget account,
      ComputeRules compute) {
    this(target, clients, rewrites, catalogs, runbook, runId, retry, account, compute, null);
  }

  /** A context without compute rules. */
  public ComponentContext(
      WorkspaceTarget target,
      CloudClients clients,
      List<PathRewrite> rewrites,
      List<String> catalogs,
      String runbook,
      String runId,
      CallRetry retry,
      AccountTarget account) {
    this(target, clients, rewrites, catalogs, runbook, runId, retry, account, ComputeRules.NONE);
  }

  /** A context without the account API. */
  public ComponentContext(
      WorkspaceTarget target,
      CloudClients clients,
      List<PathRewrite> rewrites,
      List<String> catalogs,
      String runbook,
      String runId,
      CallRetry retry) {
    this(target, clients, rewrites, catalogs, runbook, runId, retry, null, ComputeRules.NONE);
  }

  /** The tag or property that marks an object this tool created; its value is the runbook. */
  public static final String OWNERSHIP_TAG = "failover-runbook";

  public WorkspaceClient workspace() {
    return clients.workspace(target);
  }

  /** The account API's client; only when {@link #account} is not null. */
  public AccountClient accountClient() {
    return clients.account(account);
  }

  public String host() {
    return target.host();
  }

  /** Whether this is a drill: DR objects are read-only towards storage and jobs stay paused. */
  public boolean drill() {
    return runId != null;
  }

  /** A storage URL as the target sees it: rewritten to the replica bucket. */
  public String rewrite(String url) {
    return PathRewrite.apply(rewrites, url);
  }

  /** Whether the runbook's catalog scope includes the catalog. */
  public boolean inScope(String catalog) {
    return catalogs == null || catalogs.isEmpty() || catalogs.contains(catalog);
  }
}
