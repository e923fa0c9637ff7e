package dev.failover.workflows.run;

import dev.failover.workflows.capture.CaptureWorkflow;
import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.AccountTarget;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.BucketTarget;
import dev.failover.workflows.steps.ConvergeRequest;
import dev.failover.workflows.steps.FenceRequest;
import dev.failover.workflows.steps.ManagedDrRequest;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.WorkspaceTarget;
import io.temporal.workflow.Workflow;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the steps of one run share: the request, the two sides as this mode sees them (a failback
 * reads the DR side and converges the primary), where state is kept, the activities, the ledger and
 * the plan; and what readiness found out about the primary.
 */
final class RunContext {
  final RunRequest request;
  final Runbook runbook;
  final Mode mode;
  final PlanGraph graph;
  final Activities activities;
  final RunLedger ledger;
  final OperatorControls controls;
  final WorkspaceTarget source;
  final WorkspaceTarget target;
  final AccountTarget account;
  final BucketTarget store;
  final List<BucketPairTarget> pairs;
  final String runPrefix;
  final String runId;

  /** The catalogs the managed DR failover group replicates, as readiness read them. */
  private List<String> replicatedCatalogs = List.of();

  /**
   * The components the failover group replicates as workspace assets, as readiness read them (empty
   * without managed DR or when its workspace set does not replicate workspace assets).
   */
  private List<String> groupOwnedComponents = List.of();

  /** The steps that have run (succeeded, or skipped by an operator); the executor adds to it. */
  final Set<String> stepsDone = new HashSet<>();

  /** False once readiness found the primary's workspace or buckets not answering. */
  private boolean primaryReachable = true;

  /**
   * The snapshot a failover asked to converge from ({@link RunRequest#fromNewestSnapshot}), as
   * readiness found it: the one the approver saw, whatever a scheduled capture stores meanwhile.
   */
  private SnapshotRef chosenSnapshot;

  RunContext(
      RunRequest request,
      PlanGraph graph,
      Activities activities,
      RunLedger ledger,
      OperatorControls controls) {
    this.request = request;
    this.runbook = request.runbook();
    this.mode = request.mode();
    this.graph = graph;
    this.activities = activities;
    this.ledger = ledger;
    this.controls = controls;
    WorkspaceTarget primary = WorkspaceTarget.of("primary", runbook.primary());
    WorkspaceTarget secondary = WorkspaceTarget.of("secondary", runbook.secondary());
    this.source = failback() ? secondary : primary;
    this.target = failback() ? primary : secondary;
    this.account = runbook.account() == null ? null : AccountTarget.of(runbook, target.side());
    this.store = BucketTarget.of("secondary", runbook.secondary(), runbook.stateBucket());
    this.pairs = runbook.bucketPairs().stream().map(p -> BucketPairTarget.of(runbook, p)).toList();
    this.runPrefix = "failover/" + runbook.name() + "/";
    this.runId = Workflow.getInfo().getRunId();
  }

  /**
   * Waits, inside a step that started before all of its needs had run ({@link
   * PlanGraph#startNeeds}), until they have; ends with {@link OperatorControls.WaitEnded} when
   * another step ends the run first.
   */
  void awaitSteps(Collection<String> steps) {
    Workflow.await(() -> stepsDone.containsAll(steps) || controls.ending());
    if (!stepsDone.containsAll(steps)) {
      throw new OperatorControls.WaitEnded("another step ended the run");
    }
  }

  /** Waits until one of {@code steps} has run; returns those that have. */
  List<String> awaitAnyStep(Collection<String> steps) {
    Workflow.await(() -> steps.stream().anyMatch(stepsDone::contains) || controls.ending());
    List<String> done = steps.stream().filter(stepsDone::contains).toList();
    if (done.isEmpty()) {
      throw new OperatorControls.WaitEnded("another step ended the run");
    }
    return done;
  }

  boolean failback() {
    return mode == Mode.FAILBACK;
  }

  boolean primaryReachable() {
    return primaryReachable;
  }

  void replicatedCatalogs(List<String> catalogs) {
    replicatedCatalogs = List.copyOf(catalogs);
  }

  List<String> replicatedCatalogs() {
    return replicatedCatalogs;
  }

  void groupOwnedComponents(List<String> components) {
    groupOwnedComponents = List.copyOf(components);
  }

  void primaryUnreachable() {
    primaryReachable = false;
  }

  /** Whether this failover converges from the primary's newest snapshot, as it was asked to. */
  boolean fromNewestSnapshot() {
    return mode == Mode.FAILOVER && request.fromNewestSnapshot();
  }

  SnapshotRef chosenSnapshot() {
    return chosenSnapshot;
  }

  void chosenSnapshot(SnapshotRef snapshot) {
    chosenSnapshot = snapshot;
  }

  /** Where every snapshot of the runbook is kept: runs' and scheduled captures' alike. */
  String snapshotPrefix() {
    return CaptureWorkflow.snapshotPrefix(runbook);
  }

  /** Path rewrites from the side read to the side converged. */
  List<Runbook.PathRewrite> rewrites() {
    return failback() ? runbook.reversedRewrites() : runbook.storagePathRewrites();
  }

  Runbook.StorageCredentials storageCredentials() {
    return failback() ? runbook.storageCredentials().reversed() : runbook.storageCredentials();
  }

  /** Where the fence record of a side is kept, and the runbook's fence settings. */
  FenceRequest fenceRequest(WorkspaceTarget side) {
    return new FenceRequest(
        side, store, runPrefix + "fence/" + side.side() + ".json", runId, runbook.fence());
  }

  /** What the managed DR readiness check and the failover-group step send; null without one. */
  ManagedDrRequest managedDrRequest() {
    return ManagedDrRequests.of(runbook, mode);
  }

  /** What every converge step, the smoke test and the clean-up send: the captured snapshot. */
  ConvergeRequest convergeRequest() {
    return new ConvergeRequest(
        target,
        ledger.snapshot(),
        rewrites(),
        runbook.name(),
        mode == Mode.DRILL ? runId : null,
        account,
        failback() ? runbook.compute().reversed() : runbook.compute(),
        storageCredentials(),
        mode == Mode.DRILL && request.keep(),
        replicatedCatalogs,
        groupOwnedComponents,
        ledger.verifiedTarget() == null ? null : ledger.verifiedTarget().snapshot());
  }

  /** Where this run's capture stores its snapshot. */
  String snapshotKey() {
    return snapshotPrefix() + runId + ".json.gz";
  }

  /** Where the record of the snapshot the target last matched is kept ({@code VerifiedTarget}). */
  String verifiedTargetKey() {
    return runPrefix + "verified-target.json";
  }

  /**
   * Whether this run's smoke test leaves a record that the target matches the snapshot: a failover,
   * and a drill that keeps what it created. A drill that removes its objects leaves nothing to
   * trust, and a failback's target is the primary, which no failover converges.
   */
  boolean recordsVerifiedTarget() {
    return mode == Mode.FAILOVER || (mode == Mode.DRILL && request.keep());
  }
}
