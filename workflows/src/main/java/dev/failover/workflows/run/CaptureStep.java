package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.FailureTypes;
import dev.failover.workflows.steps.SnapshotRef;
import dev.failover.workflows.steps.VerifiedTarget;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code capture}: reads the active side's control plane into a snapshot in the replica bucket. On
 * the outage path (the primary does not answer), and in a failover asked to ({@code
 * --from-newest-snapshot}), the control plane is converged from the primary's newest snapshot
 * instead, whose age is the control-plane RPO.
 */
final class CaptureStep implements StepBody {
  private final RunContext run;

  CaptureStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    // A drill gives the record up at the end of readiness (ReadinessStep).
    String baseline = run.mode == Mode.DRILL ? "" : fromVerifiedTarget();
    StepResult captured = capture();
    return StepResult.message(captured.message() + baseline);
  }

  private StepResult capture() {
    if (run.fromNewestSnapshot()) {
      SnapshotRef chosen =
          run.chosenSnapshot() != null
              ? run.chosenSnapshot()
              : newestSnapshot(
                  run, "the failover was asked to converge from the primary's newest snapshot");
      return useSnapshot(
          chosen,
          "as asked (--from-newest-snapshot), the primary is not read: using its newest snapshot");
    }
    if (run.mode == Mode.FAILOVER && !run.primaryReachable()) {
      return useSnapshot(
          newestSnapshot(run, "the primary does not answer"),
          "the primary does not answer: using its newest snapshot");
    }
    SnapshotRef snapshot =
        run.activities.capture.captureControlPlane(
            run.source, run.runbook.scope().catalogs(), run.store, run.snapshotKey());
    run.ledger.snapshot(snapshot);
    return StepResult.message("from the " + run.source.side() + " workspace: " + counts(snapshot));
  }

  /**
   * Claims the record of the snapshot the target last matched: every run does before it converges,
   * since converging changes the target. A failover onto that same workspace converges only the
   * drift since, unless it was asked to compare everything. Returns what the step's message says
   * about it.
   */
  private String fromVerifiedTarget() {
    VerifiedTarget verified =
        run.activities.capture.claimVerifiedTarget(run.store, run.verifiedTargetKey());
    if (verified == null || run.mode != Mode.FAILOVER) {
      return "";
    }
    if (!verified.holdsFor(run.convergeRequest())) {
      return "; every object of "
          + run.target.side()
          + " is compared with the snapshot: the workspace or the runbook's rewrites, compute rules"
          + " or credential mappings changed since it matched "
          + verified.snapshot().key();
    }
    if (run.request.compareAll()) {
      return "; every object of "
          + run.target.side()
          + " is compared with the snapshot (--compare-all), though it matched "
          + verified.snapshot().key()
          + " at "
          + verified.verifiedAt();
    }
    run.ledger.verifiedTarget(verified);
    return "; "
        + run.target.side()
        + " matched snapshot "
        + verified.snapshot().key()
        + " when the "
        + verified.mode()
        + " "
        + verified.runId()
        + " passed its smoke test at "
        + verified.verifiedAt()
        + ": only what changed since is converged and checked, besides the metastore, catalogs,"
        + " schemas, storage credentials, external locations and SQL warehouses, which are"
        + " compared in full;"
        + " changes made by hand in "
        + run.target.side()
        + " since then are not seen (--compare-all compares everything)";
  }

  /**
   * The primary's newest snapshot in the replica bucket, its digest checked; fails the step,
   * changing nothing, when there is none.
   */
  private static SnapshotRef newestSnapshot(RunContext run, String why) {
    return required(
        run,
        run.activities.capture.latestSnapshot(run.source, run.store, run.snapshotPrefix()),
        why);
  }

  /** {@code snapshot}, the primary's newest; a failure naming where none was found when null. */
  static SnapshotRef required(RunContext run, SnapshotRef snapshot, String why) {
    if (snapshot == null) {
      throw ApplicationFailure.newFailure(
          why
              + " and no snapshot of the primary is in s3://"
              + run.store.bucket()
              + "/"
              + run.snapshotPrefix()
              + ": the control plane cannot be converged; take snapshots with `failover capture`",
          FailureTypes.NOT_READY);
    }
    return snapshot;
  }

  /** Converges from a stored snapshot, whose age is the run's control-plane RPO. */
  private StepResult useSnapshot(SnapshotRef snapshot, String why) {
    run.ledger.snapshot(snapshot);
    long age = ageSeconds(snapshot);
    run.ledger.controlPlaneRpo(
        age,
        run.fromNewestSnapshot()
            ? RunLedger.RPO_FROM_CHOSEN_SNAPSHOT
            : RunLedger.RPO_FROM_SNAPSHOT);
    return StepResult.message(
        why
            + " s3://"
            + run.store.bucket()
            + "/"
            + snapshot.key()
            + ", captured "
            + snapshot.capturedAt()
            + ", "
            + age
            + " s old (the control-plane RPO): "
            + counts(snapshot)
            + staleSnapshotWarning(run, age));
  }

  /** How old a snapshot is now, by the workflow's clock. */
  static long ageSeconds(SnapshotRef snapshot) {
    return Math.max(
        0,
        Duration.between(Instant.parse(snapshot.capturedAt()), Instant.parse(RunLedger.now()))
            .toSeconds());
  }

  private static String counts(SnapshotRef snapshot) {
    return snapshot.catalogs()
        + " catalogs, "
        + snapshot.schemas()
        + " schemas, "
        + snapshot.tables()
        + " tables and views, "
        + snapshot.grants()
        + " grants"
        + componentsCaptured(snapshot);
  }

  /** The further components a capture took, with their counts: ", 12 jobs, 3 warehouses". */
  private static String componentsCaptured(SnapshotRef snapshot) {
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

  /**
   * A warning when the snapshot is older than twice the runbook's capture interval, naming the
   * command that shows why; "" otherwise.
   */
  static String staleSnapshotWarning(RunContext run, long age) {
    Runbook.Capture every = run.runbook.capture();
    if (every == null || age <= 2L * every.everyMinutes() * 60) {
      return "";
    }
    return "; the snapshot is older than twice the capture interval of "
        + every.everyMinutes()
        + " min: scheduled captures were failing or paused (see 'failover capture-schedule show "
        + run.runbook.name()
        + "')";
  }
}
