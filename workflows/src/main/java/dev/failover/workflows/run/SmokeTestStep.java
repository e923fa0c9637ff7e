package dev.failover.workflows.run;

import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.VerifiedTarget;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code smoke-test}: compares the target with the snapshot, read-only, by the rules converge uses:
 * catalogs, schemas and grants, and every batched component the plan converged, all side by side
 * (each is read through its own API family, so the step waits on the slowest, not on their sum).
 * Any component that would still change fails the step with the differences of all of them, once
 * every check has ended.
 *
 * <p>The step may start before all of its needs have run ({@link PlanGraph#startNeeds}): it then
 * checks the jobs, whose converge step has run, and waits for the rest before the other checks.
 */
final class SmokeTestStep implements StepBody {
  private final RunContext run;

  SmokeTestStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    ConvergeRequest request = run.convergeRequest();
    Map<String, Promise<ComponentResult>> early = new LinkedHashMap<>();
    CancellationScope earlyChecks =
        Workflow.newCancellationScope(() -> early.putAll(checkComponents(request, Map.of())));
    earlyChecks.run();
    try {
      run.awaitSteps(run.graph.node(Step.SMOKE_TEST.stepName()).needs());
    } catch (OperatorControls.WaitEnded e) {
      earlyChecks.cancel("another step ended the run");
      throw e;
    }
    Promise<Integer> controlPlane =
        Async.function(run.activities.smokeTest::verifyControlPlane, request);
    Map<String, Promise<ComponentResult>> components = checkComponents(request, early);
    List<Promise<?>> all = new ArrayList<>(List.of(controlPlane));
    all.addAll(components.values());
    awaitEvery(all);
    int matching = controlPlane.get() + matchingOrFail(components);
    String recorded = recordVerifiedTarget();
    VerifiedTarget trusted = run.ledger.verifiedTarget();
    return StepResult.message(
        matching
            + " objects in the "
            + run.target.side()
            + " workspace match the snapshot"
            + (trusted == null
                ? ""
                : ", the others unchanged since it matched " + trusted.snapshot().key())
            + recorded);
  }

  /**
   * Leaves the record that the target matches this run's snapshot, for the next failover. The
   * record only saves that failover work, so a record that cannot be stored does not fail a target
   * that matches: the message says so, and the next failover compares everything.
   */
  private String recordVerifiedTarget() {
    if (!run.recordsVerifiedTarget()) {
      return "";
    }
    ConvergeRequest request = run.convergeRequest();
    try {
      run.activities.smokeTest.recordVerifiedTarget(
          run.store,
          run.verifiedTargetKey(),
          new VerifiedTarget(
              request.snapshot(),
              request.target().host(),
              run.runId,
              run.mode.label(),
              RunLedger.now(),
              request.storagePathRewrites(),
              request.compute(),
              request.storageCredentials()));
      return "";
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        throw e;
      }
      return "; the record that it matches was not stored ("
          + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
          + "): the next failover compares every object";
    }
  }

  /**
   * Starts the check of each batched component of the plan that may be checked now, in the plan's
   * order, those already started kept: once every need has run, all of them; before, only the
   * component of the step the smoke test starts after ({@link PlanGraph#earlyStart}: jobs), which
   * no later step changes.
   */
  private Map<String, Promise<ComponentResult>> checkComponents(
      ConvergeRequest request, Map<String, Promise<ComponentResult>> started) {
    PlanGraph.Node smokeTest = run.graph.node(Step.SMOKE_TEST.stepName());
    boolean everyNeedRun = run.stepsDone.containsAll(smokeTest.needs());
    PlanGraph.EarlyStart early = run.graph.earlyStart(smokeTest);
    Step checkedEarly = early == null ? null : early.after();
    Map<String, Promise<ComponentResult>> checks = new LinkedHashMap<>();
    for (Step step : run.graph.steps()) {
      String component = step.component();
      if (component == null || !ComponentBatches.captured(request.snapshot(), component)) {
        continue;
      }
      boolean checkable =
          everyNeedRun || (step == checkedEarly && run.stepsDone.contains(step.stepName()));
      if (started.containsKey(component)) {
        checks.put(component, started.get(component));
      } else if (checkable) {
        checks.put(
            component,
            Async.function(
                () ->
                    ComponentBatches.each(
                        component, request, run.activities.converge::checkBatch)));
      }
    }
    return checks;
  }

  /**
   * Waits until every check has ended, then throws the first failure in the plan's order: a check
   * that failed does not stop the others half-way, and an aborted step has nothing left running.
   */
  private static void awaitEvery(List<Promise<?>> all) {
    RuntimeException first = null;
    for (Promise<?> check : all) {
      try {
        SideBySide.get(check, all);
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** How many objects the components checked; fails with every component's differences. */
  private static int matchingOrFail(Map<String, Promise<ComponentResult>> components) {
    int checked = 0;
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, Promise<ComponentResult>> check : components.entrySet()) {
      ComponentResult result = check.getValue().get();
      checked += result.counts().unchanged();
      if (result.counts().created() + result.counts().updated() > 0) {
        differences.add(check.getKey() + ": " + String.join("; ", result.differences()));
      }
    }
    if (!differences.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the target does not match the snapshot: " + String.join(" | ", differences),
          FailureTypes.SMOKE_TEST_FAILED);
    }
    return checked;
  }
}
