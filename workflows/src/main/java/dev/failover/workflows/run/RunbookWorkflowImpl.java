package dev.failover.workflows.run;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * Runs the plan of a mode (see {@link PlanGraph}): a drill, a failover or a failback. Each step is
 * recorded in the report as it starts and ends so the progress query shows it live; a failed run
 * ends with the report attached, so nothing already done is lost from the evidence.
 *
 * <p>Versioning: every change to the commands a run issues, once released, goes behind a {@code
 * Workflow.getVersion} change id, with a recorded history of the version before it (see the README,
 * "Changing the workflow").
 */
public class RunbookWorkflowImpl implements RunbookWorkflow {
  /** Failure type of a run that ended because a step failed. */
  public static final String RUN_FAILED = "RunFailed";

  private static final Logger log = Workflow.getLogger(RunbookWorkflowImpl.class);

  private final Activities activities = new Activities();
  private final OperatorControls controls = new OperatorControls();
  private RunLedger ledger;

  @Override
  public RunReport run(RunRequest request) {
    PlanGraph graph = PlanGraph.of(request.runbook(), request.mode());
    ledger = new RunLedger(request, graph, controls);
    RunContext run = new RunContext(request, graph, activities, ledger, controls);
    log.info("Starting {} of runbook {}", request.mode().label(), request.runbook().name());
    try {
      new StepExecutor(run, node -> StepBodies.of(run, node)).runAll();
      ledger.outcome(Outcome.SUCCEEDED, null);
    } catch (StepFailedException e) {
      ledger.outcome(Outcome.FAILED, e.getMessage());
    } catch (RunAbortedException e) {
      ledger.outcome(Outcome.ABORTED, e.getMessage());
    }
    ReportStep.store(run);
    if (request.searchAttributes()) {
      Workflow.upsertTypedSearchAttributes(
          RunSearchAttributes.PHASE.valueSet("ended"),
          RunSearchAttributes.OUTCOME.valueSet(ledger.outcome().name()));
    }
    RunReport report = ledger.progress();
    if (ledger.outcome() == Outcome.FAILED) {
      throw ApplicationFailure.newNonRetryableFailure(ledger.failure(), RUN_FAILED, report);
    }
    // An aborted run ends normally: nothing failed, an operator stopped it; its report says so.
    return report;
  }

  @Override
  public void approve(Approval approval) {
    controls.approve(approval);
  }

  @Override
  public void validateDecide(Decision decision) {
    controls.validateDecide(decision);
  }

  @Override
  public String decide(Decision decision) {
    return controls.decide(decision);
  }

  @Override
  public void validatePause(OperatorAction action) {
    controls.validatePause(action);
  }

  @Override
  public String pause(OperatorAction action) {
    return controls.pause(action);
  }

  @Override
  public void validateResume(OperatorAction action) {
    controls.validateResume(action);
  }

  @Override
  public String resume(OperatorAction action) {
    return controls.resume(action);
  }

  @Override
  public void validateAbort(OperatorAction action) {
    controls.validateAbort(action);
  }

  @Override
  public String abort(OperatorAction action) {
    return controls.abort(action);
  }

  @Override
  public RunReport progress() {
    return ledger == null ? null : ledger.progress();
  }
}
