package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.ComponentPreview;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.ManagedDrActivities;
import dev.failover.workflows.steps.ManagedDrRequest;
import dev.failover.workflows.steps.PreviewRequest;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** See {@link PlanWorkflow}. A check that fails is reported, not retried for long. */
public class PlanWorkflowImpl implements PlanWorkflow {
  private static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofSeconds(20))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setMaximumAttempts(3)
                  .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(new String[0]))
                  .build())
          .build();

  private final ReadinessActivities readiness =
      Workflow.newActivityStub(ReadinessActivities.class, OPTIONS);
  private final StorageActivities storage =
      Workflow.newActivityStub(StorageActivities.class, OPTIONS);
  private final ConvergeActivities converge =
      Workflow.newActivityStub(ConvergeActivities.class, OPTIONS);
  private final ManagedDrActivities managedDr =
      Workflow.newActivityStub(ManagedDrActivities.class, OPTIONS);

  @Override
  public PlanReport plan(RunRequest request) {
    Runbook runbook = request.runbook();
    Mode mode = request.mode();
    PlanGraph graph = PlanGraph.of(runbook, mode);
    List<String> steps = new ArrayList<>();
    for (PlanGraph.Node node : graph.nodes()) {
      steps.add(node.custom() == null ? node.name() : node.name() + " (custom)");
    }

    WorkspaceTarget primary = WorkspaceTarget.of("primary", runbook.primary());
    WorkspaceTarget secondary = WorkspaceTarget.of("secondary", runbook.secondary());
    WorkspaceTarget source = mode == Mode.FAILBACK ? secondary : primary;
    WorkspaceTarget target = mode == Mode.FAILBACK ? primary : secondary;
    List<String> findings = new ArrayList<>();
    boolean workspacesAnswer = check(findings, () -> readiness.checkWorkspace(target));
    workspacesAnswer &= check(findings, () -> readiness.checkWorkspace(source));
    if (runbook.account() != null) {
      check(
          findings,
          () ->
              readiness.checkAccountWorkspace(
                  dev.failover.workflows.steps.AccountTarget.of(runbook, target.side()), target));
    }
    ManagedDrRequest group = ManagedDrRequests.of(runbook, mode);
    if (group != null) {
      check(findings, () -> managedDr.checkGroup(group).finding());
      check(findings, () -> ManagedDrRequests.coveredCatalogs(managedDr.replicatedCatalogs(group)));
      check(
          findings,
          () ->
              dev.failover.workflows.steps.GroupOwnedComponents.covered(
                  managedDr.groupOwnedComponents(group)));
    }
    List<ReplicationHealth> replication = new ArrayList<>();
    for (Runbook.BucketPair pair : runbook.bucketPairs()) {
      check(
          findings,
          () -> {
            ReplicationHealth health =
                storage.measureReplication(
                    BucketPairTarget.of(runbook, pair),
                    mode == Mode.FAILBACK,
                    runbook.replication().lookbackHours());
            replication.add(health);
            return health.reversePath() == null
                ? health.summary()
                : health.summary() + "; " + health.reversePath();
          });
    }
    List<ComponentPreview> components =
        workspacesAnswer ? preview(runbook, mode, source, target, findings) : List.of();
    return new PlanReport(
        runbook.name(), mode, steps, PlanLayout.describe(graph), findings, replication, components);
  }

  /** What converging would do to the target, per component; a failure is a finding. */
  private List<ComponentPreview> preview(
      Runbook runbook,
      Mode mode,
      WorkspaceTarget source,
      WorkspaceTarget target,
      List<String> findings) {
    List<ComponentPreview> components = new ArrayList<>();
    check(
        findings,
        () -> {
          components.addAll(
              converge.preview(
                  new PreviewRequest(
                      source,
                      target,
                      runbook.scope().catalogs(),
                      mode == Mode.FAILBACK
                          ? runbook.reversedRewrites()
                          : runbook.storagePathRewrites(),
                      mode == Mode.FAILBACK ? runbook.compute().reversed() : runbook.compute(),
                      mode == Mode.FAILBACK
                          ? runbook.storageCredentials().reversed()
                          : runbook.storageCredentials())));
          return "compared the " + source.side() + " and " + target.side() + " workspaces";
        });
    return components;
  }

  /** Runs a check; records its finding, or its failure as {@code FAILED: ...}. */
  private static boolean check(List<String> findings, java.util.function.Supplier<String> check) {
    try {
      findings.add(check.get());
      return true;
    } catch (ActivityFailure e) {
      findings.add("FAILED: " + StepExecutor.describe(e));
      return false;
    }
  }
}
