package dev.failover.workflows.run;

import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code smoke-test}: compares the target with the snapshot, read-only, by the rules converge uses:
 * catalogs, schemas and grants, then every batched component the plan converged; any component that
 * would still change fails the step with the first differences.
 */
final class SmokeTestStep implements StepBody {
  private final RunContext run;

  SmokeTestStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    ConvergeRequest request = run.convergeRequest();
    int matching = run.activities.smokeTest.verifyControlPlane(request) + checkComponents(request);
    return StepResult.message(
        matching + " objects in the " + run.target.side() + " workspace match the snapshot");
  }

  /** Checks each batched component of the plan; returns how many objects were checked. */
  private int checkComponents(ConvergeRequest request) {
    int checked = 0;
    List<String> differences = new ArrayList<>();
    for (Step step : run.graph.steps()) {
      String component = step.component();
      if (component == null || !ComponentBatches.captured(request.snapshot(), component)) {
        continue;
      }
      ComponentResult result =
          ComponentBatches.each(component, request, run.activities.converge::checkBatch);
      checked += result.counts().unchanged();
      if (result.counts().created() + result.counts().updated() > 0) {
        differences.add(component + ": " + String.join("; ", result.differences()));
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
