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
 * checks the jobs, whose converge step has run, the access lists once {@code converge-permissions}
 * has run, and the catalogs, schemas and grants, with the other components of Unity Catalog and the
 * groups, once {@code converge-grants} has ({@link #controlPlaneEarly}), and waits for the rest
 * before the other checks.
 */
final class SmokeTestStep implements StepBody {
  /**
   * The steps whose components are checked as soon as they have run, when the step starts early: no
   * step after them changes what their checks compare. Permissions set access lists and owners,
   * which the jobs check does not compare (a copy's {@code run_as} is set explicitly), and no other
   * step sets access lists. So in a failover the access lists are checked beside the drain, not
   * after it.
   */
  private static final List<Step> CHECKED_ONCE_RUN =
      List.of(Step.CONVERGE_JOBS, Step.CONVERGE_PERMISSIONS);

  private final RunContext run;

  /** The check of catalogs, schemas and grants, once started. */
  private Promise<Integer> controlPlane;

  SmokeTestStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    ConvergeRequest request = run.convergeRequest();
    Map<String, Promise<ComponentResult>> early = checkWhileNeedsRun(request);
    if (controlPlane == null) {
      controlPlane = Async.function(run.activities.smokeTest::verifyControlPlane, request);
    }
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
   * Waits for every need of the step, meanwhile checking the components of {@link
   * #CHECKED_ONCE_RUN}, and the control plane when {@link #controlPlaneEarly}, as each step they
   * follow has run, whichever runs first; a run that ends meanwhile cancels those checks.
   */
  private Map<String, Promise<ComponentResult>> checkWhileNeedsRun(ConvergeRequest request) {
    Map<String, Promise<ComponentResult>> early = new LinkedHashMap<>();
    List<CancellationScope> scopes = new ArrayList<>();
    try {
      List<String> followed = new ArrayList<>();
      for (Step step : CHECKED_ONCE_RUN) {
        if (run.graph.steps().contains(step)) {
          followed.add(step.stepName());
        }
      }
      if (controlPlaneEarly()) {
        followed.add(Step.CONVERGE_GRANTS.stepName());
      }
      while (!followed.isEmpty()) {
        followed.removeAll(run.awaitAnyStep(followed));
        checkEarly(request, early, scopes);
      }
      run.awaitSteps(run.graph.node(Step.SMOKE_TEST.stepName()).needs());
      return early;
    } catch (OperatorControls.WaitEnded e) {
      scopes.forEach(scope -> scope.cancel("another step ended the run"));
      throw e;
    }
  }

  /** Starts, in a scope an ending run cancels, the checks that may start now and have not. */
  private void checkEarly(
      ConvergeRequest request,
      Map<String, Promise<ComponentResult>> early,
      List<CancellationScope> scopes) {
    boolean controlPlaneNow =
        controlPlane == null
            && controlPlaneEarly()
            && run.stepsDone.contains(Step.CONVERGE_GRANTS.stepName());
    CancellationScope scope =
        Workflow.newCancellationScope(
            () -> {
              early.putAll(checkComponents(request, Map.copyOf(early)));
              if (controlPlaneNow) {
                controlPlane =
                    Async.function(run.activities.smokeTest::verifyControlPlane, request);
              }
            });
    scopes.add(scope);
    scope.run();
  }

  /**
   * Whether the catalogs, schemas and grants are checked once {@code converge-grants} has run,
   * before the step's other needs: when the step starts early and nothing after it changes them.
   * {@code converge-grants} needs every step that creates in Unity Catalog, and its last batch
   * moves the owners. Not in a run whose failover group fails over: that changes the catalogs the
   * group replicates, and tells which those are. Not when the step needs a custom step either: a
   * webhook may grant in DR (it would then be checked after, as before).
   */
  private boolean controlPlaneEarly() {
    PlanGraph.Node smokeTest = run.graph.node(Step.SMOKE_TEST.stepName());
    return run.graph.earlyStart(smokeTest) != null
        && run.graph.steps().contains(Step.CONVERGE_GRANTS)
        && !run.graph.steps().contains(Step.FAILOVER_GROUP)
        && smokeTest.needs().stream().allMatch(need -> run.graph.node(need).step() != null);
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
   * Starts the check of each batched component of the plan that may be checked now ({@link
   * #checkableNow}), in the plan's order, those already started kept.
   */
  private Map<String, Promise<ComponentResult>> checkComponents(
      ConvergeRequest request, Map<String, Promise<ComponentResult>> started) {
    Map<String, Promise<ComponentResult>> checks = new LinkedHashMap<>();
    for (Step step : run.graph.steps()) {
      String component = step.component();
      if (component == null || !ComponentBatches.captured(request.snapshot(), component)) {
        continue;
      }
      if (started.containsKey(component)) {
        checks.put(component, started.get(component));
      } else if (checkableNow(step, request)) {
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
   * Whether a step's component may be checked now: once every need of the smoke test has run;
   * before, when the step starts early ({@link PlanGraph#earlyStart}), the components of the steps
   * in {@link #CHECKED_ONCE_RUN} once each has run, and those of the steps {@code converge-grants}
   * needs (Unity Catalog's, and the groups) once it has, when the control plane is checked then
   * ({@link #controlPlaneEarly}): its last batch moves their owners, and nothing after it changes
   * them. Never early for a component a failover group replicates.
   */
  private boolean checkableNow(Step step, ConvergeRequest request) {
    PlanGraph.Node smokeTest = run.graph.node(Step.SMOKE_TEST.stepName());
    if (run.stepsDone.containsAll(smokeTest.needs())) {
      return true;
    }
    if (run.graph.earlyStart(smokeTest) == null || request.groupOwns(step.component())) {
      // A failover group's assets change when the group fails over, a need.
      return false;
    }
    boolean onceRun = CHECKED_ONCE_RUN.contains(step) && run.stepsDone.contains(step.stepName());
    boolean afterGrants =
        Step.CONVERGE_GRANTS.needs().contains(step)
            && controlPlaneEarly()
            && run.stepsDone.contains(Step.CONVERGE_GRANTS.stepName());
    return onceRun || afterGrants;
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
