package dev.failover.workflows.run;

import dev.failover.workflows.runbook.Runbook;
import dev.failover.workflows.steps.BucketPairTarget;
import dev.failover.workflows.steps.StorageChange;
import dev.failover.workflows.steps.StorageRequest;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code promote-storage} (a failover) and {@code restore-replication} (a failback): every bucket
 * pair in parallel, each activity draining the backlog first and recording what it changes in the
 * state bucket before it changes it.
 */
final class StorageStep implements StepBody {
  private final RunContext run;

  StorageStep(RunContext run) {
    this.run = run;
  }

  @Override
  public StepResult run() {
    List<Promise<StorageChange>> changes = new ArrayList<>();
    for (BucketPairTarget pair : run.pairs) {
      StorageRequest request = request(pair);
      changes.add(
          Async.function(
              run.failback()
                  ? run.activities.storage::restoreReplication
                  : run.activities.storage::promoteReplica,
              request));
    }
    List<String> lines = new ArrayList<>();
    for (Promise<StorageChange> change : changes) {
      StorageChange done = SideBySide.get(change, changes);
      run.ledger.storageChange(done);
      lines.add(summary(done));
    }
    return StepResult.message(String.join("; ", lines));
  }

  private StorageRequest request(BucketPairTarget pair) {
    Runbook.Replication replication = run.runbook.replication();
    return new StorageRequest(
        pair,
        replication.drainTimeoutMinutes() * 60L,
        replication.lookbackHours(),
        run.store,
        run.runPrefix + "replication/" + pair.name() + ".json",
        run.runId,
        replication.reversePathTimeoutMinutes() * 60L);
  }

  private static String summary(StorageChange done) {
    return "pair "
        + done.pair()
        + ": "
        + done.done().size()
        + " change(s)"
        + (done.notRun().isEmpty() ? "" : ", " + done.notRun().size() + " not run")
        + (done.cutover() == null ? "" : ", " + done.cutover().pending() + " pending at cutover");
  }
}
