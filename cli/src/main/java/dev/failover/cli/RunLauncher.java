package dev.failover.cli;

import dev.failover.workflows.run.Mode;
import dev.failover.workflows.run.PlanGraph;
import dev.failover.workflows.run.RunReport;
import dev.failover.workflows.run.RunRequest;
import dev.failover.workflows.run.RunSearchAttributes;
import dev.failover.workflows.run.RunbookWorkflow;
import dev.failover.workflows.runbook.Runbook;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Pattern;

/** Starts a run of a runbook through the Temporal client, exactly as against any server. */
public final class RunLauncher {
  private static final Pattern INCIDENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private final WorkflowClient client;
  private final String target;
  private boolean keep;
  private boolean compareAll;
  private boolean fromNewestSnapshot;
  private boolean searchAttributes =
      "true".equalsIgnoreCase(System.getenv("FAILOVER_SEARCH_ATTRIBUTES"));

  public RunLauncher(WorkflowClient client, String target) {
    this.client = client;
    this.target = target;
  }

  /**
   * Whether runs carry search attributes (runbook, mode, incident, phase, outcome); they must be
   * registered on the namespace. Default: the environment variable FAILOVER_SEARCH_ATTRIBUTES.
   */
  public RunLauncher withSearchAttributes(boolean enabled) {
    this.searchAttributes = enabled;
    return this;
  }

  /** For a drill: keep what it creates in DR instead of removing it at the end. */
  public RunLauncher keeping(boolean keepDrillObjects) {
    this.keep = keepDrillObjects;
    return this;
  }

  /**
   * For a failover: compare every object of DR with the snapshot, even when a drill or failover
   * recorded the snapshot DR last matched.
   */
  public RunLauncher comparingAll(boolean everything) {
    this.compareAll = everything;
    return this;
  }

  /**
   * For a failover: converge DR from the primary's newest snapshot instead of reading the primary,
   * even when it answers.
   */
  public RunLauncher fromNewestSnapshot(boolean fromSnapshot) {
    this.fromNewestSnapshot = fromSnapshot;
    return this;
  }

  /** Checks an incident id before anything starts; null is allowed. */
  public static void validateIncident(String incidentId) {
    if (incidentId != null && !INCIDENT.matcher(incidentId).matches()) {
      throw new CliException(
          ExitCodes.USAGE,
          "--incident must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit, got '"
              + incidentId
              + "'");
    }
  }

  private static io.temporal.common.SearchAttributes attributes(
      Runbook runbook, Mode mode, String incidentId) {
    io.temporal.common.SearchAttributes.Builder attributes =
        io.temporal.common.SearchAttributes.newBuilder()
            .set(RunSearchAttributes.RUNBOOK, runbook.name())
            .set(RunSearchAttributes.MODE, mode.label())
            .set(RunSearchAttributes.PHASE, "starting")
            .set(RunSearchAttributes.OUTCOME, "RUNNING");
    if (incidentId != null) {
      attributes.set(RunSearchAttributes.INCIDENT, incidentId);
    }
    return attributes.build();
  }

  /** Starts the run; refuses when another run of the same runbook is active. */
  public WorkflowExecution start(Runbook runbook, Mode mode, String incidentId) {
    validateIncident(incidentId);
    String workflowId = RunbookWorkflow.workflowId(runbook.name());
    String requestedBy = System.getProperty("user.name", "unknown");
    // What Temporal UI shows for the run: a one-line summary and the plan as Markdown.
    String summary =
        mode.label()
            + " of runbook "
            + runbook.name()
            + " ("
            + runbook.primary().region()
            + " -> "
            + runbook.secondary().region()
            + ")"
            + (incidentId == null ? "" : ", incident " + incidentId)
            + ", started by "
            + requestedBy;
    StringBuilder details = new StringBuilder("**Plan**\n\n");
    List<PlanGraph.Node> plan = PlanGraph.of(runbook, mode).nodes();
    for (int i = 0; i < plan.size(); i++) {
      details
          .append(i + 1)
          .append(". `")
          .append(plan.get(i).name())
          .append("`: ")
          .append(plan.get(i).description())
          .append('\n');
    }
    RunbookWorkflow workflow =
        client.newWorkflowStub(
            RunbookWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(RunbookWorkflow.TASK_QUEUE)
                .setWorkflowId(workflowId)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .setStaticSummary(summary)
                .setStaticDetails(details.toString())
                .setTypedSearchAttributes(
                    searchAttributes ? attributes(runbook, mode, incidentId) : null)
                .build());
    try {
      return WorkflowClient.start(
          workflow::run,
          new RunRequest(
              runbook,
              mode,
              incidentId,
              requestedBy,
              keep,
              searchAttributes,
              compareAll,
              fromNewestSnapshot));
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CliException(
          ExitCodes.FAILED,
          "runbook "
              + runbook.name()
              + " already has an active run ("
              + e.getExecution().getWorkflowId()
              + " run "
              + e.getExecution().getRunId()
              + "); watch it with 'failover status "
              + workflowId
              + "' or wait for it to end");
    } catch (WorkflowServiceException e) {
      throw new CliException(
          ExitCodes.FAILED,
          "cannot start the run on Temporal at " + target + ": " + RunWatcher.rootMessage(e),
          e);
    }
  }

  /** Starts the run and follows it to the end, printing progress; returns the final report. */
  public RunReport run(Runbook runbook, Mode mode, String incidentId, PrintWriter progress) {
    return run(runbook, mode, incidentId, progress, execution -> {});
  }

  /**
   * Starts the run, lets {@code afterStart} act on it (the sandbox approves it), then follows it to
   * the end.
   */
  public RunReport run(
      Runbook runbook,
      Mode mode,
      String incidentId,
      PrintWriter progress,
      java.util.function.Consumer<WorkflowExecution> afterStart) {
    WorkflowExecution execution = start(runbook, mode, incidentId);
    if (progress != null) {
      progress.printf(
          "Started %s of runbook %s: workflow %s run %s on %s%n",
          mode.name().toLowerCase(java.util.Locale.ROOT),
          runbook.name(),
          execution.getWorkflowId(),
          execution.getRunId(),
          target);
      progress.flush();
    }
    afterStart.accept(execution);
    return new RunWatcher(client).follow(execution.getWorkflowId(), execution.getRunId(), progress);
  }
}
