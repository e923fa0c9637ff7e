package dev.failover.workflows.run;

import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * Every {@code converge-*} step: catalogs and schemas in one activity each, grants and every other
 * component in batches ({@link ComponentBatches}). A component the snapshot does not hold is
 * skipped with the reason. Items a component refuses do not stop the others: the step converges
 * everything else, then fails naming each, so that a person acts on them and decides. A component
 * the managed DR failover group replicates as workspace assets is only verified (see {@link
 * ConvergeRequest#groupOwns}); its row says the group covered it.
 */
final class ConvergeStep implements StepBody {
  /**
   * What starts the part of a converge step's message that lists the items left alone, each with
   * the action it needs instead; the reports list it among the risks.
   */
  static final String LEFT_ALONE = "; left alone: ";

  private static final Logger log = Workflow.getLogger(ConvergeStep.class);

  private final RunContext run;
  private final Step step;

  ConvergeStep(RunContext run, Step step) {
    this.run = run;
    this.step = step;
  }

  @Override
  public StepResult run() {
    PlanGraph.Node node = run.graph.node(step.stepName());
    PlanGraph.EarlyStart early = run.graph.earlyStart(node);
    ComponentResult ahead = ComponentResult.NONE;
    if (early != null) {
      boolean beforeCapture = early.after() != Step.CAPTURE;
      readAhead(run.convergeRequest(), beforeCapture);
      if (beforeCapture) {
        ahead = asCaptured(run.convergeRequest());
      }
      run.awaitSteps(node.needs());
    }
    ConvergeRequest request = run.convergeRequest();
    ConvergeActivities converge = run.activities.converge;
    return switch (step) {
      case CONVERGE_CATALOGS -> StepResult.counts(converge.convergeCatalogs(request));
      case CONVERGE_SCHEMAS -> StepResult.counts(converge.convergeSchemas(request));
      case CONVERGE_GRANTS -> inBatches(Step.GRANTS, request, ahead);
      default ->
          ComponentBatches.captured(request.snapshot(), step.component())
              ? inBatches(step.component(), request, ahead)
              : StepResult.skipped(ComponentBatches.notCaptured(step.component()));
    };
  }

  /**
   * In a drill, converges the items capture hands on as it reads them (jobs that name no other
   * object), while it still reads the rest and before the steps this one needs have run; the
   * batches leave those items out. A failure costs only time: the batches converge everything the
   * converge ahead did not.
   */
  private ComponentResult asCaptured(ConvergeRequest request) {
    if (request.groupOwns(step.component())) {
      return ComponentResult.NONE;
    }
    try {
      return run.activities.converge.convergeAsCaptured(
          request, step.component(), run.store, run.snapshotKey());
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        throw e;
      }
      log.warn("Converging {} as captured failed; its batches converge it all", step.stepName(), e);
      return ComponentResult.NONE;
    }
  }

  /**
   * Reads DR's copies of the component's items while the steps this one needs still run ({@link
   * PlanGraph#earlyStart}); its batches converge from that read. Before capture ({@code
   * beforeCapture}, a drill) it reads every copy DR holds; after, the copies of the captured items,
   * and not when the batches read only what changed since DR last matched a snapshot. Never when
   * they only verify what the failover group owns. A read that fails costs only time: the batches
   * read DR themselves.
   */
  private void readAhead(ConvergeRequest request, boolean beforeCapture) {
    String component = step.component();
    if (request.groupOwns(component)) {
      return;
    }
    if (!beforeCapture
        && (!ComponentBatches.captured(request.snapshot(), component)
            || request.verifiedSnapshot() != null)) {
      return;
    }
    try {
      if (beforeCapture) {
        run.activities.converge.readAheadAll(request, component);
      } else {
        run.activities.converge.readAhead(request, component);
      }
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        throw e;
      }
      log.warn("Reading ahead of {} failed; its batches read DR themselves", step.stepName(), e);
    }
  }

  private StepResult inBatches(String component, ConvergeRequest request, ComponentResult ahead) {
    ComponentResult total =
        ahead.plus(
            ComponentBatches.each(component, request, run.activities.converge::convergeBatch));
    String message = StepResult.counts(total.counts()).message();
    if (request.groupOwns(component)) {
      // The worker only compared these with the snapshot: the group's replication owns them.
      message =
          "covered by the failover group (workspace assets): verified read-only, "
              + total.counts().unchanged()
              + " present in the target, none written";
    }
    if (!total.skipped().isEmpty()) {
      message += LEFT_ALONE + String.join("; ", total.skipped());
    }
    if (!total.refusedItems().isEmpty()) {
      // Every other item is converged by now; the step fails so that a person acts on these.
      throw ApplicationFailure.newNonRetryableFailure(
          message
              + "; refused "
              + total.refusedItems().size()
              + ": "
              + String.join("; ", total.refusedItems()),
          FailureTypes.NOT_FOUND);
    }
    return new StepResult(total.counts(), message);
  }
}
