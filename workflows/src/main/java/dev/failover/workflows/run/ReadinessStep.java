package dev.failover.workflows.run;

import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.GroupOwnedComponents;
import dev.failover.workflows.steps.GroupReadiness;
import dev.failover.workflows.steps.ManagedDrRequest;
import dev.failover.workflows.steps.ReadinessActivities;
import dev.failover.workflows.steps.ReplicationHealth;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.StorageCredentialCheck;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code readiness}: checks, in parallel, that both workspaces answer, measures each pair's
 * replication and validates the target's storage credentials. In a failover the primary side may be
 * down: its probes give up quickly and the run goes on without it; in a drill or a failback every
 * check must pass. With an account, the target workspace is also looked up in the account; with
 * managed disaster recovery, the failover group and its stable URLs are checked. A failover asked
 * to converge from the newest snapshot finds it here, before anything is changed.
 */
final class ReadinessStep implements StepBody {
  private final RunContext run;
  private final boolean sourceMayBeDown;

  ReadinessStep(RunContext run) {
    this.run = run;
    this.sourceMayBeDown = run.mode == Mode.FAILOVER;
  }

  @Override
  public StepResult run() {
    ReadinessActivities readiness = run.activities.readiness;
    Promise<String> targetCheck = Async.function(readiness::checkWorkspace, run.target);
    Promise<String> accountCheck =
        run.account == null
            ? null
            : Async.function(readiness::checkAccountWorkspace, run.account, run.target);
    ManagedDrRequest managedDr = run.managedDrRequest();
    Promise<GroupReadiness> groupCheck =
        managedDr == null ? null : Async.function(run.activities.managedDr::checkGroup, managedDr);
    ReadinessActivities sourceProbe = sourceMayBeDown ? run.activities.probe : readiness;
    Promise<String> sourceCheck = Async.function(sourceProbe::checkWorkspace, run.source);
    List<Promise<ReplicationHealth>> measured = new ArrayList<>();
    int lookback = run.runbook.replication().lookbackHours();
    for (BucketPairTarget pair : run.pairs) {
      measured.add(
          Async.function(
              run.activities.storage::measureReplication, pair, run.failback(), lookback));
    }
    Promise<SnapshotRef> newest =
        run.fromNewestSnapshot()
            ? Async.function(
                run.activities.capture::latestSnapshot, run.source, run.store, run.snapshotPrefix())
            : null;
    List<Promise<?>> all = new ArrayList<>(measured);
    all.add(targetCheck);
    if (newest != null) {
      all.add(newest);
    }
    all.add(sourceCheck);
    if (accountCheck != null) {
      all.add(accountCheck);
    }
    if (groupCheck != null) {
      all.add(groupCheck);
    }
    List<String> findings = new ArrayList<>();
    findings.add(SideBySide.get(targetCheck, all));
    if (accountCheck != null) {
      findings.add(SideBySide.get(accountCheck, all));
    }
    if (groupCheck != null) {
      findings.add(groupFinding(SideBySide.get(groupCheck, all)));
      findings.add(replicatedCatalogs(managedDr));
      findings.add(groupOwnedComponents(managedDr));
    }
    findings.add(sourceFinding(sourceCheck, all));
    if (newest != null) {
      findings.add(chosenSnapshot(SideBySide.get(newest, all)));
    }
    findings.add(storageCredentials());
    for (Promise<ReplicationHealth> promise : measured) {
      findings.addAll(replicationFindings(SideBySide.get(promise, all)));
    }
    if (run.mode == Mode.DRILL) {
      // A drill's capture runs beside readiness, so the record that the target matched a snapshot
      // is given up here, once every check passed and before anything converges.
      run.activities.capture.claimVerifiedTarget(run.store, run.verifiedTargetKey());
    }
    return StepResult.message(String.join("; ", findings));
  }

  /**
   * The group's finding; its replication point's age is the run's control-plane RPO for what the
   * group replicates, which the report shows.
   */
  private String groupFinding(GroupReadiness group) {
    if (group.replicationPointAgeSeconds() != null) {
      run.ledger.controlPlaneRpo(group.replicationPointAgeSeconds(), RunLedger.RPO_FROM_GROUP);
    }
    return group.finding();
  }

  /**
   * The snapshot this failover converges from, kept for {@code capture}; fails readiness, before
   * the fence, when there is none.
   */
  private String chosenSnapshot(SnapshotRef found) {
    SnapshotRef snapshot =
        CaptureStep.required(
            run, found, "the failover was asked to converge from the primary's newest snapshot");
    run.chosenSnapshot(snapshot);
    long age = CaptureStep.ageSeconds(snapshot);
    return "DR will be converged from the primary's newest snapshot "
        + snapshot.key()
        + ", captured "
        + snapshot.capturedAt()
        + ", "
        + age
        + " s old (--from-newest-snapshot): what changed on the primary since is not carried over"
        + CaptureStep.staleSnapshotWarning(run, age);
  }

  /** Which catalog rows the group covers: converge verifies them and never writes them. */
  private String replicatedCatalogs(ManagedDrRequest managedDr) {
    List<String> catalogs = run.activities.managedDr.replicatedCatalogs(managedDr);
    run.replicatedCatalogs(catalogs);
    return ManagedDrRequests.coveredCatalogs(catalogs);
  }

  /** Which workspace component rows the group covers: converge verifies them, never writes. */
  private String groupOwnedComponents(ManagedDrRequest managedDr) {
    List<String> components = run.activities.managedDr.groupOwnedComponents(managedDr);
    run.groupOwnedComponents(components);
    return GroupOwnedComponents.covered(components);
  }

  private String sourceFinding(Promise<String> sourceCheck, List<Promise<?>> all) {
    try {
      return SideBySide.get(sourceCheck, all);
    } catch (ActivityFailure e) {
      // A probe cancelled by an abort says nothing about the primary.
      if (!sourceMayBeDown || SideBySide.stepCancelled()) {
        throw e;
      }
      run.primaryUnreachable();
      return "primary workspace unreachable (" + StepExecutor.describe(e) + ")";
    }
  }

  /**
   * The target's storage credentials validated against the source's locations; the source's
   * locations cannot be read while it is down, which is then said.
   */
  private String storageCredentials() {
    if (!run.primaryReachable()) {
      return "WARNING: storage credentials not validated: the primary's external locations cannot"
          + " be read";
    }
    return run.activities.readiness.checkStorageCredentials(
        new StorageCredentialCheck(
            run.source, run.target, run.rewrites(), run.storageCredentials()));
  }

  private List<String> replicationFindings(ReplicationHealth health) {
    run.ledger.replication(health);
    if (!health.sourceReachable()) {
      if (!sourceMayBeDown) {
        throw ApplicationFailure.newFailure(
            "bucket " + health.source() + " is unreachable: " + health.summary(),
            FailureTypes.NOT_READY);
      }
      run.primaryUnreachable();
    }
    if (run.mode == Mode.DRILL && "active".equals(health.destinationRole())) {
      throw ApplicationFailure.newFailure(
          "bucket "
              + health.destination()
              + " is marked failover:role=active: the DR side serves as the active side since a"
              + " failover, and a drill would converge over it; fail back first",
          FailureTypes.NOT_READY);
    }
    List<String> findings = new ArrayList<>();
    findings.add(health.summary());
    if (health.reversePath() != null) {
      findings.add((health.reversePathBroken() ? "WARNING: " : "") + health.reversePath());
    }
    long rpoObjective = run.runbook.objectives().rpoMinutes() * 60L;
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
    return findings;
  }
}
