package dev.failover.workflows.runbook;

/**
 * The runbook's {@code fence} section: what fencing a workspace does with the job runs it finds in
 * progress, once every schedule, trigger and continuous job is paused so that no new run starts.
 *
 * @param runsInProgress {@code CANCEL} (the default): cancel each and wait for it to end, up to
 *     {@code waitMinutes}; {@code WAIT}: let each finish, up to {@code waitMinutes}; {@code LEAVE}:
 *     leave them running. Runs left running, and runs still going at the bound, are reported as
 *     risks
 * @param waitMinutes how long the fence waits for runs to end, 1 to {@link #MAX_WAIT_MINUTES}
 */
public record FenceSettings(RunsInProgress runsInProgress, int waitMinutes) {
  /** What to do with the runs in progress. */
  public enum RunsInProgress {
    CANCEL,
    WAIT,
    LEAVE
  }

  /**
   * The bound of {@code waitMinutes}: the fence runs in one activity with a time limit of 30
   * minutes, which must hold the wait and the rest of the fence.
   */
  public static final int MAX_WAIT_MINUTES = 20;

  public static final FenceSettings DEFAULT = new FenceSettings(RunsInProgress.CANCEL, 10);

  public FenceSettings {
    if (runsInProgress == null) {
      runsInProgress = RunsInProgress.CANCEL;
    }
    if (waitMinutes <= 0) {
      waitMinutes = DEFAULT.waitMinutes;
    }
  }
}
