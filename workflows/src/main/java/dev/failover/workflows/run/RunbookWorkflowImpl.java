package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.AccountTarget;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.CaptureActivities;
import dev.failover.workflows.steps.ChangeCounts;
import dev.failover.workflows.steps.ComponentBatch;
import dev.failover.workflows.steps.ComponentResult;
import dev.failover.workflows.steps.ConvergeActivities;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.DeltaCheckRequest;
import dev.failover.workflows.steps.DeltaTableCheck;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.FenceActivities;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.FenceResult;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.ReportActivities;
import dev.failover.workflows.steps.SmokeTestActivities;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageActivities;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.StorageCredentialCheck;
import dev.failover.workflows.steps.StorageRequest;
import dev.failover.workflows.steps.WebhookActivities;
import dev.failover.workflows.steps.WebhookRequest;
import dev.failover.workflows.steps.Webhooks;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Runs the plan of a mode (see {@link Step#plan}): a drill, a failover or a failback. Each step is
 * recorded in the report as it starts and ends so the progress query shows it live; a failed step
 * ends the run with the report attached, so nothing already done is lost from the evidence.
 */
public class RunbookWorkflowImpl implements RunbookWorkflow {
  /** Failure type of a run that ended because a step failed. */
  public static final String RUN_FAILED = "RunFailed";

  private static final Logger log = Workflow.getLogger(RunbookWorkflowImpl.class);

  static final RetryOptions STEP_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(10)
          .setDoNotRetry(FailureTypes.NON_RETRYABLE.toArray(new String[0]))
          .build();

  /**
   * Activities that work through many objects heartbeat every few seconds from a background thread;
   * a worker that dies is noticed within this timeout and the step is retried elsewhere.
   */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(20);

  private final ReadinessActivities readiness =
      Workflow.newActivityStub(ReadinessActivities.class, options(Duration.ofMinutes(2), null));

  /**
   * Probes of the side being failed away from: during a regional outage they must give up soon, so
   * the run can take the outage path instead of retrying for minutes.
   */
  private final ReadinessActivities probe =
      Workflow.newActivityStub(
          ReadinessActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(1))
              .setRetryOptions(STEP_RETRY.toBuilder().setMaximumAttempts(2).build())
              .build());

  private final CaptureActivities capture =
      Workflow.newActivityStub(
          CaptureActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  private final ConvergeActivities converge =
      Workflow.newActivityStub(
          ConvergeActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  private final StorageActivities storage =
      Workflow.newActivityStub(
          StorageActivities.class, options(Duration.ofHours(2), HEARTBEAT_TIMEOUT));
  private final FenceActivities fencing =
      Workflow.newActivityStub(
          FenceActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  private final SmokeTestActivities smokeTest =
      Workflow.newActivityStub(
          SmokeTestActivities.class, options(Duration.ofMinutes(30), HEARTBEAT_TIMEOUT));
  private final ReportActivities reports =
      Workflow.newActivityStub(ReportActivities.class, options(Duration.ofMinutes(2), null));

  private RunRequest request;
  private List<Step> plan = List.of();
  private final List<StepReport> steps = new ArrayList<>();
  private String startedAt;
  private String endedAt;
  private Long rtoSeconds;
  private Long approvalWaitSeconds;
  private Approval approval;
  private String waitingFor;
  private Outcome outcome = Outcome.RUNNING;
  private final List<ReplicationHealth> replication = new ArrayList<>();
  private final List<StorageChange> storageChanges = new ArrayList<>();
  private List<DeltaTableCheck> deltaTables = List.of();
  private boolean primaryReachable = true;
  private SnapshotRef snapshot;
  private String reportLocation;
  private String failure;
  private final List<OperatorEvent> operatorEvents = new ArrayList<>();
  private final List<FenceResult> fenceResults = new ArrayList<>();
  private Long controlPlaneRpoSeconds;
  private boolean paused;
  private OperatorAction abortRequest;

  /** The step that failed and waits for an operator's decision, or null. */
  private String awaitingDecision;

  private boolean awaitingSkippable;
  private CustomPlan customPlan;
  private final List<Step> finished = new ArrayList<>();
  private final java.util.Set<String> customDone = new java.util.HashSet<>();
  private final io.temporal.workflow.WorkflowLock decisionLock = Workflow.newWorkflowLock();
  private final WebhookActivities webhooks =
      Workflow.newActivityStub(WebhookActivities.class, options(Duration.ofMinutes(10), null));

  private Decision decision;

  /**
   * Version of the run logic, for runs in flight: 1 added operator decisions on a failed step
   * (before, a failed step failed the run at once).
   */
  static final String OPERATOR_DECISIONS = "operator-decisions";

  /** Version of the plan: 1 added fence-source (and, in a failback, unfence-target). */
  static final String FENCE = "fence-source";

  /** Version of the run's bookkeeping: 1 keeps phase and outcome in search attributes. */
  static final String SEARCH_ATTRIBUTES = "search-attributes";

  private boolean searchAttributes;

  /** Version of the plan: 1 added the components beyond catalogs, schemas and grants. */
  static final String COMPONENTS = "all-components";

  /** Items of a component converged or checked by one activity. */
  static final int BATCH = 250;

  /** Batches of one component that run at once. */
  static final int PARALLEL_BATCHES = 4;

  /** Whether this run converges every component (false for runs recorded before). */
  private boolean components;

  /** Version of the plan's execution: 1 runs independent converge steps in parallel. */
  static final String PARALLEL_COMPONENTS = "parallel-components";

  /** Whether this run converges independent components in parallel (false for runs before). */
  private boolean parallelComponents;

  /**
   * Version of the plan's execution: 1 runs the storage step (promote-storage, restore-replication)
   * and the Delta check beside capture and the converge steps, and runs a wave's steps from a pool
   * of {@code steps.maxParallel} slots shared with them.
   */
  static final String PARALLEL_PLAN = "parallel-plan";

  /** Whether this run runs the storage branch beside the control plane (false for runs before). */
  private boolean parallelPlan;

  /** Steps running at once in the parallel part of the plan, at most {@code steps.maxParallel}. */
  private int slotsInUse;

  /** Set when a branch of the parallel part ended the run: the other starts no further step. */
  private Exception branchEnded;

  /**
   * Version of the run's account checks: 1 checks the target workspace in the account at readiness
   * and passes the account to the converge steps, when the runbook configures an account. Asked
   * only for such runbooks, so runs recorded without an account replay as they were.
   */
  static final String ACCOUNT_CHECKS = "account-checks";

  /**
   * Version of readiness: 1 validates the target's storage credentials against the source's
   * external locations (runs recorded before replay without the check).
   */
  static final String CREDENTIAL_CHECKS = "credential-checks";

  /** Version of the drill's plan: 1 added clean-up. */
  static final String CLEAN_UP = "drill-clean-up";

  private static ActivityOptions options(Duration startToClose, Duration heartbeat) {
    ActivityOptions.Builder builder =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(startToClose)
            .setRetryOptions(STEP_RETRY);
    if (heartbeat != null) {
      builder.setHeartbeatTimeout(heartbeat);
    }
    return builder.build();
  }

  @Override
  public RunReport run(RunRequest runRequest) {
    this.request = runRequest;
    this.startedAt = now();
    Runbook runbook = runRequest.runbook();
    Mode mode = runRequest.mode();
    // Fencing came with version 1 of "fence-source"; runs recorded before replay without it.
    boolean fence =
        mode != Mode.DRILL && Workflow.getVersion(FENCE, Workflow.DEFAULT_VERSION, 1) >= 1;
    searchAttributes =
        runRequest.searchAttributes()
            && Workflow.getVersion(SEARCH_ATTRIBUTES, Workflow.DEFAULT_VERSION, 1) >= 1;
    // The drill's clean-up came with version 1 of "drill-clean-up".
    boolean cleanUp =
        mode == Mode.DRILL && Workflow.getVersion(CLEAN_UP, Workflow.DEFAULT_VERSION, 1) >= 1;
    components = Workflow.getVersion(COMPONENTS, Workflow.DEFAULT_VERSION, 1) >= 1;
    parallelComponents =
        components && Workflow.getVersion(PARALLEL_COMPONENTS, Workflow.DEFAULT_VERSION, 1) >= 1;
    parallelPlan =
        parallelComponents && Workflow.getVersion(PARALLEL_PLAN, Workflow.DEFAULT_VERSION, 1) >= 1;
    plan = Step.plan(runbook, mode, fence, cleanUp, components);
    customPlan = CustomPlan.of(plan, runbook.steps(), mode);
    for (Step step : plan) {
      steps.add(StepReport.pending(step));
      for (Runbook.CustomStep custom : customPlan.after(step)) {
        steps.add(
            StepReport.pending(
                custom.name(),
                custom.webhook().method()
                    + " "
                    + Webhooks.shown(custom.webhook().url())
                    + " (custom step)"));
      }
    }
    WorkspaceTarget primary = WorkspaceTarget.of("primary", runbook.primary());
    WorkspaceTarget secondary = WorkspaceTarget.of("secondary", runbook.secondary());
    // A failback reads the DR side (active since the failover) and converges the primary.
    WorkspaceTarget source = mode == Mode.FAILBACK ? secondary : primary;
    WorkspaceTarget target = mode == Mode.FAILBACK ? primary : secondary;
    // The account API came with version 1 of "account-checks", for runbooks that configure it.
    AccountTarget account =
        runbook.account() != null
                && Workflow.getVersion(ACCOUNT_CHECKS, Workflow.DEFAULT_VERSION, 1) >= 1
            ? AccountTarget.of(runbook, target.side())
            : null;
    List<Runbook.PathRewrite> rewrites =
        mode == Mode.FAILBACK ? runbook.reversedRewrites() : runbook.storagePathRewrites();
    BucketTarget store = BucketTarget.of("secondary", runbook.secondary(), runbook.stateBucket());
    List<BucketPairTarget> pairs =
        runbook.bucketPairs().stream().map(p -> BucketPairTarget.of(runbook, p)).toList();
    String runPrefix = "failover/" + runbook.name() + "/";
    String runId = Workflow.getInfo().getRunId();
    log.info("Starting {} of runbook {}", mode.label(), runbook.name());

    try {
      runStep(Step.READINESS, () -> checkReadiness(mode, source, target, account, pairs));
      FenceRequest fenceSource =
          new FenceRequest(
              source,
              store,
              runPrefix + "fence/" + source.side() + ".json",
              runId,
              runbook.fence());
      if (plan.contains(Step.FENCE_SOURCE)) {
        if (mode == Mode.FAILOVER && !primaryReachable) {
          skipStep(
              Step.FENCE_SOURCE,
              "the primary does not answer: its job schedules and warehouses could not be"
                  + " paused; pause them when the region is back, before it writes again");
        } else {
          runStep(
              Step.FENCE_SOURCE,
              () -> {
                FenceResult fenced = fencing.fence(fenceSource);
                fenceResults.add(fenced);
                return new StepResult(null, fenced.summary("paused", "stopped"));
              });
        }
      }
      Step storageStep =
          switch (mode) {
            case FAILOVER -> Step.PROMOTE_STORAGE;
            case FAILBACK -> Step.RESTORE_REPLICATION;
            case DRILL -> null;
          };
      StepBody storageBody = () -> changeStorage(mode, runbook, pairs, store, runPrefix, runId);
      boolean outage = mode == Mode.FAILOVER && !primaryReachable;
      StepBody captureBody =
          () -> {
            if (outage) {
              return useLatestSnapshot(source, store, runPrefix + "snapshots/");
            }
            snapshot =
                capture.captureControlPlane(
                    source,
                    runbook.scope().catalogs(),
                    store,
                    runPrefix + "snapshots/" + runId + ".json.gz");
            return new StepResult(
                null,
                "from the "
                    + source.side()
                    + " workspace: "
                    + snapshot.catalogs()
                    + " catalogs, "
                    + snapshot.schemas()
                    + " schemas, "
                    + snapshot.tables()
                    + " tables and views, "
                    + snapshot.grants()
                    + " grants"
                    + componentsCaptured());
          };
      java.util.function.Supplier<ConvergeRequest> converging =
          () ->
              new ConvergeRequest(
                  target,
                  snapshot,
                  rewrites,
                  runbook.name(),
                  mode == Mode.DRILL ? runId : null,
                  account,
                  mode == Mode.FAILBACK ? runbook.compute().reversed() : runbook.compute(),
                  mode == Mode.FAILBACK
                      ? runbook.storageCredentials().reversed()
                      : runbook.storageCredentials());
      StepBody deltaBody =
          () ->
              checkDeltaTables(new DeltaCheckRequest(snapshot, rewrites, pairs, primaryReachable));
      if (parallelPlan
          && PlanLayout.runsBeside(plan, customPlan, Math.max(1, runbook.steps().maxParallel()))) {
        runBeside(storageStep, storageBody, captureBody, converging, deltaBody);
      } else {
        if (storageStep != null) {
          runStep(storageStep, storageBody);
        }
        runStep(Step.CAPTURE, captureBody);
        if (parallelComponents) {
          convergeInWaves(converging.get());
        } else {
          for (Step step : plan) {
            convergeStep(step, converging.get());
          }
        }
        if (plan.contains(Step.CHECK_DELTA_TABLES)) {
          runStep(Step.CHECK_DELTA_TABLES, deltaBody);
        }
      }
      ConvergeRequest convergeRequest = converging.get();
      if (plan.contains(Step.SMOKE_TEST)) {
        runStep(
            Step.SMOKE_TEST,
            () ->
                new StepResult(
                    null,
                    (smokeTest.verifyControlPlane(convergeRequest)
                            + checkComponents(convergeRequest))
                        + " objects in the "
                        + target.side()
                        + " workspace match the snapshot"));
      }
      if (plan.contains(Step.RESTORE_SCHEDULES)) {
        if (!captured("jobs")) {
          skipStep(Step.RESTORE_SCHEDULES, notCaptured("jobs"));
        } else {
          FenceRequest fenced = plan.contains(Step.FENCE_SOURCE) ? fenceSource : null;
          runStep(
              Step.RESTORE_SCHEDULES,
              () -> {
                ComponentResult restored = converge.restoreJobSchedules(convergeRequest, fenced);
                return new StepResult(
                    restored.counts(),
                    restored.counts().updated()
                        + " job(s) set running or paused as on the side left, "
                        + restored.counts().unchanged()
                        + " already so");
              });
        }
      }
      if (plan.contains(Step.CLEAN_UP)) {
        if (runRequest.keep()) {
          skipStep(Step.CLEAN_UP, "kept: the drill was started with --keep");
        } else {
          runStep(
              Step.CLEAN_UP,
              () -> {
                ChangeCounts removed = removeComponentsCreated(convergeRequest);
                removed = removed.plus(converge.removeCreatedByRun(convergeRequest));
                return new StepResult(
                    removed,
                    removed.deleted() + " object(s) this drill created removed from the target");
              });
        }
      }
      if (plan.contains(Step.UNFENCE_TARGET)) {
        FenceRequest unfenceTarget =
            new FenceRequest(target, store, runPrefix + "fence/" + target.side() + ".json", runId);
        runStep(
            Step.UNFENCE_TARGET,
            () -> {
              FenceResult unfenced = fencing.unfence(unfenceTarget);
              fenceResults.add(unfenced);
              return new StepResult(null, unfenced.summary("resumed", "started"));
            });
      }
      rtoSeconds = secondsSinceStart();
      outcome = Outcome.SUCCEEDED;
    } catch (StepFailedException e) {
      outcome = Outcome.FAILED;
      failure = e.getMessage();
      markRemainingNotRun();
    } catch (RunAbortedException e) {
      outcome = Outcome.ABORTED;
      failure = e.getMessage();
      markRemainingNotRun();
    }
    storeReport(store, runPrefix + "reports/" + runId + ".json");
    if (searchAttributes) {
      Workflow.upsertTypedSearchAttributes(
          RunSearchAttributes.PHASE.valueSet("ended"),
          RunSearchAttributes.OUTCOME.valueSet(outcome.name()));
    }
    RunReport report = progress();
    if (outcome == Outcome.FAILED) {
      throw ApplicationFailure.newNonRetryableFailure(failure, RUN_FAILED, report);
    }
    // An aborted run ends normally: nothing failed, an operator stopped it; its report says so.
    return report;
  }

  /**
   * Checks, in parallel, that both workspaces answer and measures each pair's replication. In a
   * failover the primary side may be down: its probes give up quickly and the run goes on without
   * it; in a drill or a failback every check must pass. With an account, the target workspace is
   * also looked up in the account.
   */
  private StepResult checkReadiness(
      Mode mode,
      WorkspaceTarget source,
      WorkspaceTarget target,
      AccountTarget account,
      List<BucketPairTarget> pairs) {
    boolean sourceMayBeDown = mode == Mode.FAILOVER;
    Promise<String> targetCheck = Async.function(readiness::checkWorkspace, target);
    Promise<String> accountCheck =
        account == null ? null : Async.function(readiness::checkAccountWorkspace, account, target);
    Promise<String> sourceCheck =
        Async.function(sourceMayBeDown ? probe::checkWorkspace : readiness::checkWorkspace, source);
    List<Promise<ReplicationHealth>> measured = new ArrayList<>();
    int lookback = request.runbook().replication().lookbackHours();
    for (BucketPairTarget pair : pairs) {
      measured.add(
          Async.function(storage::measureReplication, pair, mode == Mode.FAILBACK, lookback));
    }
    List<String> findings = new ArrayList<>();
    findings.add(targetCheck.get());
    if (accountCheck != null) {
      findings.add(accountCheck.get());
    }
    try {
      findings.add(sourceCheck.get());
    } catch (ActivityFailure e) {
      if (!sourceMayBeDown) {
        throw e;
      }
      primaryReachable = false;
      findings.add("primary workspace unreachable (" + describe(e) + ")");
    }
    if (Workflow.getVersion(CREDENTIAL_CHECKS, Workflow.DEFAULT_VERSION, 1) >= 1) {
      findings.add(checkStorageCredentials(mode, source, target));
    }
    long rpoObjective = request.runbook().objectives().rpoMinutes() * 60L;
    for (Promise<ReplicationHealth> promise : measured) {
      ReplicationHealth health = promise.get();
      replication.add(health);
      if (!health.sourceReachable()) {
        if (!sourceMayBeDown) {
          throw ApplicationFailure.newFailure(
              "bucket " + health.source() + " is unreachable: " + health.summary(),
              FailureTypes.NOT_READY);
        }
        primaryReachable = false;
      }
      if (mode == Mode.DRILL && "active".equals(health.destinationRole())) {
        throw ApplicationFailure.newFailure(
            "bucket "
                + health.destination()
                + " is marked failover:role=active: the DR side serves as the active side since a"
                + " failover, and a drill would converge over it; fail back first",
            FailureTypes.NOT_READY);
      }
      findings.add(health.summary());
      if (health.reversePath() != null) {
        findings.add((health.reversePathBroken() ? "WARNING: " : "") + health.reversePath());
      }
      Long rpo = health.rpoSeconds();
      if (rpo != null && rpo > rpoObjective) {
        findings.add(
            "WARNING: data RPO of pair "
                + health.pair()
                + " is "
                + rpo
                + " s, over the objective of "
                + rpoObjective
                + " s");
      }
    }
    return new StepResult(null, String.join("; ", findings));
  }

  /**
   * The target's storage credentials validated against the source's locations; the source's
   * locations cannot be read while it is down, which is then said.
   */
  private String checkStorageCredentials(
      Mode mode, WorkspaceTarget source, WorkspaceTarget target) {
    if (!primaryReachable) {
      return "WARNING: storage credentials not validated: the primary's external locations cannot"
          + " be read";
    }
    Runbook runbook = request.runbook();
    boolean back = mode == Mode.FAILBACK;
    return readiness.checkStorageCredentials(
        new StorageCredentialCheck(
            source,
            target,
            back ? runbook.reversedRewrites() : runbook.storagePathRewrites(),
            back ? runbook.storageCredentials().reversed() : runbook.storageCredentials()));
  }

  /** Waits for an approval signal; a run not approved in time ends without changing anything. */
  private StepResult awaitApproval(Runbook.Approval settings) {
    waitingFor = "approval";
    Workflow.setCurrentDetails(
        "Waiting for an approval: `failover approve "
            + Workflow.getInfo().getWorkflowId()
            + " --by NAME`"
            + (settings.approvers().isEmpty() ? "" : " (approvers: " + settings.approvers() + ")"));
    long waitStart = Workflow.currentTimeMillis();
    boolean approved =
        Workflow.await(
            Duration.ofMinutes(settings.timeoutMinutes()),
            () -> approval != null || abortRequest != null);
    waitingFor = null;
    approvalWaitSeconds = (Workflow.currentTimeMillis() - waitStart) / 1000;
    if (approval == null && abortRequest != null) {
      throw new AbortDuringStep();
    }
    if (!approved) {
      throw ApplicationFailure.newFailure(
          "not approved within " + settings.timeoutMinutes() + " minutes; nothing was changed",
          FailureTypes.NOT_APPROVED);
    }
    return new StepResult(
        null,
        "approved by "
            + approval.by()
            + (approval.comment() == null || approval.comment().isBlank()
                ? ""
                : ": " + approval.comment()));
  }

  @Override
  public void approve(Approval decision) {
    if (approval == null && decision != null && decision.by() != null) {
      approval = decision;
      operatorEvents.add(
          new OperatorEvent(
              now(), decision.by(), "approve", Step.APPROVAL.stepName(), decision.comment()));
    }
  }

  @Override
  public void validateDecide(Decision d) {
    requireOperator(d == null ? null : d.by());
    if (d.action() == null) {
      throw new IllegalArgumentException("action: must be RETRY, SKIP or ABORT");
    }
    if (awaitingDecision == null || decision != null) {
      throw new IllegalArgumentException(
          "no step waits for a decision"
              + (waitingFor == null ? "" : " (the run waits for " + waitingFor + ")"));
    }
    if (d.action() == Decision.Action.SKIP && !awaitingSkippable) {
      throw new IllegalArgumentException(
          "step "
              + awaitingDecision
              + " cannot be skipped: later steps need what it establishes; retry or abort");
    }
  }

  @Override
  public String decide(Decision d) {
    decision = d;
    return switch (d.action()) {
      case RETRY -> "step " + awaitingDecision + " will run again";
      case SKIP -> "step " + awaitingDecision + " is skipped; the run goes on";
      case ABORT -> "the run stops; its report is being stored";
    };
  }

  @Override
  public void validatePause(OperatorAction action) {
    requireOperator(action == null ? null : action.by());
    requireActive();
    if (paused) {
      throw new IllegalArgumentException("the run is already paused");
    }
  }

  @Override
  public String pause(OperatorAction action) {
    paused = true;
    operatorEvents.add(new OperatorEvent(now(), action.by(), "pause", null, action.reason()));
    return "the run pauses before its next step";
  }

  @Override
  public void validateResume(OperatorAction action) {
    requireOperator(action == null ? null : action.by());
    requireActive();
    if (!paused) {
      throw new IllegalArgumentException("the run is not paused");
    }
  }

  @Override
  public String resume(OperatorAction action) {
    paused = false;
    operatorEvents.add(new OperatorEvent(now(), action.by(), "resume", null, action.reason()));
    return "the run goes on";
  }

  @Override
  public void validateAbort(OperatorAction action) {
    requireOperator(action == null ? null : action.by());
    requireActive();
    if (abortRequest != null) {
      throw new IllegalArgumentException("the run is already stopping: " + abortRequest.by());
    }
  }

  @Override
  public String abort(OperatorAction action) {
    abortRequest = action;
    operatorEvents.add(new OperatorEvent(now(), action.by(), "abort", null, action.reason()));
    return "the run stops before its next step; a running step finishes first";
  }

  private static void requireOperator(String by) {
    if (by == null || by.isBlank()) {
      throw new IllegalArgumentException("by: must name who acts");
    }
  }

  private void requireActive() {
    if (outcome != Outcome.RUNNING) {
      throw new IllegalArgumentException("the run has ended: " + outcome);
    }
  }

  /** Promotes (failover) or restores (failback) every bucket pair, in parallel. */
  private StepResult changeStorage(
      Mode mode,
      Runbook runbook,
      List<BucketPairTarget> pairs,
      BucketTarget store,
      String runPrefix,
      String runId) {
    List<Promise<StorageChange>> changes = new ArrayList<>();
    for (BucketPairTarget pair : pairs) {
      StorageRequest storageRequest =
          new StorageRequest(
              pair,
              runbook.replication().drainTimeoutMinutes() * 60L,
              runbook.replication().lookbackHours(),
              store,
              runPrefix + "replication/" + pair.name() + ".json",
              runId,
              runbook.replication().reversePathTimeoutMinutes() * 60L);
      changes.add(
          Async.function(
              mode == Mode.FAILOVER ? storage::promoteReplica : storage::restoreReplication,
              storageRequest));
    }
    List<String> lines = new ArrayList<>();
    for (Promise<StorageChange> change : changes) {
      StorageChange done = change.get();
      storageChanges.add(done);
      lines.add(
          "pair "
              + done.pair()
              + ": "
              + done.done().size()
              + " change(s)"
              + (done.notRun().isEmpty() ? "" : ", " + done.notRun().size() + " not run")
              + (done.cutover() == null
                  ? ""
                  : ", " + done.cutover().pending() + " pending at cutover"));
    }
    return new StepResult(null, String.join("; ", lines));
  }

  private StepResult checkDeltaTables(DeltaCheckRequest checkRequest) {
    deltaTables = storage.checkDeltaTables(checkRequest);
    java.util.Map<DeltaTableCheck.Status, Long> byStatus = new java.util.TreeMap<>();
    for (DeltaTableCheck check : deltaTables) {
      byStatus.merge(check.status(), 1L, Long::sum);
    }
    List<String> parts = new ArrayList<>();
    byStatus.forEach(
        (status, count) ->
            parts.add(count + " " + status.name().toLowerCase(java.util.Locale.ROOT)));
    return new StepResult(
        null,
        deltaTables.size()
            + " external Delta table(s)"
            + (parts.isEmpty() ? "" : ": " + String.join(", ", parts)));
  }

  /**
   * Stores the final report. The report step is marked done before the report is written so that
   * the stored copy is complete; if the write fails, the run's own report says so.
   */
  private void storeReport(BucketTarget store, String key) {
    int index = indexOf(Step.REPORT.stepName());
    String location = "s3://" + store.bucket() + "/" + key;
    steps.set(index, steps.get(index).running(now()));
    endedAt = now();
    steps.set(
        index,
        steps.get(index).finished(StepStatus.SUCCEEDED, endedAt, null, "stored at " + location));
    reportLocation = location;
    try {
      reports.storeReport(store, key, progress());
    } catch (ActivityFailure e) {
      reportLocation = null;
      steps.set(index, steps.get(index).finished(StepStatus.FAILED, now(), null, describe(e)));
      if (outcome == Outcome.SUCCEEDED) {
        outcome = Outcome.FAILED;
        failure = "step report failed: " + describe(e);
      }
    }
  }

  @Override
  public RunReport progress() {
    if (request == null) {
      return null;
    }
    return new RunReport(
        request.runbook().name(),
        Workflow.getInfo().getWorkflowId(),
        Workflow.getInfo().getRunId(),
        request.mode(),
        request.incidentId(),
        request.requestedBy(),
        outcome,
        startedAt,
        endedAt,
        rtoSeconds,
        request.runbook().objectives().rtoMinutes() * 60L,
        request.runbook().objectives().rpoMinutes() * 60L,
        approvalWaitSeconds,
        approval,
        waitingFor,
        List.copyOf(steps),
        List.copyOf(replication),
        List.copyOf(storageChanges),
        deltaTables,
        snapshot,
        reportLocation,
        failure,
        List.copyOf(operatorEvents),
        request.runbook().approval().approvers(),
        List.copyOf(fenceResults),
        controlPlaneRpoSeconds,
        request.runbook().capture() == null
            ? null
            : request.runbook().capture().everyMinutes() * 60L);
  }

  /**
   * Runs one step and records it. Before it starts, a paused run waits and an aborted one stops.
   * When the step fails after its retries, it waits for an operator's decision (if the runbook says
   * so): retry, skip, or abort.
   */
  private void runStep(Step step, StepBody body) throws StepFailedException, RunAbortedException {
    approveBefore(step);
    runStep(step.stepName(), step.skippable(), step == Step.APPROVAL, body);
    finished.add(step);
    runCustomSteps();
  }

  /** Runs the approval when it comes just before {@code next} in the plan. */
  private void approveBefore(Step next) throws StepFailedException, RunAbortedException {
    int approvalAt = plan.indexOf(Step.APPROVAL);
    if (next != Step.APPROVAL
        && approvalAt >= 0
        && approvalAt == plan.indexOf(next) - 1
        && !finished.contains(Step.APPROVAL)) {
      runStep(Step.APPROVAL, () -> awaitApproval(request.runbook().approval()));
    }
  }

  /** The row of a step in the report. */
  private int indexOf(String name) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("no step " + name + " in the plan");
  }

  private void runStep(String name, boolean skippable, boolean approvalStep, StepBody body)
      throws StepFailedException, RunAbortedException {
    int index = indexOf(name);
    checkpoint();
    if (branchEnded != null) {
      // Another branch of the parallel part ended the run: this step does not start.
      rethrow(branchEnded);
    }
    if (searchAttributes) {
      Workflow.upsertTypedSearchAttributes(RunSearchAttributes.PHASE.valueSet(name));
    }
    while (true) {
      steps.set(index, steps.get(index).running(now()));
      showRunning();
      String reason;
      try {
        StepResult result = body.run();
        steps.set(
            index,
            steps
                .get(index)
                .finished(StepStatus.SUCCEEDED, now(), result.counts(), result.message()));
        showRunning();
        return;
      } catch (AbortDuringStep e) {
        steps.set(index, steps.get(index).finished(StepStatus.NOT_RUN, now(), null, "aborted"));
        throw aborted();
      } catch (ActivityFailure | ApplicationFailure e) {
        reason = e instanceof ActivityFailure af ? describe(af) : e.getMessage();
      }
      steps.set(index, steps.get(index).finished(StepStatus.FAILED, now(), null, reason));
      log.warn("Step {} failed: {}", name, reason);
      String failed = "step " + name + " failed: " + reason;
      if (approvalStep || !decisionsEnabled()) {
        throw new StepFailedException(failed);
      }
      Decision chosen = awaitDecision(name, skippable, failed);
      operatorEvents.add(
          new OperatorEvent(
              now(),
              chosen.by(),
              chosen.action().name().toLowerCase(java.util.Locale.ROOT),
              name,
              chosen.reason()));
      switch (chosen.action()) {
        case RETRY -> {
          continue;
        }
        case SKIP -> {
          steps.set(
              index,
              steps
                  .get(index)
                  .finished(
                      StepStatus.SKIPPED,
                      now(),
                      null,
                      "skipped by " + chosen.by() + " after: " + reason));
          return;
        }
        case ABORT -> {
          abortRequest = new OperatorAction(chosen.by(), chosen.reason());
          throw aborted();
        }
      }
    }
  }

  /** What Temporal UI shows as the run's current details: every step running now. */
  private void showRunning() {
    List<String> running = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).status() == StepStatus.RUNNING) {
        running.add("step " + (i + 1) + " of " + steps.size() + ": `" + steps.get(i).name() + "`");
      }
    }
    if (!running.isEmpty()) {
      Workflow.setCurrentDetails(
          (running.size() == 1 ? "Running " : "Running side by side: ")
              + String.join(", ", running));
    }
  }

  /**
   * Runs the runbook's custom steps whose dependencies have all run, wave by wave: the steps of a
   * wave run in parallel, at most {@code steps.maxParallel} at once.
   */
  private void runCustomSteps() throws StepFailedException, RunAbortedException {
    while (true) {
      List<Runbook.CustomStep> ready = customPlan.ready(finished, customDone);
      if (ready.isEmpty()) {
        return;
      }
      int bound = Math.max(1, request.runbook().steps().maxParallel());
      for (int from = 0; from < ready.size(); from += bound) {
        List<Promise<Exception>> running = new ArrayList<>();
        for (Runbook.CustomStep custom :
            ready.subList(from, Math.min(ready.size(), from + bound))) {
          running.add(Async.function(this::runCustomStep, custom));
        }
        for (Promise<Exception> outcome : running) {
          Exception e = outcome.get();
          if (e instanceof StepFailedException failed) {
            throw failed;
          }
          if (e instanceof RunAbortedException abortedRun) {
            throw abortedRun;
          }
        }
      }
    }
  }

  /** One custom step; returns the exception that ends the run, or null. */
  private Exception runCustomStep(Runbook.CustomStep custom) {
    try {
      runStep(
          custom.name(),
          true,
          false,
          () -> {
            String answer =
                webhooks.call(
                    new WebhookRequest(
                        custom.name(),
                        custom.webhook(),
                        Workflow.getInfo().getWorkflowId()
                            + "/"
                            + Workflow.getInfo().getRunId()
                            + "/"
                            + custom.name()));
            return new StepResult(null, answer);
          });
      return null;
    } catch (StepFailedException | RunAbortedException e) {
      return e;
    } finally {
      customDone.add(custom.name());
    }
  }

  /**
   * The outage path: the primary does not answer, so the control plane is converged from its newest
   * snapshot in the replica bucket, whose age is the control-plane RPO.
   */
  private StepResult useLatestSnapshot(WorkspaceTarget source, BucketTarget store, String prefix) {
    snapshot = capture.latestSnapshot(source, store, prefix);
    if (snapshot == null) {
      throw ApplicationFailure.newFailure(
          "the primary does not answer and no snapshot of it is in s3://"
              + store.bucket()
              + "/"
              + prefix
              + ": the control plane cannot be converged; take snapshots with `failover capture`",
          FailureTypes.NOT_READY);
    }
    controlPlaneRpoSeconds =
        Math.max(
            0,
            Duration.between(Instant.parse(snapshot.capturedAt()), Instant.parse(now()))
                .toSeconds());
    return new StepResult(
        null,
        "the primary does not answer: using its newest snapshot s3://"
            + store.bucket()
            + "/"
            + snapshot.key()
            + ", captured "
            + snapshot.capturedAt()
            + ", "
            + controlPlaneRpoSeconds
            + " s old (the control-plane RPO): "
            + snapshot.catalogs()
            + " catalogs, "
            + snapshot.schemas()
            + " schemas, "
            + snapshot.tables()
            + " tables and views, "
            + snapshot.grants()
            + " grants"
            + staleSnapshotWarning());
  }

  /**
   * A warning when the snapshot is older than twice the runbook's capture interval, naming the
   * command that shows why; "" otherwise.
   */
  private String staleSnapshotWarning() {
    Runbook.Capture every = request.runbook().capture();
    if (every == null || controlPlaneRpoSeconds <= 2L * every.everyMinutes() * 60) {
      return "";
    }
    return "; the snapshot is older than twice the capture interval of "
        + every.everyMinutes()
        + " min: scheduled captures were failing or paused (see 'failover capture-schedule show "
        + request.runbook().name()
        + "')";
  }

  /** The further components a capture took, with their counts: ", 12 jobs, 3 warehouses". */
  private String componentsCaptured() {
    if (snapshot.components() == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (Step step : Step.componentSteps()) {
      if (snapshot.components().containsKey(step.component())) {
        text.append(", ")
            .append(snapshot.count(step.component()))
            .append(' ')
            .append(step.component());
      }
    }
    return text.toString();
  }

  /** Runs one converge step of the plan; other steps are left to the caller. */
  /**
   * The parallel part of the plan. One branch changes storage (promote-storage in a failover,
   * restore-replication in a failback), then checks the Delta tables once the snapshot names them;
   * the other captures the control plane and converges it wave by wave. Neither depends on the
   * other: converging creates DR's objects paused and read-only towards storage, and nothing
   * resumes until the smoke test after both. Every step takes one of {@code steps.maxParallel}
   * slots. When one branch ends the run (a failure without a decision, an abort), the other starts
   * no further step; the first to end it is what the run reports.
   */
  private void runBeside(
      Step storageStep,
      StepBody storageBody,
      StepBody captureBody,
      java.util.function.Supplier<ConvergeRequest> converging,
      StepBody deltaBody)
      throws StepFailedException, RunAbortedException {
    // The approval, when it comes just before this part, is given before either branch starts.
    approveBefore(PlanLayout.parallelPartStart(plan));
    CompletablePromise<Boolean> captured = Workflow.newPromise();
    Promise<Exception> storageBranch =
        Async.function(
            () -> {
              try {
                if (storageStep != null) {
                  withSlot(() -> runStep(storageStep, storageBody));
                }
                if (plan.contains(Step.CHECK_DELTA_TABLES) && captured.get()) {
                  withSlot(() -> runStep(Step.CHECK_DELTA_TABLES, deltaBody));
                }
                return null;
              } catch (StepFailedException | RunAbortedException e) {
                endBranches(e);
                return e;
              }
            });
    Exception controlPlane = null;
    try {
      withSlot(() -> runStep(Step.CAPTURE, captureBody));
      captured.complete(true);
      convergeInWaves(converging.get());
    } catch (StepFailedException | RunAbortedException e) {
      endBranches(e);
      controlPlane = e;
    } finally {
      if (!captured.isCompleted()) {
        captured.complete(false);
      }
    }
    Exception storage = storageBranch.get();
    rethrow(branchEnded != null ? branchEnded : controlPlane != null ? controlPlane : storage);
  }

  private void endBranches(Exception e) {
    if (branchEnded == null) {
      branchEnded = e;
    }
  }

  /**
   * Waits for every step started together; returns the first (in start order) that ended the run.
   */
  private static Exception firstFailure(List<Promise<Exception>> running) {
    Exception first = null;
    for (Promise<Exception> outcome : running) {
      Exception e = outcome.get();
      if (first == null && e != null) {
        first = e;
      }
    }
    return first;
  }

  private static void rethrow(Exception e) throws StepFailedException, RunAbortedException {
    if (e instanceof StepFailedException failed) {
      throw failed;
    }
    if (e instanceof RunAbortedException abortedRun) {
      throw abortedRun;
    }
  }

  /** What a step of the parallel part does. */
  private interface BranchStep {
    void run() throws StepFailedException, RunAbortedException;
  }

  /** Runs a step of the parallel part once one of the {@code steps.maxParallel} slots is free. */
  private void withSlot(BranchStep step) throws StepFailedException, RunAbortedException {
    int bound = Math.max(1, request.runbook().steps().maxParallel());
    Workflow.await(() -> slotsInUse < bound);
    slotsInUse++;
    try {
      step.run();
    } finally {
      slotsInUse--;
    }
  }

  private void convergeStep(Step step, ConvergeRequest convergeRequest)
      throws StepFailedException, RunAbortedException {
    if (step == Step.CONVERGE_CATALOGS) {
      runStep(step, () -> StepResult.counts(converge.convergeCatalogs(convergeRequest)));
    } else if (step == Step.CONVERGE_SCHEMAS) {
      runStep(step, () -> StepResult.counts(converge.convergeSchemas(convergeRequest)));
    } else if (step == Step.CONVERGE_GRANTS) {
      runStep(
          step,
          () ->
              components
                  ? convergeBatches(Step.GRANTS, convergeRequest)
                  : StepResult.counts(converge.convergeGrants(convergeRequest)));
    } else if (step.component() != null) {
      convergeComponent(step, convergeRequest);
    }
  }

  /**
   * The converge steps wave by wave ({@link Step#wave}): the steps of a wave do not depend on each
   * other, so they run in parallel, at most {@code steps.maxParallel} at once. A wave runs one step
   * at a time when a custom step waits for one of its steps. An approval placed before a converge
   * step is given before the first wave that holds it or any step after it in the plan, so nothing
   * the plan puts after the approval runs before it.
   */
  private void convergeInWaves(ConvergeRequest convergeRequest)
      throws StepFailedException, RunAbortedException {
    int bound = Math.max(1, request.runbook().steps().maxParallel());
    for (int wave = 1; wave <= Step.WAVES; wave++) {
      List<Step> inWave = new ArrayList<>();
      for (Step step : plan) {
        if (Step.wave(step) == wave) {
          inWave.add(step);
        }
      }
      approveBeforeWave(inWave);
      boolean customWaits = inWave.stream().anyMatch(step -> !customPlan.after(step).isEmpty());
      if (parallelPlan && bound >= 2 && !customWaits) {
        // Every step takes a slot, so this wave and the storage branch beside it stay in bounds.
        List<Promise<Exception>> running = new ArrayList<>();
        for (Step step : inWave) {
          running.add(
              Async.function(
                  () -> {
                    try {
                      withSlot(() -> convergeStep(step, convergeRequest));
                      return null;
                    } catch (StepFailedException | RunAbortedException e) {
                      endBranches(e);
                      return e;
                    }
                  }));
        }
        rethrow(firstFailure(running));
        continue;
      }
      if (inWave.size() < 2 || bound < 2 || customWaits) {
        for (Step step : inWave) {
          convergeStep(step, convergeRequest);
        }
        continue;
      }
      for (int from = 0; from < inWave.size(); from += bound) {
        List<Promise<Exception>> running = new ArrayList<>();
        for (Step step : inWave.subList(from, Math.min(inWave.size(), from + bound))) {
          running.add(
              Async.function(
                  () -> {
                    try {
                      convergeStep(step, convergeRequest);
                      return null;
                    } catch (StepFailedException | RunAbortedException e) {
                      return e;
                    }
                  }));
        }
        rethrow(firstFailure(running));
      }
    }
  }

  /** Gives the approval before a wave with a step the plan puts after it. */
  private void approveBeforeWave(List<Step> wave) throws StepFailedException, RunAbortedException {
    int approvalAt = plan.indexOf(Step.APPROVAL);
    if (approvalAt < 0 || finished.contains(Step.APPROVAL)) {
      return;
    }
    for (Step step : wave) {
      if (plan.indexOf(step) > approvalAt) {
        runStep(Step.APPROVAL, () -> awaitApproval(request.runbook().approval()));
        return;
      }
    }
  }

  /** Whether the snapshot holds the component (the worker that captured it knows it). */
  private boolean captured(String component) {
    return snapshot.components() != null && snapshot.components().containsKey(component);
  }

  private static String notCaptured(String component) {
    return "the snapshot holds no "
        + component
        + ": the worker that captured it does not manage them, or it was taken before they were"
        + " captured";
  }

  /** Converges one component's items in batches, or skips the step when none were captured. */
  private void convergeComponent(Step step, ConvergeRequest request)
      throws StepFailedException, RunAbortedException {
    if (!captured(step.component())) {
      skipStep(step, notCaptured(step.component()));
      return;
    }
    runStep(step, () -> convergeBatches(step.component(), request));
  }

  /**
   * Converges every batch of a component, at most {@link #PARALLEL_BATCHES} at once; each batch is
   * one activity that loads its slice of the snapshot and heartbeats, so the history grows by a few
   * events per {@link #BATCH} objects.
   */
  private StepResult convergeBatches(String component, ConvergeRequest request) {
    ComponentResult total = eachBatch(component, request, converge::convergeBatch);
    String message = StepResult.counts(total.counts()).message();
    if (!total.skipped().isEmpty()) {
      message += "; left alone: " + String.join("; ", total.skipped());
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

  private ComponentResult eachBatch(
      String component,
      ConvergeRequest request,
      io.temporal.workflow.Functions.Func1<ComponentBatch, ComponentResult> activity) {
    int count = snapshot.count(component);
    ComponentResult total = ComponentResult.NONE;
    for (int wave = 0; wave < count; wave += BATCH * PARALLEL_BATCHES) {
      List<Promise<ComponentResult>> running = new ArrayList<>();
      for (int from = wave;
          from < Math.min(count, wave + BATCH * PARALLEL_BATCHES);
          from += BATCH) {
        running.add(
            Async.function(
                activity,
                new ComponentBatch(request, component, from, Math.min(count, from + BATCH))));
      }
      for (Promise<ComponentResult> batch : running) {
        total = total.plus(batch.get());
      }
    }
    return total;
  }

  /**
   * The smoke test of the batched components: each must need no change; otherwise the step fails
   * with the first differences. Returns how many objects were checked.
   */
  private int checkComponents(ConvergeRequest request) {
    if (!components) {
      return 0;
    }
    int checked = 0;
    List<String> differences = new ArrayList<>();
    for (Step step : plan) {
      String component = step.component();
      if (component == null || !captured(component)) {
        continue;
      }
      ComponentResult result = eachBatch(component, request, converge::checkBatch);
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

  /** A drill's clean-up of the batched components, in the reverse of converge order. */
  private ChangeCounts removeComponentsCreated(ConvergeRequest request) {
    ChangeCounts removed = ChangeCounts.NONE;
    if (!components) {
      return removed;
    }
    List<Step> reversed = new ArrayList<>(plan);
    java.util.Collections.reverse(reversed);
    for (Step step : reversed) {
      if (step.component() != null && captured(step.component())) {
        removed = removed.plus(converge.removeComponentCreatedByRun(request, step.component()));
      }
    }
    return removed;
  }

  /** Records a step as skipped by the run itself, with the reason, without running it. */
  private void skipStep(Step step, String reason) throws StepFailedException, RunAbortedException {
    approveBefore(step);
    checkpoint();
    int index = indexOf(step.stepName());
    String at = now();
    steps.set(index, steps.get(index).running(at).finished(StepStatus.SKIPPED, at, null, reason));
    finished.add(step);
    runCustomSteps();
  }

  /** Whether a failed step waits for an operator; runs recorded before decisions existed do not. */
  private boolean decisionsEnabled() {
    int version = Workflow.getVersion(OPERATOR_DECISIONS, Workflow.DEFAULT_VERSION, 1);
    return version >= 1 && request.runbook().onStepFailure().waitForDecision();
  }

  /**
   * Waits for retry, skip or abort; without one in time, or with an abort request, the run ends.
   */
  private Decision awaitDecision(String step, boolean skippable, String failed)
      throws StepFailedException, RunAbortedException {
    // Custom steps run in parallel: their decisions are taken one at a time.
    decisionLock.lock();
    try {
      return awaitDecisionLocked(step, skippable, failed);
    } finally {
      decisionLock.unlock();
    }
  }

  private Decision awaitDecisionLocked(String step, boolean skippable, String failed)
      throws StepFailedException, RunAbortedException {
    Runbook.OnStepFailure settings = request.runbook().onStepFailure();
    awaitingDecision = step;
    awaitingSkippable = skippable;
    decision = null;
    waitingFor = "a decision on step " + step + " (retry, skip or abort)";
    Workflow.setCurrentDetails(
        "Step `"
            + step
            + "` failed and waits for an operator: `failover retry|skip|abort "
            + Workflow.getInfo().getWorkflowId()
            + " --by NAME`\n\n"
            + failed);
    boolean decided =
        Workflow.await(
            Duration.ofMinutes(settings.timeoutMinutes()),
            () -> decision != null || abortRequest != null);
    awaitingDecision = null;
    waitingFor = null;
    if (!decided) {
      throw new StepFailedException(
          failed + "; no decision within " + settings.timeoutMinutes() + " minutes");
    }
    if (decision == null) {
      throw aborted();
    }
    Decision chosen = decision;
    decision = null;
    return chosen;
  }

  /** Between steps: a paused run waits to be resumed; an aborted run stops here. */
  private void checkpoint() throws RunAbortedException {
    if (paused && abortRequest == null) {
      waitingFor = "resume (paused)";
      Workflow.await(() -> !paused || abortRequest != null);
      waitingFor = null;
    }
    if (abortRequest != null) {
      throw aborted();
    }
  }

  private RunAbortedException aborted() {
    return new RunAbortedException(
        "aborted by "
            + abortRequest.by()
            + (abortRequest.reason() == null || abortRequest.reason().isBlank()
                ? ""
                : ": " + abortRequest.reason()));
  }

  private void markRemainingNotRun() {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).status() == StepStatus.PENDING) {
        steps.set(i, steps.get(i).finished(StepStatus.NOT_RUN, null, null, null));
      }
    }
  }

  /** A person-readable reason: the activity that failed and the root failure's own message. */
  static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    String what = failure.getActivityType();
    if (cause instanceof ApplicationFailure app) {
      return what + ": " + app.getOriginalMessage() + " [" + app.getType() + "]";
    }
    if (cause instanceof TimeoutFailure timeout) {
      return what + ": timed out (" + timeout.getTimeoutType() + ")";
    }
    if (cause instanceof TemporalFailure temporal) {
      return what + ": " + temporal.getOriginalMessage();
    }
    return what + ": " + failure.getMessage();
  }

  private long secondsSinceStart() {
    return Duration.between(Instant.parse(startedAt), Instant.parse(now())).toSeconds();
  }

  private static String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  /** The outcome of a step's body: optional counts and a one-line message. */
  private record StepResult(ChangeCounts counts, String message) {
    static StepResult counts(ChangeCounts counts) {
      return new StepResult(
          counts,
          counts.created()
              + " created, "
              + counts.updated()
              + " updated, "
              + counts.unchanged()
              + " unchanged, "
              + counts.deleted()
              + " removed"
              + (counts.retries() == 0 ? "" : ", " + counts.retries() + " retries"));
    }
  }

  @FunctionalInterface
  private interface StepBody {
    StepResult run();
  }

  /** Internal control flow: an operator aborted the run; it stops between steps. */
  private static final class RunAbortedException extends Exception {
    RunAbortedException(String message) {
      super(message);
    }
  }

  /** Internal control flow: a wait inside a step (the approval) ended by an abort. */
  private static final class AbortDuringStep extends RuntimeException {
    AbortDuringStep() {
      super("aborted");
    }
  }

  /** Internal control flow: a step failed after its retries; the run stops. */
  private static final class StepFailedException extends Exception {
    StepFailedException(String message) {
      super(message);
    }
  }
}
